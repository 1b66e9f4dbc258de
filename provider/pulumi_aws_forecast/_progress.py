"""Progress while jobs run, as the engine's status messages on the resource's line.

An export job takes minutes on AWS. While the lifecycle waits, the resource's line in `pulumi up`
says what for: the job's state and how long it has run, with Forecast's estimate of the minutes
left where Describe gives one (`EstimatedTimeRemainingInMinutes`: of the four export kinds, only
what-if forecast exports have it); or a free slot under the account's quota of jobs in progress;
or an IAM role that Forecast cannot assume yet. They are sent as the engine's status messages: its
`Log` call with `ephemeral` set, as Go providers do through `HostClient.LogStatus`. The interactive
display shows the last one beside the resource; they are left out of the Diagnostics section, the
summary and `--json`; `--event-log` records them as ephemeral diagnostic events.

The lifecycle knows nothing of the engine. Its waits log records carrying a `progress` attribute
(`extra={"progress": {...}}`: `status` and `minutes_left` for each look at a job, `wait` and
`retry_in` for each retry of a quota or IAM wait). A filter on the package's logger turns them into
status messages for the resource the current thread works for (`reporting()`, which the front
doors wrap around each create and delete), and keeps them off stderr, where the engine would make
every one a diagnostic. A message goes at once when what is waited for changes; otherwise at most
one per `interval()`: 5 s at first, then 10 % of the time waited, at most 30 s (a 15-minute job
sends about 50; a non-interactive `pulumi up` prints the resource's line again for each). With no
engine to report to, the quota and IAM warnings go to stderr as before and the looks are dropped.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

log = logging.getLogger("pulumi_aws_forecast")

#: Seconds between two status messages while what is waited for stays the same: at least
#: INTERVAL, else a tenth of the time waited, at most MAX_INTERVAL.
INTERVAL = 5.0
MAX_INTERVAL = 30.0
#: How long one status message may take to reach the engine before it is given up.
SEND_TIMEOUT = 5.0

Send = Callable[[str, str], None]  # (urn, message)


def interval(waited: float) -> float:
    """The least time between two messages about the same thing, after `waited` seconds of it."""
    return min(max(INTERVAL, 0.1 * waited), MAX_INTERVAL)


def duration(seconds: float) -> str:
    """`12s`, `4m05s`, `1h02m`: as the engine shows how long a step has run."""
    whole = max(int(seconds), 0)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


class Reporter:
    """The status messages of one resource's create or delete, rate-limited."""

    def __init__(self, urn: str, send: Send, clock: Callable[[], float]) -> None:
        self.urn, self.send, self.clock = urn, send, clock
        self._last: tuple[str, str] | None = None  # what the last message was about
        self._sent_at = 0.0
        self._since: dict[str, float] = {}  # when each wait (quota, IAM) was first announced
        self._job_since: float | None = None
        self._broken = False

    def report(self, progress: Mapping[str, Any]) -> None:
        now = self.clock()
        about, text, since = self._describe(progress, now)
        if self._broken or (about == self._last and now - self._sent_at < interval(now - since)):
            return
        self._last, self._sent_at = about, now
        try:
            self.send(self.urn, text)
        except Exception as error:  # the engine went away or is slow: the job goes on without it
            self._broken = True
            log.debug("pulumi-aws-forecast: could not send progress to the engine: %s", error)

    def _describe(self, progress: Mapping[str, Any], now: float) -> tuple[tuple[str, str], str, float]:
        """(what the message is about, its text, since when that is waited for)."""
        if "status" in progress:
            status = str(progress["status"])
            since = self._job_since = now if self._job_since is None else self._job_since
            ran = duration(now - since)
            if status == "NOT_VISIBLE_YET":
                return ("status", status), f"created; Forecast does not show the job yet ({ran})", since
            if status == "GONE":
                return ("status", status), f"gone after {ran}", since
            text = f"{status} for {ran}"
            minutes = progress.get("minutes_left")
            if isinstance(minutes, (int, float)) and not isinstance(minutes, bool):
                text += f", about {int(minutes)} min left (Forecast's estimate)"
            return ("status", status), text, since
        wait = str(progress.get("wait", "the service"))
        since = self._since.setdefault(wait, now)
        text = f"waiting for {wait} ({duration(now - since)})"
        retry_in = progress.get("retry_in")
        if isinstance(retry_in, (int, float)):
            text += f"; next try in {duration(retry_in)}"
        return ("wait", wait), text, since


_current: ContextVar[Reporter | None] = ContextVar("pulumi_aws_forecast_progress", default=None)


class _ProgressFilter(logging.Filter):
    """Records with a `progress` attribute: to the current resource's status; never to stderr
    when they reached it; the quota and IAM warnings to stderr when there is no engine."""

    def filter(self, record: logging.LogRecord) -> bool:
        progress = getattr(record, "progress", None)
        if not isinstance(progress, Mapping):
            return True
        reporter = _current.get()
        if reporter is None:
            return record.levelno >= logging.WARNING
        reporter.report(progress)
        return False


_FILTER = _ProgressFilter()


def install() -> None:
    """Route the lifecycle's progress records (idempotent; the front doors call it at start)."""
    if _FILTER not in log.filters:
        log.addFilter(_FILTER)
    if not log.isEnabledFor(logging.INFO):  # the looks at a job are logged at INFO
        log.setLevel(logging.INFO)


@contextlib.contextmanager
def reporting(urn: str | None, engine: str | Send | None, clock: Callable[[], float]) -> Iterator[None]:
    """While the block runs in this thread (or context), progress goes to `urn`'s line through
    `engine` (its address, or a send function); nowhere when either is missing."""
    install()
    if not urn or engine is None:
        yield
        return
    send = engine if callable(engine) else engine_sender(engine)
    token = _current.set(Reporter(urn, send, clock))
    try:
        yield
    finally:
        _current.reset(token)


_stubs: dict[str, Any] = {}
_stubs_lock = threading.Lock()


def engine_sender(address: str) -> Send:
    """A function that sends a status message to the engine at `address` (one channel per process)."""
    import grpc
    from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

    with _stubs_lock:
        stub = _stubs.get(address)
        if stub is None:
            stub = _stubs[address] = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))

    def send(urn: str, message: str) -> None:
        request = engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message, urn=urn, ephemeral=True)
        stub.Log(request, timeout=SEND_TIMEOUT)

    return send
