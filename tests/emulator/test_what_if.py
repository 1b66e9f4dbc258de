"""What-if analyses, what-if forecasts and their exports (a list of parents); names, the quota,
stop, delete and the parent's guard, for every export kind: test_export_kinds.py.

Time is moved with the emulator's clock (`advance_clock`), never by sleeping.
"""

from __future__ import annotations

import functools
import io

import pyarrow.parquet as pq
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from forecast_emulator.exceptions import ResourceNotFoundException
from pulumi_aws_forecast.catalog import KINDS
from tests.emulator.support import (
    ACCOUNT,
    JOB_SECONDS,
    SETTLE_SECONDS,
    create_job,
    destination,
    error_of,
    export_rows,
    file_stamp,
    object_keys,
    part_keys,
    status,
)

EXPORT = KINDS["WhatIfForecastExport"]


def _what_if(forecast: ForecastServiceClient, parents: Seeded, name: str) -> str:
    return forecast.create_what_if_forecast(
        WhatIfForecastName=name, WhatIfAnalysisArn=parents.what_if_analysis_arn
    )["WhatIfForecastArn"]


def test_analyses_and_what_if_forecasts_take_the_forecast_shape(
    parents: Seeded, forecast: ForecastServiceClient
) -> None:
    analysis = forecast.describe_what_if_analysis(WhatIfAnalysisArn=parents.what_if_analysis_arn)
    assert analysis["WhatIfAnalysisArn"] == (
        f"arn:aws:forecast:us-east-1:{ACCOUNT}:what-if-analysis/demo_what_if_analysis"
    )
    assert (analysis["ForecastArn"], analysis["Status"]) == (parents.forecast_arn, "ACTIVE")
    what_if = forecast.describe_what_if_forecast(WhatIfForecastArn=parents.what_if_forecast_arn)
    # Names are unique per analysis: the ARN ends <analysis name>/<name>.
    assert what_if["WhatIfForecastArn"].endswith(
        ":what-if-forecast/demo_what_if_analysis/demo_what_if_forecast"
    )
    assert (what_if["WhatIfAnalysisArn"], what_if["ForecastTypes"]) == (
        parents.what_if_analysis_arn,
        ["0.1", "0.5", "0.9"],
    )
    assert "ForecastArn" not in what_if  # kept for the export, not in the response shape


def test_a_what_if_export_of_two_forecasts_writes_both_in_request_order(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    second = _what_if(forecast, parents, "discount")
    arns = [parents.what_if_forecast_arn, second]
    arn = create_job(
        forecast, EXPORT, parents, "both", WhatIfForecastArns=arns, Tags=[{"Key": "team", "Value": "demand"}]
    )
    assert arn == f"arn:aws:forecast:us-east-1:{ACCOUNT}:what-if-forecast-export/both"
    described = forecast.describe_what_if_forecast_export(WhatIfForecastExportArn=arn)
    assert (described["Status"], described["WhatIfForecastArns"], described["Format"]) == (
        "CREATE_PENDING",
        arns,
        "CSV",
    )
    assert described["EstimatedTimeRemainingInMinutes"] == 1
    emu.advance_clock(0.2 * JOB_SECONDS + 1)
    assert status(forecast, EXPORT, arn) == "CREATE_IN_PROGRESS"
    emu.advance_clock(JOB_SECONDS)
    assert status(forecast, EXPORT, arn) == "ACTIVE"

    stamp = file_stamp(forecast, EXPORT, arn)
    # 5 series x 14 days, the baseline beside each what-if forecast: a header-only part0, 3 parts.
    assert object_keys(s3, parents.bucket, "both/") == [
        "both/_CHECK",
        "both/_SUCCESS",
        *(f"both/both_{stamp}_part{n}.csv" for n in range(4)),
    ]
    rows = export_rows(s3, parents.bucket, "both/")
    names = ["Baseline", "demo_what_if_forecast", "discount"]
    assert list(rows[0]) == [
        "item_id",
        "date",
        *(f"{name}_{t}" for t in ("p10", "p50", "p90") for name in names),
    ]
    assert len(rows) == 5 * 14
    assert [(row["item_id"], row["date"]) for row in rows[:2]] == [
        ("item_001", "2024-01-01T00:00:00Z"),
        ("item_001", "2024-01-02T00:00:00Z"),
    ]
    for name in names:
        assert all(
            0 < float(row[f"{name}_p10"]) < float(row[f"{name}_p50"]) < float(row[f"{name}_p90"])
            for row in rows
        )
    # The baseline is the analysis's forecast, as its own export has it.
    baseline = _forecast_p50(emu, parents, forecast, s3)
    assert [row["Baseline_p50"] for row in rows] == baseline
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "demand"}]


def test_parquet_what_if_exports(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    arn = create_job(forecast, EXPORT, parents, "columnar", Format="PARQUET")
    assert status(forecast, EXPORT, arn) == "ACTIVE"
    keys = part_keys(s3, parents.bucket, "columnar/", ".parquet")
    assert keys == [
        f"columnar/columnar_{file_stamp(forecast, EXPORT, arn)}_part{n}.parquet" for n in range(4)
    ]
    tables = [
        pq.read_table(io.BytesIO(s3.get_object(Bucket=parents.bucket, Key=key)["Body"].read()))
        for key in keys
    ]
    columns = ["item_id", "date", "Baseline_p10", "demo_what_if_forecast_p10", "Baseline_p50"]
    assert tables[0].column_names[:5] == columns and len(tables[0].column_names) == 2 + 2 * 3
    assert [table.num_rows for table in tables] == [0, 14, 28, 28]
    assert str(tables[1].schema.field("Baseline_p50").type) == "double"


def _forecast_p50(emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client) -> list[str]:
    """The p50 column of an export of the seeded forecast (the what-if analysis's baseline)."""
    emu.configure(job_seconds=0)
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="baseline",
        ForecastArn=parents.forecast_arn,
        Destination=destination(parents, "baseline/"),
    )["ForecastExportJobArn"]
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"] == "ACTIVE"
    return [row["p50"] for row in export_rows(s3, parents.bucket, "baseline/")]


def test_every_exported_what_if_forecast_must_exist_be_active_and_be_one(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, raw_forecast: ForecastServiceClient
) -> None:
    missing = parents.what_if_forecast_arn + "_gone"
    assert error_of(
        lambda: create_job(
            forecast, EXPORT, parents, "orphan", WhatIfForecastArns=[parents.what_if_forecast_arn, missing]
        )
    ) == (
        "ResourceNotFoundException",
        f"No what-if forecast found with the arn: {missing}",
    )
    emu.configure(upstream_seconds=JOB_SECONDS)
    slow = _what_if(forecast, parents, "slow")
    assert error_of(
        lambda: create_job(
            forecast, EXPORT, parents, "early", WhatIfForecastArns=[parents.what_if_forecast_arn, slow]
        )
    ) == (
        "ResourceInUseException",
        f"The what-if forecast {slow} must be ACTIVE to create a what-if forecast export from it; "
        "its status is CREATE_PENDING.",
    )
    # The shared rules name the list item that is not a what-if forecast ...
    assert error_of(
        lambda: create_job(
            forecast,
            EXPORT,
            parents,
            "mixed",
            WhatIfForecastArns=[parents.what_if_forecast_arn, parents.forecast_arn],
        )
    ) == (
        "InvalidInputException",
        f"1 validation error detected: Value '{parents.forecast_arn}' at 'whatIfForecastArns.2.member' "
        "failed to satisfy constraint: Member must be the ARN of a what-if forecast "
        "(arn:<partition>:forecast:<region>:<account>:what-if-forecast/<name>)",
    )
    # ... and the backend, without them, finds no what-if forecast there.
    backend = emu.core.backend
    with backend.transaction():
        try:
            backend.create_what_if_forecast_export(
                {
                    "WhatIfForecastExportName": "mixed",
                    "WhatIfForecastArns": [parents.forecast_arn],
                    "Destination": destination(parents),
                },
                "us-east-1",
            )
        except ResourceNotFoundException as error:
            assert error.message == f"No what-if forecast found with the arn: {parents.forecast_arn}"
        else:
            raise AssertionError("a forecast was exported as a what-if forecast")
    too_many = [parents.what_if_forecast_arn] * 51
    code, message = error_of(
        lambda: create_job(raw_forecast, EXPORT, parents, "many", WhatIfForecastArns=too_many)
    )
    assert code == "ValidationException"
    assert "at 'whatIfForecastArns' failed to satisfy constraint: " in message
    assert "Member must have length less than or equal to 50" in message


def test_an_export_names_at_most_three_what_if_forecasts(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    # Service Quotas L-50FA8F07: 3, not adjustable (the model allows 50): the shared rules' check, which
    # the provider runs at preview. The code is our choice (no record): a retry cannot fix it.
    others = [_what_if(forecast, parents, name) for name in ("two", "three", "four")]
    emu.advance_clock(JOB_SECONDS)
    four = [parents.what_if_forecast_arn, *others]
    assert error_of(lambda: create_job(forecast, EXPORT, parents, "four", WhatIfForecastArns=four)) == (
        "InvalidInputException",
        f"1 validation error detected: Value '[{', '.join(four)}]' at 'whatIfForecastArns' failed to "
        "satisfy constraint: Member must have at most 3 what-if forecasts per export (quota L-50FA8F07, "
        "not adjustable)",
    )
    assert forecast.list_what_if_forecast_exports()["WhatIfForecastExports"] == []
    create_job(forecast, EXPORT, parents, "three", WhatIfForecastArns=four[:3])


def test_no_parent_can_be_deleted_while_an_export_of_it_runs(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    second = _what_if(forecast, parents, "second")
    arn = create_job(
        forecast, EXPORT, parents, "running", WhatIfForecastArns=[parents.what_if_forecast_arn, second]
    )
    for parent in (parents.what_if_forecast_arn, second):
        delete = functools.partial(forecast.delete_what_if_forecast, WhatIfForecastArn=parent)
        assert error_of(delete) == (
            "ResourceInUseException",
            f"The what-if forecast {parent} cannot be deleted while it has child resources: its what-if "
            f"forecast export {arn} is CREATE_PENDING. Delete the child resources first, or the whole "
            "tree with DeleteResourceTree.",
        )
    assert error_of(lambda: forecast.delete_what_if_forecast_export(WhatIfForecastExportArn=arn))[0] == (
        "ResourceInUseException"
    )
    emu.advance_clock(JOB_SECONDS)
    assert status(forecast, EXPORT, arn) == "ACTIVE"
    # Finished, the export still holds both what-if forecasts, until it is gone.
    assert error_of(lambda: forecast.delete_what_if_forecast(WhatIfForecastArn=second))[0] == (
        "ResourceInUseException"
    )
    forecast.delete_what_if_forecast_export(WhatIfForecastExportArn=arn)
    emu.advance_clock(SETTLE_SECONDS)
    forecast.delete_what_if_forecast(WhatIfForecastArn=second)
    emu.advance_clock(SETTLE_SECONDS)
    assert error_of(lambda: forecast.describe_what_if_forecast(WhatIfForecastArn=second)) == (
        "ResourceNotFoundException",
        f"No what-if forecast found with the arn: {second}",
    )
    # An analysis with a what-if forecast being created cannot be deleted either.
    emu.configure(upstream_seconds=JOB_SECONDS)
    creating = _what_if(forecast, parents, "creating")
    assert error_of(
        lambda: forecast.delete_what_if_analysis(WhatIfAnalysisArn=parents.what_if_analysis_arn)
    ) == (
        "ResourceInUseException",
        f"The what-if analysis {parents.what_if_analysis_arn} cannot be deleted while it has child "
        f"resources: its what-if forecast {creating} is CREATE_PENDING. Delete the child resources "
        "first, or the whole tree with DeleteResourceTree.",
    )


def test_lists_filter_by_the_documented_keys(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(job_seconds=0)
    second = _what_if(forecast, parents, "second")
    first_only = create_job(forecast, EXPORT, parents, "first_only")
    both = create_job(
        forecast, EXPORT, parents, "both", WhatIfForecastArns=[parents.what_if_forecast_arn, second]
    )

    def exports(value: str, condition: str = "IS", key: str = "WhatIfForecastExportArn") -> list[str]:
        listed = forecast.list_what_if_forecast_exports(
            Filters=[{"Key": key, "Value": value, "Condition": condition}]  # type: ignore[typeddict-item]
        )
        return [summary["WhatIfForecastExportArn"] for summary in listed["WhatIfForecastExports"]]

    # The documented key is WhatIfForecastExportArn; it matches the export's own ARN or a forecast it exports.
    assert exports(both) == [both]
    assert exports(second) == [both]
    assert exports(parents.what_if_forecast_arn) == [both, first_only]
    assert exports(second, "IS_NOT") == [first_only]
    assert exports("ACTIVE", key="Status") == [both, first_only]
    assert error_of(lambda: exports(second, key="WhatIfForecastArn")) == (
        "InvalidInputException",
        "Invalid filter key 'WhatIfForecastArn' for ListWhatIfForecastExports; "
        "valid keys are WhatIfForecastExportArn and Status.",
    )
    summaries = forecast.list_what_if_forecast_exports()["WhatIfForecastExports"]
    assert summaries[0]["WhatIfForecastArns"] == [parents.what_if_forecast_arn, second]

    forecasts = forecast.list_what_if_forecasts(
        Filters=[{"Key": "WhatIfForecastArn", "Value": second, "Condition": "IS"}]
    )["WhatIfForecasts"]
    assert [f["WhatIfForecastName"] for f in forecasts] == ["second"]
    by_analysis = forecast.list_what_if_forecasts(
        Filters=[{"Key": "WhatIfForecastArn", "Value": parents.what_if_analysis_arn, "Condition": "IS"}]
    )["WhatIfForecasts"]
    assert [f["WhatIfForecastName"] for f in by_analysis] == ["second", "demo_what_if_forecast"]
    analyses = forecast.list_what_if_analyses(
        Filters=[{"Key": "WhatIfAnalysisArn", "Value": parents.forecast_arn, "Condition": "IS"}]
    )["WhatIfAnalyses"]
    assert [a["WhatIfAnalysisArn"] for a in analyses] == [parents.what_if_analysis_arn]
    assert error_of(
        lambda: forecast.list_what_if_analyses(
            Filters=[{"Key": "ForecastArn", "Value": parents.forecast_arn, "Condition": "IS"}]
        )
    ) == (
        "InvalidInputException",
        "Invalid filter key 'ForecastArn' for ListWhatIfAnalyses; "
        "valid keys are WhatIfAnalysisArn and Status.",
    )


def test_a_what_if_analysis_needs_a_forecast_of_an_auto_predictor(
    parents: Seeded, forecast: ForecastServiceClient
) -> None:
    legacy = forecast.create_predictor(
        PredictorName="legacy",
        ForecastHorizon=3,
        PerformAutoML=True,
        InputDataConfig={"DatasetGroupArn": parents.dataset_group_arn},
        FeaturizationConfig={"ForecastFrequency": "D"},
    )["PredictorArn"]
    old_style = forecast.create_forecast(ForecastName="old_style", PredictorArn=legacy)["ForecastArn"]
    assert error_of(
        lambda: forecast.create_what_if_analysis(WhatIfAnalysisName="nope", ForecastArn=old_style)
    ) == (
        "InvalidInputException",
        f"A what-if analysis needs a forecast created with CreateAutoPredictor; {old_style} was not.",
    )
    assert error_of(
        lambda: forecast.create_what_if_analysis(
            WhatIfAnalysisName="demo_what_if_analysis", ForecastArn=parents.forecast_arn
        )
    ) == (
        "ResourceAlreadyExistsException",
        f"A what-if analysis already exists with the arn: {parents.what_if_analysis_arn}",
    )


def test_a_role_that_does_not_exist_fails_the_export(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/NoSuchRole"
    arn = create_job(
        forecast,
        EXPORT,
        parents,
        "no_role",
        Destination={"S3Config": {"Path": f"s3://{parents.bucket}/x/", "RoleArn": role}},
    )
    emu.advance_clock(JOB_SECONDS)
    described = forecast.describe_what_if_forecast_export(WhatIfForecastExportArn=arn)
    assert (described["Status"], described["Message"]) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {role}: the role does not exist.",
    )
    forecast.delete_what_if_forecast_export(WhatIfForecastExportArn=arn)  # a failed export can be deleted
