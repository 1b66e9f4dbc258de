"""Give an emulator real parents to export: a bucket, a role, an ACTIVE forecast and more.

`seed(endpoint_url)` creates, through the emulator's own API (boto3, as any
client would):

- an S3 bucket, with a small training-data CSV in it;
- an IAM role that trusts forecast.amazonaws.com and may read and write the
  bucket (in the emulator's account, as Forecast requires);
- optionally a KMS key, which the role may then use (kms:Decrypt,
  kms:GenerateDataKey, kms:DescribeKey);
- a dataset, a dataset group holding it, a dataset import job, an
  AutoPredictor and a forecast;
- an explainability of the predictor (TimeSeriesGranularity and
  TimePointGranularity ALL, as a predictor's must be), a what-if analysis of
  the forecast and a what-if forecast in it: a parent for each export kind;

waiting until each is ACTIVE (resources that do not depend on each other are
created side by side, so seeding takes four `upstream_seconds` after the
import),

and returns their names and ARNs. It is idempotent: what already exists
(same names) is reused, so a demo can seed again after a restart.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

from forecast_emulator.trust import CANNOT_ASSUME
from pulumi_aws_forecast.catalog import KINDS

TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "forecast.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
SCHEMA = {
    "Attributes": [
        {"AttributeName": "item_id", "AttributeType": "string"},
        {"AttributeName": "timestamp", "AttributeType": "timestamp"},
        {"AttributeName": "demand", "AttributeType": "float"},
    ]
}


@dataclass(frozen=True)
class Seeded:
    region: str
    account_id: str
    bucket: str
    role_arn: str
    kms_key_arn: str | None
    dataset_arn: str
    dataset_group_arn: str
    dataset_import_job_arn: str
    predictor_arn: str
    forecast_arn: str
    explainability_arn: str
    what_if_analysis_arn: str
    what_if_forecast_arn: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_SESSION_LOCK = threading.Lock()


@functools.cache
def _session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )


def client(service: str, endpoint_url: str, region: str = "us-east-1", **options: Any) -> Any:
    """A boto3 client pointed at an emulator, with placeholder credentials (it accepts any).

    Clients come from one shared session, so service models are loaded once per process."""
    with _SESSION_LOCK:  # creating clients from one session is not thread-safe
        return _session().client(  # type: ignore[call-overload]
            service, region_name=region, endpoint_url=endpoint_url, **options
        )


def seed(
    endpoint_url: str,
    *,
    region: str = "us-east-1",
    bucket: str = "forecast-exports",
    role_name: str = "ForecastExportRole",
    prefix: str = "demo",
    kms_key: bool = False,
    horizon: int = 14,
    timeout: float = 60.0,
) -> Seeded:
    s3, iam, forecast = (client(service, endpoint_url, region) for service in ("s3", "iam", "forecast"))
    account = client("sts", endpoint_url, region).get_caller_identity()["Account"]
    arn = f"arn:aws:forecast:{region}:{account}"

    try:
        location = (
            {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        s3.create_bucket(Bucket=bucket, **location)
    except ClientError as error:
        if error.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
            raise
    training_key = f"{prefix}/training/demand.csv"
    rows = [f"item_{i:03d},2023-12-{day:02d},{10 * i + day}" for i in range(1, 6) for day in range(1, 32)]
    s3.put_object(Bucket=bucket, Key=training_key, Body=("\n".join(rows) + "\n").encode())

    try:
        role_arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))[
            "Role"
        ]["Arn"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
        role_arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]
    kms_key_arn = (
        client("kms", endpoint_url, region).create_key(Description=f"{prefix} exports")["KeyMetadata"]["Arn"]
        if kms_key
        else None
    )
    iam.put_role_policy(
        RoleName=role_name,
        PolicyName="forecast-s3",
        PolicyDocument=json.dumps(_role_policy(bucket, kms_key_arn)),
    )

    def ensure(arn: str | Callable[[], str], create: Callable[[], Any]) -> str:
        """Create unless it exists (then `arn`, or what it finds); its ARN. While the new role cannot
        be assumed yet (IAM propagation), retry."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                created = create()
            except forecast.exceptions.ResourceAlreadyExistsException:
                return arn if isinstance(arn, str) else arn()
            except forecast.exceptions.InvalidInputException as error:
                if CANNOT_ASSUME not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
                continue
            return str(next(value for key, value in created.items() if key.endswith("Arn")))

    def existing_predictor() -> str:
        """An AutoPredictor's ARN ends with an id: find the one of this name."""
        for page in forecast.get_paginator("list_predictors").paginate():
            for found in page["Predictors"]:
                if found["PredictorName"] == f"{prefix}_predictor":
                    return str(found["PredictorArn"])
        raise LookupError(f"no predictor {prefix}_predictor")

    dataset = ensure(
        f"{arn}:dataset/{prefix}_dataset",
        lambda: forecast.create_dataset(
            DatasetName=f"{prefix}_dataset",
            Domain="RETAIL",
            DatasetType="TARGET_TIME_SERIES",
            DataFrequency="D",
            Schema=SCHEMA,
        ),
    )
    _wait_active(lambda: forecast.describe_dataset(DatasetArn=dataset), timeout)
    group = ensure(
        f"{arn}:dataset-group/{prefix}_dataset_group",
        lambda: forecast.create_dataset_group(
            DatasetGroupName=f"{prefix}_dataset_group", Domain="RETAIL", DatasetArns=[dataset]
        ),
    )
    imported = ensure(
        f"{arn}:dataset-import-job/{prefix}_dataset/{prefix}_import",
        lambda: forecast.create_dataset_import_job(
            DatasetImportJobName=f"{prefix}_import",
            DatasetArn=dataset,
            DataSource={"S3Config": {"Path": f"s3://{bucket}/{training_key}", "RoleArn": role_arn}},
            TimestampFormat="yyyy-MM-dd",
        ),
    )
    _wait_active(lambda: forecast.describe_dataset_group(DatasetGroupArn=group), timeout)
    _wait_active(lambda: forecast.describe_dataset_import_job(DatasetImportJobArn=imported), timeout)
    predictor = ensure(
        existing_predictor,
        lambda: forecast.create_auto_predictor(
            PredictorName=f"{prefix}_predictor",
            ForecastHorizon=horizon,
            ForecastFrequency="D",
            DataConfig={"DatasetGroupArn": group},
        ),
    )
    _wait_active(lambda: forecast.describe_auto_predictor(PredictorArn=predictor), timeout)
    forecast_arn = ensure(
        f"{arn}:forecast/{prefix}_forecast",
        lambda: forecast.create_forecast(ForecastName=f"{prefix}_forecast", PredictorArn=predictor),
    )
    explainability = ensure(
        KINDS["Explainability"].arn("aws", region, account, f"{prefix}_explainability", None),
        lambda: forecast.create_explainability(
            ExplainabilityName=f"{prefix}_explainability",
            ResourceArn=predictor,
            ExplainabilityConfig={"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"},
        ),
    )
    _wait_active(lambda: forecast.describe_forecast(ForecastArn=forecast_arn), timeout)
    analysis_name = f"{prefix}_what_if_analysis"
    analysis = ensure(
        KINDS["WhatIfAnalysis"].arn("aws", region, account, analysis_name, None),
        lambda: forecast.create_what_if_analysis(WhatIfAnalysisName=analysis_name, ForecastArn=forecast_arn),
    )
    _wait_active(lambda: forecast.describe_what_if_analysis(WhatIfAnalysisArn=analysis), timeout)
    what_if = ensure(
        KINDS["WhatIfForecast"].arn("aws", region, account, f"{prefix}_what_if_forecast", analysis_name),
        lambda: forecast.create_what_if_forecast(
            WhatIfForecastName=f"{prefix}_what_if_forecast", WhatIfAnalysisArn=analysis
        ),
    )
    _wait_active(lambda: forecast.describe_explainability(ExplainabilityArn=explainability), timeout)
    _wait_active(lambda: forecast.describe_what_if_forecast(WhatIfForecastArn=what_if), timeout)
    return Seeded(
        region=region,
        account_id=account,
        bucket=bucket,
        role_arn=role_arn,
        kms_key_arn=kms_key_arn,
        dataset_arn=dataset,
        dataset_group_arn=group,
        dataset_import_job_arn=imported,
        predictor_arn=predictor,
        forecast_arn=forecast_arn,
        explainability_arn=explainability,
        what_if_analysis_arn=analysis,
        what_if_forecast_arn=what_if,
    )


def _role_policy(bucket: str, kms_key_arn: str | None = None) -> dict[str, Any]:
    """What the developer guide's "Set Up Permissions" grants: s3:Get*, s3:List*, s3:PutObject on the
    bucket and its objects (s3:Get* covers s3:GetBucketLocation); with a key, the right to use it."""
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": ["s3:Get*", "s3:List*", "s3:PutObject"],
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        }
    ]
    if kms_key_arn is not None:
        statements.append(
            {
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                "Resource": kms_key_arn,
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def _wait_active(describe: Callable[[], Any], timeout: float) -> None:
    """Poll until ACTIVE; raise with the service's Message on failure or at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = describe()
        except ClientError as error:  # not visible yet (read-after-create eventual consistency)
            if error.response["Error"]["Code"] != "ResourceNotFoundException" or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
            continue
        if found["Status"] == "ACTIVE":
            return
        if found["Status"] in ("CREATE_FAILED", "CREATE_STOPPED") or time.monotonic() > deadline:
            raise RuntimeError(f"seeding stopped: status {found['Status']}: {found.get('Message', '')}")
        time.sleep(0.05)
