"""ARNs (`parse_arn`, re-exported by `rules.py`; `parent_name`) and the rules for an export's parent ARN.

An export names its parent (a predictor, forecast, what-if forecast...) by ARN: it must be the
ARN of the right kind of resource, all in one account and region, and the export's role in that
account. `rules.py` runs `_parent_violations` for every export's Create operation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ._violation import Violation
from .catalog import KINDS, ResourceKind

ARN_RE = re.compile(
    r"^arn:(?P<partition>[a-z\d-]+):(?P<service>[a-z\d-]+):(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.+)$"
)


def parse_arn(arn: str) -> dict[str, str] | None:
    """partition, service, region, account and resource of an ARN, or None."""
    match = ARN_RE.match(arn)
    return match.groupdict() if match else None


#: The id an AutoPredictor's ARN carries after its name: `predictor/<Name>_<26-character ULID>`
#: (amazon-forecast-samples, Forecast_Selected_TimeSeries:
#: `predictor/TAXI_TIME_FORECAST_SUBSET_DEMO_01G4GJTP6HNPNVRQ0QVVTPR0T1`).
_AUTO_PREDICTOR_ID = re.compile(r"_[0-9A-HJKMNP-TV-Z]{26}$")


def parent_name(resource: str) -> str:
    """The parent's name as its jobs' ARNs spell it, from the resource part of the parent's ARN.

    Mostly the ARN's last segment; but an AutoPredictor's ARN carries an id after the name, which the
    ARN of its backtest export jobs does not: `predictor-backtest-export-job/<Name>/<Job>`, as AWS's
    own solution builds it by dropping the last 27 characters (improving-forecast-accuracy-with-
    machine-learning, `shared/Predictor/predictor.py`).
    """
    kind, _, path = resource.partition("/")
    name = path.split("/")[-1]
    return _AUTO_PREDICTOR_ID.sub("", name) if kind == "predictor" else name


def _parent_violations(
    kind: ResourceKind, params: Mapping[str, Any], known_str: Callable[[object], str | None]
) -> list[Violation]:
    """An export's parent: the right kind of ARN, one account and region, and a role in that account."""
    assert kind.parent_member is not None
    found: list[Violation] = []
    raw = params.get(kind.parent_member)
    items: list[tuple[tuple[str | int, ...], object]] = (
        [((kind.parent_member, i), v) for i, v in enumerate(raw)]
        if kind.parent_is_list and isinstance(raw, list)
        else [((kind.parent_member,), raw)]
    )
    types = kind.parent_arn_types
    places: set[tuple[str, str]] = set()
    for path, value in items:
        arn = known_str(value)
        parts = parse_arn(arn) if arn else None
        if arn is None or parts is None or parts["service"] != "forecast":
            continue  # absent, unknown, or already reported by the model's pattern
        places.add((parts["account"], parts["region"]))
        if not any(parts["resource"].startswith(t + "/") for t in types):
            noun = " or ".join(KINDS[parent].a_label for parent in kind.parent_nouns)
            shown = " or ".join(f"{t}/<name>" for t in types)
            found.append(
                Violation(
                    path,
                    f"Member must be the ARN of {noun} (arn:<partition>:forecast:<region>:<account>:{shown})",
                    arn,
                    "parent_kind",
                    {"types": types},
                )
            )
    if len(places) > 1:
        found.append(
            Violation(
                (kind.parent_member,),
                "Member must name resources in one account and region",
                sorted(f"{account}/{region}" for account, region in places),
                "one_place",
            )
        )
    parent_account = next(iter(places))[0] if len(places) == 1 else None
    destination = params.get("Destination")
    s3 = destination.get("S3Config") if isinstance(destination, Mapping) else None
    role = known_str(s3.get("RoleArn")) if isinstance(s3, Mapping) else None
    role_parts = parse_arn(role) if role else None
    if role_parts and parent_account and role_parts["account"] != parent_account:
        found.append(
            Violation(
                ("Destination", "S3Config", "RoleArn"),
                f"Member must be a role in the job's account {parent_account} "
                "(cross-account roles are not supported)",
                role,
                "role_account",
                {"account": parent_account},
            )
        )
    return found
