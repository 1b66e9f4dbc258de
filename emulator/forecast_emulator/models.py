"""Amazon Forecast's model: the resources, their lifecycle, and the backend that owns the rules.

`ForecastBackend` is the service: one method per API operation, named after
it (`describe_forecast_export_job` for DescribeForecastExportJob), holding
every business rule (parents, unique ARNs, quotas, allowed deletes, tags,
StopResource, list filters and pages). `responses.py` only parses, validates
and serialises around it.

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

import base64
import copy
import hashlib
import heapq
import itertools
import json
import math
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forecast_emulator import aws
from forecast_emulator.exceptions import (
    InvalidInputException,
    InvalidNextTokenException,
    LimitExceededException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from forecast_emulator.faults import Faults
from forecast_emulator.kinds import BEHAVIOUR, OWN_ARN, PHASES, Behaviour
from forecast_emulator.output import ExportParent, ExportRequest
from forecast_emulator.settings import Settings
from pulumi_aws_forecast.catalog import (
    ACTIVE,
    BY_ARN_TYPE,
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    CREATING,
    DEFAULT_FORMAT,
    DELETABLE,
    DELETE_IN_PROGRESS,
    DELETE_PENDING,
    KINDS,
    RUNNING,
    ResourceKind,
    snake,
)
from pulumi_aws_forecast.model import operation_model
from pulumi_aws_forecast.rules import MAX_TAGS_PER_RESOURCE, parse_arn

Tags = list[dict[str, str]]
Json = dict[str, Any]
Params = Mapping[str, Any]

#: Kinds as state files before the catalogue stored them ("forecast_export_job").
_OLD_KIND_KEYS = {snake(noun): noun for noun in KINDS}
#: Every status a resource can be in while it exists and is not being deleted.
_LIVE = RUNNING | {ACTIVE, CREATE_FAILED, CREATE_STOPPED}


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
    """The `resources` table. Not thread-safe by itself: `State` holds the lock.

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
        #: (arn, kind, status, phase_started) of each resource written since `State` last looked.
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


class State:
    """The store, the live settings, and the lifecycle. Hold `lock` around every use.

    `advance()` runs before every request, so it costs the transitions that are due, not the table:
    a heap holds when each resource's current phase ends (from every write the store reports), and
    only entries that are due are looked at. An entry may be stale (the resource moved on, or is
    gone); looking at it then changes nothing. New durations rebuild the heap from the table.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self._settings = settings
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

    def _heap(self) -> list[tuple[float, str]]:
        """The heap of phase ends, with every write the store reported since the last call."""
        written = self.store.written
        if self._due is None or self._generation != self.store.generation:
            self._generation = self.store.generation
            written.clear()
            self._due = [
                (self._phase_end(kind, status, started), arn)
                for arn, kind, status, started in self.store.phases(PHASES.keys())
            ]
            heapq.heapify(self._due)
        elif written:
            for arn, kind, status, started in written:
                if status in PHASES:
                    heapq.heappush(self._due, (self._phase_end(kind, status, started), arn))
            written.clear()
        return self._due

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
        return started + phase.share * self._duration(kind, phase.duration)

    def creation_ends(self, resource: Resource) -> float:
        """When `resource` (being created) will be done, with the durations set now."""
        return resource.created + self._duration(resource.kind, "create")

    def _duration(self, noun: str, name: str) -> float:
        return float(getattr(self.settings, BEHAVIOUR[noun].duration if name == "create" else name))

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
        writer = resource.behaviour.writer
        if writer is None:
            return None
        s3_config = resource.doc["Destination"]["S3Config"]
        parents = []
        for arn in resource.parent_arns:
            parent = self.store.get(arn)
            if parent is None:  # parents cannot be deleted while an export runs; this is a safeguard
                return f"The exported resource {arn} no longer exists."
            parents.append(ExportParent(parent.name, parent.arn, parent.doc))
        job = ExportRequest(
            resource.name, resource.created, resource.doc.get("Format", DEFAULT_FORMAT), tuple(parents)
        )
        files = writer(job)
        problem = aws.destination_problem(
            resource.account,
            resource.region,
            s3_config,
            source_arn=resource.arn,
            keys=[file.key for file in files],
            check_policies=self.settings.check_role_policies,
        )
        if problem is not None:
            return problem
        try:
            aws.put_files(resource.account, resource.region, s3_config, files)
        except Exception as error:  # moto's errors when a write fails
            return f"Amazon Forecast could not write to {s3_config.get('Path')}: {error}"
        return None

    def reset(self) -> None:
        with self.lock:
            self.store.clear()
            self.clock_offset = 0.0
            self._offsets.append((time.time(), 0.0))


# --- The backend: one method per Forecast operation ------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of a List operation."""

    resources: list[Resource]
    next_token: str | None


class ForecastBackend:
    """Amazon Forecast for one account: its resources, and every rule about them.

    One public method per API operation, named after it in snake_case
    (`create_forecast_export_job` for CreateForecastExportJob). Each takes the
    request's parameters (already validated against the service model by
    `responses.py`) and its region, and returns what the operation produced: a
    `Resource`, a `Page`, tags, or None. Per-kind methods are one line each:
    what differs between kinds is data (`pulumi_aws_forecast.catalog` and
    `kinds.BEHAVIOUR`), applied by the shared helpers below.

    Callers hold `transaction()` around a call, so the state is locked and
    every transition due by now has happened.
    """

    def __init__(self, state: State, faults: Faults, account: str) -> None:
        self.state = state
        self.faults = faults
        self.account = account

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock the state and apply every transition due by now."""
        with self.state.lock:
            self.state.advance()
            yield

    def now(self) -> float:
        return self.state.now()

    def estimated_minutes(self, resource: Resource) -> int:
        """EstimatedTimeRemainingInMinutes of a resource being created."""
        return max(0, math.ceil((self.state.creation_ends(resource) - self.now()) / 60))

    # --- Dataset groups ----------------------------------------------------------------------------

    def create_dataset_group(self, params: Params, region: str) -> Resource:
        """CreateDatasetGroup."""
        return self._create(KINDS["DatasetGroup"], params, region)

    def describe_dataset_group(self, params: Params, region: str) -> Resource:
        """DescribeDatasetGroup."""
        return self._describe(KINDS["DatasetGroup"], params, region)

    def list_dataset_groups(self, params: Params, region: str) -> Page:
        """ListDatasetGroups."""
        return self._list(KINDS["DatasetGroup"], params, region)

    def delete_dataset_group(self, params: Params, region: str) -> None:
        """DeleteDatasetGroup."""
        self._delete(KINDS["DatasetGroup"], params, region)

    def update_dataset_group(self, params: Params, region: str) -> None:
        """UpdateDatasetGroup: replace the dataset group's datasets (at once)."""
        kind = KINDS["DatasetGroup"]
        group = self._find(str(params[kind.arn_member]), region, kind)
        if group.status != ACTIVE:
            raise ResourceInUseException(
                f"The {kind.label} {group.arn} can only be updated when ACTIVE; its status is {group.status}."
            )
        self._require_datasets(params["DatasetArns"], region)
        group.doc["DatasetArns"] = list(params["DatasetArns"])
        group.modified = self.now()
        self.state.store.save(group)

    # --- Datasets ----------------------------------------------------------------------------------

    def create_dataset(self, params: Params, region: str) -> Resource:
        """CreateDataset."""
        return self._create(KINDS["Dataset"], params, region)

    def describe_dataset(self, params: Params, region: str) -> Resource:
        """DescribeDataset."""
        return self._describe(KINDS["Dataset"], params, region)

    def list_datasets(self, params: Params, region: str) -> Page:
        """ListDatasets."""
        return self._list(KINDS["Dataset"], params, region)

    def delete_dataset(self, params: Params, region: str) -> None:
        """DeleteDataset."""
        self._delete(KINDS["Dataset"], params, region)

    # --- Dataset import jobs -----------------------------------------------------------------------

    def create_dataset_import_job(self, params: Params, region: str) -> Resource:
        """CreateDatasetImportJob."""
        return self._create(KINDS["DatasetImportJob"], params, region)

    def describe_dataset_import_job(self, params: Params, region: str) -> Resource:
        """DescribeDatasetImportJob."""
        return self._describe(KINDS["DatasetImportJob"], params, region)

    def list_dataset_import_jobs(self, params: Params, region: str) -> Page:
        """ListDatasetImportJobs."""
        return self._list(KINDS["DatasetImportJob"], params, region)

    def delete_dataset_import_job(self, params: Params, region: str) -> None:
        """DeleteDatasetImportJob."""
        self._delete(KINDS["DatasetImportJob"], params, region)

    # --- Predictors --------------------------------------------------------------------------------

    def create_predictor(self, params: Params, region: str) -> Resource:
        """CreatePredictor (a legacy predictor)."""
        return self._create(KINDS["Predictor"], params, region)

    def create_auto_predictor(self, params: Params, region: str) -> Resource:
        """CreateAutoPredictor."""
        return self._create(KINDS["Predictor"], params, region, "CreateAutoPredictor")

    def describe_predictor(self, params: Params, region: str) -> Resource:
        """DescribePredictor."""
        return self._describe(KINDS["Predictor"], params, region)

    def describe_auto_predictor(self, params: Params, region: str) -> Resource:
        """DescribeAutoPredictor."""
        return self._describe(KINDS["Predictor"], params, region)

    def list_predictors(self, params: Params, region: str) -> Page:
        """ListPredictors."""
        return self._list(KINDS["Predictor"], params, region)

    def delete_predictor(self, params: Params, region: str) -> None:
        """DeletePredictor."""
        self._delete(KINDS["Predictor"], params, region)

    # --- Forecasts ---------------------------------------------------------------------------------

    def create_forecast(self, params: Params, region: str) -> Resource:
        """CreateForecast."""
        return self._create(KINDS["Forecast"], params, region)

    def describe_forecast(self, params: Params, region: str) -> Resource:
        """DescribeForecast."""
        return self._describe(KINDS["Forecast"], params, region)

    def list_forecasts(self, params: Params, region: str) -> Page:
        """ListForecasts."""
        return self._list(KINDS["Forecast"], params, region)

    def delete_forecast(self, params: Params, region: str) -> None:
        """DeleteForecast."""
        self._delete(KINDS["Forecast"], params, region)

    # --- Explainabilities --------------------------------------------------------------------------

    def create_explainability(self, params: Params, region: str) -> Resource:
        """CreateExplainability (of a predictor or a forecast)."""
        return self._create(KINDS["Explainability"], params, region)

    def describe_explainability(self, params: Params, region: str) -> Resource:
        """DescribeExplainability."""
        return self._describe(KINDS["Explainability"], params, region)

    def list_explainabilities(self, params: Params, region: str) -> Page:
        """ListExplainabilities."""
        return self._list(KINDS["Explainability"], params, region)

    def delete_explainability(self, params: Params, region: str) -> None:
        """DeleteExplainability."""
        self._delete(KINDS["Explainability"], params, region)

    # --- What-if analyses --------------------------------------------------------------------------

    def create_what_if_analysis(self, params: Params, region: str) -> Resource:
        """CreateWhatIfAnalysis."""
        return self._create(KINDS["WhatIfAnalysis"], params, region)

    def describe_what_if_analysis(self, params: Params, region: str) -> Resource:
        """DescribeWhatIfAnalysis."""
        return self._describe(KINDS["WhatIfAnalysis"], params, region)

    def list_what_if_analyses(self, params: Params, region: str) -> Page:
        """ListWhatIfAnalyses."""
        return self._list(KINDS["WhatIfAnalysis"], params, region)

    def delete_what_if_analysis(self, params: Params, region: str) -> None:
        """DeleteWhatIfAnalysis."""
        self._delete(KINDS["WhatIfAnalysis"], params, region)

    # --- What-if forecasts -------------------------------------------------------------------------

    def create_what_if_forecast(self, params: Params, region: str) -> Resource:
        """CreateWhatIfForecast."""
        return self._create(KINDS["WhatIfForecast"], params, region)

    def describe_what_if_forecast(self, params: Params, region: str) -> Resource:
        """DescribeWhatIfForecast."""
        return self._describe(KINDS["WhatIfForecast"], params, region)

    def list_what_if_forecasts(self, params: Params, region: str) -> Page:
        """ListWhatIfForecasts."""
        return self._list(KINDS["WhatIfForecast"], params, region)

    def delete_what_if_forecast(self, params: Params, region: str) -> None:
        """DeleteWhatIfForecast."""
        self._delete(KINDS["WhatIfForecast"], params, region)

    # --- Forecast export jobs ----------------------------------------------------------------------

    def create_forecast_export_job(self, params: Params, region: str) -> Resource:
        """CreateForecastExportJob."""
        return self._create(KINDS["ForecastExportJob"], params, region)

    def describe_forecast_export_job(self, params: Params, region: str) -> Resource:
        """DescribeForecastExportJob."""
        return self._describe(KINDS["ForecastExportJob"], params, region)

    def list_forecast_export_jobs(self, params: Params, region: str) -> Page:
        """ListForecastExportJobs."""
        return self._list(KINDS["ForecastExportJob"], params, region)

    def delete_forecast_export_job(self, params: Params, region: str) -> None:
        """DeleteForecastExportJob."""
        self._delete(KINDS["ForecastExportJob"], params, region)

    # --- Predictor backtest export jobs ------------------------------------------------------------

    def create_predictor_backtest_export_job(self, params: Params, region: str) -> Resource:
        """CreatePredictorBacktestExportJob."""
        return self._create(KINDS["PredictorBacktestExportJob"], params, region)

    def describe_predictor_backtest_export_job(self, params: Params, region: str) -> Resource:
        """DescribePredictorBacktestExportJob."""
        return self._describe(KINDS["PredictorBacktestExportJob"], params, region)

    def list_predictor_backtest_export_jobs(self, params: Params, region: str) -> Page:
        """ListPredictorBacktestExportJobs."""
        return self._list(KINDS["PredictorBacktestExportJob"], params, region)

    def delete_predictor_backtest_export_job(self, params: Params, region: str) -> None:
        """DeletePredictorBacktestExportJob."""
        self._delete(KINDS["PredictorBacktestExportJob"], params, region)

    # --- Explainability exports --------------------------------------------------------------------

    def create_explainability_export(self, params: Params, region: str) -> Resource:
        """CreateExplainabilityExport."""
        return self._create(KINDS["ExplainabilityExport"], params, region)

    def describe_explainability_export(self, params: Params, region: str) -> Resource:
        """DescribeExplainabilityExport."""
        return self._describe(KINDS["ExplainabilityExport"], params, region)

    def list_explainability_exports(self, params: Params, region: str) -> Page:
        """ListExplainabilityExports."""
        return self._list(KINDS["ExplainabilityExport"], params, region)

    def delete_explainability_export(self, params: Params, region: str) -> None:
        """DeleteExplainabilityExport."""
        self._delete(KINDS["ExplainabilityExport"], params, region)

    # --- What-if forecast exports ------------------------------------------------------------------

    def create_what_if_forecast_export(self, params: Params, region: str) -> Resource:
        """CreateWhatIfForecastExport (of 1 to 50 what-if forecasts)."""
        return self._create(KINDS["WhatIfForecastExport"], params, region)

    def describe_what_if_forecast_export(self, params: Params, region: str) -> Resource:
        """DescribeWhatIfForecastExport."""
        return self._describe(KINDS["WhatIfForecastExport"], params, region)

    def list_what_if_forecast_exports(self, params: Params, region: str) -> Page:
        """ListWhatIfForecastExports."""
        return self._list(KINDS["WhatIfForecastExport"], params, region)

    def delete_what_if_forecast_export(self, params: Params, region: str) -> None:
        """DeleteWhatIfForecastExport."""
        self._delete(KINDS["WhatIfForecastExport"], params, region)

    # --- Any resource ------------------------------------------------------------------------------

    def stop_resource(self, params: Params, region: str) -> None:
        """StopResource: CREATE_STOPPING, then CREATE_STOPPED for good."""
        resource = self._find(str(params["ResourceArn"]), region)
        kind = resource.spec
        if not kind.stoppable:
            raise InvalidInputException(f"StopResource does not apply to a {kind.label} ({resource.arn}).")
        if resource.status not in CREATING:
            raise InvalidInputException(
                f"The {kind.label} {resource.arn} cannot be stopped: its status is {resource.status}. "
                f"Only a resource in {CREATE_PENDING} or {CREATE_IN_PROGRESS} can be stopped."
            )
        resource.status, resource.phase_started = CREATE_STOPPING, self.now()
        self.state.store.save(resource)

    def tag_resource(self, params: Params, region: str) -> None:
        """TagResource: add tags, replacing the values of keys already there."""
        resource = self._find(str(params["ResourceArn"]), region)
        merged = _merge_tags(resource.tags, params["Tags"])
        if len(merged) > MAX_TAGS_PER_RESOURCE:
            raise LimitExceededException(
                f"The {resource.spec.label} {resource.arn} would have {len(merged)} tags; "
                f"a resource can have at most {MAX_TAGS_PER_RESOURCE} tags."
            )
        resource.tags = merged
        self.state.store.save(resource)

    def untag_resource(self, params: Params, region: str) -> None:
        """UntagResource."""
        resource = self._find(str(params["ResourceArn"]), region)
        removed = set(params["TagKeys"])
        resource.tags = [tag for tag in resource.tags if tag["Key"] not in removed]
        self.state.store.save(resource)

    def list_tags_for_resource(self, params: Params, region: str) -> Tags:
        """ListTagsForResource."""
        return copy.deepcopy(self._find(str(params["ResourceArn"]), region).tags)

    # --- The shared rules --------------------------------------------------------------------------

    def _create(
        self, kind: ResourceKind, params: Params, region: str, operation: str | None = None
    ) -> Resource:
        """Parents exist and are ACTIVE, the kind's own rules, a unique ARN, the export quota, tags."""
        behaviour = BEHAVIOUR[kind.noun]
        name = str(params[kind.name_member])
        doc = _document(kind, behaviour, operation or kind.create_operation, params)
        parents = self._parents(kind, behaviour, doc, params, region)
        if parents:
            for target, source in behaviour.inherit.items():
                if doc.get(target) is None and parents[0].doc.get(source) is not None:
                    doc[target] = copy.deepcopy(parents[0].doc[source])
        for target, value in behaviour.defaults.items():
            if doc.get(target) is None:
                doc[target] = copy.deepcopy(value)
        if behaviour.dataset_list_field is not None:
            self._require_datasets(doc[behaviour.dataset_list_field], region)

        parent_name = parents[0].name if parents else None
        arn = kind.arn(aws.partition_of(region), region, self.account, name, parent_name)
        if self.state.store.get(arn) is not None:
            raise ResourceAlreadyExistsException(
                f"{kind.a_label.capitalize()} already exists with the arn: {arn}"
            )
        for parent in parents:
            if parent.kind in behaviour.one_per_parent:
                for sibling in self.state.store.children(parent.arn, _LIVE):
                    if sibling.kind == kind.noun:
                        raise ResourceAlreadyExistsException(
                            f"The {parent.spec.label} {parent.arn} already has {kind.a_label}, "
                            f"{sibling.arn}; it can have only one."
                        )
        if kind.export:
            quota = self.state.settings.export_quota
            if self.state.store.count(kind.noun, self.account, region, RUNNING) >= quota:
                raise LimitExceededException(
                    f"You have reached the limit of {quota} {kind.label}s in progress at the same time "
                    f"in this account and region. Wait for one to finish, or stop one, and try again."
                )
        self._require_assumable_role(doc, region)
        now = self.now()
        resource = Resource(
            arn=arn,
            kind=kind.noun,
            name=name,
            account=self.account,
            region=region,
            parent_arn=parents[0].arn if parents else None,
            status=CREATE_PENDING,
            created=now,
            phase_started=now,
            modified=now,
            doc=doc,
            tags=_merge_tags([], params.get("Tags") or []),
            fail_message=self.faults.planned_failure(name),
        )
        self.state.store.insert(resource)
        return resource

    def _require_assumable_role(self, doc: Json, region: str) -> None:
        """IAM propagation: a role created less than `iam_propagation_seconds` ago cannot be assumed yet.

        Forecast assumes the role of a new import or export while creating it, so the Create is
        refused (see emulator/README.md, "Realism"). Roles that do not exist are left to the job."""
        seconds = self.state.settings.iam_propagation_seconds
        s3_config = (doc.get("Destination") or doc.get("DataSource") or {}).get("S3Config") or {}
        role_arn = s3_config.get("RoleArn")
        if seconds <= 0 or not role_arn:
            return
        created = aws.role_created(self.account, region, str(role_arn))
        if created is None or self.now() - self.state.emulator_time(created) >= seconds:
            return
        raise InvalidInputException(
            f"{aws.CANNOT_ASSUME} {role_arn}: the role cannot be assumed yet, as changes to IAM take "
            "time to propagate. Try again in a few seconds."
        )

    def _parents(
        self, kind: ResourceKind, behaviour: Behaviour, doc: Json, params: Params, region: str
    ) -> list[Resource]:
        """The resources the new one is made from: each must exist, be ACTIVE, and suit the kind."""
        if kind.parent_member is None:
            return []
        value = doc[kind.parent_member]
        parents = [
            self._find(str(arn), region, *(KINDS[noun] for noun in kind.parent_nouns), settled_only=False)
            for arn in (value if isinstance(value, list) else [value])
        ]
        for parent in parents:
            if parent.status != ACTIVE:
                raise ResourceInUseException(
                    f"The {parent.spec.label} {parent.arn} must be ACTIVE to create {kind.a_label} "
                    f"from it; its status is {parent.status}."
                )
            if behaviour.auto_predictor_only and not (
                parent.doc.get("IsAutoPredictor") or parent.doc.get("CreatedUsingAutoPredictor")
            ):
                raise InvalidInputException(
                    f"{kind.a_label.capitalize()} needs a {parent.spec.label} created with "
                    f"CreateAutoPredictor; {parent.arn} was not."
                )
            for path, required in behaviour.parent_requires.get(parent.kind, {}).items():
                if _dig(params, path) != required:
                    raise InvalidInputException(
                        f"{kind.a_label.capitalize()} of {parent.spec.a_label} needs "
                        f"{'.'.join(path)} set to {required}."
                    )
        return parents

    def _describe(self, kind: ResourceKind, params: Params, region: str) -> Resource:
        return self._find(str(params[kind.arn_member]), region, kind)

    def _list(self, kind: ResourceKind, params: Params, region: str) -> Page:
        """Newest first; Filters (IS / IS_NOT), MaxResults, NextToken tied to the filters."""
        filters: Sequence[Mapping[str, str]] = params.get("Filters") or []
        for spec in filters:
            if spec["Key"] not in kind.filters:
                raise InvalidInputException(
                    f"Invalid filter key '{spec['Key']}' for {kind.list_operation}; "
                    f"valid keys are {' and '.join(kind.filters)}."
                )
        query = json.dumps([kind.list_operation, filters], sort_keys=True)
        query = hashlib.sha256(query.encode()).hexdigest()[:16]
        behaviour = BEHAVIOUR[kind.noun]
        token = params.get("NextToken")
        after = _read_token(str(token), query) if token is not None else None
        limit = int(params.get("MaxResults") or 100)
        matching = (
            r
            for r in self.state.store.of_kind(kind.noun, self.account, region, after)
            if _matches(r, behaviour, filters) and self._visible(r)
        )
        resources = list(itertools.islice(matching, limit + 1))  # one more: is there a next page?
        page = resources[:limit]
        return Page(page, _make_token(page[-1], query) if len(resources) > limit else None)

    def _delete(self, kind: ResourceKind, params: Params, region: str) -> None:
        """Only settled resources, and none with a child being created or stopped."""
        resource = self._find(str(params[kind.arn_member]), region, kind)
        if resource.status not in DELETABLE:
            allowed = ", ".join(sorted(DELETABLE))
            raise ResourceInUseException(
                f"The {kind.label} {resource.arn} cannot be deleted while its status is {resource.status}; "
                f"it can be deleted when its status is one of {allowed}."
            )
        for child in self.state.store.children(resource.arn, RUNNING):
            raise ResourceInUseException(
                f"The {kind.label} {resource.arn} cannot be deleted while its {child.spec.label} "
                f"{child.arn} is {child.status}."
            )
        resource.status, resource.phase_started = DELETE_PENDING, self.now()
        self.state.store.save(resource)

    def _find(self, arn: str, region: str, *kinds: ResourceKind, settled_only: bool = True) -> Resource:
        """The resource `arn` names, in this account and region, of one of `kinds` if any are given.

        With `settled_only` (the operations on the resource itself), one created too recently to be
        seen under `consistency_seconds` is not found either; parents are looked up without it."""
        parts = parse_arn(arn)
        resource = None
        if parts is not None and parts["region"] == region and parts["account"] == self.account:
            found_kind = BY_ARN_TYPE.get(parts["resource"].split("/", 1)[0])
            if found_kind is not None and (not kinds or found_kind in kinds):
                resource = self.state.store.get(arn)
        if resource is not None and settled_only and not self._visible(resource):
            resource = None
        if resource is None:
            label = " or ".join(kind.label for kind in kinds) if kinds else "resource"
            raise ResourceNotFoundException(f"No {label} found with the arn: {arn}")
        return resource

    def _visible(self, resource: Resource) -> bool:
        """Whether reads see `resource` yet: read-after-create eventual consistency.

        Each resource stays unseen for a share of `consistency_seconds` after its creation, drawn
        from [0, 1) by `Faults.fraction` (fixed by the seed and its ARN)."""
        window = self.state.settings.consistency_seconds
        if window <= 0:
            return True
        return self.now() >= resource.created + window * self.faults.fraction(resource.arn)

    def _require_datasets(self, arns: Sequence[str], region: str) -> None:
        missing = []
        for arn in arns:
            try:
                self._find(arn, region, KINDS["Dataset"], settled_only=False)
            except ResourceNotFoundException:
                missing.append(arn)
        if missing:
            raise InvalidInputException(f"Dataset arns: [{', '.join(missing)}] are not found")


def _document(kind: ResourceKind, behaviour: Behaviour, operation: str, params: Params) -> Json:
    """The new resource's document: the request's members (tags aside), its aliases and extras."""
    variant = behaviour.variant(operation)
    for member in variant.unsupported:
        if params.get(member) is not None:
            raise InvalidInputException(f"The Forecast emulator does not support {member} in {operation}.")
    missing = [member for member in variant.requires if params.get(member) is None]
    if missing:
        raise InvalidInputException(f"{operation} needs {', '.join(missing)} to create a new {kind.label}.")
    shape = operation_model(operation).input_shape
    members = set(shape.members) if shape is not None else set()
    doc = {key: copy.deepcopy(value) for key, value in params.items() if key in members and key != "Tags"}
    for target, path in variant.aliases.items():
        value = _dig(params, path)
        if value is not None:
            doc[target] = copy.deepcopy(value)
    doc.update(variant.extras)
    return doc


def _filter_values(resource: Resource, behaviour: Behaviour, key: str) -> list[Any]:
    """What a filter on `key` compares with: the status, document members, or the resource's ARN."""
    if key == "Status":
        return [resource.status]
    values: list[Any] = []
    for source in behaviour.filter_fields.get(key, (key,)):
        value = resource.arn if source == OWN_ARN else resource.doc.get(source)
        values.extend(value if isinstance(value, list) else [value])
    return values


def _matches(resource: Resource, behaviour: Behaviour, filters: Sequence[Mapping[str, str]]) -> bool:
    for spec in filters:
        found = spec["Value"] in _filter_values(resource, behaviour, spec["Key"])
        if found != (spec["Condition"] == "IS"):
            return False
    return True


def _merge_tags(tags: Tags, new: Sequence[Mapping[str, str]]) -> Tags:
    """`tags` with `new` applied: a key already present takes the new value, in place."""
    merged = {tag["Key"]: tag.get("Value", "") for tag in tags}
    for tag in new:
        merged[tag["Key"]] = tag.get("Value", "")
    return [{"Key": key, "Value": value} for key, value in merged.items()]


def _dig(params: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = params
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


# --- Pagination tokens: where the previous page ended, tied to the query ------------------------


def _make_token(last: Resource, query: str) -> str:
    raw = json.dumps({"after": [last.created, last.arn], "query": query}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _read_token(token: str, query: str) -> tuple[float, str]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        created, arn = decoded["after"]
        if decoded["query"] != query:
            raise ValueError("token from another query")
        return float(created), str(arn)
    except (ValueError, KeyError, TypeError):
        raise InvalidNextTokenException("The NextToken is not valid. Tokens expire after 24 hours.") from None
