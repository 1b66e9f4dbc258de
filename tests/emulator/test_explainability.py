"""Explainabilities and their exports: lifecycle, files, rules, lists, tags, stop and delete.

Time is moved with the emulator's clock (`advance_clock`), never by sleeping.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC
from typing import Any

import pyarrow.parquet as pq
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_forecast.type_defs import ExplainabilityConfigTypeDef
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from tests.emulator.support import ACCOUNT, JOB_SECONDS, SETTLE_SECONDS, destination, error_of, object_keys

ALL: ExplainabilityConfigTypeDef = {"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"}


def _export(forecast: ForecastServiceClient, parents: Seeded, name: str, **request: Any) -> str:
    request.setdefault("ExplainabilityArn", parents.explainability_arn)
    request.setdefault("Destination", destination(parents, f"{name}/"))
    response = forecast.create_explainability_export(ExplainabilityExportName=name, **request)
    return response["ExplainabilityExportArn"]


def _status(forecast: ForecastServiceClient, arn: str) -> str:
    return forecast.describe_explainability_export(ExplainabilityExportArn=arn)["Status"]


def _stamp(forecast: ForecastServiceClient, arn: str) -> str:
    created = forecast.describe_explainability_export(ExplainabilityExportArn=arn)["CreationTime"]
    return created.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


def _of_forecast(forecast: ForecastServiceClient, parents: Seeded, name: str = "by_series") -> str:
    return forecast.create_explainability(
        ExplainabilityName=name, ResourceArn=parents.forecast_arn, ExplainabilityConfig=ALL
    )["ExplainabilityArn"]


def _csv(s3: S3Client, bucket: str, key: str) -> list[dict[str, str]]:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_an_export_runs_then_writes_the_aggregated_impact_scores(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    arn = _export(forecast, parents, "scores", Tags=[{"Key": "team", "Value": "demand"}])
    assert arn == (f"arn:aws:forecast:us-east-1:{ACCOUNT}:explainability-export/demo_explainability/scores")
    described = forecast.describe_explainability_export(ExplainabilityExportArn=arn)
    assert described["Status"] == "CREATE_PENDING"
    assert (described["ExplainabilityArn"], described["Format"]) == (parents.explainability_arn, "CSV")
    assert described["Destination"] == destination(parents, "scores/")
    emu.advance_clock(0.2 * JOB_SECONDS + 1)
    assert _status(forecast, arn) == "CREATE_IN_PROGRESS"
    assert object_keys(s3, parents.bucket, "scores/") == []
    emu.advance_clock(JOB_SECONDS)
    assert _status(forecast, arn) == "ACTIVE"

    # A predictor's explainability has aggregated scores only.
    key = f"scores/aggregated-impact-scores/scores_{_stamp(forecast, arn)}_part0.csv"
    assert object_keys(s3, parents.bucket, "scores/") == [key]
    rows = _csv(s3, parents.bucket, key)
    assert list(rows[0]) == ["attribute_name", "normalized_impact_score"]
    assert [row["attribute_name"] for row in rows] == ["price", "promotion"]
    assert all(-1 <= float(row["normalized_impact_score"]) <= 1 for row in rows)
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "demand"}]


def test_a_forecast_explainability_exports_per_series_scores_as_parquet(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    explainability = _of_forecast(forecast, parents)
    described = forecast.describe_explainability(ExplainabilityArn=explainability)
    assert (described["Status"], described["ResourceArn"]) == ("ACTIVE", parents.forecast_arn)
    assert described["ExplainabilityConfig"] == ALL
    arn = _export(forecast, parents, "series", ExplainabilityArn=explainability, Format="PARQUET")
    assert arn.endswith(":explainability-export/by_series/series")
    assert _status(forecast, arn) == "ACTIVE"

    stamp = _stamp(forecast, arn)
    assert object_keys(s3, parents.bucket, "series/") == [
        f"series/aggregated-impact-scores/series_{stamp}_part0.parquet",
        f"series/time-series-impact-scores/series_{stamp}_part0.parquet",
    ]
    [aggregated, per_series] = [
        pq.read_table(io.BytesIO(s3.get_object(Bucket=parents.bucket, Key=key)["Body"].read()))
        for key in object_keys(s3, parents.bucket, "series/")
    ]
    assert aggregated.column_names == ["attribute_name", "normalized_impact_score"]
    assert per_series.column_names == [
        "item_id",
        "attribute_name",
        "normalized_impact_score",
        "raw_impact_score",
    ]
    assert per_series.num_rows == 5 * 2  # 5 items, 2 attributes
    assert str(per_series.schema.field("raw_impact_score").type) == "double"
    assert sorted(set(per_series.column("item_id").to_pylist())) == [f"item_00{i}" for i in range(1, 6)]


def test_explainability_content_is_deterministic(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    first, second = (_export(forecast, parents, name) for name in ("first", "second"))
    assert _status(forecast, second) == "ACTIVE"
    bodies = [
        s3.get_object(Bucket=parents.bucket, Key=key)["Body"].read()
        for key in object_keys(s3, parents.bucket, "first/") + object_keys(s3, parents.bucket, "second/")
    ]
    assert len(bodies) == 2 and bodies[0] == bodies[1] and first != second


def test_what_an_explainability_needs(parents: Seeded, forecast: ForecastServiceClient) -> None:
    group = parents.dataset_group_arn
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="of_a_group", ResourceArn=group, ExplainabilityConfig=ALL
        )
    ) == ("ResourceNotFoundException", f"No predictor or forecast found with the arn: {group}")
    # A predictor's explainability covers all series and time points, and there is one per predictor.
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="specific",
            ResourceArn=parents.predictor_arn,
            ExplainabilityConfig={"TimeSeriesGranularity": "SPECIFIC", "TimePointGranularity": "ALL"},
        )
    ) == (
        "InvalidInputException",
        "An explainability of a predictor needs ExplainabilityConfig.TimeSeriesGranularity set to ALL.",
    )
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="another", ResourceArn=parents.predictor_arn, ExplainabilityConfig=ALL
        )
    ) == (
        "ResourceAlreadyExistsException",
        f"The predictor {parents.predictor_arn} already has an explainability, "
        f"{parents.explainability_arn}; it can have only one.",
    )
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="demo_explainability",
            ResourceArn=parents.forecast_arn,
            ExplainabilityConfig=ALL,
        )
    ) == (
        "ResourceAlreadyExistsException",
        f"An explainability already exists with the arn: {parents.explainability_arn}",
    )
    # Only AutoPredictors (and their forecasts) are explainable.
    legacy = forecast.create_predictor(
        PredictorName="legacy",
        ForecastHorizon=3,
        PerformAutoML=True,
        InputDataConfig={"DatasetGroupArn": group},
        FeaturizationConfig={"ForecastFrequency": "D"},
    )["PredictorArn"]
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="of_legacy", ResourceArn=legacy, ExplainabilityConfig=ALL
        )
    ) == (
        "InvalidInputException",
        f"An explainability needs a predictor created with CreateAutoPredictor; {legacy} was not.",
    )


def test_the_exported_explainability_must_exist_and_be_active(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    missing = parents.explainability_arn + "_gone"
    assert error_of(lambda: _export(forecast, parents, "orphan", ExplainabilityArn=missing)) == (
        "ResourceNotFoundException",
        f"No explainability found with the arn: {missing}",
    )
    emu.configure(upstream_seconds=JOB_SECONDS)
    slow = _of_forecast(forecast, parents, "slow")
    assert error_of(lambda: _export(forecast, parents, "early", ExplainabilityArn=slow)) == (
        "ResourceInUseException",
        f"The explainability {slow} must be ACTIVE to create an explainability export from it; "
        "its status is CREATE_PENDING.",
    )


def test_names_quota_and_the_quota_per_kind(parents: Seeded, forecast: ForecastServiceClient) -> None:
    arns = [_export(forecast, parents, f"job_{i}") for i in range(3)]
    assert error_of(lambda: _export(forecast, parents, "job_0")) == (
        "ResourceAlreadyExistsException",
        f"An explainability export already exists with the arn: {arns[0]}",
    )
    assert error_of(lambda: _export(forecast, parents, "fourth")) == (
        "LimitExceededException",
        "You have reached the limit of 3 explainability exports in progress at the same time in this "
        "account and region. Wait for one to finish, or stop one, and try again.",
    )
    # Each export kind has its own quota.
    forecast.create_forecast_export_job(
        ForecastExportJobName="other_kind", ForecastArn=parents.forecast_arn, Destination=destination(parents)
    )
    forecast.stop_resource(ResourceArn=arns[0])  # a stopping job still counts
    assert error_of(lambda: _export(forecast, parents, "fourth"))[0] == "LimitExceededException"


def test_stop_delete_and_the_parent_delete_guard(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = _export(forecast, parents, "stopped")
    assert error_of(lambda: forecast.delete_explainability_export(ExplainabilityExportArn=arn)) == (
        "ResourceInUseException",
        f"The explainability export {arn} cannot be deleted while its status is CREATE_PENDING; "
        "it can be deleted when its status is one of ACTIVE, CREATE_FAILED, CREATE_STOPPED.",
    )
    assert error_of(lambda: forecast.delete_explainability(ExplainabilityArn=parents.explainability_arn)) == (
        "ResourceInUseException",
        f"The explainability {parents.explainability_arn} cannot be deleted while its explainability "
        f"export {arn} is CREATE_PENDING.",
    )
    forecast.stop_resource(ResourceArn=arn)
    assert _status(forecast, arn) == "CREATE_STOPPING"
    emu.advance_clock(SETTLE_SECONDS)
    assert _status(forecast, arn) == "CREATE_STOPPED"
    forecast.delete_explainability_export(ExplainabilityExportArn=arn)
    assert _status(forecast, arn) == "DELETE_PENDING"
    emu.advance_clock(SETTLE_SECONDS)
    assert error_of(lambda: forecast.describe_explainability_export(ExplainabilityExportArn=arn)) == (
        "ResourceNotFoundException",
        f"No explainability export found with the arn: {arn}",
    )
    forecast.delete_explainability(ExplainabilityArn=parents.explainability_arn)  # nothing runs now
    emu.advance_clock(SETTLE_SECONDS)
    assert forecast.list_explainabilities()["Explainabilities"] == []


def test_lists_filter_by_the_documented_keys(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(job_seconds=0)
    by_series = _of_forecast(forecast, parents)
    of_predictor = _export(forecast, parents, "of_predictor")
    of_forecast = _export(forecast, parents, "of_forecast", ExplainabilityArn=by_series)

    def exports(key: str, value: str, condition: str = "IS") -> list[str]:
        listed = forecast.list_explainability_exports(
            Filters=[{"Key": key, "Value": value, "Condition": condition}]  # type: ignore[typeddict-item]
        )
        return [summary["ExplainabilityExportArn"] for summary in listed["ExplainabilityExports"]]

    # ResourceArn names the exported explainability (the API reference's keys: ResourceArn, Status).
    assert exports("ResourceArn", by_series) == [of_forecast]
    assert exports("ResourceArn", by_series, "IS_NOT") == [of_predictor]
    assert exports("Status", "ACTIVE") == [of_forecast, of_predictor]  # newest first
    assert error_of(lambda: exports("ExplainabilityArn", by_series)) == (
        "InvalidInputException",
        "Invalid filter key 'ExplainabilityArn' for ListExplainabilityExports; "
        "valid keys are ResourceArn and Status.",
    )
    listed = forecast.list_explainabilities(
        Filters=[{"Key": "ResourceArn", "Value": parents.predictor_arn, "Condition": "IS"}]
    )["Explainabilities"]
    assert [(e["ExplainabilityArn"], e["ResourceArn"]) for e in listed] == [
        (parents.explainability_arn, parents.predictor_arn)
    ]
    summary = forecast.list_explainability_exports(MaxResults=1)
    assert [s["ExplainabilityExportName"] for s in summary["ExplainabilityExports"]] == ["of_forecast"]
    assert "ExplainabilityArn" not in summary["ExplainabilityExports"][0]  # not in the summary shape
    assert "NextToken" in summary


def test_tags_on_explainabilities_and_their_exports(parents: Seeded, forecast: ForecastServiceClient) -> None:
    arn = _export(forecast, parents, "tagged", Tags=[{"Key": "a", "Value": "1"}])
    forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "2"}, {"Key": "b", "Value": ""}])
    forecast.untag_resource(ResourceArn=arn, TagKeys=["b"])
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "2"}]
    forecast.tag_resource(ResourceArn=parents.explainability_arn, Tags=[{"Key": "x", "Value": "y"}])
    assert forecast.list_tags_for_resource(ResourceArn=parents.explainability_arn)["Tags"] == [
        {"Key": "x", "Value": "y"}
    ]


def test_a_missing_bucket_fails_the_export_with_a_message(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = _export(
        forecast,
        parents,
        "nowhere",
        Destination={"S3Config": {"Path": "s3://no-such-bucket/x/", "RoleArn": parents.role_arn}},
    )
    emu.advance_clock(JOB_SECONDS)
    described = forecast.describe_explainability_export(ExplainabilityExportArn=arn)
    assert (described["Status"], described["Message"]) == (
        "CREATE_FAILED",
        "Amazon Forecast could not write to s3://no-such-bucket/x/: "
        "the S3 bucket no-such-bucket does not exist.",
    )
