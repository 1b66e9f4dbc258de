"""The emulator's knobs: durations, quota, fault injection and realism.

One `Settings` value is live at a time; `configure()` (Python or
`POST /_emulator/config`) replaces fields of it. Durations are read whenever a
status is computed, so changing `job_seconds` also speeds up or slows down
jobs already running (their progress is measured from when they started).

Each field is also a flag of `forecast-emulator serve` (`cli.py` derives them):
`job_seconds` is `--job-seconds N`, a switch is `--x` / `--no-x`; the field's
metadata holds the flag's metavar and help text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from forecast_emulator.timing import TIMINGS

DEFAULT_ACCOUNT_ID = "123456789012"
#: Seed of the random choices behind injected faults (which requests `error_rate` fails): a fixed
#: default, so a run with faults is reproducible. None seeds from the operating system.
DEFAULT_SEED: int | None = 0

_T = TypeVar("_T")


def _flag(default: _T, *, metavar: str = "N", help: str | None = None) -> _T:
    """A field with its default, and the metavar and help text of its command-line flag."""
    result: _T = dataclasses.field(default=default, metadata={"metavar": metavar, "help": help})
    return result


@dataclass(frozen=True)
class Settings:
    #: Seconds an export job takes from CreateX to ACTIVE (CREATE_PENDING, then CREATE_IN_PROGRESS).
    job_seconds: float = _flag(5.0)
    #: Seconds a dataset group, dataset, import job, predictor or forecast takes to become ACTIVE.
    upstream_seconds: float = _flag(1.0)
    #: Seconds from StopResource to CREATE_STOPPED (the resource is CREATE_STOPPING meanwhile).
    stop_seconds: float = _flag(1.0)
    #: Seconds from DeleteX until the resource is gone (DELETE_PENDING, then DELETE_IN_PROGRESS).
    delete_seconds: float = _flag(1.0)
    #: Export jobs of each kind that may be in progress at once per account and region.
    export_quota: int = _flag(3)
    #: Export jobs of each kind that may exist at once per account and region (any status, until
    #: deleted): Service Quotas L-561FC25E, L-E1AC300F, L-6AD28BD9, 1000 each.
    total_quota: int = _flag(
        1000, help="export jobs of each kind that may exist per account and region (default 1000)"
    )
    #: Forecast requests per second allowed per operation; above it, ThrottlingException. 0: off.
    throttle_rps: float = _flag(0.0)
    #: Share of Forecast requests answered with a transient HTTP 500 (0.0 to 1.0).
    error_rate: float = _flag(0.0, metavar="F")
    #: Seconds added before every Forecast response.
    latency_seconds: float = _flag(0.0)
    #: Read-after-create eventual consistency: for up to this many seconds after its Create returned, a
    #: resource is not found by Describe, List, tag operations, StopResource, Update and Delete (each
    #: resource's window is drawn from [0, N] with the fault seed). 0: off.
    consistency_seconds: float = _flag(
        0.0, help="a new resource may be not found for up to N seconds after its Create (default 0: off)"
    )
    #: IAM propagation: a role created less than this many seconds ago (by the emulator's clock)
    #: cannot be assumed yet; a Create naming it is refused with InvalidInputException. 0: off.
    iam_propagation_seconds: float = _flag(
        0.0, help="a role younger than N seconds cannot be assumed yet (default 0: off)"
    )
    #: "test": creation takes `job_seconds` / `upstream_seconds`; "aws": what recorded AWS runs took,
    #: per kind and resource (exports 2-15 minutes), with a short CREATE_PENDING (`timing.py`).
    timing: str = _flag(
        "test", metavar="test|aws", help="'aws': creation takes AWS's recorded minutes (default 'test')"
    )
    #: When an export runs, evaluate its role's trust policy conditions (aws:SourceAccount,
    #: aws:SourceArn) and permission policies (s3:PutObject, s3:ListBucket, s3:GetBucketLocation,
    #: kms:GenerateDataKey, kms:Decrypt) with moto's IAM policy evaluation. False: only check that
    #: the role exists and names forecast.amazonaws.com.
    check_role_policies: bool = _flag(
        True,
        help="evaluate the role's trust conditions and permission policies when an export runs (default on)",
    )

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in _SWITCHES:
                if not isinstance(value, bool):
                    raise ValueError(f"{field.name} must be true or false, not {value!r}")
                continue
            if field.name == "timing":
                if value not in TIMINGS:
                    raise ValueError(f"timing must be one of {', '.join(TIMINGS)}, not {value!r}")
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{field.name} must be a number >= 0, not {value!r}")
        if self.error_rate > 1:
            raise ValueError(f"error_rate must be between 0 and 1, not {self.error_rate!r}")
        for name in ("export_quota", "total_quota"):
            value = getattr(self, name)
            if int(value) != value:
                raise ValueError(f"{name} must be an integer, not {value!r}")
            object.__setattr__(self, name, int(value))  # JSON may send 3.0

    def replace(self, changes: Mapping[str, Any]) -> Settings:
        """A copy with `changes` applied; unknown names raise ValueError."""
        known = {field.name for field in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, float | int | bool | str]:
        return dataclasses.asdict(self)


#: The settings that are switches (true/false) rather than numbers.
_SWITCHES = frozenset({"check_role_policies"})
