"""Helpers the emulator tests share: clients, requests, and reading errors as a user sees them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_forecast.type_defs import DataDestinationTypeDef
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded

#: Export jobs take this long unless a test moves the clock: long enough that nothing finishes by itself.
JOB_SECONDS = 60.0
#: Stop and delete take this long (a test moves the clock to see them end).
SETTLE_SECONDS = 10.0
ACCOUNT = "123456789012"


def forecast_client(emu: Emulator, region: str = "us-east-1", **config: Any) -> ForecastServiceClient:
    """A Forecast client; `config` goes to botocore's Config (e.g. parameter_validation=False)."""
    client: ForecastServiceClient = emu.client("forecast", region_name=region, config=Config(**config))
    return client


def s3_client(emu: Emulator) -> S3Client:
    client: S3Client = emu.client("s3")
    return client


def destination(
    parents: Seeded, path: str = "exports/", kms_key_arn: str | None = None
) -> DataDestinationTypeDef:
    s3_config: Any = {"Path": f"s3://{parents.bucket}/{path}", "RoleArn": parents.role_arn}
    if kms_key_arn is not None:
        s3_config["KMSKeyArn"] = kms_key_arn
    return {"S3Config": s3_config}


def create_export(
    forecast: ForecastServiceClient, parents: Seeded, name: str, path: str | None = None, **request: Any
) -> str:
    """Create a forecast export job of the seeded forecast; returns its ARN."""
    response = forecast.create_forecast_export_job(
        ForecastExportJobName=name,
        ForecastArn=parents.forecast_arn,
        Destination=destination(parents, path if path is not None else f"{name}/"),
        **request,
    )
    return response["ForecastExportJobArn"]


def create_backtest(
    forecast: ForecastServiceClient, parents: Seeded, name: str, path: str | None = None, **request: Any
) -> str:
    response = forecast.create_predictor_backtest_export_job(
        PredictorBacktestExportJobName=name,
        PredictorArn=parents.predictor_arn,
        Destination=destination(parents, path if path is not None else f"{name}/"),
        **request,
    )
    return response["PredictorBacktestExportJobArn"]


def export_status(forecast: ForecastServiceClient, arn: str) -> str:
    return forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"]


def error_of(call: Callable[[], object]) -> tuple[str, str]:
    """(code, message) of the error `call` raises, as botocore parses it; fails if it succeeds."""
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError("the call succeeded; an error was expected")


def export_arn(parents: Seeded, name: str) -> str:
    forecast_name = parents.forecast_arn.rsplit("/", 1)[1]
    return f"arn:aws:forecast:{parents.region}:{ACCOUNT}:forecast-export-job/{forecast_name}/{name}"


def object_keys(s3: S3Client, bucket: str, prefix: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", []))
