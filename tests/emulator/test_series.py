"""The user's series: what an import reads, and where the dates and keys of what comes out come from."""

from __future__ import annotations

import functools
import json
import urllib.request
from typing import Any

import pytest
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from forecast_emulator.series import MAX_SERIES
from tests.emulator.support import error_of, export_rows

SCHEMA: Any = {
    "Attributes": [
        {"AttributeName": "timestamp", "AttributeType": "timestamp"},
        {"AttributeName": "item_id", "AttributeType": "string"},
        {"AttributeName": "target_value", "AttributeType": "integer"},
    ]
}


def _dataset(forecast: ForecastServiceClient, name: str, frequency: str) -> tuple[str, str]:
    dataset = forecast.create_dataset(
        DatasetName=name,
        Domain="CUSTOM",
        DatasetType="TARGET_TIME_SERIES",
        DataFrequency=frequency,
        Schema=SCHEMA,
    )["DatasetArn"]
    group = forecast.create_dataset_group(DatasetGroupName=name, Domain="CUSTOM", DatasetArns=[dataset])[
        "DatasetGroupArn"
    ]
    return dataset, group


def _import(forecast: ForecastServiceClient, parents: Seeded, dataset: str, name: str, key: str) -> str:
    arn = forecast.create_dataset_import_job(
        DatasetImportJobName=name,
        DatasetArn=dataset,
        DataSource={"S3Config": {"Path": f"s3://{parents.bucket}/{key}", "RoleArn": parents.role_arn}},
        TimestampFormat="yyyy-MM-dd hh:mm:ss",
    )["DatasetImportJobArn"]
    assert forecast.describe_dataset_import_job(DatasetImportJobArn=arn)["Status"] == "ACTIVE"
    return arn


def _forecast(forecast: ForecastServiceClient, group: str, name: str, frequency: str, horizon: int) -> str:
    predictor = forecast.create_auto_predictor(
        PredictorName=name,
        ForecastHorizon=horizon,
        ForecastFrequency=frequency,
        DataConfig={"DatasetGroupArn": group},
    )["PredictorArn"]
    forecast.describe_auto_predictor(PredictorArn=predictor)
    arn = forecast.create_forecast(ForecastName=name, PredictorArn=predictor)["ForecastArn"]
    assert forecast.describe_forecast(ForecastArn=arn)["Status"] == "ACTIVE"
    return arn


def _export(emu: Emulator, forecast: ForecastServiceClient, parents: Seeded, arn: str, path: str) -> None:
    emu.configure(job_seconds=0)
    forecast.create_forecast_export_job(
        ForecastExportJobName=path,
        ForecastArn=arn,
        Destination={"S3Config": {"Path": f"s3://{parents.bucket}/{path}", "RoleArn": parents.role_arn}},
    )


def test_hourly_data_forecast_daily_starts_the_day_after_the_data_and_skips_a_header(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    # As the Forecast_Selected_TimeSeries sample: hourly data to 2019-01-31 23:00, a daily forecast of 3.
    lines = ["timestamp,item_id,target_value"]  # a header row, named unlike the schema: skipped
    lines += [f"2019-01-31 {hour:02d}:00:00,{item},{hour}" for item in ("101", "102") for hour in range(24)]
    s3.put_object(Bucket=parents.bucket, Key="taxi/taxi.csv", Body="\n".join(lines).encode())
    dataset, group = _dataset(forecast, "taxi", "H")
    _import(forecast, parents, dataset, "taxi_import", "taxi/")
    arn = _forecast(forecast, group, "taxi_daily", "D", 3)
    _export(emu, forecast, parents, arn, "taxi_out")
    rows = export_rows(s3, parents.bucket, "taxi_out/")
    assert [(r["item_id"], r["date"]) for r in rows] == [
        (item, f"2019-02-0{day}T00:00:00Z") for item in ("101", "102") for day in (1, 2, 3)
    ]


def test_the_latest_import_is_the_datasets_data(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    s3.put_object(Bucket=parents.bucket, Key="old.csv", Body=b"2020-01-01 00:00:00,old_item,1\n")
    s3.put_object(Bucket=parents.bucket, Key="new.csv", Body=b"2020-03-01 00:00:00,new_item,1\n")
    dataset, group = _dataset(forecast, "latest", "D")
    _import(forecast, parents, dataset, "first", "old.csv")
    _import(forecast, parents, dataset, "second", "new.csv")
    arn = _forecast(forecast, group, "latest", "D", 2)
    _export(emu, forecast, parents, arn, "latest_out")
    rows = export_rows(s3, parents.bucket, "latest_out/")
    assert [(r["item_id"], r["date"]) for r in rows] == [
        ("new_item", "2020-03-02T00:00:00Z"),
        ("new_item", "2020-03-03T00:00:00Z"),
    ]


def test_an_import_of_a_path_without_objects_is_refused_at_create(
    parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    s3.put_object(Bucket=parents.bucket, Key="empty/zero.csv", Body=b"")

    def create(path: str) -> object:
        return forecast.create_dataset_import_job(
            DatasetImportJobName="nothing",
            DatasetArn=parents.dataset_arn,
            DataSource={"S3Config": {"Path": path, "RoleArn": parents.role_arn}},
        )

    for path in (
        f"s3://{parents.bucket}/nowhere.csv",
        f"s3://{parents.bucket}/empty/",
        "s3://no-such-bucket/x",
    ):
        assert error_of(functools.partial(create, path)) == (
            "InvalidInputException",
            f"No objects found in s3 path {path}, please ensure the path is specified correctly.",
        )
    names = [j["DatasetImportJobName"] for j in forecast.list_dataset_import_jobs()["DatasetImportJobs"]]
    assert names == ["demo_import"]  # nothing was created


def test_a_few_thousand_series_flow_through(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    items = 3000
    body = "\n".join(
        f"2021-{month:02d}-01 00:00:00,sku_{item:05d},{item + month}"
        for item in range(items)
        for month in range(1, 13)
    )
    s3.put_object(Bucket=parents.bucket, Key="many.csv", Body=body.encode())
    dataset, group = _dataset(forecast, "many", "M")
    _import(forecast, parents, dataset, "many", "many.csv")
    arn = _forecast(forecast, group, "many", "M", 3)
    _export(emu, forecast, parents, arn, "many_out")
    query: Any = emu.client("forecastquery")
    answer = query.query_forecast(ForecastArn=arn, Filters={"item_id": "sku_02999"})
    assert [p["Timestamp"] for p in answer["Forecast"]["Predictions"]["p90"]] == [
        "2022-01-01T00:00:00",
        "2022-02-01T00:00:00",
        "2022-03-01T00:00:00",
    ]
    rows = export_rows(s3, parents.bucket, "many_out/")
    assert len(rows) == items * 3 and len({r["item_id"] for r in rows}) == items
    assert items < MAX_SERIES


def test_query_forecast_without_data_answers_the_synthetic_series_and_refuses_unknown_items(
    emu: Emulator, parents: Seeded
) -> None:
    query: Any = emu.client("forecastquery")
    answer = query.query_forecast(ForecastArn=parents.forecast_arn, Filters={"item_id": "item_005"})
    assert sorted(answer["Forecast"]["Predictions"]) == ["p10", "p50", "p90"]
    assert answer["Forecast"]["Predictions"]["p50"][0]["Timestamp"] == "2024-01-01T00:00:00"
    assert error_of(
        lambda: query.query_forecast(ForecastArn=parents.forecast_arn, Filters={"item_id": "nope"})
    ) == (
        "ResourceNotFoundException",
        "No time series found in the forecast for the filters item_id=nope.",
    )


@pytest.mark.parametrize("target", ["AmazonForecastRuntime.QueryEverything", "AmazonForecast.ResumeResource"])
def test_an_operation_the_emulator_does_not_know_is_a_400(emu: Emulator, target: str) -> None:
    request = urllib.request.Request(
        emu.endpoint_url,
        data=b"{}",
        headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 400
    assert json.loads(raised.value.read())["__type"] == "UnknownOperationException"


def test_aws_managed_policies_exist_and_grant_what_they_say(emu: Emulator, parents: Seeded) -> None:
    iam: Any = emu.client("iam")
    policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AmazonForecastFullAccess")["Policy"]
    assert policy["PolicyName"] == "AmazonForecastFullAccess"
    iam.attach_role_policy(RoleName=parents.role_arn.rsplit("/", 1)[-1], PolicyArn=policy["Arn"])
    attached = iam.list_attached_role_policies(RoleName=parents.role_arn.rsplit("/", 1)[-1])
    assert [p["PolicyName"] for p in attached["AttachedPolicies"]] == ["AmazonForecastFullAccess"]


def test_explain_predictor_creates_its_explainability(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(upstream_seconds=60)
    arn = forecast.create_auto_predictor(
        PredictorName="explained",
        ForecastHorizon=7,
        ForecastFrequency="D",
        DataConfig={"DatasetGroupArn": parents.dataset_group_arn},
        ExplainPredictor=True,
    )["PredictorArn"]
    explainability = "arn:aws:forecast:us-east-1:123456789012:explainability/explained_explainability"
    described = forecast.describe_auto_predictor(PredictorArn=arn)
    assert described["ExplainabilityInfo"] == {
        "ExplainabilityArn": explainability,
        "Status": "CREATE_PENDING",
    }
    emu.advance_clock(60)
    described = forecast.describe_auto_predictor(PredictorArn=arn)
    assert described["ExplainabilityInfo"] == {"ExplainabilityArn": explainability, "Status": "ACTIVE"}
    shown = forecast.describe_explainability(ExplainabilityArn=explainability)
    assert (shown["ResourceArn"], shown["ExplainabilityConfig"]) == (
        arn,
        {"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"},
    )
    # "such a predictor already has an Explainability resource": a second one is refused.
    assert (
        error_of(
            lambda: forecast.create_explainability(
                ExplainabilityName="again",
                ResourceArn=arn,
                ExplainabilityConfig={"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"},
            )
        )[0]
        == "ResourceAlreadyExistsException"
    )


def test_retraining_takes_the_reference_settings_and_the_latest_data(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    schema_order: Any = {
        "Attributes": [
            {"AttributeName": "item_id", "AttributeType": "string"},
            {"AttributeName": "timestamp", "AttributeType": "timestamp"},
            {"AttributeName": "demand", "AttributeType": "float"},
        ]
    }
    assert forecast.describe_dataset(DatasetArn=parents.dataset_arn)["Schema"] == schema_order
    # A new import into the seeded dataset (its schema's order), then a retrained predictor.
    s3.put_object(Bucket=parents.bucket, Key="more.csv", Body=b"new_item,2024-01-10,5\n")
    _import(forecast, parents, parents.dataset_arn, "more", "more.csv")
    retrained = forecast.create_auto_predictor(
        PredictorName="demo_predictor_retrain1", ReferencePredictorArn=parents.predictor_arn
    )["PredictorArn"]
    assert retrained != parents.predictor_arn
    described = forecast.describe_auto_predictor(PredictorArn=retrained)
    assert (described["ForecastHorizon"], described["ForecastFrequency"], described["Status"]) == (
        14,
        "D",
        "ACTIVE",
    )
    assert described["ReferencePredictorSummary"] == {"Arn": parents.predictor_arn, "State": "Active"}
    arn = forecast.create_forecast(ForecastName="retrained", PredictorArn=retrained)["ForecastArn"]
    forecast.describe_forecast(ForecastArn=arn)
    query: Any = emu.client("forecastquery")
    answer = query.query_forecast(ForecastArn=arn, Filters={"item_id": "new_item"})
    assert answer["Forecast"]["Predictions"]["p50"][0]["Timestamp"] == "2024-01-11T00:00:00"
