"""Planning an export job: check, diff, autoname and tags_all, with no AWS call (what a preview runs).

Pure: it reads the resource's description (`_schema.py`) and the input rules (`rules.py`) and
returns plain data; the front doors (`_provider.py`, `_plugin.py`) turn that into Pulumi's results.
For the lifecycle (`_lifecycle.py`), `Planner.job` turns checked properties, in one call, into the
`Job` a create needs (its request, region, ARN, tags, what its messages say);
`Planner.adoption_refused` decides whether an existing job of the same name may be taken over;
`Planner.outputs` and `Planner.refreshed` turn what AWS has back into properties.

Property names are the Pulumi ones (snake_case); `_schema.py` describes each once and translates
to and from the Forecast API's members.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.output import Unknown

from . import _aws_config, _names, _schema
from ._arn import parent_name
from ._aws_config import AwsConfig
from ._schema import contains_unknown, is_unknown, plain
from .catalog import ACTIVE, ResourceKind
from .rules import Violation, parse_arn, validate_request

#: The tag that records which stack and resource manage a job.
OWNER_TAG = "pulumi-aws-forecast:owner"
NAME_MAX = 63
_NAME_SUFFIX = 8


def tag_safe(text: str) -> str:
    """`text` with characters a tag value may not hold replaced by '_' (at most 256 characters)."""
    return re.sub(r"[^\w\s.:/=+\-@]", "_", text)[:256]


def request(
    kind: ResourceKind, props: Mapping[str, Any], tags_all: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The Create request these properties make (unknown values stay Unknown)."""
    made = _schema.to_api(kind, props)
    if tags_all is not None:
        made["Tags"] = [{"Key": k, "Value": v} for k, v in tags_all.items()]
    return made


def parent_arns(kind: ResourceKind, props: Mapping[str, Any]) -> list[str]:
    value = props.get(kind.parent_property)
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def region(kind: ResourceKind, props: Mapping[str, Any], arn: str | None = None) -> str | None:
    """The job's region: its ARN's, else its parent's; None when neither tells."""
    for candidate in [arn, *parent_arns(kind, props)]:
        parts = parse_arn(candidate) if isinstance(candidate, str) else None
        if parts and parts["region"]:
            return parts["region"]
    return None


def _record_time(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _write_access(s3_config: Mapping[str, Any]) -> str:
    """What the job's role needs to write its files, and where, as a sentence; told when a job fails
    for want of a permission. Taken from the job's own inputs (its role, destination path and KMS key):
    AWS does not document how it words such a failure, only that it says access was denied."""
    path, role, key = (
        str(s3_config.get("path", "")),
        str(s3_config.get("role_arn")),
        s3_config.get("kms_key_arn"),
    )
    bucket, _, prefix = path.removeprefix("s3://").partition("/")
    parts = parse_arn(role)
    partition = parts["partition"] if parts else "aws"
    needs = (
        f"s3:GetBucketLocation and s3:ListBucket on arn:{partition}:s3:::{bucket}, "
        f"s3:PutObject on arn:{partition}:s3:::{bucket}/{prefix}*"
    )
    if key:
        needs += f", and kms:GenerateDataKey and kms:Decrypt on {key}"
    role_name = role.rsplit("/", 1)[-1]
    return f"Amazon Forecast writes {path} as the role {role_name} ({role}), whose policy needs {needs}. "


@dataclass(frozen=True)
class Failure:
    """A property that fails its rule, as the front door's users write it (the planner's spelling):
    `destination.s3_config.path` or `destination.s3Config.path`, `tags["team"]`."""

    prop: str
    reason: str


@dataclass(frozen=True)
class Checked:
    inputs: dict[str, Any]
    failures: list[Failure]


@dataclass(frozen=True)
class Diff:
    changes: bool
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass(frozen=True)
class Job:
    """An export job to create, in plain values: everything the lifecycle needs of its properties."""

    label: str  # how messages name it: ForecastExportJob 'daily_1a2b3c4d'
    region: str | None
    parent: str  # the first parent ARN ("" when there is none)
    under: Any  # the parent property's value, as messages show it
    arn: str  # the ARN a job of this name under this parent has
    request: dict[str, Any]
    tags_all: dict[str, str]
    shown_tags: dict[str, str]  # tags_all less those aws:ignoreTags leaves alone
    owner_tag: str  # the value of OWNER_TAG on the jobs of this owner
    role: str
    adopt: bool
    adopt_from: str | None
    settings: dict[str, Any]  # the declared values of the properties whose change replaces the job
    inputs: dict[str, Any]  # the properties, echoed into the outputs
    write_access: str  # what the role needs to write the files, told when a job fails for want of it


class Planner:
    """Check, diff and plan the jobs of one kind for one owner (stack and resource)."""

    def __init__(
        self,
        kind: ResourceKind,
        owner: str,
        default_tags: Mapping[str, str],
        config: AwsConfig | None = None,
        spelling: _names.Spelling = _names.PYTHON,
    ) -> None:
        """`config` is the stack's `aws:` configuration (its account guards and ignored tags);
        `spelling` how the front door's users write properties, which messages name."""
        self.kind, self.owner, self.default_tags = kind, owner, dict(default_tags)
        self.config = config
        self.spelling = spelling

    @property
    def parent_property(self) -> str:
        """The parent property as the front door's users write it: `forecast_arn`, `forecastArn`."""
        return self.spelling.path(self.kind, self.kind.parent_property)

    def tags_all(self, tags: Mapping[str, str]) -> dict[str, str]:
        """Default tags, then the resource's own tags over them, then the owner tag."""
        return {**self.default_tags, **tags, OWNER_TAG: tag_safe(self.owner)}

    def shown(self, tags: Mapping[str, Any]) -> dict[str, Any]:
        """The tags less those `aws:ignoreTags` leaves alone: what diffs compare, what `tags_all`
        shows and what an update may remove (as pulumi-aws does)."""
        if self.config is None:
            return dict(tags)
        return _aws_config.without_ignored(self.config, tags)

    def _account_failures(self, props: Mapping[str, Any]) -> list[Failure]:
        """aws:allowedAccountIds / aws:forbiddenAccountIds against the parents' accounts (no AWS call)."""
        if self.config is None:
            return []
        failures = []
        prop = self.kind.parent_property
        for arn in parent_arns(self.kind, props):
            account = _aws_config.account_of_arn(arn)
            if account is None:
                continue
            try:
                where = f"the account of {self.spelling.path(self.kind, prop)} {arn}"
                _aws_config.check_account(self.config, account, where)
            except _aws_config.AccountNotAllowed as refused:
                failures.append(Failure(prop, str(refused)))
        return failures

    # Check: normalise and validate, at preview, without calling AWS.
    def check(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Checked:
        kind = self.kind
        failures: list[Failure] = []
        # Objects (destination) lose their None members, so an omitted kms_key_arn equals None;
        # other values stay as given (a None tag value is an error below, not dropped).
        objects = {item.top for item in _schema.inputs(kind) if len(item.path) > 1}
        props: dict[str, Any] = {
            top: plain(news[top]) if top in objects else news[top]
            for top in _schema.tops(kind)
            if news.get(top) is not None
        }
        for item in _schema.inputs(kind):
            value = _schema.get(props, item.path)
            if (value is None or value == "") and item.default is not None:
                _schema.put(props, item.path, item.default)
            elif value is not None and item.normalise is not None and not is_unknown(value):
                _schema.put(props, item.path, item.normalise(value))

        tags = props.get("tags", {})
        if not is_unknown(tags) and not (isinstance(tags, Mapping) and all(isinstance(k, str) for k in tags)):
            failures.append(Failure("tags", "must be a map of strings to strings"))
            tags = {}
        elif isinstance(tags, Mapping):
            for key, value in tags.items():
                if not is_unknown(value) and not isinstance(value, str):
                    failures.append(Failure(f"tags[{json.dumps(key)}]", "must be a string"))
        props["tags"] = tags

        if props.get("name") in (None, ""):
            old_name = olds.get("name")
            if olds.get("__autonamed") and isinstance(old_name, str):
                props["name"] = old_name  # stable across updates; a replacement re-checks without olds
            else:
                props["name"] = self.autoname(props)
            props["__autonamed"] = True

        tags_all: Mapping[str, Any] | None = None
        if isinstance(tags, Mapping) and not failures:
            tags_all = self.tags_all(tags)
        # tags_all is an input too, so that a preview shows what `up` will do to the job's tags
        # (a change of aws:defaultTags, drift that refresh recorded), property by property.
        shown = None if tags_all is None else self.shown(tags_all)
        props["tags_all"] = Unknown() if is_unknown(tags) else shown  # type: ignore[no-untyped-call]
        failures.extend(self._account_failures(props))
        own = tags if isinstance(tags, Mapping) else None
        tag_keys = list(tags_all or {})
        for violation in validate_request(
            kind.create_operation, request(kind, props, tags_all), is_unknown=contains_unknown
        ):
            reason = violation.reason(own, added_by=f"{self.spelling.default_tags} and the {OWNER_TAG} tag")
            failures.append(Failure(self._property(violation, tag_keys, own), reason))
        spelled = [Failure(self.spelling.path(kind, f.prop), f.reason) for f in failures]
        return Checked(props, spelled)

    def _property(self, violation: Violation, tag_keys: list[str], own: Mapping[str, Any] | None) -> str:
        """The property a violation is about: `destination.s3_config.path`, `tags["team"]`, or the
        default tags' key (`aws:defaultTags["env"]`) for a tag they add; in the description's names,
        which `check` spells as the front door's users write them."""
        path = violation.path
        if path[:1] != ("Tags",):
            return _schema.pulumi_path(self.kind, path) or ".".join(str(p) for p in path)
        index = path[1] if len(path) > 1 else None
        if not isinstance(index, int) or index >= len(tag_keys):
            return "tags"
        key = tag_keys[index]
        if own is not None and key not in own:
            return f"{self.spelling.default_tags}[{json.dumps(key)}]"
        return f"tags[{json.dumps(key, ensure_ascii=False)}]"

    def autoname(self, props: Mapping[str, Any]) -> Any:
        """`<logical name>_<8 hex>`, valid for Forecast; the same for the same stack, resource and settings.

        The suffix hashes what a replacement changes, so a replacement gets a fresh name and the
        new job can be created before the old one is deleted. Unknown until those settings are known.
        """
        settings = [props.get(top) for top in _schema.replacing(self.kind) if top != "name"]
        if contains_unknown(settings):
            return Unknown()  # type: ignore[no-untyped-call]
        logical = self.owner.rsplit("/", 1)[-1]
        base = re.sub(r"[^a-zA-Z0-9_]", "_", logical)
        if not base[:1].isalpha():
            base = "job_" + base
        seed = json.dumps([self.owner, *settings], sort_keys=True)
        suffix = hashlib.sha256(seed.encode()).hexdigest()[:_NAME_SUFFIX]
        return f"{base[: NAME_MAX - _NAME_SUFFIX - 1]}_{suffix}"

    # Diff: tags update in place, anything else replaces.
    def diff(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
        replaces = [
            prop
            for prop in _schema.replacing(self.kind)
            if contains_unknown(news.get(prop)) or plain(olds.get(prop)) != plain(news.get(prop))
        ]
        if olds.get("status") not in (None, ACTIVE) and "status" not in replaces:
            replaces.append("status")  # a failed or stopped job (seen by refresh) is replaced
        tags = news.get("tags") or {}
        tags_changed = contains_unknown(tags) or self.shown(self.tags_all(tags)) != self.shown(
            olds.get("tags_all") or {}
        )
        if not replaces and not tags_changed:
            return Diff(changes=False)
        # The replacement's name: an autonamed job's is re-derived from its settings (the engine
        # re-checks without old inputs). When it is the current name, the old job must go first.
        new_name = self.autoname(news) if news.get("__autonamed") else news.get("name")
        delete_first = bool(replaces) and (contains_unknown(new_name) or new_name == olds.get("name"))
        return Diff(changes=True, replaces=replaces, delete_before_replace=delete_first)

    # The job to create, and what AWS has as properties.
    def job(self, props: Mapping[str, Any]) -> Job:
        """The job these checked properties declare, in plain values: everything its create needs."""
        kind = self.kind
        name = props["name"]
        parents = parent_arns(kind, props)
        parent = parse_arn(parents[0]) if parents else None
        arn = ""
        if parent is not None:
            place = parent["partition"], parent["region"], parent["account"]
            arn = kind.arn(*place, name, parent_name(parent["resource"]))
        s3_config = props.get("destination", {}).get("s3_config", {})
        tags_all = self.tags_all(props.get("tags") or {})
        return Job(
            label=f"{kind.noun} {name!r}",
            region=region(kind, props),
            parent=parents[0] if parents else "",
            under=props.get(kind.parent_property),
            arn=arn,
            tags_all=tags_all,
            shown_tags=self.shown(tags_all),
            owner_tag=tag_safe(self.owner),
            role=str(s3_config.get("role_arn")),
            write_access=_write_access(s3_config),
            adopt=bool(props.get("adopt")),
            adopt_from=props.get("adopt_from"),
            inputs={k: v for k, v in props.items() if k != "__provider"},
            request=request(kind, props, tags_all),
            settings={prop: plain(props.get(prop)) for prop in _schema.replacing(kind) if prop != "name"},
        )

    def adoption_refused(self, job: Job, record: Mapping[str, Any], tags: Mapping[str, str]) -> str | None:
        """Why the existing job of the same name may not be adopted; None when it may: it is ours, or
        the user asked (naming its owner, if it has one), and its settings are the declared ones."""
        owner, spell = tags.get(OWNER_TAG), self.spelling
        if owner != job.owner_tag:
            adopt = spell.setting(self.kind, "adopt", True)
            if not job.adopt:
                held = f" It is managed by {owner!r}." if owner else ""
                return (
                    f"{job.label} already exists under {job.under}.{held} "
                    f"Choose another name, or set {adopt} to bring the existing job under this "
                    "stack's management."
                )
            if owner and owner != job.adopt_from:
                return (
                    f"{job.label} is managed by {owner!r}, not by this resource. To take it over, set "
                    f"{adopt} and {spell.setting(self.kind, 'adopt_from', owner)}."
                )
        actual = _schema.from_api(self.kind, record)
        differences = [
            f"{spell.path(self.kind, prop)} is {spell.value(self.kind, prop, actual.get(prop))} on AWS "
            f"but {spell.value(self.kind, prop, declared)} here"
            for prop, declared in job.settings.items()
            if plain(actual.get(prop)) != declared
        ]
        if differences:
            return (
                f"refusing to adopt {job.label}: its settings differ from the declared ones: "
                + "; ".join(differences)
                + ". Change the declaration to match, or choose another name."
            )
        return None

    def outputs(
        self, inputs: Mapping[str, Any], record: Mapping[str, Any], tags: dict[str, str]
    ) -> dict[str, Any]:
        """The properties to store: the inputs echoed, and what Describe says of the job."""
        return {
            **{k: v for k, v in inputs.items() if k != "__provider"},
            "arn": record.get(self.kind.arn_member),
            "status": record.get("Status"),
            "message": record.get("Message"),
            "creation_time": _record_time(record, "CreationTime"),
            "last_modification_time": _record_time(record, "LastModificationTime"),
            "tags_all": self.shown(tags),
        }

    def refreshed(
        self, props: Mapping[str, Any], record: Mapping[str, Any], tags: dict[str, str]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(outputs, inputs) as refresh records them: what AWS has (its settings, and its tags less
        those the stack's default tags and the owner tag account for) over the stored ones, so that
        the next preview compares the declaration with what AWS has."""
        defaults, tags = self.default_tags, self.shown(tags)
        live = {
            **_schema.from_api(self.kind, record),
            "tags": {k: v for k, v in tags.items() if k != OWNER_TAG and defaults.get(k, None) != v},
            "tags_all": tags,
        }
        inputs = {k: v for k, v in props.items() if k not in _schema.OUTPUT_NAMES and k != "__provider"}
        return {**self.outputs(props, record, tags), **live}, {**inputs, **live}
