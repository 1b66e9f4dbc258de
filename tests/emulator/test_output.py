"""What an export leaves in S3, and how a job fails when it cannot write there."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pyarrow.parquet as pq
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from tests.emulator.support import (
    BACKTEST_EXPORT,
    FORECAST_EXPORT,
    JOB_SECONDS,
    create_export,
    create_job,
    destination,
    file_stamp,
    object_keys,
)


def _rows(s3: S3Client, bucket: str, key: str) -> list[dict[str, str]]:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_files_appear_when_the_job_becomes_active(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    arn = create_export(forecast, parents, "daily", path="exports/daily")
    stamp = file_stamp(forecast, FORECAST_EXPORT, arn)
    emu.advance_clock(JOB_SECONDS / 2)
    assert object_keys(s3, parents.bucket, "exports/") == []
    emu.advance_clock(JOB_SECONDS / 2)
    # The S3 request itself moves the job on: the files are there as soon as the job is ACTIVE.
    assert object_keys(s3, parents.bucket, "exports/") == [f"exports/daily/daily_{stamp}_part0.csv"]
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"] == "ACTIVE"

    rows = _rows(s3, parents.bucket, f"exports/daily/daily_{stamp}_part0.csv")
    assert list(rows[0]) == ["item_id", "date", "p10", "p50", "p90"]
    assert len(rows) == 5 * 14  # 5 items, the seeded predictor's horizon of 14 days
    assert sorted({row["item_id"] for row in rows}) == [f"item_00{i}" for i in range(1, 6)]
    assert [row["date"] for row in rows[:3]] == [
        "2024-01-01T00:00:00Z",
        "2024-01-02T00:00:00Z",
        "2024-01-03T00:00:00Z",
    ]
    assert all(0 < float(row["p10"]) < float(row["p50"]) < float(row["p90"]) for row in rows)


def test_content_is_deterministic(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    first = create_export(forecast, parents, "first")
    second = create_export(forecast, parents, "second")
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=second)["Status"] == "ACTIVE"
    bodies = [
        s3.get_object(Bucket=parents.bucket, Key=key)["Body"].read()
        for key in object_keys(s3, parents.bucket, "first/") + object_keys(s3, parents.bucket, "second/")
    ]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert first != second


def test_dimensions_forecast_types_and_parts(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    predictor = forecast.create_auto_predictor(
        PredictorName="by_store",
        ForecastHorizon=30,
        ForecastFrequency="W",
        ForecastDimensions=["store"],
        ForecastTypes=["0.1", "0.5", "mean"],
        DataConfig={"DatasetGroupArn": parents.dataset_group_arn},
    )["PredictorArn"]
    forecast_arn = forecast.create_forecast(ForecastName="by_store", PredictorArn=predictor)["ForecastArn"]
    assert forecast.describe_forecast(ForecastArn=forecast_arn)["ForecastTypes"] == ["0.1", "0.5", "mean"]
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="weekly", ForecastArn=forecast_arn, Destination=destination(parents, "weekly/")
    )["ForecastExportJobArn"]
    stamp = file_stamp(forecast, FORECAST_EXPORT, arn)
    keys = object_keys(s3, parents.bucket, "weekly/")
    assert keys == [f"weekly/weekly_{stamp}_part0.csv", f"weekly/weekly_{stamp}_part1.csv"]
    rows = _rows(s3, parents.bucket, keys[0]) + _rows(s3, parents.bucket, keys[1])
    assert len(rows) == 5 * 30
    assert list(rows[0]) == ["item_id", "store", "date", "p10", "p50", "mean"]
    assert [row["date"] for row in rows[:2]] == ["2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z"]
    assert {row["store"] for row in rows} == {"store_1", "store_2"}


def test_a_backtest_export_writes_two_folders(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    arn = create_job(forecast, BACKTEST_EXPORT, parents, "backtest", path="bt")
    stamp = file_stamp(forecast, BACKTEST_EXPORT, arn)
    assert object_keys(s3, parents.bucket, "bt/") == [
        f"bt/accuracy-metrics-values/backtest_{stamp}_part0.csv",
        f"bt/forecasted-values/backtest_{stamp}_part0.csv",
    ]
    values = _rows(s3, parents.bucket, f"bt/forecasted-values/backtest_{stamp}_part0.csv")
    assert list(values[0]) == [
        "item_id",
        "timestamp",
        "target_value",
        "backtestwindow_start_time",
        "backtestwindow_end_time",
        "p10",
        "p50",
        "p90",
    ]
    assert len(values) == 5 * 14
    assert values[0]["backtestwindow_start_time"] == "2023-12-18T00:00:00Z"
    assert values[0]["backtestwindow_end_time"] == "2024-01-01T00:00:00Z"
    metrics = _rows(s3, parents.bucket, f"bt/accuracy-metrics-values/backtest_{stamp}_part0.csv")
    assert list(metrics[0]) == [
        "item_id",
        "backtestwindow_start_time",
        "backtestwindow_end_time",
        "wQL[0.1]",
        "wQL[0.5]",
        "wQL[0.9]",
        "RMSE",
        "WAPE",
        "MAPE",
        "MASE",
    ]
    assert len(metrics) == 5
    assert all(0 <= float(row["WAPE"]) < 1 for row in metrics)


def test_parquet_exports_are_real_parquet(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    create_export(forecast, parents, "as_csv")
    parquet_arn = create_export(forecast, parents, "as_parquet", Format="PARQUET")
    described = forecast.describe_forecast_export_job(ForecastExportJobArn=parquet_arn)
    assert (described["Status"], described["Format"]) == ("ACTIVE", "PARQUET")
    [parquet_key] = object_keys(s3, parents.bucket, "as_parquet/")
    assert parquet_key.endswith("_part0.parquet")
    body = s3.get_object(Bucket=parents.bucket, Key=parquet_key)["Body"].read()
    table = pq.read_table(io.BytesIO(body))
    assert table.column_names == ["item_id", "date", "p10", "p50", "p90"]
    assert str(table.schema.field("p50").type) == "double"

    [csv_key] = object_keys(s3, parents.bucket, "as_csv/")
    from_csv = pd.read_csv(io.BytesIO(s3.get_object(Bucket=parents.bucket, Key=csv_key)["Body"].read()))
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(body)), from_csv)


def test_a_kms_key_encrypts_the_files(emu: Emulator, forecast: ForecastServiceClient, s3: S3Client) -> None:
    parents = emu.seed(kms_key=True)
    assert parents.kms_key_arn is not None
    emu.configure(job_seconds=0)
    forecast.create_forecast_export_job(
        ForecastExportJobName="encrypted",
        ForecastArn=parents.forecast_arn,
        Destination=destination(parents, "encrypted/", kms_key_arn=parents.kms_key_arn),
    )
    [key] = object_keys(s3, parents.bucket, "encrypted/")
    head = s3.head_object(Bucket=parents.bucket, Key=key)
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", parents.kms_key_arn)


def _failure(emu: Emulator, forecast: ForecastServiceClient, arn: str) -> tuple[str, str]:
    emu.advance_clock(JOB_SECONDS)
    described = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    return described["Status"], described.get("Message", "")


def test_a_missing_bucket_fails_the_job(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="no_bucket",
        ForecastArn=parents.forecast_arn,
        Destination={"S3Config": {"Path": "s3://no-such-bucket/out/", "RoleArn": parents.role_arn}},
    )["ForecastExportJobArn"]
    assert _failure(emu, forecast, arn) == (
        "CREATE_FAILED",
        "Amazon Forecast could not write to s3://no-such-bucket/out/: "
        "the S3 bucket no-such-bucket does not exist.",
    )
    forecast.delete_forecast_export_job(ForecastExportJobArn=arn)


def test_an_unknown_kms_key_fails_the_job(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="no_key",
        ForecastArn=parents.forecast_arn,
        Destination=destination(parents, "no_key/", kms_key_arn=key),
    )["ForecastExportJobArn"]
    assert _failure(emu, forecast, arn) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not use the KMS key {key}: the key does not exist.",
    )


def test_the_role_must_exist_and_trust_forecast(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    iam = emu.client("iam")
    missing_role = "arn:aws:iam::123456789012:role/Missing"
    untrusting = iam.create_role(
        RoleName="Untrusting",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "s3.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    arns = [
        forecast.create_forecast_export_job(
            ForecastExportJobName=name,
            ForecastArn=parents.forecast_arn,
            Destination={"S3Config": {"Path": f"s3://{parents.bucket}/{name}/", "RoleArn": role}},
        )["ForecastExportJobArn"]
        for name, role in (("no_role", missing_role), ("untrusted", untrusting))
    ]
    assert _failure(emu, forecast, arns[0]) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {missing_role}: the role does not exist.",
    )
    assert _failure(emu, forecast, arns[1]) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {untrusting}: its trust policy does not allow "
        "the service principal forecast.amazonaws.com to call sts:AssumeRole.",
    )


def test_injected_failures(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.fail_jobs("flaky_", "Injected: the export timed out", times=1)
    first = create_export(forecast, parents, "flaky_1")
    second = create_export(forecast, parents, "flaky_2")
    emu.advance_clock(JOB_SECONDS)
    failed = forecast.describe_forecast_export_job(ForecastExportJobArn=first)
    assert (failed["Status"], failed["Message"]) == ("CREATE_FAILED", "Injected: the export timed out")
    assert (
        abs(failed["LastModificationTime"].timestamp() - (failed["CreationTime"].timestamp() + JOB_SECONDS))
        < 0.01
    )
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=second)["Status"] == "ACTIVE"
    assert object_keys(s3, parents.bucket, "flaky_1/") == []
    assert len(object_keys(s3, parents.bucket, "flaky_2/")) == 1

    emu.fail_jobs("doomed", "Injected: always")
    emu.clear_failures()
    assert _failure(emu, forecast, create_export(forecast, parents, "doomed")) == ("ACTIVE", "")
