"""A broken input rule (`Violation`), and AWS's wording of several (`aws_message`).

The vocabulary of `rules.py`'s checks (re-exported there): each rule module reports what it
finds as Violations, with the path of API member names from the request root.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Violation:
    """One broken rule: where (API member path), the constraint as AWS words it, and the value found;
    for callers that word it their own way, the rule's id (required, type, length, range, enum, pattern,
    tags_per_resource, reserved_tag_key, parent_kind, one_place, role_account,
    what_if_forecasts_per_export) and its context."""

    path: Path
    constraint: str
    value: object = None
    rule: str = field(default="", compare=False)
    context: Mapping[str, object] = field(default_factory=dict, compare=False)

    def reason(self, own: Mapping[str, object] | None, added_by: str) -> str:
        """Why the property fails this rule, in the provider's words; `own`: the resource's own tags
        (the rest of a tag count is `added_by` the provider: its default tags, its owner tag)."""
        if self.rule == "required":
            return "is required"
        if self.rule == "tags_per_resource":
            count = int(str(self.context["count"]))
            extra = count - len(own) if own is not None else 0
            return (
                f"must have at most {self.context['limit']} tags per resource, counting {extra} "
                f"added by this provider ({added_by}); got {count}"
            )
        if self.rule == "what_if_forecasts_per_export":
            return (
                f"must name at most {self.context['limit']} what-if forecasts: Amazon Forecast's quota "
                "L-50FA8F07 (what-if forecasts in one what-if forecast export) is not adjustable; got "
                f"{self.context['count']}. Export the others with another WhatIfForecastExport"
            )
        shown = "" if self.value is None else f" (got {json.dumps(self.value, ensure_ascii=False)})"
        return self.constraint.removeprefix("Member ") + shown

    @property
    def location(self) -> str:
        """The member path as AWS writes it: `destination.s3Config.path`, `tags.1.member.key`."""
        parts: list[str] = []
        for part in self.path:
            if isinstance(part, int):
                parts.extend([str(part + 1), "member"])
            else:
                parts.append(part[:1].lower() + part[1:])
        return ".".join(parts)

    def aws_text(self) -> str:
        value = "null" if self.value is None else f"'{self.value}'"
        return f"Value {value} at '{self.location}' failed to satisfy constraint: {self.constraint}"


def aws_message(violations: Sequence[Violation]) -> str:
    """All violations in one message, worded as AWS validation errors are."""
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(v.aws_text() for v in violations)
