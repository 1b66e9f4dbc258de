"""Request validation as the user sees it, in AWS's wording: ValidationException for what the
service model expresses, InvalidInputException for the service's own rules.

These requests go through a client with botocore's own parameter checks off,
so the emulator (the shared rules) is what rejects them.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from mypy_boto3_forecast import ForecastServiceClient

from forecast_emulator import Emulator, Seeded
from tests.emulator.support import ACCOUNT, error_of


def _create(raw_forecast: ForecastServiceClient, parents: Seeded, **changes: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "ForecastExportJobName": "valid_name",
        "ForecastArn": parents.forecast_arn,
        "Destination": {"S3Config": {"Path": f"s3://{parents.bucket}/out/", "RoleArn": parents.role_arn}},
    }
    for member, value in changes.items():  # None: leave the member out
        if value is None:
            del request[member]
        else:
            request[member] = value
    return dict(raw_forecast.create_forecast_export_job(**request))


def test_the_job_name_must_match_the_whole_pattern(
    parents: Seeded, raw_forecast: ForecastServiceClient
) -> None:
    # The pattern as the model writes it, without `$`, as AWS printed it (AFS issue 118).
    assert error_of(lambda: _create(raw_forecast, parents, ForecastExportJobName="bad-name")) == (
        "ValidationException",
        "1 validation error detected: Value 'bad-name' at 'forecastExportJobName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9_]*",
    )


def test_the_recorded_validation_error_is_answered_word_for_word(
    parents: Seeded, raw_forecast: ForecastServiceClient
) -> None:
    # aws-samples/amazon-forecast-samples issue 118, a real CreatePredictor answer.
    request: dict[str, Any] = {
        "PredictorName": "compare_multiple_models_CNN-QR_algo",
        "AlgorithmArn": "arn:aws:forecast:::algorithm/CNN-QR",
        "ForecastHorizon": 24,
        "InputDataConfig": {"DatasetGroupArn": parents.dataset_group_arn},
        "FeaturizationConfig": {"ForecastFrequency": "H"},
    }
    assert error_of(lambda: raw_forecast.create_predictor(**request)) == (
        "ValidationException",
        "1 validation error detected: Value 'compare_multiple_models_CNN-QR_algo' at 'predictorName' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "^[a-zA-Z][a-zA-Z0-9_]*",
    )


def test_the_service_model_is_checked_before_the_services_own_rules(
    parents: Seeded, raw_forecast: ForecastServiceClient
) -> None:
    other_role = "arn:aws:iam::210987654321:role/ForecastExportRole"
    destination = {"S3Config": {"Path": f"s3://{parents.bucket}/out/", "RoleArn": other_role}}
    # A model violation and a service rule broken together: only the model's is reported.
    assert error_of(lambda: _create(raw_forecast, parents, Destination=destination, Format="XML")) == (
        "ValidationException",
        "1 validation error detected: Value 'XML' at 'format' failed to satisfy constraint: "
        "Member must satisfy enum value set: [CSV, PARQUET]",
    )


def test_every_violation_is_reported_in_one_message(
    parents: Seeded, raw_forecast: ForecastServiceClient
) -> None:
    assert error_of(
        lambda: _create(raw_forecast, parents, ForecastExportJobName="a" * 64, Format="CSVX")
    ) == (
        "ValidationException",
        "2 validation errors detected: "
        f"Value '{'a' * 64}' at 'forecastExportJobName' failed to satisfy constraint: "
        "Member must have length less than or equal to 63; "
        "Value 'CSVX' at 'format' failed to satisfy constraint: "
        "Member must satisfy enum value set: [CSV, PARQUET]",
    )


def test_a_role_in_another_account_is_rejected(parents: Seeded, raw_forecast: ForecastServiceClient) -> None:
    other_role = "arn:aws:iam::210987654321:role/ForecastExportRole"
    destination = {"S3Config": {"Path": f"s3://{parents.bucket}/out/", "RoleArn": other_role}}
    code, message = error_of(lambda: _create(raw_forecast, parents, Destination=destination))
    assert code == "InvalidInputException"
    assert message.startswith(
        f"1 validation error detected: Value '{other_role}' at 'destination.s3Config.roleArn'"
    )
    assert ACCOUNT in message


@pytest.mark.parametrize(
    ("changes", "location", "expected_code"),
    [
        ({"ForecastExportJobName": ""}, "forecastExportJobName", "ValidationException"),
        ({"ForecastExportJobName": "9starts_with_a_digit"}, "forecastExportJobName", "ValidationException"),
        ({"Format": "csv"}, "format", "ValidationException"),
        (
            {
                "Destination": {
                    "S3Config": {"Path": "s3://Upper/x", "RoleArn": "arn:aws:iam::123456789012:role/r"}
                }
            },
            "destination.s3Config.path",
            "ValidationException",
        ),
        (
            {"Destination": {"S3Config": {"Path": "s3://bucket/x", "RoleArn": "not-an-arn"}}},
            "destination.s3Config.roleArn",
            "ValidationException",
        ),
        ({"Destination": None}, "destination", "ValidationException"),
        ({"Tags": [{"Key": "k", "Value": "v"}] * 51}, "tags", "InvalidInputException"),
    ],
)
def test_invalid_requests_name_the_member(
    parents: Seeded,
    raw_forecast: ForecastServiceClient,
    changes: dict[str, Any],
    location: str,
    expected_code: str,
) -> None:
    code, message = error_of(lambda: _create(raw_forecast, parents, **changes))
    assert code == expected_code
    assert re.match(r"\d validation errors? detected: Value ", message)
    assert f"at '{location}'" in message or f".{location}'" in message


def test_the_parent_must_be_of_the_right_kind(parents: Seeded, raw_forecast: ForecastServiceClient) -> None:
    code, message = error_of(lambda: _create(raw_forecast, parents, ForecastArn=parents.predictor_arn))
    assert code == "InvalidInputException"
    assert f"Value '{parents.predictor_arn}' at 'forecastArn'" in message


def test_a_rejected_request_creates_nothing(
    emu: Emulator, parents: Seeded, raw_forecast: ForecastServiceClient
) -> None:
    error_of(lambda: _create(raw_forecast, parents, Format="XML"))
    assert raw_forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []


def test_unknown_and_unimplemented_operations_are_named(emu: Emulator) -> None:
    forecast = emu.client("forecast")
    assert error_of(
        lambda: forecast.resume_resource(ResourceArn="arn:aws:forecast:us-east-1:1:forecast/x")
    ) == (
        "UnknownOperationException",
        "The Forecast emulator does not implement ResumeResource.",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"{not json",
            "The request body is not valid JSON: Expecting property name enclosed in double quotes",
        ),
        (b"[]", "The request body must be a JSON object."),
    ],
)
def test_a_body_that_is_not_a_json_object(emu: Emulator, body: bytes, message: str) -> None:
    request = urllib.request.Request(
        emu.endpoint_url,
        data=body,
        headers={
            "X-Amz-Target": "AmazonForecast.ListForecasts",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)
    assert raised.value.code == 400
    answer = json.loads(raised.value.read())
    assert answer["__type"] == "SerializationException"
    assert answer["message"].startswith(message)
