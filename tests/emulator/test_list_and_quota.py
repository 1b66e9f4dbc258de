"""List filters and pagination (the quota of exports in progress, for every kind: test_export_kinds.py)."""

from __future__ import annotations

import pytest
from mypy_boto3_forecast import ForecastServiceClient

from forecast_emulator import Emulator, Seeded
from tests.emulator.support import BACKTEST_EXPORT, SETTLE_SECONDS, create_export, create_job, error_of


@pytest.fixture
def three_jobs(emu: Emulator, parents: Seeded, forecast: ForecastServiceClient) -> list[str]:
    """Two ACTIVE jobs of the seeded forecast, one running job of another forecast (oldest first)."""
    emu.configure(job_seconds=0)
    first = create_export(forecast, parents, "first")
    second = create_export(forecast, parents, "second")
    other = forecast.create_forecast(ForecastName="other", PredictorArn=parents.predictor_arn)["ForecastArn"]
    forecast.describe_forecast(ForecastArn=other)
    emu.configure(job_seconds=600)
    third = forecast.create_forecast_export_job(
        ForecastExportJobName="third",
        ForecastArn=other,
        Destination={"S3Config": {"Path": f"s3://{parents.bucket}/third/", "RoleArn": parents.role_arn}},
    )["ForecastExportJobArn"]
    return [first, second, third]


def _listed(forecast: ForecastServiceClient, **request: object) -> list[str]:
    jobs = forecast.list_forecast_export_jobs(**request)["ForecastExportJobs"]  # type: ignore[arg-type]
    return [job["ForecastExportJobArn"] for job in jobs]


def test_lists_are_newest_first_and_filter_with_is_and_is_not(
    parents: Seeded, forecast: ForecastServiceClient, three_jobs: list[str]
) -> None:
    first, second, third = three_jobs
    assert _listed(forecast) == [third, second, first]
    by_forecast = [{"Key": "ForecastArn", "Value": parents.forecast_arn, "Condition": "IS"}]
    assert _listed(forecast, Filters=by_forecast) == [second, first]
    not_active = [{"Key": "Status", "Value": "ACTIVE", "Condition": "IS_NOT"}]
    assert _listed(forecast, Filters=not_active) == [third]
    both = [*by_forecast, {"Key": "Status", "Value": "ACTIVE", "Condition": "IS"}]
    assert _listed(forecast, Filters=both) == [second, first]

    summary = forecast.list_forecast_export_jobs()["ForecastExportJobs"][0]
    assert set(summary) == {
        "ForecastExportJobArn",
        "ForecastExportJobName",
        "Destination",
        "Status",
        "CreationTime",
        "LastModificationTime",
    }
    assert summary["Status"] == "CREATE_PENDING"


def test_a_filter_key_the_list_does_not_know_is_rejected(
    forecast: ForecastServiceClient, three_jobs: list[str]
) -> None:
    assert error_of(
        lambda: forecast.list_forecast_export_jobs(
            Filters=[{"Key": "PredictorArn", "Value": "x", "Condition": "IS"}]
        )
    ) == (
        "InvalidInputException",
        "Invalid filter key 'PredictorArn' for ListForecastExportJobs; "
        "valid keys are ForecastArn and Status.",
    )


def test_pagination_with_max_results_and_next_token(
    forecast: ForecastServiceClient, three_jobs: list[str]
) -> None:
    first_page = forecast.list_forecast_export_jobs(MaxResults=2)
    assert [job["ForecastExportJobArn"] for job in first_page["ForecastExportJobs"]] == three_jobs[:0:-1]
    second_page = forecast.list_forecast_export_jobs(MaxResults=2, NextToken=first_page["NextToken"])
    assert [job["ForecastExportJobArn"] for job in second_page["ForecastExportJobs"]] == three_jobs[:1]
    assert "NextToken" not in second_page

    pages = forecast.get_paginator("list_forecast_export_jobs").paginate(PaginationConfig={"PageSize": 1})
    assert [
        job["ForecastExportJobArn"] for page in pages for job in page["ForecastExportJobs"]
    ] == three_jobs[::-1]


def test_filtered_pages_over_many_reads_list_each_match_once_newest_first(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    """Pages are filled a chunk of rows at a time: across chunk and page boundaries, with a filter
    that skips every other job, each match comes once, in order."""
    emu.configure(job_seconds=600, export_quota=1000)
    other = forecast.create_forecast(ForecastName="other", PredictorArn=parents.predictor_arn)["ForecastArn"]
    mine = []
    for index in range(450):
        request = {
            "ForecastExportJobName": f"job{index}",
            "ForecastArn": parents.forecast_arn if index % 2 else other,
            "Destination": {
                "S3Config": {"Path": f"s3://{parents.bucket}/j{index}/", "RoleArn": parents.role_arn}
            },
        }
        arn = forecast.create_forecast_export_job(**request)["ForecastExportJobArn"]  # type: ignore[arg-type]
        if index % 2:
            mine.append(arn)
    by_forecast = [{"Key": "ForecastArn", "Value": parents.forecast_arn, "Condition": "IS"}]
    pages = list(
        forecast.get_paginator("list_forecast_export_jobs").paginate(
            Filters=by_forecast,  # type: ignore[arg-type]
            PaginationConfig={"PageSize": 100},
        )
    )
    assert [len(page["ForecastExportJobs"]) for page in pages] == [100, 100, 25]
    assert [job["ForecastExportJobArn"] for page in pages for job in page["ForecastExportJobs"]] == mine[::-1]


def test_a_bad_next_token_is_rejected(forecast: ForecastServiceClient, three_jobs: list[str]) -> None:
    token = forecast.list_forecast_export_jobs(MaxResults=1)["NextToken"]
    message = "The NextToken is not valid. Tokens expire after 24 hours."
    assert error_of(lambda: forecast.list_forecast_export_jobs(NextToken="garbage")) == (
        "InvalidNextTokenException",
        message,
    )
    # A token belongs to the query that made it.
    filters = [{"Key": "Status", "Value": "ACTIVE", "Condition": "IS"}]
    assert error_of(lambda: forecast.list_forecast_export_jobs(NextToken=token, Filters=filters)) == (  # type: ignore[arg-type]
        "InvalidNextTokenException",
        message,
    )


def test_backtest_exports_list_by_predictor_and_delete(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(job_seconds=0)
    arn = create_job(forecast, BACKTEST_EXPORT, parents, "listed_backtest")
    by_predictor = [{"Key": "PredictorArn", "Value": parents.predictor_arn, "Condition": "IS"}]
    listed = forecast.list_predictor_backtest_export_jobs(Filters=by_predictor)["PredictorBacktestExportJobs"]  # type: ignore[arg-type]
    assert [(job["PredictorBacktestExportJobArn"], job["Status"]) for job in listed] == [(arn, "ACTIVE")]
    forecast.delete_predictor_backtest_export_job(PredictorBacktestExportJobArn=arn)
    emu.advance_clock(SETTLE_SECONDS)
    assert forecast.list_predictor_backtest_export_jobs()["PredictorBacktestExportJobs"] == []
    assert error_of(
        lambda: forecast.describe_predictor_backtest_export_job(PredictorBacktestExportJobArn=arn)
    ) == (
        "ResourceNotFoundException",
        f"No predictor backtest export job found with the arn: {arn}",
    )
