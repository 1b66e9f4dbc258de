"""What an export job writes: file names, columns and deterministic content.

Writers are pure: they take what the job knows (`ExportRequest`) and return
the files to put under the job's S3 path (the backend puts them, with
`moto_bridge.put_files`).
The same job always produces the same bytes: values come from a hash of the
exported forecast's (or predictor's) name, dates from a fixed anchor.

Layout, as the API reference describes it:

- forecast export: `<JobName>_<yyyy-MM-ddTHH-mm-ssZ>_part<N>.csv`, columns
  `item_id`, the forecast dimensions, `date`, one column per forecast type
  (`p10`, `p50`, `p90`, `mean`).
- predictor backtest export: the same names under two folders,
  `forecasted-values/` (`item_id`, dimensions, `timestamp`, `target_value`,
  `backtestwindow_start_time`, `backtestwindow_end_time`, quantile columns)
  and `accuracy-metrics-values/` (`item_id`, dimensions, the window, `wQL[q]`
  per quantile, `RMSE`, `WAPE`, `MAPE`, `MASE`).

And as the emulator chose where the documentation is silent (emulator/README.md):

- explainability export: `aggregated-impact-scores/` (`attribute_name`,
  `normalized_impact_score`) and, for a forecast's explainability,
  `time-series-impact-scores/` (`item_id`, dimensions, `attribute_name`,
  `normalized_impact_score`, `raw_impact_score`), same file names;
- what-if forecast export: `item_id`, dimensions, `date`, `what_if_forecast_name`,
  one column per forecast type; the rows of every exported what-if forecast,
  in request order.

PARQUET jobs write the same tables as Parquet files ending `.parquet`.
The timestamp in the names is the job's CreationTime.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

#: Forecasts start here; backtest windows end here.
ANCHOR = datetime(2024, 1, 1, tzinfo=UTC)
#: Items (time series) in every export.
ITEMS = 5
#: Rows per file: larger exports are split into _part0, _part1, ...
ROWS_PER_PART = 100
#: Horizon used when longer ones are asked for, to keep exports small.
MAX_HORIZON = 200

Cell = str | float
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

    @property
    def parent_name(self) -> str:
        return self.parents[0].name

    @property
    def parent(self) -> Mapping[str, Any]:
        return self.parents[0].doc


@dataclass(frozen=True)
class OutputFile:
    key: str  # relative to the job's destination path
    body: bytes


Writer = Callable[[ExportRequest], list[OutputFile]]


@dataclass(frozen=True)
class _Table:
    columns: list[str]
    numeric: frozenset[str]
    rows: list[Row]


# --- The four writers, one per export kind --------------------------------------------------------


def forecast_export(job: ExportRequest) -> list[OutputFile]:
    series = _Series(job.parent_name, job.parent)
    columns = ["item_id", *series.dimensions, "date", *series.quantile_columns]
    rows: list[Row] = []
    for item in range(ITEMS):
        for step in range(series.horizon):
            mean = series.value(item, step)
            rows.append(
                [
                    series.item_id(item),
                    *series.dimension_values(item),
                    _date(_offset(ANCHOR, series.frequency, step)),
                    *series.quantiles(mean),
                ]
            )
    table = _Table(columns, frozenset(series.quantile_columns), rows)
    return _files(job, "", table)


def backtest_export(job: ExportRequest) -> list[OutputFile]:
    series = _Series(job.parent_name, job.parent)
    evaluation = job.parent.get("EvaluationParameters") or {}
    windows = max(1, min(5, int(evaluation.get("NumberOfBacktestWindows", 1))))
    dims = series.dimensions
    window_columns = ["backtestwindow_start_time", "backtestwindow_end_time"]
    forecasted = _Table(
        ["item_id", *dims, "timestamp", "target_value", *window_columns, *series.quantile_columns],
        frozenset(["target_value", *series.quantile_columns]),
        [],
    )
    metric_columns = [f"wQL[{q}]" for q in series.quantile_levels] + ["RMSE", "WAPE", "MAPE", "MASE"]
    accuracy = _Table(["item_id", *dims, *window_columns, *metric_columns], frozenset(metric_columns), [])
    for window in range(windows, 0, -1):
        first = -window * series.horizon
        window_start = _date(_offset(ANCHOR, series.frequency, first))
        window_end = _date(_offset(ANCHOR, series.frequency, first + series.horizon))
        for item in range(ITEMS):
            actuals: list[float] = []
            predictions: list[float] = []
            per_quantile: dict[float, list[float]] = {q: [] for q in series.quantile_levels}
            for step in range(first, first + series.horizon):
                predicted = series.value(item, step)
                actual = series.actual(item, step)
                actuals.append(actual)
                predictions.append(predicted)
                for q in series.quantile_levels:
                    per_quantile[q].append(_quantile(predicted, q))
                forecasted.rows.append(
                    [
                        series.item_id(item),
                        *series.dimension_values(item),
                        _date(_offset(ANCHOR, series.frequency, step)),
                        actual,
                        window_start,
                        window_end,
                        *series.quantiles(predicted),
                    ]
                )
            accuracy.rows.append(
                [
                    series.item_id(item),
                    *series.dimension_values(item),
                    window_start,
                    window_end,
                    *[_wql(actuals, per_quantile[q], q) for q in series.quantile_levels],
                    *_point_metrics(actuals, predictions),
                ]
            )
    return _files(job, "forecasted-values/", forecasted) + _files(job, "accuracy-metrics-values/", accuracy)


#: Attributes an explainability reports when its predictor names none (no related data, no
#: additional datasets, as with the seeded predictor).
DEFAULT_ATTRIBUTES = ("price", "promotion")


def explainability_export(job: ExportRequest) -> list[OutputFile]:
    explainability = job.parents[0]
    series = _Series(explainability.name, explainability.doc)
    attributes = _attributes(explainability.doc)
    files: list[OutputFile] = []
    if _arn_type(str(explainability.doc.get("ResourceArn", ""))) == "forecast":
        per_series = _Table(
            ["item_id", *series.dimensions, "attribute_name", "normalized_impact_score", "raw_impact_score"],
            frozenset({"normalized_impact_score", "raw_impact_score"}),
            [
                [
                    series.item_id(item),
                    *series.dimension_values(item),
                    attribute,
                    series.impact(attribute, item),
                    round(series.impact(attribute, item) * series.value(item, 0), 4),
                ]
                for item in range(ITEMS)
                for attribute in attributes
            ],
        )
        files += _files(job, "time-series-impact-scores/", per_series)
    aggregated = _Table(
        ["attribute_name", "normalized_impact_score"],
        frozenset({"normalized_impact_score"}),
        [[attribute, series.impact(attribute)] for attribute in attributes],
    )
    return files + _files(job, "aggregated-impact-scores/", aggregated)


def what_if_forecast_export(job: ExportRequest) -> list[OutputFile]:
    shape = _Series(job.parent_name, job.parent)  # the first what-if forecast sets columns and dates
    columns = ["item_id", *shape.dimensions, "date", "what_if_forecast_name", *shape.quantile_columns]
    rows: list[Row] = []
    for what_if in job.parents:
        # A what-if forecast is its analysis's baseline forecast, scaled by a factor of its own.
        baseline = _Series(_arn_name(str(what_if.doc.get("ForecastArn", ""))) or what_if.name, job.parent)
        factor = 0.8 + 0.4 * _Series(what_if.name, job.parent).unit("scenario")
        for item in range(ITEMS):
            for step in range(shape.horizon):
                mean = round(baseline.value(item, step) * factor, 4)
                rows.append(
                    [
                        shape.item_id(item),
                        *shape.dimension_values(item),
                        _date(_offset(ANCHOR, shape.frequency, step)),
                        what_if.name,
                        *shape.quantiles(mean),
                    ]
                )
    return _files(job, "", _Table(columns, frozenset(shape.quantile_columns), rows))


def _attributes(doc: Mapping[str, Any]) -> list[str]:
    """The predictor's related attributes and additional datasets, or DEFAULT_ATTRIBUTES."""
    config = doc.get("DataConfig") or {}
    names = [str(a["AttributeName"]) for a in config.get("AttributeConfigs") or [] if a.get("AttributeName")]
    names += [str(d["Name"]) for d in config.get("AdditionalDatasets") or [] if d.get("Name")]
    return list(dict.fromkeys(names)) or list(DEFAULT_ATTRIBUTES)


def _arn_type(arn: str) -> str:
    return arn.split(":", 5)[-1].split("/", 1)[0] if arn.count(":") >= 5 else ""


def _arn_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1] if "/" in arn else ""


# --- Deterministic series -------------------------------------------------------------------------


class _Series:
    """The numbers behind an export: a seasonal level per item, seeded by the parent's name."""

    def __init__(self, seed: str, parent: Mapping[str, Any]) -> None:
        self.seed = seed
        self.horizon = max(1, min(MAX_HORIZON, int(parent.get("ForecastHorizon") or 10)))
        self.frequency = str(parent.get("ForecastFrequency") or "D")
        self.dimensions: list[str] = list(parent.get("ForecastDimensions") or [])
        types = [str(t) for t in parent.get("ForecastTypes") or ["0.1", "0.5", "0.9"]]
        self.types = types
        self.quantile_columns = [_column_name(t) for t in types]
        self.quantile_levels = [float(t) for t in types if t != "mean"]

    def unit(self, *parts: object) -> float:
        """A number in [0, 1) fixed by the seed and `parts`."""
        digest = hashlib.sha256(":".join([self.seed, *map(str, parts)]).encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    def impact(self, attribute: str, item: int | None = None) -> float:
        """A normalized impact score in [-1, 1]: of one time series, or aggregated (item None)."""
        return round(2 * self.unit("impact", attribute, "all" if item is None else item) - 1, 4)

    def item_id(self, item: int) -> str:
        return f"item_{item + 1:03d}"

    def dimension_values(self, item: int) -> list[str]:
        return [f"{dimension}_{item % 2 + 1}" for dimension in self.dimensions]

    def value(self, item: int, step: int) -> float:
        level = 20 + 100 * self.unit("level", item)
        phase = 2 * math.pi * self.unit("phase", item)
        trend = 0.2 * (self.unit("trend", item) - 0.5)
        return round(
            max(0.0, level * (1 + 0.25 * math.sin(2 * math.pi * step / 7 + phase)) + trend * step), 4
        )

    def actual(self, item: int, step: int) -> float:
        noise = 0.2 * (self.unit("noise", item, step) - 0.5)
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

_FIXED_STEPS = {
    "W": timedelta(weeks=1),
    "D": timedelta(days=1),
    "H": timedelta(hours=1),
    "30min": timedelta(minutes=30),
    "15min": timedelta(minutes=15),
    "10min": timedelta(minutes=10),
    "5min": timedelta(minutes=5),
    "1min": timedelta(minutes=1),
}


def _offset(start: datetime, frequency: str, steps: int) -> datetime:
    if frequency in ("Y", "M"):
        months = steps * (12 if frequency == "Y" else 1)
        index = start.year * 12 + start.month - 1 + months
        return start.replace(year=index // 12, month=index % 12 + 1)
    return start + steps * _FIXED_STEPS.get(frequency, timedelta(days=1))


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def export_timestamp(created: float) -> str:
    """The `<ExportTimestamp>` of file names: Java's yyyy-MM-ddTHH-mm-ssZ, in UTC."""
    return datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


# --- Files ----------------------------------------------------------------------------------------


def _files(job: ExportRequest, folder: str, table: _Table) -> list[OutputFile]:
    parquet = job.format == "PARQUET"
    stem = f"{folder}{job.job_name}_{export_timestamp(job.created)}"
    parts = [table.rows[i : i + ROWS_PER_PART] for i in range(0, len(table.rows), ROWS_PER_PART)] or [[]]
    files = []
    for number, rows in enumerate(parts):
        part = _Table(table.columns, table.numeric, rows)
        body = _parquet(part) if parquet else _csv(part)
        files.append(OutputFile(f"{stem}_part{number}.{'parquet' if parquet else 'csv'}", body))
    return files


def _csv(table: _Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode()


def _parquet(table: _Table) -> bytes:
    import pyarrow as pa  # imported when a PARQUET job runs: it is slow to import
    import pyarrow.parquet as pq

    arrays = {}
    for index, column in enumerate(table.columns):
        values = [row[index] for row in table.rows]
        arrays[column] = pa.array(values, type=pa.float64() if column in table.numeric else pa.string())
    buffer = io.BytesIO()
    pq.write_table(pa.table(arrays), buffer)
    return buffer.getvalue()
