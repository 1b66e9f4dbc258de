"""Backtest exports of an AutoPredictor, whose ARN carries an id its exports' ARNs do not.

The predictor is made with CreateAutoPredictor and the job's ARN is compared with what the service
returns, so the test holds whether the emulator gives AutoPredictors AWS's id-suffixed ARNs or not.
"""

from __future__ import annotations

from pulumi_aws_forecast._plan import OWNER_TAG, Planner
from pulumi_aws_forecast.catalog import KINDS
from tests.provider.conftest import OWNER, World

KIND = "PredictorBacktestExportJob"


def test_a_backtest_export_of_an_auto_predictor_is_adopted_by_its_derived_arn(world: World) -> None:
    predictor = world.forecast.create_auto_predictor(
        PredictorName="auto_demo",
        ForecastHorizon=7,
        ForecastFrequency="D",
        DataConfig={"DatasetGroupArn": world.seeded.dataset_group_arn},
    )["PredictorArn"]
    world.clock.sleep(60)
    assert world.forecast.describe_auto_predictor(PredictorArn=predictor)["Status"] == "ACTIVE"
    by_hand = world.forecast.create_predictor_backtest_export_job(
        PredictorBacktestExportJobName="by_hand",
        PredictorArn=predictor,
        Destination={"S3Config": {"Path": world.path("by_hand/"), "RoleArn": world.seeded.role_arn}},
    )["PredictorBacktestExportJobArn"]
    destination = {"s3_config": {"path": world.path("by_hand/"), "role_arn": world.seeded.role_arn}}
    props = world.props(KIND, predictor_arn=predictor, name="by_hand", adopt=True, destination=destination)

    derived = Planner(KINDS[KIND], OWNER, {}).job(props).arn
    described = world.forecast.describe_predictor_backtest_export_job(PredictorBacktestExportJobArn=derived)
    assert derived == by_hand == described["PredictorBacktestExportJobArn"]

    arn, outputs = world.lifecycle(KIND).create(props)
    assert arn == by_hand and outputs["status"] == "ACTIVE"
    assert world.tags(by_hand) == {OWNER_TAG: OWNER}
    assert len(world.jobs(KIND)) == 1
