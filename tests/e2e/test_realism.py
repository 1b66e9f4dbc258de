"""AWS as it really behaves, through the real CLI: a role seconds old, waited for in one `up`.

The whole e2e suite runs with read-after-create consistency and IAM propagation on (conftest).
The lifecycle's paths through them (the IAM retry's limit, permissions, trust conditions, jobs
not visible yet) are tests/provider/test_lifecycle.py's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.world import World, destroy_and_check

# Steers the emulator (its clock, settings, faults or processes): not part of `make acceptance`.
pytestmark = pytest.mark.emulator

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "forecast.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def make_role(world: World, name: str, actions: list[str], trust: dict[str, Any] = TRUST) -> str:
    """A role made with boto3 just now, as a user's script would right before `pulumi up`."""
    iam = world.emulator.client("iam")
    arn = str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"])
    bucket = world.seeded.bucket
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": actions,
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }
    iam.put_role_policy(RoleName=name, PolicyName="exports", PolicyDocument=json.dumps(policy))
    return arn


TWO_KINDS = """
import pulumi
from pulumi_aws_forecast import ForecastExportJob, PredictorBacktestExportJob

config = pulumi.Config()
destination = {"s3_config": {"path": config.require("path"), "role_arn": config.require("roleArn")}}
ForecastExportJob("forecast", forecast_arn=config.require("forecastArn"), destination=destination)
PredictorBacktestExportJob("backtest", predictor_arn=config.require("predictorArn"), destination=destination)
"""


def test_a_role_created_seconds_before_up_is_waited_for(world: World) -> None:
    stack = world.make_stack(
        TWO_KINDS,
        stack="fresh",
        env=world.env,
        config={
            "path": world.path(),
            "forecastArn": world.seeded.forecast_arn,
            "predictorArn": world.seeded.predictor_arn,
        },
    )
    # The role is made last, just before `up`, so it is still young (IAM's 10 s) at the first Create.
    role = make_role(world, f"{world.prefix}Fresh", ["s3:Get*", "s3:List*", "s3:PutObject"])
    stack.set_config("roleArn", role)
    world.emulator.reset_counters()
    up = stack.up()
    assert up.changes == {"create": 3}
    assert f"waiting for IAM role {role} to become usable" in up.output
    counters = world.emulator.counters()
    refused = counters["CreateForecastExportJob"] + counters["CreatePredictorBacktestExportJob"] - 2
    assert refused > 0  # Forecast refused the young role at least once; the provider retried
    for kind in ("ForecastExportJob", "PredictorBacktestExportJob"):
        [job] = world.jobs(kind)
        assert world.describe(kind, job[f"{kind}Arn"])["Status"] == "ACTIVE"
    print(f"FIGURE young role: 2 jobs ACTIVE, {refused} creates refused while IAM propagated, 0 failures")
    destroy_and_check(world, stack)
