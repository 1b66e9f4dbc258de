"""The user's data: what an import reads from S3, and the series everything downstream derives from.

CreateDatasetImportJob reads its S3 object(s) at once, as Forecast does (a path
with no objects is refused synchronously, AFS issue 77): CSV rows in the
dataset's schema order, a header row skipped. The import keeps a compact
summary of the series it read (`SeriesData`, in its document under `_series`):
the dimension names, each series' key (item id and dimension values) and mean
target, and the data's last timestamp. Not the points themselves: a few
thousand series stay a few hundred kilobytes, decoded once.

Predictors, forecasts, explainabilities, what-if analyses and forecasts, and
their exports find their series by walking up to the dataset group, its
target time series dataset, and that dataset's latest ACTIVE import (the most
recent import is the one used, DG dataset-import-guidelines-troubleshooting).
A `TimeSeriesSelector` on a forecast or what-if analysis of the chain limits
the series to those its S3 file lists. Without an import, there is no data,
and exports keep their synthetic series (`output.py`).
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from forecast_emulator import moto_bridge
from forecast_emulator.dates import align_up, offset
from forecast_emulator.exceptions import InvalidInputException
from forecast_emulator.store import Resource, Store
from pulumi_aws_forecast.catalog import ACTIVE

#: At most this many series are kept per import (the first ones met in the files); the rest are dropped.
MAX_SERIES = 10_000
#: The document field of an import job holding its `SeriesData`.
FIELD = "_series"

_TARGET_NAMES = ("target_value", "demand")


@dataclass(frozen=True)
class SeriesData:
    """The series of one import, as the resources downstream see them."""

    dimensions: tuple[str, ...]  # the forecast dimensions' names (the key after item_id)
    keys: tuple[tuple[str, ...], ...]  # per series: (item_id, *dimension values), in the order first read
    levels: tuple[float, ...]  # per series: the mean of its target values
    end: datetime  # the data's last timestamp (UTC, naive values read as UTC)
    frequency: str  # the dataset's DataFrequency
    # the group's related time series and item metadata attributes (set by `of`, not stored)
    related: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.keys)

    def to_doc(self) -> dict[str, Any]:
        return {
            "dimensions": list(self.dimensions),
            "keys": [list(key) for key in self.keys],
            "levels": list(self.levels),
            "end": self.end.strftime("%Y-%m-%dT%H:%M:%S"),
            "frequency": self.frequency,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> SeriesData:
        return cls(
            tuple(doc["dimensions"]),
            tuple(tuple(key) for key in doc["keys"]),
            tuple(float(level) for level in doc["levels"]),
            datetime.fromisoformat(str(doc["end"])).replace(tzinfo=UTC),
            str(doc["frequency"]),
        )

    def by(self, dimensions: Sequence[str]) -> SeriesData:
        """The series keyed by item_id and `dimensions` (a predictor's ForecastDimensions), merged.

        A dimension the data does not have gets the synthetic series' values (`<dimension>_1` or
        `_2`, alternating), as without data (AWS would refuse such a predictor; our choice)."""
        if tuple(dimensions) == self.dimensions:
            return self
        index = [self.dimensions.index(d) + 1 if d in self.dimensions else None for d in dimensions]
        merged: dict[tuple[str, ...], list[float]] = {}
        for number, (key, level) in enumerate(zip(self.keys, self.levels, strict=True)):
            new = (
                key[0],
                *(
                    key[i] if i is not None else f"{d}_{number % 2 + 1}"
                    for d, i in zip(dimensions, index, strict=True)
                ),
            )
            merged.setdefault(new, []).append(level)
        keys = tuple(merged)
        levels = tuple(sum(values) / len(values) for values in merged.values())
        return SeriesData(tuple(dimensions), keys, levels, self.end, self.frequency)

    def only(self, selected: set[tuple[str, ...]], names: Sequence[str]) -> SeriesData:
        """The series whose values of `names` (item_id and dimensions) are one of `selected`."""
        columns = ["item_id", *self.dimensions]
        index = [columns.index(name) for name in names if name in columns]
        kept = [
            (key, level)
            for key, level in zip(self.keys, self.levels, strict=True)
            if tuple(key[i] for i in index) in selected
        ]
        return SeriesData(
            self.dimensions,
            tuple(key for key, _ in kept),
            tuple(level for _, level in kept),
            self.end,
            self.frequency,
        )

    def forecast_start(self, frequency: str) -> datetime:
        """The first forecast timestamp: the data's end plus one data step, aligned up to `frequency`."""
        return align_up(offset(self.end, self.frequency, 1), frequency)


# --- Reading an import ----------------------------------------------------------------------------


def read_import(dataset: Resource, params: Mapping[str, Any], account: str, region: str) -> SeriesData:
    """The series the import's S3 path holds, or InvalidInputException when it holds no objects."""
    path = str(params["DataSource"]["S3Config"]["Path"])
    bodies = moto_bridge.read_objects(account, region, path)
    if not bodies:
        raise InvalidInputException(
            f"No objects found in s3 path {path}, please ensure the path is specified correctly."
        )
    attributes = [str(a["AttributeName"]) for a in (dataset.doc.get("Schema") or {}).get("Attributes") or []]
    types = {
        str(a["AttributeName"]): str(a.get("AttributeType", "string"))
        for a in (dataset.doc.get("Schema") or {}).get("Attributes") or []
    }
    item = attributes.index("item_id") if "item_id" in attributes else 0
    stamp = attributes.index("timestamp") if "timestamp" in attributes else 1
    numeric = [i for i, name in enumerate(attributes) if types[name] in ("float", "integer")]
    target = next(
        (attributes.index(n) for n in _TARGET_NAMES if n in attributes), numeric[0] if numeric else None
    )
    dims = [
        i
        for i, name in enumerate(attributes)
        if i not in (item, stamp) and types[name] == "string" and not name.startswith("geolocation")
    ]
    sums: dict[tuple[str, ...], list[float]] = {}
    end = ""
    width = max(item, stamp, *dims, *([target] if target is not None else [])) + 1
    key_of = operator.itemgetter(item, *dims) if dims else None
    for body in bodies:
        reader = csv.reader(io.StringIO(body.decode("utf-8-sig", errors="replace")))
        first = next(reader, None)
        if first is None:
            continue
        header = len(first) < width or not _looks_like_time(first[stamp])
        for row in reader if header else itertools.chain([first], reader):
            if len(row) < width:
                continue  # a short line
            key = key_of(row) if key_of is not None else (row[item],)
            totals = sums.get(key)
            if totals is None:
                if len(sums) >= MAX_SERIES:
                    continue
                totals = sums[key] = [0.0, 0.0]
            if target is not None:
                try:
                    totals[0] += float(row[target])
                    totals[1] += 1
                except ValueError:
                    pass
            if row[stamp] > end:
                end = row[stamp]
    if not sums:
        raise InvalidInputException(f"No data rows found in s3 path {path}, in the dataset's schema order.")
    return SeriesData(
        tuple(attributes[i] for i in dims),
        tuple(sums),
        tuple(round(total / count, 4) if count else 0.0 for total, count in sums.values()),
        _parse_time(end),
        str(dataset.doc.get("DataFrequency") or "D"),
    )


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _looks_like_time(value: str) -> bool:
    return _TIME.match(value) is not None


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.strip().replace("Z", "")).replace(tzinfo=UTC)


# --- Finding a resource's series ------------------------------------------------------------------


def of(store: Store, resource: Resource) -> SeriesData | None:
    """The series `resource` derives from (keyed by its ForecastDimensions), or None without data."""
    selectors: list[Mapping[str, Any]] = []
    dimensions: Sequence[str] = resource.doc.get("ForecastDimensions") or []
    current: Resource | None = resource
    group: Resource | None = None
    while current is not None and group is None:
        if current.doc.get("TimeSeriesSelector"):
            selectors.append(current.doc["TimeSeriesSelector"])
        dimensions = dimensions or current.doc.get("ForecastDimensions") or []
        group_arn = current.doc.get("DatasetGroupArn")
        if current.kind == "DatasetGroup":
            group = current
        elif group_arn:
            group = store.get(str(group_arn))
        current = store.get(current.parent_arn) if current.parent_arn else None
    if group is None:
        return None
    data = _latest_import(store, group)
    if data is None:
        return None
    data = data.by(dimensions)
    for selector in selectors:
        chosen = _selection(resource.account, resource.region, selector)
        if chosen is not None:
            data = data.only(*chosen)
    return replace(data, related=_related_attributes(store, group))


def _related_attributes(store: Store, group: Resource) -> tuple[str, ...]:
    """The attributes of the group's related time series (not the keys it shares with the target
    time series) and item metadata (not item_id) datasets, in schema order."""
    schemas: dict[str, list[str]] = {}
    for arn in group.doc.get("DatasetArns") or []:
        dataset = store.get(str(arn))
        if dataset is not None:
            attributes = (dataset.doc.get("Schema") or {}).get("Attributes") or []
            names = [str(a["AttributeName"]) for a in attributes]
            schemas.setdefault(str(dataset.doc.get("DatasetType")), names)
    keys = {"item_id", "timestamp", *schemas.get("TARGET_TIME_SERIES", [])}
    related = schemas.get("RELATED_TIME_SERIES", []) + schemas.get("ITEM_METADATA", [])
    return tuple(dict.fromkeys(name for name in related if name not in keys))


def _latest_import(store: Store, group: Resource) -> SeriesData | None:
    for arn in group.doc.get("DatasetArns") or []:
        dataset = store.get(str(arn))
        if dataset is None or dataset.doc.get("DatasetType") != "TARGET_TIME_SERIES":
            continue
        imports = [job for job in store.children(dataset.arn, {ACTIVE}) if FIELD in job.doc]
        if imports:
            latest = max(imports, key=lambda job: job.created)
            return SeriesData.from_doc(latest.doc[FIELD])
    return None


def _selection(
    account: str, region: str, selector: Mapping[str, Any]
) -> tuple[set[tuple[str, ...]], list[str]] | None:
    """The keys a TimeSeriesSelector's file lists, with the attribute names they are values of."""
    identifiers = selector.get("TimeSeriesIdentifiers") or {}
    path = ((identifiers.get("DataSource") or {}).get("S3Config") or {}).get("Path")
    if not path:
        return None
    names = [str(a["AttributeName"]) for a in (identifiers.get("Schema") or {}).get("Attributes") or []]
    names = names or ["item_id"]
    selected: set[tuple[str, ...]] = set()
    for body in moto_bridge.read_objects(account, region, str(path)):
        for row in csv.reader(io.StringIO(body.decode("utf-8-sig", errors="replace"))):
            if len(row) >= len(names):
                selected.add(tuple(cell.strip() for cell in row[: len(names)]))
    return selected, names
