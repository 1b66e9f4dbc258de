"""The ARN a job of a name under a parent has, as adoption and crash recovery derive it."""

from __future__ import annotations

import pytest

from pulumi_aws_forecast._plan import Planner
from pulumi_aws_forecast.catalog import KINDS

ACCOUNT = "arn:aws:forecast:us-east-1:123456789012"
DESTINATION = {"s3_config": {"path": "s3://b/x/", "role_arn": "arn:aws:iam::123456789012:role/r"}}


@pytest.mark.parametrize(
    ("kind", "parent", "expected"),
    [
        # An AutoPredictor's ARN carries a 26-character id; its backtest exports' ARNs do not.
        (
            "PredictorBacktestExportJob",
            "predictor/TAXI_TIME_FORECAST_SUBSET_DEMO_01G4GJTP6HNPNVRQ0QVVTPR0T1",
            "predictor-backtest-export-job/TAXI_TIME_FORECAST_SUBSET_DEMO/job",
        ),
        # A legacy predictor's ARN is its bare name, even one that ends in an underscore and digits.
        (
            "PredictorBacktestExportJob",
            "predictor/demo_predictor",
            "predictor-backtest-export-job/demo_predictor/job",
        ),
        ("PredictorBacktestExportJob", "predictor/demo_2024", "predictor-backtest-export-job/demo_2024/job"),
        ("ForecastExportJob", "forecast/daily", "forecast-export-job/daily/job"),
        ("WhatIfForecastExport", "what-if-forecast/analysis/cheaper", "what-if-forecast-export/job"),
    ],
)
def test_the_job_arn_is_derived_from_the_parent_name(kind: str, parent: str, expected: str) -> None:
    spec = KINDS[kind]
    planner = Planner(spec, "proj/dev/job", {})
    arn = f"{ACCOUNT}:{parent}"
    news = {
        spec.parent_property: [arn] if spec.parent_is_list else arn,
        "name": "job",
        "destination": DESTINATION,
    }
    checked = planner.check({}, news)
    assert checked.failures == []
    assert planner.job(checked.inputs).arn == f"{ACCOUNT}:{expected}"
