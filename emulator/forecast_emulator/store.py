"""The Forecast resources, stored: one `Resource` per row of a SQLite table.

Every Forecast resource of every kind is one row of `resources`: its kind,
ARN, name, parent ARN, account and region, status and message, timestamps,
its document (what Describe shows, as JSON) and its tags; `links` holds each
resource's parents (a what-if forecast export has up to 50). With a state file
the tables survive restarts; without one they live in memory.

The store knows no rule: the backend (`models.py`) decides what to write, the
lifecycle engine (`lifecycle.py`) when, and both hold `State.lock` around it.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forecast_emulator.kinds import BEHAVIOUR, Behaviour
from pulumi_aws_forecast.catalog import (
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPING,
    DELETE_IN_PROGRESS,
    DELETE_PENDING,
    KINDS,
    ResourceKind,
    snake,
)

Tags = list[dict[str, str]]

#: Kinds as state files before the catalogue stored them ("forecast_export_job").
_OLD_KIND_KEYS = {snake(noun): noun for noun in KINDS}


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
    def spec(self) -> ResourceKind:
        return KINDS[self.kind]

    @property
    def behaviour(self) -> Behaviour:
        return BEHAVIOUR[self.kind]

    @property
    def parent_arns(self) -> list[str]:
        """The parents' ARNs: the document's parent member (one ARN, or a list of them)."""
        member = self.spec.parent_member
        value = self.doc.get(member) if member is not None else None
        if value is None:
            return [self.parent_arn] if self.parent_arn else []
        return [str(arn) for arn in value] if isinstance(value, list) else [str(value)]

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

#: Rows a List reads at a time while it fills a page.
_LIST_CHUNK = 200

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
CREATE INDEX IF NOT EXISTS resources_by_kind_status ON resources (kind, account, region, status);
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources (parent_arn);
CREATE TABLE IF NOT EXISTS links (
    arn TEXT NOT NULL,
    parent_arn TEXT NOT NULL,
    PRIMARY KEY (arn, parent_arn)
);
CREATE INDEX IF NOT EXISTS links_by_parent ON links (parent_arn);
"""


class Store:
    """The `resources` and `links` tables. Not thread-safe by itself: `lifecycle.State` holds the lock.

    Lists (`of_kind`, `children`) read each resource's row and JSON once: they keep the decoded
    resources, shared between calls and dropped when the row changes, so a List of n resources
    costs an index scan and n lookups rather than n decodes; `of_kind` reads a chunk at a time,
    so a page of a List costs what it reads to fill the page. Those are for reading; `get` returns
    a resource of the caller's own to change and `save`.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if path is not None:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        #: Bumped by every change.
        self.version = 0
        #: Bumped by `clear`: whoever keeps something derived from every row starts over.
        self.generation = 0
        #: (arn, kind, status, phase_started) of each write since the lifecycle engine took them.
        self.written: list[tuple[str, str, str, float]] = []
        #: Decoded resources for the list queries, by ARN; a write drops the resource's entry.
        self._shared: dict[str, Resource] = {}

    def close(self) -> None:
        self.db.close()

    @staticmethod
    def _row(row: sqlite3.Row) -> Resource:
        values = dict(row)
        values["doc"] = json.loads(values["doc"])
        values["tags"] = json.loads(values["tags"])
        values["kind"] = _OLD_KIND_KEYS.get(values["kind"], values["kind"])
        return Resource(**values)

    @staticmethod
    def _values(resource: Resource) -> list[Any]:
        values = [getattr(resource, column) for column in _COLUMNS]
        values[_COLUMNS.index("doc")] = json.dumps(resource.doc)
        values[_COLUMNS.index("tags")] = json.dumps(resource.tags)
        return values

    def _select(self, where: str, args: Iterable[Any] = ()) -> list[Resource]:
        return [self._row(row) for row in self.db.execute(f"SELECT * FROM resources {where}", tuple(args))]

    def _shared_rows(self, where: str, args: Iterable[Any]) -> list[Resource]:
        """The resources `where` selects, in its order, decoded once and shared: read, do not change."""
        arns = [row[0] for row in self.db.execute(f"SELECT arn FROM resources {where}", tuple(args))]
        missing = [arn for arn in arns if arn not in self._shared]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for resource in self._select(f"WHERE arn IN ({marks})", chunk):
                self._shared[resource.arn] = resource
        return [self._shared[arn] for arn in arns]

    def _written(self, resource: Resource) -> None:
        self._shared.pop(resource.arn, None)
        self.written.append((resource.arn, resource.kind, resource.status, resource.phase_started))
        self.version += 1

    def get(self, arn: str) -> Resource | None:
        found = self._select("WHERE arn = ?", (arn,))
        return found[0] if found else None

    def insert(self, resource: Resource) -> None:
        marks = ", ".join("?" * len(_COLUMNS))
        self.db.execute(
            f"INSERT INTO resources ({', '.join(_COLUMNS)}) VALUES ({marks})", self._values(resource)
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO links (arn, parent_arn) VALUES (?, ?)",
            [(resource.arn, parent) for parent in resource.parent_arns],
        )
        self._written(resource)

    def save(self, resource: Resource) -> None:
        assignments = ", ".join(f"{column} = ?" for column in _COLUMNS[1:])
        values = self._values(resource)
        self.db.execute(f"UPDATE resources SET {assignments} WHERE arn = ?", [*values[1:], values[0]])
        self._written(resource)

    def delete(self, arn: str) -> None:
        self.db.execute("DELETE FROM resources WHERE arn = ?", (arn,))
        self.db.execute("DELETE FROM links WHERE arn = ?", (arn,))
        self._shared.pop(arn, None)
        self.version += 1

    def phases(self, statuses: Collection[str]) -> list[tuple[str, str, str, float]]:
        """(arn, kind, status, phase_started) of every resource in one of `statuses`."""
        marks = ", ".join("?" * len(statuses))
        query = f"SELECT arn, kind, status, phase_started FROM resources WHERE status IN ({marks})"
        return [
            (row[0], _OLD_KIND_KEYS.get(row[1], row[1]), row[2], row[3])
            for row in self.db.execute(query, tuple(statuses))
        ]

    def of_kind(
        self, kind: str, account: str, region: str, before: tuple[float, str] | None = None
    ) -> Iterator[Resource]:
        """Newest first, from just after `before` (created, arn) in that order, read a chunk at a
        time as the caller goes on: a page costs the rows read to fill it, not the table.
        Shared: read them, do not change them."""
        while True:
            where = "WHERE kind = ? AND account = ? AND region = ?"
            args: list[Any] = [kind, account, region]
            if before is not None:
                where, args = where + " AND (created, arn) < (?, ?)", [*args, *before]
            chunk = self._shared_rows(
                where + " ORDER BY created DESC, arn DESC LIMIT ?", (*args, _LIST_CHUNK)
            )
            yield from chunk
            if len(chunk) < _LIST_CHUNK:
                return
            before = (chunk[-1].created, chunk[-1].arn)

    def named(self, kind: str, account: str, region: str, name: str) -> Resource | None:
        """The resource of `kind` called `name` in this account and region, if any."""
        where = "WHERE kind = ? AND account = ? AND region = ? AND name = ? LIMIT 1"
        found = self._select(where, (kind, account, region, name))
        return found[0] if found else None

    def count(self, kind: str, account: str, region: str, statuses: Collection[str]) -> int:
        marks = ", ".join("?" * len(statuses))
        row = self.db.execute(
            "SELECT COUNT(*) FROM resources"
            f" WHERE kind = ? AND account = ? AND region = ? AND status IN ({marks})",
            (kind, account, region, *statuses),
        ).fetchone()
        return int(row[0])

    def children(self, parent_arn: str, statuses: Collection[str]) -> list[Resource]:
        """Resources in one of `statuses` with `parent_arn` among their parents, oldest first.

        Shared: read them, do not change them."""
        marks = ", ".join("?" * len(statuses))
        return self._shared_rows(
            f"WHERE status IN ({marks}) AND (parent_arn = ? OR arn IN "
            "(SELECT arn FROM links WHERE parent_arn = ?)) ORDER BY created, arn",
            (*statuses, parent_arn, parent_arn),
        )

    def clear(self) -> None:
        self.db.execute("DELETE FROM resources")
        self.db.execute("DELETE FROM links")
        self._shared.clear()
        self.written.clear()
        self.version += 1
        self.generation += 1


# --- NextToken: where a page of `of_kind` ended, tied to the query it answers ----------------------


def make_token(last: Resource, query: str) -> str:
    raw = json.dumps({"after": [last.created, last.arn], "query": query}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def read_token(token: str, query: str) -> tuple[float, str] | None:
    """The (created, arn) the page ended at, for `of_kind`'s `before`; None if `token` is malformed
    or was made for another query."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        created, arn = decoded["after"]
        return (float(created), str(arn)) if decoded["query"] == query else None
    except (ValueError, KeyError, TypeError):
        return None
