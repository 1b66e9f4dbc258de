"""Many jobs waited for at once, in one provider process, at a cost that does not grow with N.

This is the machinery under `_wait.py`'s waits, which alone use it. Every Python dynamic
resource of a stack is served by one process, so a `pulumi up` of a hundred export jobs has a
hundred threads waiting for ACTIVE in it. Each polling its own job
with Describe costs a request, and CPU, per job per interval. Instead, the jobs of one kind
under one parent share a `Sweep`: one List<Kind>s request (filtered by the parent, all pages)
per interval reads every job's status, and each waiting thread is woken when its job's status
changes. The interval is the shortest any waiter needs (max(2 s, min(10 % of its wait, 10 s)), see
`_tuning.Backoff`), so each job is still noticed within its own bound.

Kinds whose List cannot filter by a single parent (what-if forecast exports, whose parent is a
list) are described one by one; so are the jobs of a sweep whose List keeps failing (an
identity allowed Describe but not List, say): after `_FAILURES_TO_GIVE_UP` failed sweeps in a
row the sweep is broken and its waiters fall back to Describe.

`Slots` lets creates waiting for a free place under the account's quota start as soon as one of
this process's own jobs of the same kind stops running, instead of at their next backoff.

Nothing here is pickled or stored: it lives in the provider process for the length of one
Pulumi operation.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .catalog import ResourceKind

log = logging.getLogger("pulumi_aws_forecast")

Summary = dict[str, Any]
#: Failed List sweeps in a row after which a sweep gives up and its waiters describe instead.
_FAILURES_TO_GIVE_UP = 3


class SweepBroken(Exception):
    """The sweep's List keeps failing: describe the job instead."""


Lister = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class _Waiter:
    arn: str
    started: float
    delay: Callable[[float], float]  # the poll interval this waiter needs, by time waited
    summary: Summary | None = None
    seen: bool = False  # whether the last sweep saw the job
    rounds: int = 0  # sweeps since the waiter arrived


@dataclass
class Sweep:
    """The jobs of one kind under one parent that threads of this process wait for."""

    list_page: Lister  # one List<Kind>s call: request -> response
    plural: str  # the List response member holding the summaries
    arn_member: str
    filters: list[dict[str, str]]
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _waiters: dict[str, _Waiter] = field(default_factory=dict)
    _thread: threading.Thread | None = None
    _failures: int = 0
    broken: Exception | None = None
    sweeps: int = 0

    def wait(self, arn: str, delay: Callable[[float], float], timeout: float) -> tuple[Summary | None, bool]:
        """(summary, seen) of `arn` once a sweep brings news of it: the first sweep after the job's
        first wait, then a change of its status or visibility; or as they are at `timeout`."""
        with self._lock:
            waiter = self._waiters.get(arn)
            if waiter is None:
                waiter = self._waiters[arn] = _Waiter(arn, self.clock(), delay)
            before = (waiter.summary or {}).get("Status"), waiter.seen, min(waiter.rounds, 1)
            self._start()
            self._lock.notify_all()  # a new waiter may need an earlier sweep
            deadline = self.clock() + timeout
            while True:
                if self.broken is not None:
                    self._waiters.pop(arn, None)
                    raise SweepBroken(str(self.broken))
                now = ((waiter.summary or {}).get("Status"), waiter.seen, min(waiter.rounds, 1))
                if now != before or self.clock() >= deadline:
                    return (dict(waiter.summary) if waiter.summary else None), waiter.seen
                self._lock.wait(timeout=max(0.0, deadline - self.clock()))

    def forget(self, arn: str) -> None:
        with self._lock:
            self._waiters.pop(arn, None)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="forecast-sweep", daemon=True)
            self._thread.start()

    def _next_sweep(self, last: float) -> float:
        now = self.clock()
        return min((last + w.delay(now - w.started) for w in self._waiters.values()), default=now)

    def _run(self) -> None:
        last = -1e9
        while True:
            with self._lock:
                if not self._waiters:
                    self._thread = None
                    return
                due = self._next_sweep(last)
                if self.clock() < due:
                    self._lock.wait(timeout=due - self.clock())
                    continue
            last = self.clock()
            try:
                found = self._list()
            except Exception as error:  # retried at the next interval; given up after a few
                with self._lock:
                    self._failures += 1
                    if self._failures >= _FAILURES_TO_GIVE_UP:
                        log.warning(
                            "listing jobs to wait for them failed (%s); describing each instead", error
                        )
                        self.broken = error
                        self._waiters.clear()
                        self._thread = None
                        self._lock.notify_all()
                        return
                continue
            with self._lock:
                self._failures = 0
                self.sweeps += 1
                for waiter in self._waiters.values():
                    waiter.summary = found.get(waiter.arn)
                    waiter.seen = waiter.arn in found
                    waiter.rounds += 1
                self._lock.notify_all()

    def _list(self) -> dict[str, Summary]:
        found: dict[str, Summary] = {}
        request: dict[str, Any] = {"Filters": self.filters, "MaxResults": 100}
        while True:
            page = self.list_page(request)
            for summary in page.get(self.plural, []):
                found[str(summary[self.arn_member])] = summary
            token = page.get("NextToken")
            if not token:
                return found
            request = {**request, "NextToken": token}


class Sweeps:
    """The process's sweeps, by (region, kind, parent)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sweeps: dict[tuple[str, str, str], Sweep] = {}

    def get(self, region: str, kind: ResourceKind, parent: str, list_page: Lister) -> Sweep | None:
        """The sweep for jobs of `kind` under `parent`; None where List cannot filter by one parent."""
        if kind.parent_filter is None:
            return None
        key = (region, kind.noun, parent)
        with self._lock:
            sweep = self._sweeps.get(key)
            if sweep is None or sweep.broken is not None:
                sweep = self._sweeps[key] = Sweep(
                    list_page,
                    kind.plural,
                    kind.arn_member,
                    [{"Key": kind.parent_filter, "Condition": "IS", "Value": parent}],
                )
            return sweep


class Slots:
    """Creates waiting for the quota, woken when one of this process's jobs of the kind stops running."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._freed: dict[tuple[str, str], int] = {}

    def freed(self, region: str, kind: ResourceKind) -> None:
        """One of our jobs of `kind` stopped running: a waiting create may take its place."""
        with self._changed:
            key = (region, kind.noun)
            self._freed[key] = self._freed.get(key, 0) + 1
            self._changed.notify_all()

    def wait(self, region: str, kind: ResourceKind, timeout: float) -> bool:
        """Wait until a job of ours frees a place (True) or `timeout` passes (False)."""
        key = (region, kind.noun)
        with self._changed:
            start = self._freed.get(key, 0)
            return self._changed.wait_for(lambda: self._freed.get(key, 0) != start, timeout=timeout)


#: The process's sweeps and slots (plain threading state: never pickled, never in the state).
SWEEPS = Sweeps()
SLOTS = Slots()
