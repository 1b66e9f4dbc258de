"""Request validation errors as Amazon Forecast answers them.

The shared rules (`pulumi_aws_forecast.rules.validate_request`) find every
violation; this module decides how AWS reports them:

- what the service model expresses (required members, types, lengths, value
  ranges, enums, patterns) is checked by the AWS JSON protocol before the
  service runs: `ValidationException`, worded `1 validation error detected:
  Value 'x' at 'predictorName' failed to satisfy constraint: Member must
  satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9_]*` (recorded in
  aws-samples/amazon-forecast-samples issue 118), several joined by `; ` after
  `N validation errors detected: `. A pattern is shown as the model writes
  it (AWS printed the name pattern without `$`) whenever the value breaks the
  model's own pattern, matched against the whole value;
- the rules the model cannot express (the kind of a parent ARN, a role in
  another account, reserved tag keys, tags per resource) are the service's:
  `InvalidInputException`, in the same wording. They are reported only when
  the model's checks pass, as the service only runs then.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from forecast_emulator.exceptions import ForecastError, InvalidInputException, ValidationException
from pulumi_aws_forecast.model import document
from pulumi_aws_forecast.rules import Violation, aws_message, validate_request

#: The rules (`Violation.rule`) the service model expresses; the others are the service's own.
_MODEL_RULES = frozenset({"required", "type", "length", "range", "enum", "pattern"})
_PATTERN = "Member must satisfy regular expression pattern: "


def request_error(operation: str, params: Mapping[str, Any]) -> ForecastError | None:
    """The error AWS answers a request breaking the rules with, or None if it breaks none."""
    violations = validate_request(operation, params)
    model = [_as_aws_shows(operation, v) for v in violations if is_model_violation(v)]
    if model:
        return ValidationException(aws_message(model))
    if violations:
        return InvalidInputException(aws_message(violations))
    return None


def is_model_violation(violation: Violation) -> bool:
    """Whether the service model itself expresses the broken rule (a ValidationException)."""
    return violation.rule in _MODEL_RULES


def _as_aws_shows(operation: str, violation: Violation) -> Violation:
    """A pattern violation shows the model's pattern when the value breaks it too."""
    if not violation.constraint.startswith(_PATTERN) or not isinstance(violation.value, str):
        return violation
    pattern = _model_pattern(operation, violation.path)
    if pattern is None:
        return violation
    try:
        breaks_it = re.fullmatch(pattern, violation.value) is None
    except re.error:  # Java-only syntax (\p{..}): keep the shared rules' text
        return violation
    return replace(violation, constraint=_PATTERN + pattern) if breaks_it else violation


def _model_pattern(operation: str, path: Sequence[str | int]) -> str | None:
    """The `pattern` of the model's shape at `path` of the operation's request, if it has one."""
    model = document()
    shapes = model["shapes"]
    root = model["operations"][operation].get("input")
    shape = shapes[root["shape"]] if root is not None else None
    for part in path:
        if shape is None:
            return None
        if shape["type"] == "structure" and isinstance(part, str):
            member = shape.get("members", {}).get(part)
            shape = shapes[member["shape"]] if member is not None else None
        elif shape["type"] == "list" and isinstance(part, int):
            shape = shapes[shape["member"]["shape"]]
        else:
            return None
    pattern = shape.get("pattern") if shape is not None else None
    return str(pattern) if pattern is not None else None
