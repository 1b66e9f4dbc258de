"""What an export job writes: file names, columns and deterministic content.

Writers are pure: they take what the job knows (`ExportRequest`) and return
the files to put under the job's S3 path (the backend puts them, with
`moto_bridge.put_files`).
The same job always produces the same bytes: values come from a hash of the
exported forecast's (or predictor's) name, dates from a fixed anchor.

Every export, as AWS's recorded runs show it (sources in emulator/README.md,
"Export files"):

- files are `<JobName>_<yyyy-MM-ddTHH-mm-ssZ>_part<N>.csv` (`.parquet` for
  PARQUET, the same tables); `_part0` holds only the header line (a zero-row
  Parquet file), then up to `DATA_PARTS` parts hold whole series, in series
  order; an empty `_SUCCESS` object is written beside the parts, in every
  folder that has parts, once they are all written;
- the timestamp in the names is when the export wrote (`ExportRequest.written`),
  or the job's CreationTime if the caller gives none.

The tables:

- forecast export: `item_id`, the forecast dimensions, `date`
  (`2024-01-01T00:00:00Z`), one column per forecast type (`p10`, `p50`, `mean`),
  one row per series and date;
- predictor backtest export, two folders. `forecasted-values/`: `item_id`,
  dimensions, `timestamp`, `target_value`, `backtestwindow_start_time`,
  `backtestwindow_end_time`, then `mean` (if asked for) and the quantile columns.
  `accuracy-metrics-values/`: `item_id`, dimensions, `backtest_window`,
  `backtestwindow_start_time`, `backtestwindow_end_time`, `wQL[q]` per quantile,
  `Average wQL`, `RMSE`, `WAPE`, `MAPE`, `MASE`: a `Computed` row per series and
  window, then a `Summary` row per series (first window's start, last window's
  end, each metric's mean over the windows). Dates have no `Z`
  (`2023-12-18T00:00:00`); a window's end time is its LAST timestamp;
- explainability export: one wide table directly under the path: `item_id`,
  dimensions, `timestamp`, then per attribute `<Attr>-NormalizedImpactScore`
  and, for a forecast's explainability, `<Attr>-RawImpactScore`. Rows whose
  `item_id` (and dimensions) and `timestamp` are `Aggregate` hold the scores
  aggregated over every series and time point (normalized only); for a
  forecast's explainability each series has a row with `timestamp` `Aggregate`
  and, with `TimePointGranularity` SPECIFIC, a row per time point in
  [StartDateTime, EndDateTime]. A predictor's explainability has the one
  aggregated row;
- what-if forecast export: `item_id`, dimensions, `date`, then per forecast
  type `Baseline_<type>` (the what-if analysis's forecast, the same numbers as
  its forecast export) and `<WhatIfForecastName>_<type>` for each exported
  what-if forecast in request order; one row per series and date.

Where no public record exists (the raw score's column name, column order
within a what-if or explainability table, how many parts) the layout is the
emulator's choice, listed as such in emulator/README.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from forecast_emulator import dates

if TYPE_CHECKING:
    from forecast_emulator.series import SeriesData

#: Forecasts start here; backtest windows end here.
ANCHOR = datetime(2024, 1, 1, tzinfo=UTC)
#: Items (time series) in every export.
ITEMS = 5
#: At most this many parts hold rows (after the header-only `_part0`); a series is never split.
DATA_PARTS = 3
#: Horizon used when longer ones are asked for, to keep exports small.
MAX_HORIZON = 200
#: The object written beside the parts once they are all written.
SUCCESS = "_SUCCESS"
#: The object AWS writes under the destination path when an export starts, to check the location.
#: Writing it belongs to the job's lifecycle (it is not among a writer's files).
CHECK = "_CHECK"
#: `item_id`, dimension values and `timestamp` of the rows of aggregated impact scores.
AGGREGATE = "Aggregate"

Cell = str | float | None
Row = list[Cell]


@dataclass(frozen=True)
class ExportParent:
    """A resource an export exports: a forecast, a predictor, an explainability, a what-if forecast."""

    name: str
    arn: str
    doc: Mapping[str, Any]  # its document (what Describe shows, and what it took from its parents)


@dataclass(frozen=True)
class ExportRequest:
    """What an export job knows when it runs."""

    job_name: str
    created: float  # the job's CreationTime, epoch seconds
    format: str  # CSV | PARQUET
    parents: tuple[ExportParent, ...]  # one, or the what-if forecasts in request order
    written: float | None = None  # when the job writes its files, epoch seconds; None: `created`
    #: The user's series the exported resource derives from (`series.of`); None: synthetic series.
    data: SeriesData | None = None

    @property
    def parent_name(self) -> str:
        return self.parents[0].name

    @property
    def parent(self) -> Mapping[str, Any]:
        return self.parents[0].doc

    @property
    def stamp(self) -> str:
        """The `<ExportTimestamp>` of this job's file names."""
        return export_timestamp(self.created if self.written is None else self.written)


@dataclass(frozen=True)
class OutputFile:
    key: str  # relative to the job's destination path
    body: bytes


Writer = Callable[[ExportRequest], list[OutputFile]]


@dataclass(frozen=True)
class _Table:
    columns: list[str]
    numeric: frozenset[str]
    series: list[list[Row]]  # the rows of each series, kept together in one part


# --- The four writers, one per export kind --------------------------------------------------------


def forecast_export(job: ExportRequest) -> list[OutputFile]:
    series = _Series(job.parent_name, job.parent, job.data)
    columns = ["item_id", *series.dimensions, "date", *series.quantile_columns]
    rows = [
        [
            [
                series.item_id(item),
                *series.dimension_values(item),
                series.date(step),
                *series.quantiles(series.value(item, step)),
            ]
            for step in range(series.horizon)
        ]
        for item in range(series.items)
    ]
    return _files(job, "", _Table(columns, frozenset(series.quantile_columns), rows))


def _backtest_windows(parent: Mapping[str, Any]) -> int:
    evaluation = parent.get("EvaluationParameters") or {}
    return max(1, min(5, int(evaluation.get("NumberOfBacktestWindows", 1))))


def _window(series: _Series, item: int, first: int) -> tuple[list[float], list[float], list[float]]:
    """One series in the window of `horizon` steps from `first`: actuals, predictions and the metrics
    (`wQL[q]` per quantile, `Average wQL` when there are quantiles, RMSE, WAPE, MAPE, MASE)."""
    actuals = [series.actual(item, step) for step in range(first, first + series.horizon)]
    predictions = [series.value(item, step) for step in range(first, first + series.horizon)]
    wqls = [_wql(actuals, [_quantile(p, q) for p in predictions], q) for q in series.quantile_levels]
    average = [round(sum(wqls) / len(wqls), 4)] if wqls else []
    return actuals, predictions, [*wqls, *average, *_point_metrics(actuals, predictions)]


@dataclass(frozen=True)
class AccuracyWindow:
    """GetAccuracyMetrics' view of one backtest window: metrics averaged over the series."""

    start: datetime
    end: datetime  # exclusive: start + horizon
    items: int
    quantiles: list[float]
    wqls: list[float]
    average_wql: float | None
    rmse: float
    wape: float
    mape: float
    mase: float


def accuracy(seed: str, parent: Mapping[str, Any], data: SeriesData | None) -> list[AccuracyWindow]:
    """The backtest windows of a predictor, oldest first, with the means over its series of the
    metrics its backtest export's `Computed` rows hold (the same function computes both)."""
    series = _Series(seed, parent, data)
    result = []
    for window in range(_backtest_windows(parent), 0, -1):
        first = -window * series.horizon
        rows = [_window(series, item, first)[2] for item in range(series.items)]
        means = [round(sum(column) / len(column), 4) for column in zip(*rows, strict=True)] if rows else []
        if not means:
            means = [0.0] * (len(series.quantile_levels) + (1 if series.quantile_levels else 0) + 4)
        wqls = means[: len(series.quantile_levels)]
        result.append(
            AccuracyWindow(
                _offset(series.anchor, series.frequency, first),
                _offset(series.anchor, series.frequency, first + series.horizon),
                series.items,
                list(series.quantile_levels),
                wqls,
                means[len(wqls)] if wqls else None,
                *means[-4:],
            )
        )
    return result


def backtest_export(job: ExportRequest) -> list[OutputFile]:
    series = _Series(job.parent_name, job.parent, job.data)
    windows = _backtest_windows(job.parent)
    dims = series.dimensions
    window_columns = ["backtestwindow_start_time", "backtestwindow_end_time"]
    # AWS's recorded export puts `mean` before the quantiles (Item_Level_Accuracy cell 29).
    types = sorted(series.types, key=lambda t: t != "mean")
    type_columns = [_column_name(t) for t in types]
    forecasted = _Table(
        ["item_id", *dims, "timestamp", "target_value", *window_columns, *type_columns],
        frozenset(["target_value", *type_columns]),
        [],
    )
    wql_columns = [f"wQL[{q}]" for q in series.quantile_levels]
    metric_columns = [*wql_columns, *(["Average wQL"] if wql_columns else []), "RMSE", "WAPE", "MAPE", "MASE"]
    accuracy = _Table(
        ["item_id", *dims, "backtest_window", *window_columns, *metric_columns], frozenset(metric_columns), []
    )
    # Windows of one horizon each, oldest first, the last one ending just before the forecast; a window's
    # end time is its last timestamp.
    windows_at = [
        (
            first,
            _plain_date(_offset(series.anchor, series.frequency, first)),
            _plain_date(_offset(series.anchor, series.frequency, first + series.horizon - 1)),
        )
        for first in (-window * series.horizon for window in range(windows, 0, -1))
    ]
    for item in range(series.items):
        keys: Row = [series.item_id(item), *series.dimension_values(item)]
        values: list[Row] = []
        metrics: list[Row] = []
        per_window: list[list[float]] = []
        for first, start, end in windows_at:
            actuals, predictions, window_metrics = _window(series, item, first)
            for step, actual, predicted in zip(
                range(first, first + series.horizon), actuals, predictions, strict=True
            ):
                values.append(
                    [
                        *keys,
                        series.plain_date(step),
                        actual,
                        start,
                        end,
                        *[predicted if t == "mean" else _quantile(predicted, float(t)) for t in types],
                    ]
                )
            per_window.append(window_metrics)
            metrics.append([*keys, "Computed", start, end, *window_metrics])
        summary = [round(sum(column) / len(column), 4) for column in zip(*per_window, strict=True)]
        metrics.append([*keys, "Summary", windows_at[0][1], windows_at[-1][2], *summary])
        forecasted.series.append(values)
        accuracy.series.append(metrics)
    return _files(job, "forecasted-values/", forecasted) + _files(job, "accuracy-metrics-values/", accuracy)


#: Attributes an explainability reports when its predictor names none (no related data, no
#: additional datasets, as with the seeded predictor).
DEFAULT_ATTRIBUTES = ("price", "promotion")


def explainability_export(job: ExportRequest) -> list[OutputFile]:
    explainability = job.parents[0]
    doc = explainability.doc
    series = _Series(explainability.name, doc, job.data)
    attributes = _attributes(doc, job.data.related if job.data else ())
    of_forecast = _arn_type(str(doc.get("ResourceArn", ""))) == "forecast"
    score_columns = [
        column
        for attribute in attributes
        for column in (
            [f"{attribute}-NormalizedImpactScore", f"{attribute}-RawImpactScore"]
            if of_forecast
            else [f"{attribute}-NormalizedImpactScore"]
        )
    ]
    columns = ["item_id", *series.dimensions, "timestamp", *score_columns]
    everything: Row = [
        AGGREGATE,
        *[AGGREGATE for _ in series.dimensions],
        AGGREGATE,
        *[
            cell
            for attribute in attributes
            for cell in ([series.impact(attribute), None] if of_forecast else [series.impact(attribute)])
        ],
    ]
    groups: list[list[Row]] = [[everything]]
    if of_forecast:
        points = _time_points(series, doc)
        for item in range(series.items):
            keys = [series.item_id(item), *series.dimension_values(item)]
            rows: list[Row] = []
            for step, timestamp in points:
                rows.append([*keys, timestamp, *_scores(series, attributes, item, step)])
            rows.append([*keys, AGGREGATE, *_scores(series, attributes, item, None)])
            groups.append(rows)
    return _files(job, "", _Table(columns, frozenset(score_columns), groups))


def what_if_forecast_export(job: ExportRequest) -> list[OutputFile]:
    shape = _Series(
        job.parent_name, job.parent, job.data
    )  # the first what-if forecast sets columns and dates
    # A what-if forecast is its analysis's baseline forecast, scaled by a factor of its own; the
    # baseline's numbers are the forecast export's of that forecast.
    baseline = _Series(
        _arn_name(str(job.parent.get("ForecastArn", ""))) or job.parent_name, job.parent, job.data
    )
    factors = [0.8 + 0.4 * _Series(what_if.name, job.parent).unit("scenario") for what_if in job.parents]
    names = ["Baseline", *(what_if.name for what_if in job.parents)]
    value_columns = [f"{name}_{column}" for column in shape.quantile_columns for name in names]
    rows: list[list[Row]] = []
    for item in range(shape.items):
        item_rows: list[Row] = []
        for step in range(shape.horizon):
            mean = baseline.value(item, step)
            means = [mean, *(round(mean * factor, 4) for factor in factors)]
            per_forecast = [shape.quantiles(m) for m in means]  # [forecast][type]
            item_rows.append(
                [
                    shape.item_id(item),
                    *shape.dimension_values(item),
                    shape.date(step),
                    *[per_forecast[f][t] for t in range(len(shape.types)) for f in range(len(names))],
                ]
            )
        rows.append(item_rows)
    return _files(
        job,
        "",
        _Table(["item_id", *shape.dimensions, "date", *value_columns], frozenset(value_columns), rows),
    )


def predictions(
    seed: str,
    parent: Mapping[str, Any],
    data: SeriesData | None,
    wanted: Callable[[tuple[str, ...]], bool],
    what_if: str | None = None,
) -> list[tuple[tuple[str, ...], dict[str, list[tuple[datetime, float]]]]]:
    """The forecast of the series whose key (item_id, *dimension values) is `wanted`, as the exports
    hold it: (key, {column: [(date, value)]}). `seed` is the forecast's name; `what_if` a what-if
    forecast's name (its scaled numbers)."""
    series = _Series(seed, parent, data)
    factor = 1.0 if what_if is None else 0.8 + 0.4 * _Series(what_if, parent).unit("scenario")
    result = []
    for item in range(series.items):
        key = (series.item_id(item), *series.dimension_values(item))
        if not wanted(key):
            continue
        columns: dict[str, list[tuple[datetime, float]]] = {name: [] for name in series.quantile_columns}
        for step in range(series.horizon):
            mean = series.value(item, step)
            moment = series.moment(step)
            values = series.quantiles(mean if what_if is None else round(mean * factor, 4))
            for name, value in zip(series.quantile_columns, values, strict=True):
                columns[name].append((moment, float(value or 0.0)))
        result.append((key, columns))
    return result


def _scores(series: _Series, attributes: Sequence[str], item: int, step: int | None) -> list[Cell]:
    """Normalized and raw impact scores of one series, at one time point or aggregated (step None)."""
    cells: list[Cell] = []
    for attribute in attributes:
        normalized = series.impact(attribute, item, step)
        cells += [normalized, round(normalized * series.value(item, step or 0), 4)]
    return cells


def _time_points(series: _Series, doc: Mapping[str, Any]) -> list[tuple[int, str]]:
    """The forecast's time points an explainability scores one by one: none unless SPECIFIC."""
    config = doc.get("ExplainabilityConfig") or {}
    if config.get("TimePointGranularity") != "SPECIFIC":
        return []
    first = str(doc.get("StartDateTime") or "")  # yyyy-MM-ddTHH:mm:ss, as the request gave it
    last = str(doc.get("EndDateTime") or "")
    points = []
    for step in range(series.horizon):
        moment = _offset(series.anchor, series.frequency, step)
        if (not first or _plain_date(moment) >= first) and (not last or _plain_date(moment) <= last):
            points.append((step, _date(moment)))
    return points


def _attributes(doc: Mapping[str, Any], related: Sequence[str]) -> list[str]:
    """The predictor's attribute configs, the dataset group's related time series and item metadata
    attributes (explained without attribute configs: AFS Item_Level_Explanability.ipynb cells 33, 40,
    71, 155, markdown 68) and additional datasets, or DEFAULT_ATTRIBUTES."""
    config = doc.get("DataConfig") or {}
    names = [str(a["AttributeName"]) for a in config.get("AttributeConfigs") or [] if a.get("AttributeName")]
    names += related
    for dataset in config.get("AdditionalDatasets") or []:
        names += _additional_attributes(dataset)
    return list(dict.fromkeys(names)) or list(DEFAULT_ATTRIBUTES)


def _additional_attributes(dataset: Mapping[str, Any]) -> list[str]:
    """The attributes an additional dataset adds: the holidays of country CC are `Holiday_CC`
    (`{"Name": "holiday", "Configuration": {"CountryCode": ["US"]}}` is explained as `Holiday_US`,
    AFS Item_Level_Explanability.ipynb cells 71, 91, 155); any other, its name."""
    name = str(dataset.get("Name") or "")
    codes = ((dataset.get("Configuration") or {}).get("CountryCode") or []) if name == "holiday" else []
    return [f"Holiday_{code}" for code in codes] or ([name] if name else [])


def _arn_type(arn: str) -> str:
    return arn.split(":", 5)[-1].split("/", 1)[0] if arn.count(":") >= 5 else ""


def _arn_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1] if "/" in arn else ""


# --- Deterministic series -------------------------------------------------------------------------


class _Series:
    """The numbers behind an export: a seasonal level per item, seeded by the parent's name.

    With the user's data (`series.SeriesData`), the items, dimension values and levels are theirs
    and dates start one step after the data's end; without, ITEMS synthetic items from ANCHOR."""

    def __init__(self, seed: str, parent: Mapping[str, Any], data: SeriesData | None = None) -> None:
        self.seed = seed
        self.data = data
        self.horizon = max(1, min(MAX_HORIZON, int(parent.get("ForecastHorizon") or 10)))
        self.frequency = str(parent.get("ForecastFrequency") or "D")
        self.dimensions: list[str] = list(parent.get("ForecastDimensions") or [])
        types = [str(t) for t in parent.get("ForecastTypes") or ["0.1", "0.5", "0.9"]]
        self.types = types
        self.quantile_columns = [_column_name(t) for t in types]
        self.quantile_levels = [float(t) for t in types if t != "mean"]
        self.items = data.count if data is not None else ITEMS
        self.anchor = data.forecast_start(self.frequency) if data is not None else ANCHOR
        self._moments: dict[int, datetime] = {}
        self._dates: dict[int, str] = {}
        self._plain_dates: dict[int, str] = {}
        self._shapes: dict[int, tuple[float, float, float]] = {}

    def moment(self, step: int) -> datetime:
        """The timestamp `step` periods after the anchor (the forecast's first date)."""
        found = self._moments.get(step)
        if found is None:
            found = self._moments[step] = _offset(self.anchor, self.frequency, step)
        return found

    def date(self, step: int) -> str:
        found = self._dates.get(step)
        if found is None:
            found = self._dates[step] = _date(self.moment(step))
        return found

    def plain_date(self, step: int) -> str:
        found = self._plain_dates.get(step)
        if found is None:
            found = self._plain_dates[step] = _plain_date(self.moment(step))
        return found

    def unit(self, *parts: object) -> float:
        """A number in [0, 1) fixed by the seed and `parts`."""
        digest = hashlib.sha256(":".join([self.seed, *map(str, parts)]).encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    def impact(self, attribute: str, item: int | None = None, step: int | None = None) -> float:
        """A normalized impact score in [-1, 1]: of one time series (at one time point), or aggregated."""
        scope: list[object] = ["all"] if item is None else [item] if step is None else [item, step]
        return round(2 * self.unit("impact", attribute, *scope) - 1, 4)

    def item_id(self, item: int) -> str:
        if self.data is not None:
            return self.data.keys[item][0]
        return f"item_{item + 1:03d}"

    def dimension_values(self, item: int) -> list[str]:
        if self.data is not None:
            return list(self.data.keys[item][1:])
        return [f"{dimension}_{item % 2 + 1}" for dimension in self.dimensions]

    def _token(self, item: int) -> object:
        """What fixes an item's numbers: its index, or its key when the series are the user's."""
        return item if self.data is None else "|".join(self.data.keys[item])

    def _shape(self, item: int) -> tuple[float, float, float]:
        """An item's level, phase and trend."""
        shape = self._shapes.get(item)
        if shape is None:
            token = self._token(item)
            level = self.data.levels[item] if self.data is not None else 20 + 100 * self.unit("level", token)
            phase = 2 * math.pi * self.unit("phase", token)
            trend = 0.2 * (self.unit("trend", token) - 0.5)
            shape = self._shapes[item] = (level, phase, trend)
        return shape

    def value(self, item: int, step: int) -> float:
        level, phase, trend = self._shape(item)
        return round(
            max(0.0, level * (1 + 0.25 * math.sin(2 * math.pi * step / 7 + phase)) + trend * step), 4
        )

    def actual(self, item: int, step: int) -> float:
        noise = 0.2 * (self.unit("noise", self._token(item), step) - 0.5)
        return round(self.value(item, step) * (1 + noise), 4)

    def quantiles(self, mean: float) -> list[Cell]:
        return [mean if t == "mean" else _quantile(mean, float(t)) for t in self.types]


def _quantile(mean: float, level: float) -> float:
    return round(mean * (1 + 0.8 * (level - 0.5)), 4)


def _column_name(forecast_type: str) -> str:
    if forecast_type == "mean":
        return "mean"
    return f"p{round(float(forecast_type) * 100):d}"


def _wql(actuals: Sequence[float], predicted: Sequence[float], q: float) -> float:
    loss = sum(
        q * max(a - p, 0.0) + (1 - q) * max(p - a, 0.0) for a, p in zip(actuals, predicted, strict=True)
    )
    return round(2 * loss / (sum(abs(a) for a in actuals) or 1.0), 4)


def _point_metrics(actuals: Sequence[float], predictions: Sequence[float]) -> list[float]:
    errors = [a - p for a, p in zip(actuals, predictions, strict=True)]
    n = len(errors)
    rmse = math.sqrt(sum(e * e for e in errors) / n)
    wape = sum(abs(e) for e in errors) / (sum(abs(a) for a in actuals) or 1.0)
    mape = sum(abs(e) / abs(a) for e, a in zip(errors, actuals, strict=True) if a) / n
    naive = [abs(actuals[i] - actuals[i - 1]) for i in range(1, n)]
    scale = sum(naive) / len(naive) if naive and sum(naive) else 1.0
    mase = sum(abs(e) for e in errors) / n / scale
    return [round(value, 4) for value in (rmse, wape, mape, mase)]


# --- Dates ----------------------------------------------------------------------------------------


def _offset(start: datetime, frequency: str, steps: int) -> datetime:
    return dates.offset(start, frequency, steps)


def _date(moment: datetime) -> str:
    """Dates of forecast, what-if and explainability exports: `2019-02-01T00:00:00Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _plain_date(moment: datetime) -> str:
    """Dates of backtest exports: `2017-06-21T23:00:00`, no zone."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def export_timestamp(moment: float) -> str:
    """The `<ExportTimestamp>` of file names: Java's yyyy-MM-ddTHH-mm-ssZ, in UTC."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


# --- Files ----------------------------------------------------------------------------------------


def _files(job: ExportRequest, folder: str, table: _Table) -> list[OutputFile]:
    """`_part0` with the header only, the series in at most DATA_PARTS parts, then `_SUCCESS`."""
    parquet = job.format == "PARQUET"
    stem = f"{folder}{job.job_name}_{job.stamp}"
    count = min(len(table.series), DATA_PARTS)
    parts: list[list[Row]] = [[]]
    for part in range(count):
        chunk = table.series[part * len(table.series) // count : (part + 1) * len(table.series) // count]
        parts.append([row for rows in chunk for row in rows])
    files = []
    for number, rows in enumerate(parts):
        body = _parquet(table, rows) if parquet else _csv(table, rows)
        files.append(OutputFile(f"{stem}_part{number}.{'parquet' if parquet else 'csv'}", body))
    return [*files, OutputFile(f"{folder}{SUCCESS}", b"")]


def _csv(table: _Table, rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(rows)  # None is written as an empty field
    return buffer.getvalue().encode()


def _parquet(table: _Table, rows: list[Row]) -> bytes:
    import pyarrow as pa  # imported when a PARQUET job runs: it is slow to import
    import pyarrow.parquet as pq

    arrays = {}
    for index, column in enumerate(table.columns):
        values = [row[index] for row in rows]
        arrays[column] = pa.array(values, type=pa.float64() if column in table.numeric else pa.string())
    buffer = io.BytesIO()
    pq.write_table(pa.table(arrays), buffer)
    return buffer.getvalue()
