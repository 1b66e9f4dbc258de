"""Input rules for Amazon Forecast requests: botocore's service model, corrected.

This module is the one source of truth for what a Forecast request may contain.
The provider's `check()` runs it at preview time and the local emulator runs it
on every request, so both accept and reject exactly the same inputs.

The rules come from botocore's Forecast service model (required members, types,
lengths, enums, patterns), walked generically for any operation in the document
botocore's `ServiceModel` wraps, read without importing botocore's loaders
(`model.document`), so that a preview's checks start fast. Where the model
is wrong, `_CORRECTIONS` says so and says why; rules the model cannot express
(reserved tag keys, tags per resource, which kind of ARN a parent must be, a
role in the parent's account) are in `_semantic_violations` (the parent's ARN
rules, and `parse_arn`, in `_arn.py`).

A violation (`_violation.py`) carries the path of API member names from the
request root, so each caller words it its own way: the emulator as AWS does
(`aws_message`), the provider with its own property names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._arn import ARN_RE, _parent_violations, parse_arn
from ._violation import Path, Violation, aws_message
from .catalog import EXPORT_KINDS, FORMATS
from .model import document

__all__ = [
    "ARN_RE",
    "MAX_TAGS_PER_RESOURCE",
    "MAX_WHAT_IF_FORECASTS_PER_EXPORT",
    "RESERVED_TAG_PREFIX",
    "WHAT_IF_FORECASTS_PER_EXPORT_QUOTA",
    "Path",
    "Violation",
    "aws_message",
    "is_reserved_tag_key",
    "parse_arn",
    "validate_request",
]

#: Tags a single resource may carry (the model only bounds a request, at 200).
MAX_TAGS_PER_RESOURCE = 50
#: What-if forecasts one CreateWhatIfForecastExport may name: Service Quotas "The maximum number of
#: What-if Forecasts in a CreateWhatIfForecastExport task", L-50FA8F07, value 3, not adjustable
#: (the model allows 50, whose own length rule reports longer lists).
MAX_WHAT_IF_FORECASTS_PER_EXPORT = 3
WHAT_IF_FORECASTS_PER_EXPORT_QUOTA = "L-50FA8F07"
_MODEL_MAX_WHAT_IF_FORECASTS = 50
#: Tag keys starting with this, in any case, are reserved for AWS.
RESERVED_TAG_PREFIX = "aws:"

#: The export kinds by their Create operation: which member names the parent, of which kind.
_EXPORT_CREATES = {kind.create_operation: kind for kind in EXPORT_KINDS}


# --- Corrections to the service model -------------------------------------------------------------


@dataclass(frozen=True)
class _Pattern:
    """A pattern as the rule means it: matched against the whole value."""

    text: str  # what error messages show
    matches: Callable[[str], bool]


def _full(pattern: str) -> _Pattern:
    compiled = re.compile(pattern)
    return _Pattern(pattern, lambda value: compiled.fullmatch(value) is not None)


def _tag_characters(value: str) -> bool:
    # The model's `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`: Unicode letters, separators
    # (spaces), numbers, and `_ . : / = + - @`. Python's `re` has no \p{..}.
    return all(unicodedata.category(c)[0] in "LZN" or c in "_.:/=+-@" for c in value)


_TAG_PATTERN = _Pattern(r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", _tag_characters)


@dataclass(frozen=True)
class _Correction:
    pattern: _Pattern | None = None
    enum: tuple[str, ...] | None = None
    drop_pattern: bool = False
    why: str = ""


# Keyed by shape name (every member of that shape) or by (structure, member).
_CORRECTIONS: dict[str | tuple[str, str], _Correction] = {
    "Name": _Correction(
        pattern=_full(r"^[a-zA-Z][a-zA-Z0-9_]*$"),
        why="the model's pattern lacks `$`, so any name starting with a letter would pass",
    ),
    "Format": _Correction(
        enum=FORMATS,
        why="the model's `^CSV|PARQUET$` is an alternation bug: it accepts `CSVX` and `XPARQUET`",
    ),
    "Arn": _Correction(
        pattern=_full(r"^arn:([a-z\d-]+):forecast:[^:]*:[^:]*:.+$"),
        why="the model's pattern is unanchored",
    ),
    "LongArn": _Correction(pattern=_full(r"^arn:([a-z\d-]+):forecast:[^:]*:[^:]*:.+$"), why="unanchored"),
    ("S3Config", "RoleArn"): _Correction(
        pattern=_full(r"^arn:([a-z\d-]+):iam::\d{12}:role/.+$"),
        why="the model reuses the Forecast ARN shape, which no IAM role ARN can match",
    ),
    "KMSKeyArn": _Correction(
        pattern=_full(r"^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key/.+$"),
        why="the model's `arn:aws:kms:.*:key/.*` is unanchored and accepts an empty key id",
    ),
    ("Filter", "Value"): _Correction(
        drop_pattern=True,
        why="the model types every filter value as a Forecast ARN, but `Status` filters take a status",
    ),
    "TagKey": _Correction(pattern=_TAG_PATTERN, why="Java \\p{..} classes"),
    "TagValue": _Correction(pattern=_TAG_PATTERN, why="Java \\p{..} classes"),
}


def _correction(parent: str | None, member: str | None, shape: str) -> _Correction | None:
    if parent is not None and member is not None:
        found = _CORRECTIONS.get((parent, member))
        if found is not None:
            return found
    return _CORRECTIONS.get(shape)


# --- The generic walk ----------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Walker:
    """Walks a request along the model's shapes, by name, in the document botocore's `Shape`s wrap.

    A shape is `{"type": ..., "members": {name: {"shape": ...}}, "required": [...], "member": ...,
    "key": ..., "value": ..., "min": ..., "max": ..., "pattern": ..., "enum": [...]}`.
    """

    def __init__(self, shapes: Mapping[str, Mapping[str, Any]], is_unknown: Callable[[object], bool]) -> None:
        self.shapes, self.is_unknown = shapes, is_unknown
        self.found: list[Violation] = []

    def add(self, rule: str, path: Path, constraint: str, value: object = None) -> None:
        self.found.append(Violation(path, constraint, value, rule))

    def walk(
        self,
        name: str,
        value: object,
        path: Path,
        parent: str | None = None,
        member: str | None = None,
    ) -> None:
        if self.is_unknown(value):
            return
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            self.structure(shape, value, path, name)
        elif kind == "list":
            self.sized(shape, value, path, list)
            if isinstance(value, list):
                for index, item in enumerate(value):
                    self.walk(shape["member"]["shape"], item, (*path, index))
        elif kind == "map":
            self.sized(shape, value, path, dict)
            if isinstance(value, dict):
                for key, item in value.items():
                    self.walk(shape["key"]["shape"], key, (*path, str(key)))
                    self.walk(shape["value"]["shape"], item, (*path, str(key)))
        elif kind == "string":
            self.string(shape, value, path, _correction(parent, member, name))
        elif kind in ("integer", "long"):
            self.number(shape, value, path, integral=True)
        elif kind in ("double", "float"):
            self.number(shape, value, path, integral=False)
        elif kind == "boolean":
            if not isinstance(value, bool):
                self.add("type", path, "Member must be a boolean", value)
        elif kind == "timestamp" and not (_is_number(value) or isinstance(value, str)):
            self.add("type", path, "Member must be a timestamp", value)

    def structure(self, shape: Mapping[str, Any], value: object, path: Path, name: str) -> None:
        if not isinstance(value, Mapping):
            self.add("type", path, "Member must be a structure", value)
            return
        for member in shape.get("required", ()):
            if value.get(member) is None:
                self.add("required", (*path, member), "Member must not be null")
        for member, reference in shape.get("members", {}).items():
            if value.get(member) is not None:
                self.walk(reference["shape"], value[member], (*path, member), name, member)

    def sized(self, shape: Mapping[str, Any], value: object, path: Path, kind: type) -> None:
        if not isinstance(value, kind):
            self.add("type", path, f"Member must be a {'list' if kind is list else 'map'}", value)
            return
        assert isinstance(value, list | dict)
        self.length(shape, len(value), path, value)

    def length(self, shape: Mapping[str, Any], length: int, path: Path, value: object) -> None:
        low, high = shape.get("min"), shape.get("max")
        if low is not None and length < low:
            self.add("length", path, f"Member must have length greater than or equal to {low}", value)
        if high is not None and length > high:
            self.add("length", path, f"Member must have length less than or equal to {high}", value)

    def string(self, shape: Mapping[str, Any], value: object, path: Path, fix: _Correction | None) -> None:
        if not isinstance(value, str):
            self.add("type", path, "Member must be a string", value)
            return
        self.length(shape, len(value), path, value)
        enum = fix.enum if fix and fix.enum else shape.get("enum")
        if enum:
            if value not in enum:
                self.add("enum", path, f"Member must satisfy enum value set: [{', '.join(enum)}]", value)
            return
        if fix and fix.drop_pattern:
            return
        pattern = fix.pattern if fix and fix.pattern else None
        if pattern is None and "pattern" in shape:
            pattern = _full(shape["pattern"])
        if pattern is not None and not pattern.matches(value):
            self.add(
                "pattern", path, f"Member must satisfy regular expression pattern: {pattern.text}", value
            )

    def number(self, shape: Mapping[str, Any], value: object, path: Path, *, integral: bool) -> None:
        if not _is_number(value) or (integral and isinstance(value, float) and not value.is_integer()):
            self.add("type", path, f"Member must be {'an integer' if integral else 'a number'}", value)
            return
        assert isinstance(value, int | float)
        low, high = shape.get("min"), shape.get("max")
        if low is not None and value < low:
            self.add("range", path, f"Member must have value greater than or equal to {low}", value)
        if high is not None and value > high:
            self.add("range", path, f"Member must have value less than or equal to {high}", value)


# --- Rules the model cannot express --------------------------------------------------------------


def is_reserved_tag_key(key: str) -> bool:
    return key.lower().startswith(RESERVED_TAG_PREFIX)


def _semantic_violations(
    operation: str, params: Mapping[str, Any], is_unknown: Callable[[object], bool]
) -> list[Violation]:
    found: list[Violation] = []

    def known_str(value: object) -> str | None:
        return value if isinstance(value, str) and not is_unknown(value) else None

    tags = params.get("Tags")
    if isinstance(tags, list) and not is_unknown(tags):
        if operation != "TagResource" and len(tags) > MAX_TAGS_PER_RESOURCE:
            found.append(
                Violation(
                    ("Tags",),
                    f"Member must have at most {MAX_TAGS_PER_RESOURCE} tags per resource",
                    f"{len(tags)} tags",
                    "tags_per_resource",
                    {"limit": MAX_TAGS_PER_RESOURCE, "count": len(tags)},
                )
            )
        for index, tag in enumerate(tags):
            key = known_str(tag.get("Key")) if isinstance(tag, Mapping) else None
            if key is not None and is_reserved_tag_key(key):
                found.append(
                    Violation(
                        ("Tags", index, "Key"),
                        f"Member must not begin with '{RESERVED_TAG_PREFIX}' (reserved for AWS)",
                        key,
                        "reserved_tag_key",
                        {"key": key},
                    )
                )
    keys = params.get("TagKeys")
    if operation == "UntagResource" and isinstance(keys, list):
        for index, key in enumerate(keys):
            if known_str(key) is not None and is_reserved_tag_key(key):
                found.append(
                    Violation(
                        ("TagKeys", index),
                        f"Member must not begin with '{RESERVED_TAG_PREFIX}' (reserved for AWS)",
                        key,
                        "reserved_tag_key",
                        {"key": key},
                    )
                )

    kind = _EXPORT_CREATES.get(operation)
    if kind is not None:
        found.extend(_parent_violations(kind, params, known_str))
    forecasts = params.get("WhatIfForecastArns")
    if (
        operation == "CreateWhatIfForecastExport"
        and isinstance(forecasts, list)
        and not is_unknown(forecasts)
        and MAX_WHAT_IF_FORECASTS_PER_EXPORT < len(forecasts) <= _MODEL_MAX_WHAT_IF_FORECASTS
    ):
        found.append(
            Violation(
                ("WhatIfForecastArns",),
                f"Member must have at most {MAX_WHAT_IF_FORECASTS_PER_EXPORT} what-if forecasts per export "
                f"(quota {WHAT_IF_FORECASTS_PER_EXPORT_QUOTA}, not adjustable)",
                f"[{', '.join(str(arn) for arn in forecasts)}]",
                "what_if_forecasts_per_export",
                {"limit": MAX_WHAT_IF_FORECASTS_PER_EXPORT, "count": len(forecasts)},
            )
        )
    return found


# --- Entry point ---------------------------------------------------------------------------------


def _never_unknown(value: object) -> bool:
    return False


def validate_request(
    operation: str,
    params: Mapping[str, Any],
    *,
    is_unknown: Callable[[object], bool] = _never_unknown,
) -> list[Violation]:
    """Every rule `params` breaks for `operation`: the model's in request order, then the others.

    `is_unknown` marks values not known yet (Pulumi previews): they are skipped,
    and count as present for `required` checks.
    """
    model = document()
    walker = _Walker(model["shapes"], is_unknown)
    root = model["operations"][operation].get("input")
    if root is not None:
        walker.walk(root["shape"], params, ())
    return walker.found + _semantic_violations(operation, params, is_unknown)
