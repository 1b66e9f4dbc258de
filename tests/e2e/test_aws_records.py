"""What public records of real AWS runs show, through the real CLI: the count quota on export jobs,
and backtest exports of an AutoPredictor, whose ARN carries an id its exports' ARNs do not.

The count quota's wording is AWS's own solution's (aws-solutions/improving-forecast-accuracy-with-
machine-learning, `source/tests/test_helpers.py`); the AutoPredictor ARNs are those of
aws-samples/amazon-forecast-samples (Forecast_Selected_TimeSeries) and the same solution's
`source/shared/Predictor/predictor.py`. The provider tier's tests are tests/provider/test_quotas.py
and tests/provider/test_auto_predictor.py.
"""

from __future__ import annotations

import re

import pytest
from pulumi import automation as auto

from pulumi_aws_forecast.catalog import KINDS as CATALOGUE
from tests.e2e.world import World, destroy_and_check


@pytest.mark.emulator
def test_the_count_quota_fails_at_once_naming_the_quota_and_leaves_nothing(world: World) -> None:
    existing = world.forecast.create_forecast_export_job(
        ForecastExportJobName=f"{world.prefix}_existing",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path("existing/"), "RoleArn": world.seeded.role_arn}},
    )["ForecastExportJobArn"]
    world.describe("ForecastExportJob", existing)  # visible: every job of the account is listed below
    pages = world.forecast.get_paginator("list_forecast_export_jobs").paginate()
    held = sum(len(page["ForecastExportJobs"]) for page in pages)
    refusal = f"Quota limit of {held} of total number of forecast exports has been reached"
    stack = world.stack(name="over_quota")
    world.emulator.configure(total_quota=held)  # the account holds as many as it may
    try:
        world.reset_calls()
        with pytest.raises(auto.CommandError) as failed:
            stack.up()
        creates = (world.calls() or {}).get("CreateForecastExportJob", 0)
    finally:
        world.emulator.configure(total_quota=1000)
    text = str(failed.value)
    assert (
        "ForecastExportJob 'over_quota': the account holds as many forecast export jobs as its quota "
        "allows (Service Quotas code L-561FC25E, 'Maximum number of forecast export jobs'): "
        f"{refusal}. Delete forecast export jobs you no longer need (ListForecastExportJobs shows "
        "them), or ask AWS for a higher quota (aws service-quotas request-service-quota-increase "
        "--service-code forecast --quota-code L-561FC25E --desired-value <n>), and run `pulumi up` "
        "again. Nothing was created."
    ) in text, text
    assert "waiting for a free slot" not in text and "Traceback" not in text
    assert creates == 1  # refused once, not retried: waiting cannot free a place
    assert [j["ForecastExportJobArn"] for j in world.jobs("ForecastExportJob")] == [existing]
    assert stack.resources("ForecastExportJob") == []
    world.delete("ForecastExportJob", existing)


def test_a_backtest_export_of_an_auto_predictor_is_adopted(world: World) -> None:
    kind = "PredictorBacktestExportJob"
    predictor = str(world.parent(kind))
    try:
        name = world.forecast.describe_auto_predictor(PredictorArn=predictor)["PredictorName"]
    except world.forecast.exceptions.InvalidInputException:
        pytest.skip(f"{predictor} is not an AutoPredictor")
    # predictor/<name>_<26-character id>, but predictor-backtest-export-job/<name>/<job>.
    assert re.fullmatch(rf".*:predictor/{name}_[0-9A-Z]{{26}}", predictor), predictor
    by_hand = world.forecast.create_predictor_backtest_export_job(
        PredictorBacktestExportJobName="by_hand",
        PredictorArn=predictor,
        Destination={"S3Config": {"Path": world.path(), "RoleArn": world.seeded.role_arn}},
    )["PredictorBacktestExportJobArn"]
    assert by_hand == predictor.split(":predictor/")[0] + f":predictor-backtest-export-job/{name}/by_hand"

    stack = world.stack(kind, name="by_hand", adopt=True)
    up = stack.up()
    assert up.changes == {"create": 2}
    assert up.outputs["arn"] == by_hand
    assert [j[CATALOGUE[kind].arn_member] for j in world.jobs(kind)] == [by_hand]
    destroy_and_check(world, stack)
