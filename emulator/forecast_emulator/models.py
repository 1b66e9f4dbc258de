"""Forecast state: one SQLite table of resources, and the lifecycle that moves them on.

Every Forecast resource of every kind is one row of `resources`: its kind,
ARN, name, parent ARN, account and region, status and message, timestamps,
its document (what Describe shows, as JSON) and its tags. With a state file
the table survives restarts; without one it lives in memory.

Statuses are not advanced by a clock thread. `State.advance()` runs at the
start of every request (Forecast or not) and moves each transient resource
through as many phases as the time since its phase began allows, using the
durations in the live `Settings` (see `kinds.PHASES`). A job whose time is up
becomes ACTIVE on the next request, whichever service it is for, and its
files are written to S3 right then, exactly once, under the state lock.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forecast_emulator import aws
from forecast_emulator.kinds import (
    ACTIVE,
    BY_KEY,
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    DELETE_IN_PROGRESS,
    DELETE_PENDING,
    PHASES,
    Kind,
)
from forecast_emulator.output import ExportRequest
from forecast_emulator.settings import Settings

Tags = list[dict[str, str]]


@dataclass
class Resource:
    arn: str
    kind: str
    name: str
    account: str
    region: str
    parent_arn: str | None
    status: str
    created: float
    #: When the current phase's action began: creation, StopResource or DeleteX.
    phase_started: float
    #: LastModificationTime once the resource has settled (ACTIVE, CREATE_FAILED, CREATE_STOPPED).
    modified: float
    doc: dict[str, Any]
    tags: Tags = field(default_factory=list)
    message: str | None = None
    #: A failure injected by `fail_jobs`, reported when creation ends.
    fail_message: str | None = None

    @property
    def spec(self) -> Kind:
        return BY_KEY[self.kind]

    def last_modified(self, now: float) -> float:
        """LastModificationTime as the API reference defines it for each status."""
        if self.status == CREATE_PENDING:
            return self.created
        if self.status in (CREATE_IN_PROGRESS, CREATE_STOPPING, DELETE_PENDING, DELETE_IN_PROGRESS):
            return now
        return self.modified


_COLUMNS = (
    "arn",
    "kind",
    "name",
    "account",
    "region",
    "parent_arn",
    "status",
    "created",
    "phase_started",
    "modified",
    "doc",
    "tags",
    "message",
    "fail_message",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    arn TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    parent_arn TEXT,
    status TEXT NOT NULL,
    created REAL NOT NULL,
    phase_started REAL NOT NULL,
    modified REAL NOT NULL,
    doc TEXT NOT NULL,
    tags TEXT NOT NULL,
    message TEXT,
    fail_message TEXT
);
CREATE INDEX IF NOT EXISTS resources_by_status ON resources (status);
CREATE INDEX IF NOT EXISTS resources_by_listing ON resources (kind, account, region, created);
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources (parent_arn);
"""


class Store:
    """The `resources` table. Not thread-safe by itself: `State` holds the lock."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if path is not None:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        #: Bumped by every change, so `State` knows when its cached next due time is stale.
        self.version = 0

    def close(self) -> None:
        self.db.close()

    @staticmethod
    def _row(row: sqlite3.Row) -> Resource:
        values = dict(row)
        values["doc"] = json.loads(values["doc"])
        values["tags"] = json.loads(values["tags"])
        return Resource(**values)

    @staticmethod
    def _values(resource: Resource) -> list[Any]:
        values = [getattr(resource, column) for column in _COLUMNS]
        values[_COLUMNS.index("doc")] = json.dumps(resource.doc)
        values[_COLUMNS.index("tags")] = json.dumps(resource.tags)
        return values

    def _select(self, where: str, args: Iterable[Any] = ()) -> list[Resource]:
        return [self._row(row) for row in self.db.execute(f"SELECT * FROM resources {where}", tuple(args))]

    def get(self, arn: str) -> Resource | None:
        found = self._select("WHERE arn = ?", (arn,))
        return found[0] if found else None

    def insert(self, resource: Resource) -> None:
        marks = ", ".join("?" * len(_COLUMNS))
        self.db.execute(
            f"INSERT INTO resources ({', '.join(_COLUMNS)}) VALUES ({marks})", self._values(resource)
        )
        self.version += 1

    def save(self, resource: Resource) -> None:
        assignments = ", ".join(f"{column} = ?" for column in _COLUMNS[1:])
        values = self._values(resource)
        self.db.execute(f"UPDATE resources SET {assignments} WHERE arn = ?", [*values[1:], values[0]])
        self.version += 1

    def delete(self, arn: str) -> None:
        self.db.execute("DELETE FROM resources WHERE arn = ?", (arn,))
        self.version += 1

    def phases(self, statuses: Collection[str]) -> list[tuple[str, str, str, float]]:
        """(arn, kind, status, phase_started) of every resource in one of `statuses`."""
        marks = ", ".join("?" * len(statuses))
        query = f"SELECT arn, kind, status, phase_started FROM resources WHERE status IN ({marks})"
        return [(row[0], row[1], row[2], row[3]) for row in self.db.execute(query, tuple(statuses))]

    def of_kind(self, kind: str, account: str, region: str) -> list[Resource]:
        """Newest first."""
        return self._select(
            "WHERE kind = ? AND account = ? AND region = ? ORDER BY created DESC, arn DESC",
            (kind, account, region),
        )

    def count(self, kind: str, account: str, region: str, statuses: Collection[str]) -> int:
        marks = ", ".join("?" * len(statuses))
        row = self.db.execute(
            "SELECT COUNT(*) FROM resources"
            f" WHERE kind = ? AND account = ? AND region = ? AND status IN ({marks})",
            (kind, account, region, *statuses),
        ).fetchone()
        return int(row[0])

    def children(self, parent_arn: str, statuses: Collection[str]) -> list[Resource]:
        marks = ", ".join("?" * len(statuses))
        return self._select(f"WHERE parent_arn = ? AND status IN ({marks})", (parent_arn, *statuses))

    def clear(self) -> None:
        self.db.execute("DELETE FROM resources")
        self.version += 1


class State:
    """The store, the live settings, and the lifecycle. Hold `lock` around every use."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self._settings = settings
        self.lock = threading.RLock()
        #: Seconds added to the wall clock: `advance_clock` moves the emulator's time forward.
        self.clock_offset = 0.0
        #: (store version, time) of the next transition due, so most requests skip the query.
        self._next_due: tuple[int, float] | None = None

    @property
    def settings(self) -> Settings:
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        with self.lock:
            self._settings = settings
            self._next_due = None  # durations changed: due times too

    def now(self) -> float:
        return time.time() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's time forward (never back): due transitions happen on the next request."""
        if seconds < 0:
            raise ValueError(f"the clock only moves forward, not by {seconds}")
        with self.lock:
            self.clock_offset += seconds

    def advance(self) -> None:
        """Apply every transition that is due by now."""
        with self.lock:
            now = self.now()
            if (
                self._next_due is not None
                and self._next_due[0] == self.store.version
                and now < self._next_due[1]
            ):
                return
            next_due = math.inf
            for arn, kind, status, started in self.store.phases(PHASES.keys()):
                ends = self._phase_end(kind, status, started)
                if ends <= now:
                    current = self._advance(arn, now)
                    if current is not None and current.status in PHASES:
                        ends = self._phase_end(current.kind, current.status, current.phase_started)
                next_due = min(next_due, ends) if ends > now else next_due
            self._next_due = (self.store.version, next_due)

    def _advance(self, arn: str, now: float) -> Resource | None:
        """Move one resource through every phase that has ended by `now`; None once it is gone."""
        current = self.store.get(arn)
        while current is not None and current.status in PHASES:
            ends = self._phase_end(current.kind, current.status, current.phase_started)
            if ends > now:
                break
            current = self._enter(current, PHASES[current.status].next, ends)
        return current

    def _phase_end(self, kind: str, status: str, started: float) -> float:
        phase = PHASES[status]
        return started + phase.share * self._duration(BY_KEY[kind], phase.duration)

    def creation_ends(self, resource: Resource) -> float:
        """When `resource` (being created) will be done, with the durations set now."""
        return resource.created + self._duration(resource.spec, "create")

    def _duration(self, kind: Kind, name: str) -> float:
        return float(getattr(self.settings, kind.duration if name == "create" else name))

    def _enter(self, resource: Resource, status: str | None, at: float) -> Resource | None:
        if status is None:
            self.store.delete(resource.arn)
            return None
        resource.status = status
        if status == ACTIVE:
            failure = self._run(resource)
            if failure is not None:
                resource.status, resource.message = CREATE_FAILED, failure
        if status in (ACTIVE, CREATE_STOPPED):
            resource.modified = at
        self.store.save(resource)
        return resource

    def _run(self, resource: Resource) -> str | None:
        """The work at the end of creation: an export's checks and files. Returns a failure message."""
        if resource.fail_message is not None:
            return resource.fail_message
        kind = resource.spec
        if kind.writer is None:
            return None
        s3_config = resource.doc["Destination"]["S3Config"]
        problem = aws.destination_problem(resource.account, resource.region, s3_config)
        if problem is not None:
            return problem
        parent = self.store.get(resource.parent_arn or "")
        if parent is None:  # parents cannot be deleted while an export runs; this is a safeguard
            return f"The exported resource {resource.parent_arn} no longer exists."
        job = ExportRequest(
            resource.name, resource.created, resource.doc.get("Format", "CSV"), parent.name, parent.doc
        )
        try:
            aws.put_files(resource.account, resource.region, s3_config, kind.writer(job))
        except Exception as error:  # moto's errors when a write fails
            return f"Amazon Forecast could not write to {s3_config.get('Path')}: {error}"
        return None

    def reset(self) -> None:
        with self.lock:
            self.store.clear()
            self.clock_offset = 0.0
