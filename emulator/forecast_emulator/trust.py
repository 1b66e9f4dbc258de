"""Whether Forecast may assume a role, and what the role lets it do: pure, from policy documents.

- `trust_problem(document, context)`: the role's trust policy must let
  forecast.amazonaws.com call sts:AssumeRole, with its conditions met by what
  Forecast sends (aws:SourceAccount, aws:SourceArn). This is a small evaluator
  of our own for exactly that: moto's condition evaluation
  (`moto.iam.policy_conditions`) knows only StringEquals and ignores every
  other operator, and matches actions case-sensitively.
- `allows(documents, action, resource)`: whether permission policies allow an
  action, with moto's evaluation (`moto.iam.access_control.IAMPolicy`), behind
  one function with a version guard.

Nothing here reads moto's state: the backend (`models.py`) gets the role's
documents from `moto_bridge` and decides which actions an export needs.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

FORECAST_PRINCIPAL = "forecast.amazonaws.com"
#: The start of every message about a role Forecast cannot assume, at Create or when the job runs.
CANNOT_ASSUME = "Amazon Forecast could not assume the IAM role"
#: The moto versions whose `moto.iam.access_control` this module was tested with.
_TESTED_MOTO = ((5, 0), (5, 3))


def access_denied(role_arn: str, action: str, resource: str) -> str:
    """The Message of a job whose role may not do `action` on `resource`."""
    return f"AccessDenied: the role {role_arn} is not allowed to perform {action} on {resource}"


# --- The role's permission policies: moto's evaluation ---------------------------------------------


def allows(documents: Iterable[Any], action: str, resource: str) -> bool:
    """Whether these policies allow `action` on `resource`: an explicit Deny wins, then any Allow."""
    evaluate = _moto_policy_evaluator()
    if evaluate is None:
        return True
    verdicts = [evaluate(document, action, resource) for document in documents]
    return "DENIED" not in verdicts and "PERMITTED" in verdicts


@functools.cache
def _moto_policy_evaluator() -> Callable[[Any, str, str], str] | None:
    """moto's IAM policy evaluation, as (policy, action, resource) -> PERMITTED, DENIED or NEUTRAL.

    `moto.iam.access_control` is moto's internal module; outside the tested versions this warns, and
    if it is missing or changed, permissions are not evaluated (everything is allowed)."""
    import moto

    version = tuple(int(part) for part in re.findall(r"\d+", moto.__version__)[:2])
    if not _TESTED_MOTO[0] <= version <= _TESTED_MOTO[1]:
        warnings.warn(
            f"forecast-emulator: moto {moto.__version__} is outside the tested versions; "
            "role permissions are evaluated with moto.iam.access_control as if it had not changed",
            stacklevel=2,
        )
    try:
        from moto.iam.access_control import IAMPolicy
    except ImportError:
        warnings.warn(
            "forecast-emulator: moto.iam.access_control.IAMPolicy is missing; role permissions are "
            "not evaluated",
            stacklevel=2,
        )
        return None

    def evaluate(policy: Any, action: str, resource: str) -> str:
        try:
            return str(IAMPolicy(policy).is_action_permitted(action, resource).name)
        except (ValueError, KeyError, TypeError, AttributeError):  # a document moto cannot read
            return "NEUTRAL"

    return evaluate


# --- The trust policy: a small evaluator for forecast.amazonaws.com and its source conditions ------


def trust_problem(document: Any, context: Mapping[str, str] | None) -> str | None:
    """Why forecast.amazonaws.com may not assume a role with this trust policy, or None.

    `context` holds the condition keys Forecast sends (lower case: aws:sourceaccount,
    aws:sourcearn); None ignores Condition blocks altogether."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            document = json.loads(urllib.parse.unquote(document))
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    allowed = excluded = False
    for statement in statements:
        if not _names_assume_role(statement) or not _names_forecast(statement.get("Principal")):
            continue
        holds = context is None or _conditions_hold(statement.get("Condition") or {}, context)
        if statement.get("Effect") == "Deny" and holds:
            return f"its trust policy denies the service principal {FORECAST_PRINCIPAL} sts:AssumeRole."
        if statement.get("Effect") == "Allow":
            allowed = allowed or holds
            excluded = excluded or not holds
    if allowed:
        return None
    if excluded and context is not None:
        return (
            f"the conditions of its trust policy do not allow {FORECAST_PRINCIPAL} to call sts:AssumeRole "
            f"with aws:SourceAccount {context['aws:sourceaccount']} and aws:SourceArn "
            f"{context['aws:sourcearn']}."
        )
    return (
        f"its trust policy does not allow the service principal {FORECAST_PRINCIPAL} to call sts:AssumeRole."
    )


def _names_assume_role(statement: Mapping[str, Any]) -> bool:
    negated = "NotAction" in statement
    patterns = _strings(statement["NotAction"] if negated else statement.get("Action"))
    named = any(_glob(pattern, "sts:AssumeRole", ignore_case=True) for pattern in patterns)
    return named != negated


def _names_forecast(principal: Any) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    return "*" in _strings(principal.get("AWS")) or FORECAST_PRINCIPAL in _strings(principal.get("Service"))


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value]


def _glob(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's wildcard match: `*` any run of characters, `?` any one character."""
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


#: Condition operators the trust evaluator knows: does the request's value match one of the policy's?
_MATCHES: dict[str, Callable[[str, list[str]], bool]] = {
    "StringEquals": lambda actual, values: actual in values,
    "StringEqualsIgnoreCase": lambda actual, values: actual.lower() in {v.lower() for v in values},
    "StringLike": lambda actual, values: any(_glob(v, actual) for v in values),
    "ArnEquals": lambda actual, values: any(_glob(v, actual) for v in values),
    "ArnLike": lambda actual, values: any(_glob(v, actual) for v in values),
}
#: Negated operators: the opposite of their positive twin; true when the key is absent.
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _conditions_hold(block: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    """Every condition of a Condition block holds (operators not listed above are not evaluated)."""
    for operator, tests in block.items():
        if_exists = operator.endswith("IfExists")
        base = operator.removesuffix("IfExists")
        positive = _NEGATED.get(base, base)
        match = _MATCHES.get(positive)
        if match is None or not isinstance(tests, Mapping):
            continue
        for key, expected in tests.items():
            actual = context.get(str(key).lower())
            if actual is None:
                holds = if_exists or base in _NEGATED
            else:
                found = match(actual, _strings(expected))
                holds = not found if base in _NEGATED else found
            if not holds:
                return False
    return True
