"""How often the provider looks and how long it waits: `Backoff`, `Clock` and `Tuning`.

One `Tuning` is resolved once per provider object (from the environment; a provider
configuration may supply it later) and handed to every wait of `_wait.py`. Its `Clock` tells the
time and sleeps: tests swap in one that moves the emulator's clock instead of sleeping.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import _watch
from .catalog import ResourceKind

#: How long a Create refused because the role cannot be assumed is retried: IAM propagates a new
#: role, or a new trust policy, within seconds to a minute or two (terraform-provider-aws's
#: iamPropagationTimeout is the same 2 minutes). PULUMI_AWS_FORECAST_IAM_PROPAGATION_SECONDS overrides.
IAM_PROPAGATION_SECONDS = 120.0
#: How long a job we just created may be invisible to Describe and List (read-after-create
#: eventual consistency) before its absence means it is gone: terraform-provider-aws's
#: propagation timeout for the same case.
PROPAGATION_SECONDS = 120.0
#: How long after a job's creation a refresh that does not find it looks again before it says the
#: job is gone (short, as a job deleted behind our back must be seen as gone without a long wait).
READ_PROPAGATION_SECONDS = 20.0


@dataclass(frozen=True)
class Backoff:
    """Poll intervals: at least `minimum`, else a fraction of the time waited so far, at most `maximum`.

    With the defaults a state change is noticed within max(2 s, min(10 % of the elapsed time, 10 s)):
    at most 10 s late whatever the job's length (AWS's exports take 2 to 15 minutes), for at most
    30 and, once the youngest waiter has waited 100 s, 6 List calls per parent per minute, as one
    sweep serves every waiting job of a parent (`_watch.py`).
    """

    minimum: float = 2.0
    fraction: float = 0.1
    maximum: float = 10.0

    def delay(self, elapsed: float) -> float:
        return min(max(self.minimum, self.fraction * elapsed), self.maximum)


class Clock:
    """Real time, as the provider waits in it."""

    #: Whether waiters share their kind's List sweep (`_watch.py`: a thread of its own, in real time).
    sweeps = True

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def sleep_until_freed(self, region: str, kind: ResourceKind, seconds: float) -> None:
        """Sleep up to `seconds`, waking when a job of ours of `kind` stops running (a slot frees)."""
        _watch.SLOTS.wait(region, kind, seconds)


@dataclass(frozen=True)
class Tuning:
    """How often the provider looks and how long it waits for what the service has not done yet."""

    backoff: Backoff = Backoff()
    #: How often a Create refused at the quota of jobs in progress is sent again: a refused Create
    #: is a write, so its interval grows to a minute (a job of ours that stops running wakes the
    #: waiters at once: `_watch.SLOTS`).
    quota_backoff: Backoff = Backoff(maximum=60.0)
    iam_propagation_seconds: float = IAM_PROPAGATION_SECONDS
    propagation_seconds: float = PROPAGATION_SECONDS
    read_propagation_seconds: float = READ_PROPAGATION_SECONDS
    #: How often a waiting thread looks at its deadline while a sweep brings no news.
    sweep_check_seconds: float = 5.0
    clock: Clock = field(default_factory=Clock, compare=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Tuning:
        """The defaults, with PULUMI_AWS_FORECAST_POLL_MIN_SECONDS (the backoff's floor: tests against
        a fast emulator) and PULUMI_AWS_FORECAST_IAM_PROPAGATION_SECONDS applied."""
        minimum = float(environ.get("PULUMI_AWS_FORECAST_POLL_MIN_SECONDS", Backoff.minimum))
        iam = float(environ.get("PULUMI_AWS_FORECAST_IAM_PROPAGATION_SECONDS", IAM_PROPAGATION_SECONDS))
        return cls(
            Backoff(minimum=minimum), Backoff(minimum=minimum, maximum=60.0), iam_propagation_seconds=iam
        )
