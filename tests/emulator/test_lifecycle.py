"""Statuses over time, parents and names, as a Forecast user sees them (StopResource, deletes and
the guard on a parent, for every export kind: test_export_kinds.py).

Time is moved with the emulator's clock (`advance_clock`), never by sleeping:
jobs take JOB_SECONDS (60 s), the first fifth of it CREATE_PENDING.
"""

from __future__ import annotations

from mypy_boto3_forecast import ForecastServiceClient

from forecast_emulator import Emulator, Seeded
from tests.emulator.support import (
    ACCOUNT,
    BACKTEST_EXPORT,
    JOB_SECONDS,
    create_export,
    create_job,
    error_of,
    export_arn,
    export_status,
    forecast_client,
)


def test_a_job_is_pending_then_in_progress_then_active(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = create_export(forecast, parents, "statuses")
    pending = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    assert pending["Status"] == "CREATE_PENDING"
    assert pending["LastModificationTime"] == pending["CreationTime"]
    assert "Message" not in pending
    created = pending["CreationTime"].timestamp()

    emu.advance_clock(0.2 * JOB_SECONDS + 1)
    running = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    assert running["Status"] == "CREATE_IN_PROGRESS"
    # While in progress, LastModificationTime is the current time.
    assert running["LastModificationTime"].timestamp() >= created + 0.2 * JOB_SECONDS + 1

    emu.advance_clock(JOB_SECONDS)
    active = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    assert active["Status"] == "ACTIVE"
    # Once ACTIVE, it is when the job finished, not when someone looked.
    assert abs(active["LastModificationTime"].timestamp() - (created + JOB_SECONDS)) < 0.01
    assert set(active) - {"ResponseMetadata"} == {
        "ForecastExportJobArn",
        "ForecastExportJobName",
        "ForecastArn",
        "Destination",
        "Status",
        "CreationTime",
        "LastModificationTime",
        "Format",
    }
    assert active["Format"] == "CSV"
    assert active["ForecastExportJobName"] == "statuses"
    assert active["Destination"]["S3Config"] == {
        "Path": f"s3://{parents.bucket}/statuses/",
        "RoleArn": parents.role_arn,
    }


def test_zero_job_seconds_makes_a_job_active_on_the_next_request(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(job_seconds=0)
    arn = create_export(forecast, parents, "instant")
    assert export_status(forecast, arn) == "ACTIVE"


def test_changing_job_seconds_applies_to_running_jobs(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = create_export(forecast, parents, "sped_up")
    assert export_status(forecast, arn) == "CREATE_PENDING"
    assert emu.configure(job_seconds=0).job_seconds == 0
    assert export_status(forecast, arn) == "ACTIVE"


STOPS = (
    "it stops dataset import jobs, predictors, forecasts, forecast export jobs, "
    "predictor backtest export jobs, explainabilities and explainability exports."
)


def test_stop_resource_applies_only_to_the_kinds_its_documentation_lists(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    assert error_of(lambda: forecast.stop_resource(ResourceArn=parents.dataset_group_arn)) == (
        "InvalidInputException",
        f"StopResource does not apply to a dataset group ({parents.dataset_group_arn}); {STOPS}",
    )
    # Not the what-if kinds (botocore's StopResource documentation), even while they are created.
    emu.configure(upstream_seconds=60)
    creating = forecast.create_what_if_forecast(
        WhatIfForecastName="creating", WhatIfAnalysisArn=parents.what_if_analysis_arn
    )["WhatIfForecastArn"]
    assert error_of(lambda: forecast.stop_resource(ResourceArn=creating)) == (
        "InvalidInputException",
        f"StopResource does not apply to a what-if forecast ({creating}); {STOPS}",
    )
    assert forecast.describe_what_if_forecast(WhatIfForecastArn=creating)["Status"] == "CREATE_PENDING"


def test_the_parent_must_exist_and_be_active(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    missing = parents.forecast_arn + "_missing"
    assert error_of(
        lambda: forecast.create_forecast_export_job(
            ForecastExportJobName="orphan",
            ForecastArn=missing,
            Destination={"S3Config": {"Path": f"s3://{parents.bucket}/x/", "RoleArn": parents.role_arn}},
        )
    ) == ("ResourceNotFoundException", f"No forecast found with the arn: {missing}")

    emu.configure(upstream_seconds=JOB_SECONDS)
    young = forecast.create_forecast(ForecastName="young", PredictorArn=parents.predictor_arn)["ForecastArn"]
    assert error_of(
        lambda: forecast.create_forecast_export_job(
            ForecastExportJobName="too_early",
            ForecastArn=young,
            Destination={"S3Config": {"Path": f"s3://{parents.bucket}/x/", "RoleArn": parents.role_arn}},
        )
    ) == (
        "ResourceInUseException",
        f"The forecast {young} must be ACTIVE to create a forecast export job from it; "
        "its status is CREATE_PENDING.",
    )


def test_resources_live_in_the_region_of_the_request(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = create_export(forecast, parents, "regional")
    elsewhere = forecast_client(emu, region="eu-west-1")
    assert error_of(lambda: elsewhere.describe_forecast_export_job(ForecastExportJobArn=arn)) == (
        "ResourceNotFoundException",
        f"No forecast export job found with the arn: {arn}",
    )
    assert elsewhere.list_forecast_export_jobs()["ForecastExportJobs"] == []
    assert elsewhere.list_forecasts()["Forecasts"] == []


def test_names_are_unique_per_parent_and_arns_name_the_parent(
    parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = create_export(forecast, parents, "same_name")
    assert arn == export_arn(parents, "same_name")
    assert arn == f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast-export-job/demo_forecast/same_name"
    assert error_of(lambda: create_export(forecast, parents, "same_name", path="elsewhere/")) == (
        "ResourceAlreadyExistsException",
        f"A forecast export job already exists with the arn: {arn}",
    )
    other = forecast.create_forecast(ForecastName="other_forecast", PredictorArn=parents.predictor_arn)
    assert forecast.describe_forecast(ForecastArn=other["ForecastArn"])["Status"] == "ACTIVE"
    second = forecast.create_forecast_export_job(
        ForecastExportJobName="same_name",
        ForecastArn=other["ForecastArn"],
        Destination={"S3Config": {"Path": f"s3://{parents.bucket}/b/", "RoleArn": parents.role_arn}},
    )
    assert second["ForecastExportJobArn"].endswith(":forecast-export-job/other_forecast/same_name")

    backtest = create_job(forecast, BACKTEST_EXPORT, parents, "same_name")
    assert backtest == (
        f"arn:aws:forecast:us-east-1:{ACCOUNT}:predictor-backtest-export-job/demo_predictor/same_name"
    )
