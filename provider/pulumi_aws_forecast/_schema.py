"""Each export resource described once: its inputs and outputs, as data.

Like a terraform-provider-aws schema map or a pulumi-go-provider `infer` struct:
for every input its Pulumi path, its API member path, whether it is required,
its default and normaliser, whether a change replaces the job or updates it in
place, and the rule a user reads. Everything else is derived from here:

- `_plan.py`: check (defaults, normalisers, validation through `rules`,
  violations named by Pulumi path), diff (which properties replace), the Create
  request, read and the outputs;
- `tools/codegen.py` (`make generate`): the generated Args classes and resource
  classes (`_generated.py`) and the README's reference tables;
- the names users write: the Python resources take the description's snake_case
  (`destination.s3_config.role_arn`), the plugin's schema the camelCase of the same
  names (`destination.s3Config.roleArn`): `_names.py` translates, and words messages in either.

The kinds themselves (API nouns, parents, ARN formats) come from `catalog.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pulumi.output import Unknown

from .catalog import DEFAULT_FORMAT, EXPORT_KINDS, FORMATS, KINDS, ResourceKind
from .rules import MAX_WHAT_IF_FORECASTS_PER_EXPORT, WHAT_IF_FORECASTS_PER_EXPORT_QUOTA

Path = tuple[str, ...]
Change = Literal["replace", "update", "none"]


@dataclass(frozen=True)
class Input:
    """One input of a resource: a leaf of its Pulumi properties."""

    path: Path  # Pulumi path: ("destination", "s3_config", "path")
    api: Path | None  # API member path in the Create request and the Describe record; None: not sent
    python_type: str  # the value's type in the generated Args: "str", "list[str]", "dict[str, str]", "bool"
    rule: str  # what is checked at preview, as the README and the docstrings say it
    change: Change  # what a change of it does to the job
    required: bool = False
    default: str | None = None
    normalise: Callable[[Any], Any] | None = None

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def top(self) -> str:
        return self.path[0]


@dataclass(frozen=True)
class Output:
    """An output-only property, filled from Describe (or ListTagsForResource)."""

    name: str
    api: str | None  # the Describe member; None for tags_all
    python_type: str
    doc: str


def _format(value: Any) -> Any:
    """Formats compare case-insensitively: `parquet` is PARQUET."""
    return value.upper() if isinstance(value, str) and value.upper() in FORMATS else value


def _parent(kind: ResourceKind) -> Input:
    assert kind.parent_member is not None
    types = " or ".join(f"`{t}`" for t in kind.parent_arn_types)
    parents = [KINDS[noun] for noun in kind.parent_nouns]
    label = " or ".join(parent.label for parent in parents)  # "predictor or forecast"
    a_label = " or ".join([parents[0].a_label, *(parent.label for parent in parents[1:])])
    if kind.parent_is_list:
        return Input(
            (kind.parent_property,),
            (kind.parent_member,),
            "list[str]",
            f"1 to {MAX_WHAT_IF_FORECASTS_PER_EXPORT} ARNs of {label}s "
            f"(`arn:<partition>:forecast:<region>:<account>:{kind.parent_arn_types[0]}/...`), "
            "at most 300 characters each, all in one account and region (the API model allows 50, but "
            f"Amazon Forecast's quota {WHAT_IF_FORECASTS_PER_EXPORT_QUOTA} allows "
            f"{MAX_WHAT_IF_FORECASTS_PER_EXPORT} per export and is not adjustable); any change of the list "
            "(adding, removing or reordering) replaces the job",
            "replace",
            required=True,
        )
    return Input(
        (kind.parent_property,),
        (kind.parent_member,),
        "str",
        f"the ARN of {a_label}, `arn:<partition>:forecast:<region>:<account>:<type>/...` "
        f"with type {types}, at most 256 characters; the job's region and account are the parent's",
        "replace",
        required=True,
    )


@functools.cache
def inputs(kind: ResourceKind) -> tuple[Input, ...]:
    """Every input of the resource for `kind`, in the order the README lists them."""
    return (
        _parent(kind),
        Input(
            ("destination", "s3_config", "path"),
            ("Destination", "S3Config", "Path"),
            "str",
            "`s3://` and a bucket whose name starts with a lowercase letter or digit; 7 to 4096 characters",
            "replace",
            required=True,
        ),
        Input(
            ("destination", "s3_config", "role_arn"),
            ("Destination", "S3Config", "RoleArn"),
            "str",
            "an IAM role ARN, `arn:<partition>:iam::<account>:role/<name>`, in the parent's account "
            "(Forecast refuses cross-account roles); Forecast assumes it to write the files",
            "replace",
            required=True,
        ),
        Input(
            ("destination", "s3_config", "kms_key_arn"),
            ("Destination", "S3Config", "KMSKeyArn"),
            "str",
            "`arn:aws:kms:<region>:<account>:key/<id>`, the key the files are encrypted with",
            "replace",
        ),
        Input(
            ("format",),
            ("Format",),
            "str",
            "`CSV` (default) or `PARQUET`; lower case accepted and normalised; "
            "omitted and `CSV` are the same",
            "replace",
            default=DEFAULT_FORMAT,
            normalise=_format,
        ),
        Input(
            ("name",),
            (kind.name_member,),
            "str",
            "1 to 63 characters, a letter then letters, digits, underscores; unique per parent. "
            "Omitted: autonamed (see Names)",
            "replace",
        ),
        Input(
            ("tags",),
            None,  # sent as Tags, merged with the default tags and the owner tag (tags_all)
            "dict[str, str]",
            "at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256 "
            "characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` "
            "in any case (values may)",
            "update",
        ),
        Input(
            ("adopt",),
            None,
            "bool",
            "`True` to take over an existing job of the same name (see Adoption)",
            "none",
        ),
        Input(
            ("adopt_from",),
            None,
            "str",
            "the owner string of the stack that manages the job, to take it over from that stack",
            "none",
        ),
    )


def outputs(kind: ResourceKind) -> tuple[Output, ...]:
    return (
        Output("arn", kind.arn_member, "str", "the job's ARN (also the resource's id)"),
        Output("status", "Status", "str", "`ACTIVE` after a successful `up`"),
        Output("message", "Message", "str | None", "the service's message when something failed"),
        Output("creation_time", "CreationTime", "str", "when the job was created (ISO 8601)"),
        Output(
            "last_modification_time", "LastModificationTime", "str", "when the job last changed (ISO 8601)"
        ),
        Output(
            "tags_all",
            None,
            "dict[str, str]",
            "every tag on the job: default tags, `tags` and the owner tag",
        ),
    )


#: Output-only property names (the same for every kind).
OUTPUT_NAMES: tuple[str, ...] = tuple(o.name for o in outputs(EXPORT_KINDS[0]))


def tops(kind: ResourceKind) -> tuple[str, ...]:
    """The top-level input properties, in order."""
    return tuple(dict.fromkeys(i.top for i in inputs(kind)))


def replacing(kind: ResourceKind) -> tuple[str, ...]:
    """The top-level properties whose change replaces the job."""
    return tuple(dict.fromkeys(i.top for i in inputs(kind) if i.change == "replace"))


# --- Values: unknowns, absent members, nested paths ------------------------------------------------


def is_unknown(value: object) -> bool:
    """Whether a value is not known yet (a preview's value from a resource not created yet)."""
    return isinstance(value, Unknown)


def contains_unknown(value: object) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def plain(value: Any) -> Any:
    """A property value with None members dropped, so that an omitted kms_key_arn equals None."""
    if isinstance(value, Mapping) and not is_unknown(value):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def get(value: Any, path: Path) -> Any:
    """The value at `path`; an Unknown met on the way is returned as it is; None when absent."""
    for key in path:
        if isinstance(value, Unknown):
            return value
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def put(target: dict[str, Any], path: Path, value: Any) -> None:
    """Set `value` at `path`, making the dicts on the way (stops under a non-dict, such as an Unknown)."""
    for key in path[:-1]:
        child = target.setdefault(key, {})
        if not isinstance(child, dict):
            return
        target = child
    target[path[-1]] = value


@functools.cache
def _api_prefixes(kind: ResourceKind) -> dict[Path, Path]:
    """Every API path prefix of the inputs -> the Pulumi path prefix it stands for."""
    found: dict[Path, Path] = {}
    for item in inputs(kind):
        if item.api is None:
            continue
        depth = min(len(item.api), len(item.path))
        for n in range(1, depth + 1):
            found[item.api[:n]] = item.path[:n]
        found[item.api] = item.path
    return found


def pulumi_path(kind: ResourceKind, api_path: tuple[str | int, ...]) -> str | None:
    """The Pulumi property an API member path is about: `destination.s3_config.path`,
    `what_if_forecast_arns[2]`; None when no input maps to it."""
    prefixes = _api_prefixes(kind)
    for n in range(len(api_path), 0, -1):
        head = api_path[:n]
        if all(isinstance(p, str) for p in head) and head in prefixes:
            text = ".".join(prefixes[head])  # type: ignore[index]
            for rest in api_path[n:]:
                text += f"[{rest}]" if isinstance(rest, int) else f".{rest}"
            return text
    return None


def to_api(kind: ResourceKind, props: Mapping[str, Any]) -> dict[str, Any]:
    """The members of the Create request these properties make (tags aside; unknowns stay Unknown)."""
    request: dict[str, Any] = {}
    for item in inputs(kind):
        if item.api is None:
            continue
        value = get(props, item.path)
        if isinstance(value, Unknown):
            # An unknown container stands for everything under it.
            depth = next(
                n for n in range(1, len(item.path) + 1) if isinstance(get(props, item.path[:n]), Unknown)
            )
            put(request, item.api[:depth], value)
        elif value is not None:
            put(request, item.api, value)
    return request


def from_api(kind: ResourceKind, record: Mapping[str, Any]) -> dict[str, Any]:
    """The input properties a Describe record shows (defaults where the record leaves them out)."""
    props: dict[str, Any] = {}
    for item in inputs(kind):
        if item.api is None:
            continue
        value = get(record, item.api)
        if value is None or value == "":
            value = item.default
        if value is not None:
            put(props, item.path, value)
    return props
