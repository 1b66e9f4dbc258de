"""The lifecycle engine: the emulator's clock, the phases a resource goes through, and when each ends.

Statuses are not advanced by a clock thread. `State.advance()` runs at the
start of every request (Forecast or not) and moves each transient resource
through as many phases as the time since its phase began allows, using the
durations in the live `Settings` (see `PHASES`). A resource whose time is up
moves on at the next request, whichever service it is for.

The engine knows when, not what: when a resource's work starts (it enters
CREATE_IN_PROGRESS) it calls back `ForecastBackend._start_creation` (an export
checks its destination), and when its creation ends it calls back into the
backend (`ForecastBackend._finish_creation`), which decides
how it ends (ACTIVE, or CREATE_FAILED with a message) and does the work (an
export's checks and files), under the state lock, exactly once.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from forecast_emulator.kinds import BEHAVIOUR, INSTANT
from forecast_emulator.settings import Settings
from forecast_emulator.store import Resource, Store
from forecast_emulator.timing import PENDING_SECONDS, aws_creation_seconds
from pulumi_aws_forecast.catalog import (
    ACTIVE,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    DELETE_IN_PROGRESS,
    DELETE_PENDING,
)


@dataclass(frozen=True)
class Phase:
    """A transient status: it ends `share` of the way through a duration, then `next` begins."""

    next: str | None  # None: the resource is gone
    share: float
    duration: str  # a Settings field, or "create" for the kind's own creation duration


#: The lifecycle. Progress is measured from when the phase's action began (creation, stop, delete).
PHASES: Mapping[str, Phase] = MappingProxyType(
    {
        CREATE_PENDING: Phase(CREATE_IN_PROGRESS, 0.2, "create"),
        CREATE_IN_PROGRESS: Phase(ACTIVE, 1.0, "create"),
        CREATE_STOPPING: Phase(CREATE_STOPPED, 1.0, "stop_seconds"),
        DELETE_PENDING: Phase(DELETE_IN_PROGRESS, 0.2, "delete_seconds"),
        DELETE_IN_PROGRESS: Phase(None, 1.0, "delete_seconds"),
    }
)

#: The backend's rule for a resource whose creation has just ended (its status is ACTIVE), at the
#: moment given (when it was due): it may set CREATE_FAILED and a message instead. The engine then
#: records when, and saves it.
FinishCreation = Callable[[Resource, float], None]
#: What the backend does when a resource's work starts (it enters CREATE_IN_PROGRESS), at that moment.
StartCreation = Callable[[Resource, float], None]


def _nothing_to_start(resource: Resource, at: float) -> None:
    return None


class State:
    """The store, the live settings, the clock and the lifecycle engine. Hold `lock` around every use.

    `advance()` runs before every request, so it costs the transitions that are due, not the table:
    a heap holds when each resource's current phase ends (from every write the store reports), and
    only entries that are due are looked at. An entry may be stale (the resource moved on, or is
    gone); looking at it then changes nothing. New durations rebuild the heap from the table.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        finish_creation: FinishCreation,
        start_creation: StartCreation = _nothing_to_start,
    ) -> None:
        self.store = store
        self._settings = settings
        self._finish_creation = finish_creation
        self._start_creation = start_creation
        self.lock = threading.RLock()
        #: Seconds added to the wall clock: `advance_clock` moves the emulator's time forward.
        self.clock_offset = 0.0
        #: (phase end, ARN) of every resource in a timed phase, and maybe some stale ones;
        #: None: rebuild from the table on the next `advance`.
        self._due: list[tuple[float, str]] | None = None
        self._generation = store.generation
        #: (wall-clock time, offset) whenever `clock_offset` changed: the emulator's time of a moment
        #: known only by the wall clock (when moto created a role), see `emulator_time`.
        self._offsets: list[tuple[float, float]] = [(-math.inf, 0.0)]

    @property
    def settings(self) -> Settings:
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        with self.lock:
            self._settings = settings
            self._due = None  # durations changed: due times too

    def now(self) -> float:
        return time.time() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's time forward (never back): due transitions happen on the next request."""
        if seconds < 0:
            raise ValueError(f"the clock only moves forward, not by {seconds}")
        with self.lock:
            self.clock_offset += seconds
            self._offsets.append((time.time(), self.clock_offset))

    def emulator_time(self, wall: float) -> float:
        """The emulator's time at the wall-clock moment `wall` (the offset then in force added)."""
        offset = next(offset for since, offset in reversed(self._offsets) if since <= wall)
        return wall + offset

    def advance(self) -> None:
        """Apply every transition that is due by now."""
        with self.lock:
            due = self._heap()
            now = self.now()
            while due and due[0][0] <= now:
                _, arn = heapq.heappop(due)
                self._advance(arn, now)
                self._heap()  # what it wrote: the next phase's end, if it has one

    def creation_ends(self, resource: Resource) -> float:
        """When `resource` (being created) will be done, with the durations set now."""
        return resource.created + self._duration(resource.kind, "create", resource.arn)

    def reset(self) -> None:
        with self.lock:
            self.store.clear()
            self.clock_offset = 0.0
            self._offsets.append((time.time(), 0.0))

    def _heap(self) -> list[tuple[float, str]]:
        """The heap of phase ends, with every write the store reported since the last call."""
        written = self.store.written
        if self._due is None or self._generation != self.store.generation:
            self._generation = self.store.generation
            written.clear()
            self._due = [
                (self._phase_end(arn, kind, status, started), arn)
                for arn, kind, status, started in self.store.phases(PHASES.keys())
            ]
            heapq.heapify(self._due)
        elif written:
            for arn, kind, status, started in written:
                if status in PHASES:
                    heapq.heappush(self._due, (self._phase_end(arn, kind, status, started), arn))
            written.clear()
        return self._due

    def _advance(self, arn: str, now: float) -> Resource | None:
        """Move one resource through every phase that has ended by `now`; None once it is gone."""
        current = self.store.get(arn)
        while current is not None and current.status in PHASES:
            ends = self._phase_end(arn, current.kind, current.status, current.phase_started)
            if ends > now:
                break
            current = self._enter(current, PHASES[current.status].next, ends)
        return current

    def _phase_end(self, arn: str, kind: str, status: str, started: float) -> float:
        phase = PHASES[status]
        duration = self._duration(kind, phase.duration, arn)
        if status == CREATE_PENDING and self.settings.timing == "aws":  # a short CREATE_PENDING
            return started + min(PENDING_SECONDS, duration)
        return started + phase.share * duration

    def _duration(self, noun: str, name: str, arn: str) -> float:
        if name != "create":
            return float(getattr(self.settings, name))
        field = BEHAVIOUR[noun].duration
        if field == INSTANT:
            return 0.0
        if self.settings.timing == "aws":
            return aws_creation_seconds(noun, arn)
        return float(getattr(self.settings, field))

    def _enter(self, resource: Resource, status: str | None, at: float) -> Resource | None:
        """`resource` enters `status` at the moment `at` (None: it is gone)."""
        if status is None:
            self.store.delete(resource.arn)
            return None
        resource.status = status
        if status == CREATE_IN_PROGRESS:
            self._start_creation(resource, at)
        if status == ACTIVE:
            self._finish_creation(resource, at)
        if status in (ACTIVE, CREATE_STOPPED):
            resource.modified = at
        self.store.save(resource)
        return resource
