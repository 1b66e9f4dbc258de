"""Find, status, wait and retry: every wait of the provider, in one place.

The shape is terraform-provider-aws's for asynchronous resources (its service packages'
find/status/wait functions and `internal/tfresource/retry.go`). Each function takes the
connection (`_aws.Connection`: the client, the kind, the region) and returns plain results:

- start: `start` sends a job's Create request, retrying while IAM propagates a new role and
  waiting for a free slot while the account is at its quota of jobs in progress; when a job of
  its name exists already, it finds that one (once visible) for the lifecycle to adopt or refuse;
- find: `find_until_visible` reads a job and its tags, looking again while the service does not
  show it yet (read-after-create eventual consistency);
- status: `status` is (record, status) of a job, `GONE` when there is none; a job this process
  just created is watched through the List sweep its kind shares (`_watch.py`), and is
  `NOT_VISIBLE_YET`, not gone, while it may still be propagating;
- wait: `wait_for` polls a status function until a target status (pending and target sets, a
  deadline, the service's `Message` when it fails); `wait_active` (a job that fails or runs out of
  time is stopped and deleted) and `remove` (stop, delete, wait until gone) are built on it;
- retry: `retry` repeats an action while its error says "later" (a role IAM has not propagated
  yet, an account at its quota of running exports, a job still in use), up to a deadline.

How often and how long is one `Tuning` (`_tuning.py`), whose `Clock` tells the time and sleeps.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from . import _aws, _watch
from ._plan import Job
from ._tuning import Backoff as Backoff  # these three live in _tuning.py; importable from here too
from ._tuning import Clock as Clock
from ._tuning import Tuning as Tuning
from .catalog import ACTIVE, CREATE_FAILED, CREATE_STOPPED, CREATING, DELETING, STOPPING

log = logging.getLogger("pulumi_aws_forecast")

Record = dict[str, Any]
T = TypeVar("T")

#: Pseudo-status: the service has no such job.
GONE = "GONE"
#: Pseudo-status: a job this process just created that the service does not show yet.
NOT_VISIBLE_YET = "NOT_VISIBLE_YET"

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


# --- Start ---------------------------------------------------------------------------------------


def start(
    forecast: _aws.Connection, job: Job, deadline: float, tuning: Tuning
) -> tuple[str, tuple[Record, dict[str, str]] | None]:
    """Send the job's Create request: (its ARN, None); or, when a job of its name exists already,
    (that job's ARN, its record and tags), looked for until visible (read-after-create consistency).

    While the account is at its quota of jobs in progress, waits for a free slot (until `deadline`);
    while IAM propagates a new role, waits for it to become usable (for the tuning's
    iam_propagation_seconds). Each wait is logged; the count quota fails at once.
    """
    clock = tuning.clock

    def create() -> str:
        return retry(
            lambda: _aws.create_job(forecast, job.request),
            retryable=_aws.role_not_usable_yet,
            until=min(clock.now() + tuning.iam_propagation_seconds, deadline),
            tuning=tuning,
            announce=lambda error, delay: log.warning(
                "%s: waiting for IAM role %s to become usable (%s); retrying in %.0fs, for up to %.0fs",
                job.label,
                job.role,
                _aws.error_message(error),
                delay,
                tuning.iam_propagation_seconds,
                extra={
                    "progress": {
                        "wait": f"IAM role {job.role} to become usable by Forecast",
                        "retry_in": delay,
                    }
                },
            ),
        )

    try:
        return retry(
            create,
            retryable=lambda error: isinstance(error, _aws.QuotaReached) and error.in_progress,
            until=deadline,
            tuning=tuning,
            announce=lambda error, delay: log.warning(
                "%s: waiting for a free slot, the account is at its limit of export jobs in progress "
                "(%s); retrying in %.0fs until the create timeout",
                job.label,
                error,
                delay,
                extra={
                    "progress": {
                        "wait": "a free slot, the account is at its limit of export jobs in progress",
                        "retry_in": delay,
                    }
                },
            ),
            # A job of ours that stops running frees a place at once: no need to wait it out.
            pause=lambda delay: clock.sleep_until_freed(forecast.region, forecast.kind, delay),
            jitter=True,  # whichever create retries first after a slot frees takes it
            backoff=tuning.quota_backoff,
        ), None
    except GaveUp as gave_up:
        if isinstance(gave_up.error, _aws.QuotaReached):
            raise _aws.Timeout(
                f"{job.label}: the account was still at its limit of export jobs in progress when the "
                f"create timeout ran out ({gave_up.error.message})"
            ) from None
        raise _aws.ForecastError(
            f"{job.label}: Amazon Forecast could not use the IAM role {job.role} for "
            f"{gave_up.waited:.0f}s: {_aws.error_message(gave_up.error)} Check that the role exists, "
            "trusts forecast.amazonaws.com (with aws:SourceAccount/aws:SourceArn conditions "
            "that include this account and job), and run `pulumi up` again."
        ) from None
    except _aws.QuotaReached as refused:  # not in progress: the count of jobs the account may hold
        raise _aws.CountQuotaFull(job.label, forecast.kind, refused.message) from None
    except ClientError as error:
        if _aws.error_code(error) != "ResourceAlreadyExistsException":
            raise
    # It exists (the Create said so) but may not be visible yet.
    record, tags = find_until_visible(forecast, job.arn, clock.now() + tuning.propagation_seconds, tuning)
    if record is None:
        raise _aws.ForecastError(f"{job.label} already exists, but Describe does not find {job.arn}.")
    return job.arn, (record, tags)


# --- Find and status -----------------------------------------------------------------------------


def status(forecast: _aws.Connection, arn: str) -> tuple[Record | None, str]:
    """(record, status), or (None, GONE) when the job does not exist."""
    try:
        record = _aws.find_job(forecast, arn)
    except _aws.NotFound:
        return None, GONE
    return record, str(record.get("Status", ""))


def find_until_visible(
    forecast: _aws.Connection, arn: str, until: float, tuning: Tuning
) -> tuple[Record | None, dict[str, str]]:
    """(record, tags) of a job, looking again until `until` while the service does not show it;
    (None, {}) when it still does not."""

    def find() -> tuple[Record, dict[str, str]]:
        return _aws.find_job(forecast, arn), _aws.list_tags(forecast, arn)

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

    def __init__(self, forecast: _aws.Connection, arn: str, parent: str, tuning: Tuning) -> None:
        self.forecast, self.arn, self.tuning = forecast, arn, tuning
        self.started = tuning.clock.now()
        self.polls = 0
        self.sweep = (
            _watch.SWEEPS.get(forecast.region, forecast.kind, parent, lambda r: _aws.list_page(forecast, r))
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
            record, current = status(self.forecast, self.arn)
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
    forecast: _aws.Connection,
    job: Job,
    arn: str,
    deadline: float,
    tuning: Tuning,
    *,
    create_timeout: float,
    delete_timeout: float,
) -> Record:
    """The Describe record of the job we just started (or adopted), once it is ACTIVE.

    A job that fails or stops, or is not ACTIVE at the deadline, is stopped and deleted (within
    `delete_timeout`), and the error says why. Whatever the outcome, the job no longer runs: a
    create of ours waiting for the quota may take its place.
    """
    try:
        return _active(forecast, arn, job.parent, deadline, job.label, tuning)
    except _aws.JobFailed as failure:
        remove(forecast, arn, tuning.clock.now() + delete_timeout, tuning)
        message = (failure.service_message or "no message from the service").rstrip(".")
        hint = job.write_access if _aws.access_denied(message) else ""
        raise _aws.ForecastError(
            f"{job.label} failed ({failure.status}): {message}. {hint}"
            "The failed job was deleted: fix the cause and run `pulumi up` again."
        ) from None
    except _aws.Timeout:
        remove(forecast, arn, tuning.clock.now() + delete_timeout, tuning)
        raise _aws.Timeout(
            f"{job.label} was not ACTIVE within the create timeout of {create_timeout:.0f}s; "
            "it was stopped and deleted. Raise customTimeouts.create if such jobs need longer."
        ) from None
    finally:
        _watch.SLOTS.freed(forecast.region, forecast.kind)


def _active(
    forecast: _aws.Connection, arn: str, parent: str, deadline: float, what: str, tuning: Tuning
) -> Record:
    """The Describe record of a job we just created, once it is ACTIVE (JobFailed, Timeout)."""
    watch = _JobWatch(forecast, arn, parent, tuning)
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
    return _aws.find_job(forecast, arn)  # a sweep's summary lacks some members


def remove(forecast: _aws.Connection, arn: str, deadline: float, tuning: Tuning) -> None:
    """Stop the job if it is being created, delete it, and wait until it is gone; gone already is fine."""

    def current() -> tuple[Record | None, str]:
        return status(forecast, arn)

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
                lambda: _aws.delete_job(forecast, arn),
                retryable=lambda error: _aws.error_code(error) == "ResourceInUseException",
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
