"""AWS as it really behaves, through the real CLI: a role seconds old, permissions, trust, consistency.

The whole e2e suite runs with read-after-create consistency and IAM propagation on (conftest);
these tests take each path on purpose.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pulumi import automation as auto

from tests.e2e.conftest import IAM_PROPAGATION_SECONDS, World, destroy_and_check

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
    role = make_role(world, f"{world.prefix}Fresh", ["s3:Get*", "s3:List*", "s3:PutObject"])
    stack = world.make_stack(
        TWO_KINDS,
        stack="fresh",
        env=world.env,
        config={
            "path": world.path(),
            "roleArn": role,
            "forecastArn": world.seeded.forecast_arn,
            "predictorArn": world.seeded.predictor_arn,
        },
    )
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


def test_a_role_that_never_becomes_usable_fails_clearly(world: World) -> None:
    world.emulator.configure(iam_propagation_seconds=3600)
    role = make_role(world, f"{world.prefix}Never", ["s3:Get*", "s3:List*", "s3:PutObject"])
    stack = world.stack(roleArn=role)
    stack.env["PULUMI_AWS_FORECAST_IAM_PROPAGATION_SECONDS"] = "3"
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    text = str(failed.value)
    assert f"Amazon Forecast could not use the IAM role {role} for" in text, text
    assert "trusts forecast.amazonaws.com" in text and "Traceback" not in text
    assert world.jobs("ForecastExportJob") == [] and stack.resources("ForecastExportJob") == []


@pytest.mark.parametrize(
    ("actions", "missing", "resource"),
    [
        (["s3:Get*", "s3:List*"], "s3:PutObject", "arn:aws:s3:::{bucket}/{prefix}/out/*"),
        (["s3:GetBucketLocation", "s3:PutObject"], "s3:ListBucket", "arn:aws:s3:::{bucket}"),
    ],
)
def test_access_denied_says_which_permission_to_add_and_leaves_nothing(
    world: World, actions: list[str], missing: str, resource: str
) -> None:
    role = make_role(world, f"{world.prefix}Partial", actions)
    world.emulator.advance_clock(IAM_PROPAGATION_SECONDS)
    stack = world.stack(roleArn=role)
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    text = str(failed.value)
    expected = resource.format(bucket=world.seeded.bucket, prefix=world.prefix)
    hint = f"Add {missing} on {expected} to the policy of the role {world.prefix}Partial ({role})."
    assert hint in text, text
    assert "CREATE_FAILED" in text and "The failed job was deleted" in text and "Traceback" not in text
    assert world.jobs("ForecastExportJob") == [] and world.s3_keys() == []
    assert stack.resources("ForecastExportJob") == []


def test_trust_conditions_that_exclude_the_caller_fail_clearly(world: World) -> None:
    trust = json.loads(json.dumps(TRUST))
    trust["Statement"][0]["Condition"] = {"StringEquals": {"aws:SourceAccount": "999999999999"}}
    role = make_role(world, f"{world.prefix}Elsewhere", ["s3:Get*", "s3:List*", "s3:PutObject"], trust)
    world.emulator.advance_clock(IAM_PROPAGATION_SECONDS)
    stack = world.stack(roleArn=role)
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    text = str(failed.value)
    assert f"could not assume the IAM role {role}" in text, text
    assert re.search(r"aws:SourceAccount \d{12}", text)
    assert world.jobs("ForecastExportJob") == []


def test_jobs_invisible_for_a_while_after_create_are_waited_for(world: World) -> None:
    # Every job of this stack stays invisible to Describe and List for up to 15 s after its
    # Create returned: `up` treats that as "not visible yet", not as "gone".
    world.emulator.configure(consistency_seconds=15)
    stack = world.stack(count=3)
    up = stack.up()
    assert up.changes == {"create": 4}
    assert len(world.jobs("ForecastExportJob")) == 3
    stack.refresh()
    stack.preview(expect_no_changes=True)
    destroy_and_check(world, stack)
