"""Find, status, wait and retry: every wait of the provider, in one place.

The shape is terraform-provider-aws's for asynchronous resources (its service packages'
find/status/wait functions and `internal/tfresource/retry.go`):

- find: `find_until_visible` reads a job and its tags, looking again while the service does not
  show it yet (read-after-create eventual consistency);
- status: `status` is (record, status) of a job, `GONE` when there is none; a job this process
  just created is watched through the List sweep its kind shares (`_watch.py`), and is
  `NOT_VISIBLE_YET`, not gone, while it may still be propagating;
- wait: `wait_for` polls a status function until a target status (pending and target sets, a
  deadline, the service's `Message` when it fails); `wait_active` and `remove` (stop, delete,
  wait until gone) are built on it;
- retry: `retry` repeats an action while its error says "later" (a role IAM has not propagated
  yet, an account at its quota of running exports, a job still in use), up to a deadline.

How often and how long is one `Tuning`, resolved once per provider object (from the environment;
a provider configuration may supply it later). Its `Clock` tells the time and sleeps: tests swap
in one that moves the emulator's clock instead of sleeping.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from . import _aws, _watch
from .catalog import ACTIVE, CREATE_FAILED, CREATE_STOPPED, CREATING, DELETING, STOPPING, ResourceKind

log = logging.getLogger("pulumi_aws_forecast")

Record = dict[str, Any]
T = TypeVar("T")

#: Pseudo-status: the service has no such job.
GONE = "GONE"
#: Pseudo-status: a job this process just created that the service does not show yet.
NOT_VISIBLE_YET = "NOT_VISIBLE_YET"

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


# --- Retry ---------------------------------------------------------------------------------------


class GaveUp(Exception):
    """`retry` ran out of time: `error` is the last refusal, `waited` the seconds spent retrying."""

    def __init__(self, error: Exception, waited: float) -> None:
        super().__init__(str(error))
        self.error, self.waited = error, waited


def retry(
    attempt: Callable[[], T],
    *,
    retryable: Callable[[Exception], bool],
    until: float,
    tuning: Tuning,
    announce: Callable[[Exception, float], None] = lambda _error, _delay: None,
    pause: Callable[[float], None] | None = None,
    jitter: bool = False,
    backoff: Backoff | None = None,
) -> T:
    """`attempt()`, again after a backoff while it raises a `retryable` error; GaveUp at `until`.

    `announce(error, delay)` is told of each retry; `pause` sleeps (the clock's by default);
    `jitter` spreads the delays so that callers refused together do not retry together; `backoff`
    replaces the tuning's.
    """
    clock = tuning.clock
    started = clock.now()
    while True:
        try:
            return attempt()
        except Exception as error:
            if not retryable(error):
                raise
            now = clock.now()
            if now >= until:
                raise GaveUp(error, now - started) from error
            spread = random.uniform(0.5, 1.5) if jitter else 1.0
            delay = (backoff or tuning.backoff).delay(now - started) * spread
            delay = min(delay, until - now)
            announce(error, delay)
            (pause or clock.sleep)(delay)


def _is_code(*codes: str) -> Callable[[Exception], bool]:
    return lambda error: _aws.error_code(error) in codes


# --- Find and status -----------------------------------------------------------------------------


def status(forecast: _aws.ForecastClient, kind: ResourceKind, arn: str) -> tuple[Record | None, str]:
    """(record, status), or (None, GONE) when the job does not exist."""
    try:
        record = _aws.find_job(forecast, kind, arn)
    except _aws.NotFound:
        return None, GONE
    return record, str(record.get("Status", ""))


def find_until_visible(
    forecast: _aws.ForecastClient, kind: ResourceKind, arn: str, until: float, tuning: Tuning
) -> tuple[Record | None, dict[str, str]]:
    """(record, tags) of a job, looking again until `until` while the service does not show it;
    (None, {}) when it still does not."""

    def find() -> tuple[Record, dict[str, str]]:
        return _aws.find_job(forecast, kind, arn), _aws.list_tags(forecast, arn)

    def not_found(error: Exception) -> bool:
        return isinstance(error, _aws.NotFound) or _aws.error_code(error) == "ResourceNotFoundException"

    try:
        return retry(find, retryable=not_found, until=until, tuning=tuning)
    except GaveUp:
        return None, {}


class _JobWatch:
    """The status of a job this process just created, for `wait_for`; waits for the next news of it.

    Jobs of a kind that List can select by parent share one sweep (see _watch.py); others, and
    all of them when the sweep is broken, are described one by one after the backoff's interval.
    A job the service does not show yet is NOT_VISIBLE_YET for the tuning's propagation_seconds;
    after that, GONE.
    """

    def __init__(
        self,
        forecast: _aws.ForecastClient,
        kind: ResourceKind,
        arn: str,
        region: str,
        parent: str,
        tuning: Tuning,
    ) -> None:
        self.forecast, self.kind, self.arn, self.tuning = forecast, kind, arn, tuning
        self.started = tuning.clock.now()
        self.polls = 0
        self.sweep = (
            _watch.SWEEPS.get(region, kind, parent, lambda r: _aws.list_page(forecast, kind, r))
            if tuning.clock.sweeps
            else None
        )

    def status(self) -> tuple[Record | None, str]:
        record: Record | None = None
        current = GONE
        clock, backoff = self.tuning.clock, self.tuning.backoff
        if self.sweep is not None:
            try:
                record, seen = self.sweep.wait(self.arn, backoff.delay, self.tuning.sweep_check_seconds)
                current = str(record["Status"]) if seen and record else GONE
            except _watch.SweepBroken:
                self.sweep = None
        if self.sweep is None:
            if self.polls:
                clock.sleep(backoff.delay(clock.now() - self.started))
            self.polls += 1
            record, current = status(self.forecast, self.kind, self.arn)
        if current == GONE and clock.now() - self.started < self.tuning.propagation_seconds:
            current = NOT_VISIBLE_YET
        return record, current

    def close(self) -> None:
        if self.sweep is not None:
            self.sweep.forget(self.arn)


# --- Wait ----------------------------------------------------------------------------------------


def wait_for(
    status: Callable[[], tuple[Record | None, str]],
    *,
    target: frozenset[str],
    pending: frozenset[str],
    deadline: float,
    what: str,
    tuning: Tuning,
    sleep: Callable[[float], None] | None = None,
) -> tuple[Record | None, str]:
    """Poll `status` until it reports a target status.

    Returns (record, status) on a target status; raises JobFailed on any status
    that is neither target nor pending, and Timeout at the deadline.
    """
    clock = tuning.clock
    start = clock.now()
    while True:
        record, current = status()
        # Each look at the job, for the resource's progress line (_progress.py; not shown on stderr).
        minutes_left = (record or {}).get("EstimatedTimeRemainingInMinutes")
        log.info(
            "%s is %s", what, current, extra={"progress": {"status": current, "minutes_left": minutes_left}}
        )
        if current in target:
            return record, current
        if current not in pending:
            message = (record or {}).get("Message")
            detail = f": {message}" if message else ""
            raise _aws.JobFailed(f"{what} ended {current}{detail}", current, message)
        now = clock.now()
        if now >= deadline:
            raise _aws.Timeout(f"{what} was still {current} when the timeout ran out")
        (sleep or clock.sleep)(min(tuning.backoff.delay(now - start), max(deadline - now, 0.0)))


def wait_active(
    forecast: _aws.ForecastClient,
    kind: ResourceKind,
    arn: str,
    *,
    region: str,
    parent: str,
    deadline: float,
    what: str,
    tuning: Tuning,
) -> Record:
    """The Describe record of a job we just created, once it is ACTIVE.

    Raises JobFailed when it fails or stops, Timeout at the deadline.
    """
    watch = _JobWatch(forecast, kind, arn, region, parent, tuning)
    try:
        wait_for(
            watch.status,
            target=frozenset({ACTIVE}),
            pending=CREATING | {NOT_VISIBLE_YET},
            deadline=deadline,
            what=what,
            tuning=tuning,
            sleep=lambda _seconds: None,  # the status function itself waits for the next news
        )
    finally:
        watch.close()
    return _aws.find_job(forecast, kind, arn)  # a sweep's summary lacks some members


def stopped_running(region: str, kind: ResourceKind) -> None:
    """A job of ours no longer runs (ACTIVE, failed, or stopped and deleted): a create of ours
    waiting for the quota may take its place."""
    _watch.SLOTS.freed(region, kind)


def remove(
    forecast: _aws.ForecastClient, kind: ResourceKind, arn: str, deadline: float, tuning: Tuning
) -> None:
    """Stop the job if it is being created, delete it, and wait until it is gone; gone already is fine."""

    def current() -> tuple[Record | None, str]:
        return status(forecast, kind, arn)

    _, now = current()
    if now in CREATING:
        try:
            _aws.stop_job(forecast, arn)
        except ClientError as error:
            if _aws.error_code(error) != "ResourceNotFoundException":
                raise
        _, now = wait_for(
            current,
            target=frozenset({CREATE_STOPPED, CREATE_FAILED, ACTIVE, GONE}),
            pending=CREATING | STOPPING,
            deadline=deadline,
            what=f"stopping {arn}",
            tuning=tuning,
        )
    if now not in DELETING and now != GONE:
        try:
            retry(
                lambda: _aws.delete_job(forecast, kind, arn),
                retryable=_is_code("ResourceInUseException"),
                until=deadline,
                tuning=tuning,
            )
        except GaveUp as gave_up:
            raise gave_up.error from None
        except ClientError as error:
            if _aws.error_code(error) == "ResourceNotFoundException":
                return
            raise
    wait_for(
        current,
        target=frozenset({GONE}),
        pending=DELETING | {ACTIVE, CREATE_FAILED, CREATE_STOPPED},
        deadline=deadline,
        what=f"deleting {arn}",
        tuning=tuning,
    )
