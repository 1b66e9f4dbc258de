"""AutoPredictor ARNs carry an id, as AWS's recorded runs show; what is made from them uses the bare name."""

from __future__ import annotations

import re

from mypy_boto3_forecast import ForecastServiceClient

from forecast_emulator import Seeded
from tests.emulator.support import ACCOUNT, BACKTEST_EXPORT, create_job, error_of

#: `predictor/TAXI_TIME_FORECAST_SUBSET_DEMO_01G4GJTP6HNPNVRQ0QVVTPR0T1` (AFS
#: Forecast_Selected_TimeSeries_Introduction.ipynb, cell 22): 26 characters of Crockford base32.
AUTO_PREDICTOR_ARN = re.compile(
    rf"arn:aws:forecast:us-east-1:{ACCOUNT}:predictor/demo_predictor_(?P<id>[0-9A-HJKMNP-TV-Z]{{26}})"
)


def test_an_auto_predictors_arn_ends_with_a_26_character_id(parents: Seeded) -> None:
    match = AUTO_PREDICTOR_ARN.fullmatch(parents.predictor_arn)
    assert match is not None, parents.predictor_arn
    assert match["id"].startswith("0")  # a ULID's time prefix, as AWS's `01G...`


def test_a_backtest_export_of_it_uses_the_bare_name(parents: Seeded, forecast: ForecastServiceClient) -> None:
    arn = create_job(forecast, BACKTEST_EXPORT, parents, "backtest")
    # As AWS's solution builds it (IFA source/forecast-shared/shared/Predictor/predictor.py, export()).
    assert arn == parents.predictor_arn[:-27].replace(":predictor/", ":predictor-backtest-export-job/") + (
        "/backtest"
    )
    assert arn.endswith(f":{ACCOUNT}:predictor-backtest-export-job/demo_predictor/backtest")


def test_names_stay_unique_whatever_the_id(parents: Seeded, forecast: ForecastServiceClient) -> None:
    for create in (
        lambda: forecast.create_auto_predictor(
            PredictorName="demo_predictor",
            ForecastHorizon=7,
            ForecastFrequency="D",
            DataConfig={"DatasetGroupArn": parents.dataset_group_arn},
        ),
        lambda: forecast.create_predictor(
            PredictorName="demo_predictor",
            ForecastHorizon=7,
            InputDataConfig={"DatasetGroupArn": parents.dataset_group_arn},
            FeaturizationConfig={"ForecastFrequency": "D"},
        ),
    ):
        assert error_of(create) == (
            "ResourceAlreadyExistsException",
            f"A predictor already exists with the arn: {parents.predictor_arn}",
        )


def test_a_legacy_predictors_arn_is_its_bare_name(parents: Seeded, forecast: ForecastServiceClient) -> None:
    legacy = forecast.create_predictor(
        PredictorName="legacy",
        ForecastHorizon=7,
        InputDataConfig={"DatasetGroupArn": parents.dataset_group_arn},
        FeaturizationConfig={"ForecastFrequency": "D"},
    )["PredictorArn"]
    assert legacy == f"arn:aws:forecast:us-east-1:{ACCOUNT}:predictor/legacy"
    assert forecast.describe_predictor(PredictorArn=legacy)["PredictorName"] == "legacy"


def test_describe_predictor_refuses_an_auto_predictor(
    parents: Seeded, forecast: ForecastServiceClient
) -> None:
    # AWS's solution tells them apart by this InvalidInputException (IFA Forecast/forecast.py,
    # uses_auto_predictor); the message is ours.
    assert error_of(lambda: forecast.describe_predictor(PredictorArn=parents.predictor_arn)) == (
        "InvalidInputException",
        "DescribePredictor is only valid for legacy predictors created with CreatePredictor; "
        f"{parents.predictor_arn} was created with CreateAutoPredictor. Use DescribeAutoPredictor.",
    )
    assert forecast.describe_auto_predictor(PredictorArn=parents.predictor_arn)["PredictorName"] == (
        "demo_predictor"
    )
