"""Helpers the emulator tests share: clients, requests of any kind (from the catalogue), and
reading errors as a user sees them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_forecast.type_defs import DataDestinationTypeDef
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from pulumi_aws_forecast.catalog import KINDS, ResourceKind, snake

#: Export jobs take this long unless a test moves the clock: long enough that nothing finishes by itself.
JOB_SECONDS = 60.0
#: Stop and delete take this long (a test moves the clock to see them end).
SETTLE_SECONDS = 10.0
ACCOUNT = "123456789012"
FORECAST_EXPORT = KINDS["ForecastExportJob"]
BACKTEST_EXPORT = KINDS["PredictorBacktestExportJob"]


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


def parent_arn(kind: ResourceKind, parents: Seeded) -> str:
    """The seeded resource an export of `kind` exports: `parents.<snake of its parent's noun>_arn`."""
    arn: str = getattr(parents, f"{snake(kind.parent_nouns[0])}_arn")
    return arn


def create_job(
    forecast: ForecastServiceClient,
    kind: ResourceKind,
    parents: Seeded,
    name: str,
    path: str | None = None,
    **request: Any,
) -> str:
    """Create an export job of `kind` (of the seeded parent unless `request` names one); its ARN.

    The request is the catalogue's: `<noun>Name`, the parent member (a list for a list parent),
    a destination under `path` (`<name>/` unless given); `request` adds or overrides members.
    """
    assert kind.export and kind.parent_member is not None
    parent = parent_arn(kind, parents)
    request.setdefault(kind.parent_member, [parent] if kind.parent_is_list else parent)
    request.setdefault("Destination", destination(parents, path if path is not None else f"{name}/"))
    response = getattr(forecast, snake(kind.create_operation))(**{kind.name_member: name, **request})
    return str(response[kind.arn_member])


def describe(forecast: ForecastServiceClient, kind: ResourceKind, arn: str) -> dict[str, Any]:
    """Describe<noun> of the resource `arn` of `kind` (DescribeAutoPredictor for a predictor:
    DescribePredictor refuses AutoPredictors, like the seeded one)."""
    operation = kind.extra_describes[0] if kind.extra_describes else kind.describe_operation
    described: dict[str, Any] = getattr(forecast, snake(operation))(**{kind.arn_member: arn})
    return described


def status(forecast: ForecastServiceClient, kind: ResourceKind, arn: str) -> str:
    return str(describe(forecast, kind, arn)["Status"])


def file_stamp(forecast: ForecastServiceClient, kind: ResourceKind, arn: str) -> str:
    """When the finished job wrote its files, as their names write it: `2024-01-01T00-00-00Z`.

    That is its LastModificationTime (when it became ACTIVE), not its CreationTime."""
    written: datetime = describe(forecast, kind, arn)["LastModificationTime"]
    return written.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


def delete(forecast: ForecastServiceClient, kind: ResourceKind, arn: str) -> None:
    """Delete<noun> of the resource `arn` of `kind`."""
    getattr(forecast, snake(kind.delete_operation))(**{kind.arn_member: arn})


def create_export(
    forecast: ForecastServiceClient, parents: Seeded, name: str, path: str | None = None, **request: Any
) -> str:
    """Create a forecast export job of the seeded forecast (the kind most tests use); its ARN."""
    return create_job(forecast, FORECAST_EXPORT, parents, name, path, **request)


def export_status(forecast: ForecastServiceClient, arn: str) -> str:
    return status(forecast, FORECAST_EXPORT, arn)


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


def part_keys(s3: S3Client, bucket: str, prefix: str, suffix: str = ".csv") -> list[str]:
    """An export's part files under `prefix`, as AWS's own readers pick them: keys ending
    `suffix` and not empty (the `_CHECK` and `_SUCCESS` markers are neither)."""
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"] for o in listed.get("Contents", []) if o["Key"].endswith(suffix) and o["Size"])


def export_rows(s3: S3Client, bucket: str, prefix: str) -> list[dict[str, str]]:
    """Every row of an export's CSV parts under `prefix`, in key order; a header-only part adds none."""
    rows: list[dict[str, str]] = []
    for key in part_keys(s3, bucket, prefix):
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
        rows += csv.DictReader(io.StringIO(body))
    return rows
