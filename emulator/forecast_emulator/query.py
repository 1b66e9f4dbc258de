"""Operations that read a resource's numbers: GetAccuracyMetrics, and Forecast Query's two operations.

Forecast Query (`forecastquery`, X-Amz-Target `AmazonForecastRuntime.<Op>`) is served on
the same endpoint. Each answer comes from the same functions as the exports
(`output.predictions`, `output.accuracy`) over the same series (`series.of`), so
QueryForecast shows the forecast export's numbers and GetAccuracyMetrics the
means of the backtest export's `Computed` rows.

Shapes, as AWS's recorded runs show them (sources in emulator/README.md):
QueryForecast `{"Forecast": {"Predictions": {"p50": [{"Timestamp":
"2019-10-01T00:00:00", "Value": 327.37}]}}}` (no zone); GetAccuracyMetrics a
SUMMARY window first (no times, no ItemCount), then one COMPUTED window per
backtest window with `TestWindowEnd` exclusive, quantile losses listed from the
highest quantile down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from forecast_emulator import output, series
from forecast_emulator.exceptions import (
    InvalidInputException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from forecast_emulator.models import ForecastBackend
from forecast_emulator.store import Resource
from pulumi_aws_forecast.catalog import ACTIVE

Json = dict[str, Any]
Params = Mapping[str, Any]


def get_accuracy_metrics(backend: ForecastBackend, params: Params, region: str) -> Json:
    """GetAccuracyMetrics of an ACTIVE predictor."""
    predictor = _active(backend, str(params.get("PredictorArn") or ""), region, "Predictor", "predictor")
    windows = output.accuracy(predictor.name, predictor.doc, series.of(backend.state.store, predictor))
    types = [str(t) for t in predictor.doc.get("ForecastTypes") or []]
    summary = _metrics(windows, types)
    computed = [
        {
            "TestWindowStart": window.start.timestamp(),
            "TestWindowEnd": window.end.timestamp(),
            "ItemCount": window.items,
            "EvaluationType": "COMPUTED",
            "Metrics": _metrics([window], types),
        }
        for window in windows
    ]
    result: Json = {"TestWindows": [{"EvaluationType": "SUMMARY", "Metrics": summary}, *computed]}
    if predictor.doc.get("AlgorithmArn"):
        result = {"AlgorithmArn": predictor.doc["AlgorithmArn"], **result}
    answer: Json = {
        "PredictorEvaluationResults": [result],
        "IsAutoPredictor": bool(predictor.doc.get("IsAutoPredictor")),
    }
    if predictor.doc.get("OptimizationMetric"):
        answer["OptimizationMetric"] = predictor.doc["OptimizationMetric"]
    return answer


def _metrics(windows: list[output.AccuracyWindow], types: list[str]) -> Json:
    """The metrics of one window, or their means over several (the SUMMARY)."""

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    first = windows[0]
    losses = [
        {"Quantile": q, "LossValue": mean([w.wqls[i] for w in windows])}
        for i, q in enumerate(first.quantiles)
    ]
    rmse, wape = mean([w.rmse for w in windows]), mean([w.wape for w in windows])
    mape, mase = mean([w.mape for w in windows]), mean([w.mase for w in windows])
    metrics: Json = {
        "RMSE": rmse,
        "WeightedQuantileLosses": sorted(losses, key=lambda loss: -float(loss["Quantile"])),
        # Forecast computes these from the mean forecast (DG metrics.md): the same for every type.
        "ErrorMetrics": [
            {"ForecastType": t, "WAPE": wape, "RMSE": rmse, "MASE": mase, "MAPE": mape} for t in types
        ],
    }
    averages = [w.average_wql for w in windows if w.average_wql is not None]
    if averages:
        metrics["AverageWeightedQuantileLoss"] = mean(averages)
    return metrics


def query_forecast(backend: ForecastBackend, params: Params, region: str) -> Json:
    """QueryForecast: one series of an ACTIVE forecast, as its export holds it."""
    forecast = _active(backend, str(params.get("ForecastArn") or ""), region, "Forecast", "forecast")
    data = series.of(backend.state.store, forecast)
    wanted = _wanted(_names(forecast), params)
    return _answer(output.predictions(forecast.name, forecast.doc, data, wanted), params)


def query_what_if_forecast(backend: ForecastBackend, params: Params, region: str) -> Json:
    """QueryWhatIfForecast: one series of an ACTIVE what-if forecast, as its export holds it."""
    arn = str(params.get("WhatIfForecastArn") or "")
    what_if = _active(backend, arn, region, "WhatIfForecast", "what-if forecast")
    baseline = str(what_if.doc.get("ForecastArn", "")).rsplit("/", 1)[-1]
    data = series.of(backend.state.store, what_if)
    wanted = _wanted(_names(what_if), params)
    return _answer(output.predictions(baseline, what_if.doc, data, wanted, what_if=what_if.name), params)


#: Served operations beyond the backend's one-per-operation methods, by operation name.
OPERATIONS: Mapping[str, Callable[[ForecastBackend, Params, str], Json]] = {
    "GetAccuracyMetrics": get_accuracy_metrics,
    "QueryForecast": query_forecast,
    "QueryWhatIfForecast": query_what_if_forecast,
}
#: The operations of Forecast Query (X-Amz-Target prefix `AmazonForecastRuntime`).
RUNTIME = frozenset({"QueryForecast", "QueryWhatIfForecast"})


def _active(backend: ForecastBackend, arn: str, region: str, noun: str, label: str) -> Resource:
    resource = backend.state.store.get(arn)
    if resource is None or resource.kind != noun or resource.region != region:
        raise ResourceNotFoundException(f"No {label} found with the arn: {arn}")
    if resource.status != ACTIVE:
        raise ResourceInUseException(f"The {label} {arn} is not ACTIVE; its status is {resource.status}.")
    return resource


def _names(resource: Resource) -> list[str]:
    """The names of a series key's parts: item_id, then the forecast dimensions."""
    return ["item_id", *(str(d) for d in resource.doc.get("ForecastDimensions") or [])]


def _wanted(key_names: list[str], params: Params) -> Callable[[tuple[str, ...]], bool]:
    """Whether a series' key matches the request's Filters (attribute name -> value)."""
    filters = {str(k): str(v) for k, v in (params.get("Filters") or {}).items()}
    if not filters:
        raise InvalidInputException("Filters must name the item_id of the time series to query.")
    unknown = sorted(set(filters) - set(key_names))
    if unknown:
        raise InvalidInputException(
            f"The filter attributes {', '.join(unknown)} are not among the forecast's item_id and "
            f"dimensions ({', '.join(key_names)})."
        )
    index = [(key_names.index(name), value) for name, value in filters.items()]
    return lambda key: all(key[i] == value for i, value in index)


def _answer(
    found: list[tuple[tuple[str, ...], dict[str, list[tuple[datetime, float]]]]], params: Params
) -> Json:
    """The first matching series' predictions, between StartDate and EndDate (inclusive)."""
    if not found:
        shown = ", ".join(f"{name}={value}" for name, value in (params.get("Filters") or {}).items())
        raise ResourceNotFoundException(f"No time series found in the forecast for the filters {shown}.")
    start, end = _bound(params.get("StartDate")), _bound(params.get("EndDate"))
    columns = found[0][1]
    return {
        "Forecast": {
            "Predictions": {
                column: [
                    {"Timestamp": moment.strftime("%Y-%m-%dT%H:%M:%S"), "Value": value}
                    for moment, value in points
                    if (start is None or moment >= start) and (end is None or moment <= end)
                ]
                for column, points in columns.items()
            }
        }
    }


def _bound(value: object) -> datetime | None:
    """A StartDate/EndDate (`yyyy-MM-ddTHH:mm:ss`), in UTC."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "")).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInputException(f"The date {value} is not in the format yyyy-MM-ddTHH:mm:ss.") from None
