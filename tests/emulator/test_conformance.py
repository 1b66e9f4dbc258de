"""The whole Forecast chain as AWS's sample notebooks drive it, written from the documented behaviour.

A user's monthly CSV (item_id, store_id, timestamp, demand, with a header row) is
imported from the emulator's S3, with a role holding only AWS managed policies;
an AutoPredictor by store, its accuracy metrics, a forecast, QueryForecast, a
forecast limited by a TimeSeriesSelector, every export kind, a what-if forecast
and QueryWhatIfForecast; then clean-up, children first. What comes out carries
the user's item ids, store ids and dates (sources in emulator/README.md).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator
from tests.emulator.support import error_of, export_rows

BUCKET = "user-data"
ITEMS = ("item_001", "item_002", "item_003")
STORES = ("store_001", "store_002")
MONTHS = [f"2019-{month:02d}-01" for month in range(1, 10)]  # January to September 2019
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "forecast.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def _setup(emu: Emulator, s3: S3Client) -> str:
    """The user's bucket and data, and a role with the two managed policies the samples attach."""
    s3.create_bucket(Bucket=BUCKET)
    lines = ["item_id,store_id,timestamp,demand"]
    lines += [
        f"{item},{store},{month},{10 * i + j + m}"
        for i, item in enumerate(ITEMS)
        for j, store in enumerate(STORES)
        for m, month in enumerate(MONTHS)
    ]
    s3.put_object(Bucket=BUCKET, Key="whatif/tts.csv", Body="\n".join(lines).encode())
    s3.put_object(Bucket=BUCKET, Key="subset.csv", Body=b"item_002\n")
    iam: Any = emu.client("iam")
    role = iam.create_role(RoleName="ForecastNotebookRole", AssumeRolePolicyDocument=json.dumps(TRUST))
    for policy in ("AmazonForecastFullAccess", "AmazonS3FullAccess"):
        iam.attach_role_policy(RoleName="ForecastNotebookRole", PolicyArn=f"arn:aws:iam::aws:policy/{policy}")
    return str(role["Role"]["Arn"])


def _active(describe: Any) -> dict[str, Any]:
    """The resource once ACTIVE (durations are 0: the next request settles it)."""
    described: dict[str, Any] = describe()
    assert described["Status"] == "ACTIVE", described
    return described


def _to(role: str, path: str) -> Any:
    return {"S3Config": {"Path": f"s3://{BUCKET}/{path}", "RoleArn": role}}


def test_the_users_series_flow_from_the_import_to_every_export_and_query(
    emu: Emulator, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    role = _setup(emu, s3)

    group = forecast.create_dataset_group(DatasetGroupName="whatif_dsg", Domain="CUSTOM")["DatasetGroupArn"]
    schema: Any = {
        "Attributes": [
            {"AttributeName": "item_id", "AttributeType": "string"},
            {"AttributeName": "store_id", "AttributeType": "string"},
            {"AttributeName": "timestamp", "AttributeType": "timestamp"},
            {"AttributeName": "target_value", "AttributeType": "float"},
        ]
    }
    dataset = forecast.create_dataset(
        DatasetName="whatif_tts",
        Domain="CUSTOM",
        DatasetType="TARGET_TIME_SERIES",
        DataFrequency="M",
        Schema=schema,
    )["DatasetArn"]
    # Usable at once, as the recorded runs show (UpdateDatasetGroup straight after the Creates).
    forecast.update_dataset_group(DatasetGroupArn=group, DatasetArns=[dataset])
    assert forecast.describe_dataset(DatasetArn=dataset)["Status"] == "ACTIVE"

    assert error_of(
        lambda: forecast.create_dataset_import_job(
            DatasetImportJobName="nothing", DatasetArn=dataset, DataSource=_to(role, "missing/")
        )
    ) == (
        "InvalidInputException",
        f"No objects found in s3 path s3://{BUCKET}/missing/, please ensure the path is specified correctly.",
    )
    imported = forecast.create_dataset_import_job(
        DatasetImportJobName="tts_import",
        DatasetArn=dataset,
        DataSource=_to(role, "whatif/tts.csv"),
        TimestampFormat="yyyy-MM-dd",
    )["DatasetImportJobArn"]
    _active(lambda: forecast.describe_dataset_import_job(DatasetImportJobArn=imported))

    predictor = forecast.create_auto_predictor(
        PredictorName="whatif_predictor",
        ForecastHorizon=3,
        ForecastFrequency="M",
        ForecastDimensions=["store_id"],
        DataConfig={"DatasetGroupArn": group},
    )["PredictorArn"]
    _active(lambda: forecast.describe_auto_predictor(PredictorArn=predictor))

    # GetAccuracyMetrics: SUMMARY first, then the one window: the data's last 3 months, end exclusive.
    metrics = forecast.get_accuracy_metrics(PredictorArn=predictor)
    assert metrics["IsAutoPredictor"] is True
    windows = metrics["PredictorEvaluationResults"][0]["TestWindows"]
    assert [w["EvaluationType"] for w in windows] == ["SUMMARY", "COMPUTED"]
    assert "TestWindowStart" not in windows[0]
    computed = windows[1]
    assert (computed["TestWindowStart"], computed["TestWindowEnd"], computed["ItemCount"]) == (
        datetime(2019, 7, 1, tzinfo=UTC),
        datetime(2019, 10, 1, tzinfo=UTC),
        6,
    )
    losses = computed["Metrics"]["WeightedQuantileLosses"]
    assert [loss["Quantile"] for loss in losses] == [0.9, 0.5, 0.1]
    assert [e["ForecastType"] for e in computed["Metrics"]["ErrorMetrics"]] == ["0.1", "0.5", "0.9"]
    assert set(computed["Metrics"]["ErrorMetrics"][0]) == {"ForecastType", "WAPE", "RMSE", "MASE", "MAPE"}

    baseline = forecast.create_forecast(
        ForecastName="whatif_baseline", PredictorArn=predictor, ForecastTypes=["0.50"]
    )["ForecastArn"]
    _active(lambda: forecast.describe_forecast(ForecastArn=baseline))
    query: Any = emu.client("forecastquery")
    answer = query.query_forecast(
        ForecastArn=baseline, Filters={"item_id": "item_001", "store_id": "store_001"}
    )
    p50 = answer["Forecast"]["Predictions"]["p50"]
    assert [point["Timestamp"] for point in p50] == [
        "2019-10-01T00:00:00",
        "2019-11-01T00:00:00",
        "2019-12-01T00:00:00",
    ]
    only_november = query.query_forecast(
        ForecastArn=baseline,
        Filters={"item_id": "item_001", "store_id": "store_001"},
        StartDate="2019-11-01T00:00:00",
        EndDate="2019-11-01T00:00:00",
    )
    assert only_november["Forecast"]["Predictions"]["p50"] == [p50[1]]

    # The forecast export: the user's series and dates, the same numbers as the query.
    forecast.create_forecast_export_job(
        ForecastExportJobName="baseline_export", ForecastArn=baseline, Destination=_to(role, "baseline")
    )
    rows = export_rows(s3, BUCKET, "baseline/")
    assert list(rows[0]) == ["item_id", "store_id", "date", "p50"]
    assert {(r["item_id"], r["store_id"]) for r in rows} == {(i, s) for i in ITEMS for s in STORES}
    assert sorted({r["date"] for r in rows}) == [
        "2019-10-01T00:00:00Z",
        "2019-11-01T00:00:00Z",
        "2019-12-01T00:00:00Z",
    ]
    first = [r for r in rows if (r["item_id"], r["store_id"]) == ("item_001", "store_001")]
    assert [float(r["p50"]) for r in first] == [point["Value"] for point in p50]

    # A TimeSeriesSelector limits the forecast to the series its file lists.
    selected = forecast.create_forecast(
        ForecastName="subset_forecast",
        PredictorArn=predictor,
        ForecastTypes=["0.5"],
        TimeSeriesSelector={
            "TimeSeriesIdentifiers": {
                "DataSource": _to(role, "subset.csv"),
                "Format": "CSV",
                "Schema": {"Attributes": [{"AttributeName": "item_id", "AttributeType": "string"}]},
            }
        },
    )["ForecastArn"]
    _active(lambda: forecast.describe_forecast(ForecastArn=selected))
    forecast.create_forecast_export_job(
        ForecastExportJobName="subset_export", ForecastArn=selected, Destination=_to(role, "subset1")
    )
    assert {r["item_id"] for r in export_rows(s3, BUCKET, "subset1/")} == {"item_002"}

    # The backtest export: windows end at the data's end; its Computed rows average to the metrics.
    forecast.create_predictor_backtest_export_job(
        PredictorBacktestExportJobName="backtest", PredictorArn=predictor, Destination=_to(role, "backtest")
    )
    values = export_rows(s3, BUCKET, "backtest/forecasted-values/")
    assert {(r["item_id"], r["store_id"]) for r in values} == {(i, s) for i in ITEMS for s in STORES}
    assert sorted({r["timestamp"] for r in values}) == [
        "2019-07-01T00:00:00",
        "2019-08-01T00:00:00",
        "2019-09-01T00:00:00",
    ]
    assert {(r["backtestwindow_start_time"], r["backtestwindow_end_time"]) for r in values} == {
        ("2019-07-01T00:00:00", "2019-09-01T00:00:00")
    }
    accuracy = [
        r
        for r in export_rows(s3, BUCKET, "backtest/accuracy-metrics-values/")
        if r["backtest_window"] == "Computed"
    ]
    assert len(accuracy) == 6
    mean_wape = sum(float(r["WAPE"]) for r in accuracy) / len(accuracy)
    assert abs(computed["Metrics"]["ErrorMetrics"][0]["WAPE"] - mean_wape) < 1e-3

    # An explainability of the forecast, exported: the user's series.
    explainability = forecast.create_explainability(
        ExplainabilityName="whatif_explain",
        ResourceArn=baseline,
        ExplainabilityConfig={"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"},
    )["ExplainabilityArn"]
    _active(lambda: forecast.describe_explainability(ExplainabilityArn=explainability))
    forecast.create_explainability_export(
        ExplainabilityExportName="explain_export",
        ExplainabilityArn=explainability,
        Destination=_to(role, "explain"),
    )
    explained = {r["item_id"] for r in export_rows(s3, BUCKET, "explain/")}
    assert explained == {"Aggregate", *ITEMS}

    # What-if: its export's Baseline is the forecast's numbers; QueryWhatIfForecast shows its own.
    analysis = forecast.create_what_if_analysis(WhatIfAnalysisName="PricePromotion", ForecastArn=baseline)[
        "WhatIfAnalysisArn"
    ]
    _active(lambda: forecast.describe_what_if_analysis(WhatIfAnalysisArn=analysis))
    what_if = forecast.create_what_if_forecast(
        WhatIfForecastName="simulate_10_pct_off", WhatIfAnalysisArn=analysis
    )["WhatIfForecastArn"]
    _active(lambda: forecast.describe_what_if_forecast(WhatIfForecastArn=what_if))
    forecast.create_what_if_forecast_export(
        WhatIfForecastExportName="simulate_10_pct_off",
        WhatIfForecastArns=[what_if],
        Destination=_to(role, "whatif_analysis/simulate_10_pct_off/"),
    )
    scenario = export_rows(s3, BUCKET, "whatif_analysis/simulate_10_pct_off/")
    mine = [r for r in scenario if (r["item_id"], r["store_id"]) == ("item_001", "store_001")]
    assert [r["date"] for r in mine] == [
        "2019-10-01T00:00:00Z",
        "2019-11-01T00:00:00Z",
        "2019-12-01T00:00:00Z",
    ]
    assert [float(r["Baseline_p50"]) for r in mine] == [point["Value"] for point in p50]
    simulated = query.query_what_if_forecast(
        WhatIfForecastArn=what_if, Filters={"item_id": "item_001", "store_id": "store_001"}
    )["Forecast"]["Predictions"]["p50"]
    assert [point["Value"] for point in simulated] == [float(r["simulate_10_pct_off_p50"]) for r in mine]

    # Clean-up, children first (the samples' own deletes); everything is gone once the deletes finish.
    emu.configure(delete_seconds=0)
    for export in forecast.list_what_if_forecast_exports()["WhatIfForecastExports"]:
        forecast.delete_what_if_forecast_export(WhatIfForecastExportArn=export["WhatIfForecastExportArn"])
    forecast.delete_what_if_forecast(WhatIfForecastArn=what_if)
    forecast.delete_what_if_analysis(WhatIfAnalysisArn=analysis)
    for explained_export in forecast.list_explainability_exports()["ExplainabilityExports"]:
        forecast.delete_explainability_export(
            ExplainabilityExportArn=explained_export["ExplainabilityExportArn"]
        )
    forecast.delete_explainability(ExplainabilityArn=explainability)
    for job in forecast.list_forecast_export_jobs()["ForecastExportJobs"]:
        forecast.delete_forecast_export_job(ForecastExportJobArn=job["ForecastExportJobArn"])
    for backtest in forecast.list_predictor_backtest_export_jobs()["PredictorBacktestExportJobs"]:
        forecast.delete_predictor_backtest_export_job(
            PredictorBacktestExportJobArn=backtest["PredictorBacktestExportJobArn"]
        )
    forecast.delete_forecast(ForecastArn=baseline)
    forecast.delete_forecast(ForecastArn=selected)
    forecast.delete_predictor(PredictorArn=predictor)
    forecast.delete_dataset_import_job(DatasetImportJobArn=imported)
    forecast.delete_dataset_group(DatasetGroupArn=group)
    forecast.delete_dataset(DatasetArn=dataset)
    assert forecast.list_dataset_groups()["DatasetGroups"] == []
    assert forecast.list_predictors()["Predictors"] == []
