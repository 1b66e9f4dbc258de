"""examples/aws, run against Pulumi's mocks: what it would ask AWS for, and how it is wired.

The pulumi-aws provider plugin cannot be downloaded on our machines, so the
program runs with mocks standing in for every resource and data source.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from pulumi_aws_forecast._aws_config import AwsConfig, account_of_arn

# Pulumi's mocks need a current event loop (see conftest.py).
pytestmark = pytest.mark.usefixtures("event_loop_for_mocks")

ACCOUNT = "210987654321"
REGION = "eu-west-1"
FORECAST = f"arn:aws:forecast:{REGION}:{ACCOUNT}:forecast/demand"
PREDICTOR = f"arn:aws:forecast:{REGION}:{ACCOUNT}:predictor/demand"
PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "aws" / "__main__.py"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        if args.typ == "aws:s3/bucket:Bucket":
            state.update(bucket=f"{args.name}-bucket-1234", arn=f"arn:aws:s3:::{args.name}-bucket-1234")
        elif args.typ == "aws:iam/role:Role":
            state["arn"] = f"arn:aws:iam::{ACCOUNT}:role/{args.name}-role"
        elif args.typ == "aws:kms/key:Key":
            state["arn"] = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0000-{args.name}"
        self.resources.append((args.typ, args.name, state))
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/ci", "userId": "AIDA"}, []
        if args.token == "aws:index/getRegion:getRegion":
            return {"name": REGION, "region": REGION, "id": REGION}, []
        raise AssertionError(f"unexpected call {args.token}")

    def one(self, typ: str) -> dict[str, Any]:
        [state] = [state for t, _, state in self.resources if t == typ]
        return state


def run_example(use_kms: bool) -> Mocks:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="forecast-aws", stack="dev", preview=False)
    pulumi.runtime.set_all_config(
        {
            "forecast-aws:forecastArn": FORECAST,
            "forecast-aws:predictorArn": PREDICTOR,
            "forecast-aws:useKms": json.dumps(use_kms),
        }
    )

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> None:
        runpy.run_path(str(PROGRAM))

    program()
    return mocks


@pytest.mark.parametrize("use_kms", [False, True])
def test_the_role_trusts_forecast_of_this_account_only(use_kms: bool) -> None:
    mocks = run_example(use_kms)
    trust = json.loads(mocks.one("aws:iam/role:Role")["assumeRolePolicy"])
    [statement] = trust["Statement"]
    assert statement["Principal"] == {"Service": "forecast.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:forecast:{REGION}:{ACCOUNT}:*"},
    }


def test_the_role_may_read_and_write_the_bucket_and_nothing_else() -> None:
    mocks = run_example(use_kms=False)
    bucket_arn = mocks.one("aws:s3/bucket:Bucket")["arn"]
    policy = json.loads(mocks.one("aws:iam/rolePolicy:RolePolicy")["policy"])
    assert policy["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": bucket_arn},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{bucket_arn}/*"},
    ]
    assert not [r for r in mocks.resources if r[0] == "aws:kms/key:Key"]
    block = mocks.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(
        block[k]
        for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )


def test_with_kms_the_key_and_the_role_allow_each_other() -> None:
    mocks = run_example(use_kms=True)
    key = mocks.one("aws:kms/key:Key")
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/forecast-exports-role"
    key_policy = json.loads(key["policy"])
    uses = [s for s in key_policy["Statement"] if s.get("Sid") == "ForecastRoleUses"]
    assert uses == [
        {
            "Sid": "ForecastRoleUses",
            "Effect": "Allow",
            "Principal": {"AWS": role_arn},
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
        }
    ]
    assert key["enableKeyRotation"] is True
    policy = json.loads(mocks.one("aws:iam/rolePolicy:RolePolicy")["policy"])
    assert policy["Statement"][-1]["Resource"] == key["arn"]


@pytest.mark.parametrize("use_kms", [False, True])
def test_both_export_jobs_are_wired_to_the_bucket_role_and_key(use_kms: bool) -> None:
    mocks = run_example(use_kms)
    bucket = mocks.one("aws:s3/bucket:Bucket")["bucket"]
    role_arn = mocks.one("aws:iam/role:Role")["arn"]
    key_arn = mocks.one("aws:kms/key:Key")["arn"] if use_kms else None
    forecast = mocks.one("pulumi-python:dynamic/forecast:ForecastExportJob")
    backtest = mocks.one("pulumi-python:dynamic/forecast:PredictorBacktestExportJob")
    assert forecast["forecast_arn"] == FORECAST
    assert backtest["predictor_arn"] == PREDICTOR
    for job, path in ((forecast, f"s3://{bucket}/forecasts/daily/"), (backtest, f"s3://{bucket}/backtests/")):
        s3_config = job["destination"]["s3_config"]
        assert s3_config["path"] == path
        assert s3_config["role_arn"] == role_arn
        assert s3_config.get("kms_key_arn") == key_arn
    assert backtest["format"] == "PARQUET"


def as_the_cli_hands_it(value: Any) -> str:
    """A stack setting as a program and its providers receive it: objects as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)


def test_the_sample_stack_runs_as_an_assumed_role_from_a_profile_in_its_own_account() -> None:
    sample = yaml.safe_load((PROGRAM.parent / "Pulumi.dev.yaml").read_text())["config"]
    config = AwsConfig.from_mapping({k: as_the_cli_hands_it(v) for k, v in sample.items()})
    assert config.profile == "forecast-dev"
    [role] = config.assume_roles
    assert role.role_arn == "arn:aws:iam::111111111111:role/ForecastDeployer"
    assert config.allowed_account_ids == ("111111111111",)
    for parent in (sample["forecast-aws:forecastArn"], sample["forecast-aws:predictorArn"]):
        assert account_of_arn(parent) == "111111111111"
