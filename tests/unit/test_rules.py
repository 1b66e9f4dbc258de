"""The validation table: what Forecast accepts and rejects, from the corrected service model."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aws_forecast.rules import Violation, aws_message, validate_request

ACCOUNT = "123456789012"
FORECAST = f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast/demand"
PREDICTOR = f"arn:aws:forecast:us-east-1:{ACCOUNT}:predictor/demand"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/forecast"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def request(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ForecastExportJobName": "daily_export",
        "ForecastArn": FORECAST,
        "Destination": {"S3Config": {"Path": "s3://bucket/prefix/", "RoleArn": ROLE}},
    }
    body.update(overrides)
    return body


def s3(**overrides: Any) -> dict[str, Any]:
    return {"S3Config": {"Path": "s3://bucket/prefix/", "RoleArn": ROLE, **overrides}}


def violations(body: dict[str, Any], operation: str = "CreateForecastExportJob") -> list[tuple[str, str]]:
    return [(v.location, v.constraint) for v in validate_request(operation, body)]


def test_a_valid_request_passes() -> None:
    body = request(Format="PARQUET", Tags=[{"Key": "team", "Value": "demand"}])
    body["Destination"] = s3(KMSKeyArn=KEY)
    assert violations(body) == []


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("A" + "b" * 62, True),  # 63 characters
        ("A" + "b" * 63, False),  # 64
        ("job_1", True),
        ("1job", False),
        ("_job", False),
        ("job-1", False),  # the model's pattern lacks `$` and would accept this
        ("job 1", False),
        ("jöb", False),
        ("", False),
    ],
)
def test_job_name(name: str, ok: bool) -> None:
    found = violations(request(ForecastExportJobName=name))
    assert (found == []) is ok, found
    if not ok:
        assert all(location == "forecastExportJobName" for location, _ in found)


@pytest.mark.parametrize(
    ("fmt", "ok"),
    [("CSV", True), ("PARQUET", True), ("csv", False), ("CSVX", False), ("XPARQUET", False), ("JSON", False)],
)
def test_format_is_an_enum(fmt: str, ok: bool) -> None:
    found = violations(request(Format=fmt))
    assert (found == []) is ok
    if not ok:
        assert ("format", "Member must satisfy enum value set: [CSV, PARQUET]") in found


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        ("s3://b/x", True),  # 7 characters... plus one
        ("s3://bb", True),  # exactly 7
        ("s3://b", False),  # 6: too short, and the pattern needs two characters after s3://
        ("s3://Bucket/x", False),
        ("s3://-bucket/x", False),
        ("https://bucket/x", False),
        ("s3://b/" + "x" * 4089, True),  # 4096
        ("s3://b/" + "x" * 4090, False),  # 4097
    ],
)
def test_s3_path(path: str, ok: bool) -> None:
    found = violations(request(Destination=s3(Path=path)))
    assert (found == []) is ok, found


@pytest.mark.parametrize(
    ("role", "ok"),
    [
        (ROLE, True),
        (f"arn:aws-cn:iam::{ACCOUNT}:role/path/forecast", True),
        ("arn:aws:iam::999999999999:role/forecast", False),  # another account
        (f"arn:aws:iam::{ACCOUNT}:user/forecast", False),
        (f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast/x", False),
        ("role/forecast", False),
    ],
)
def test_role_arn(role: str, ok: bool) -> None:
    found = violations(request(Destination=s3(RoleArn=role)))
    assert (found == []) is ok, found
    assert all(location == "destination.s3Config.roleArn" for location, _ in found)


def test_role_in_another_account_names_the_rule() -> None:
    [found] = validate_request(
        "CreateForecastExportJob", request(Destination=s3(RoleArn=ROLE.replace(ACCOUNT, "9" * 12)))
    )
    assert "cross-account roles are not supported" in found.constraint


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        (KEY, True),
        (f"arn:aws:kms:us-east-1:{ACCOUNT}:key/", False),
        (f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/x", False),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", False),
    ],
)
def test_kms_key_arn(key: str, ok: bool) -> None:
    assert (violations(request(Destination=s3(KMSKeyArn=key))) == []) is ok


def test_parent_must_be_a_forecast_or_a_predictor() -> None:
    [(location, rule)] = violations(request(ForecastArn=PREDICTOR))
    assert location == "forecastArn"
    assert rule.startswith("Member must be the ARN of a forecast")
    body = {
        "PredictorBacktestExportJobName": "backtest",
        "PredictorArn": FORECAST,
        "Destination": s3(),
    }
    [(location, rule)] = violations(body, "CreatePredictorBacktestExportJob")
    assert location == "predictorArn"
    assert rule.startswith("Member must be the ARN of a predictor")


def test_parent_arn_length_and_shape() -> None:
    long_arn = FORECAST + "x" * (257 - len(FORECAST))
    assert ("forecastArn", "Member must have length less than or equal to 256") in violations(
        request(ForecastArn=long_arn)
    )
    assert violations(request(ForecastArn="forecast/demand"))[0][0] == "forecastArn"


def tags(n: int, key: str = "k{}", value: str = "v") -> list[dict[str, str]]:
    return [{"Key": key.format(i), "Value": value} for i in range(n)]


def test_tag_limits() -> None:
    assert violations(request(Tags=tags(50))) == []
    assert violations(request(Tags=tags(51))) == [("tags", "Member must have at most 50 tags per resource")]
    assert violations(request(Tags=[{"Key": "ключ" * 32, "Value": "значение"}])) == []  # 128 Unicode chars
    assert violations(request(Tags=[{"Key": "k" * 129, "Value": "v"}])) == [
        ("tags.1.member.key", "Member must have length less than or equal to 128")
    ]
    assert violations(request(Tags=[{"Key": "k", "Value": "v" * 256}])) == []
    assert violations(request(Tags=[{"Key": "k", "Value": "v" * 257}])) == [
        ("tags.1.member.value", "Member must have length less than or equal to 256")
    ]
    assert violations(request(Tags=[{"Key": "k", "Value": ""}])) == []
    assert violations(request(Tags=[{"Key": "", "Value": "v"}])) == [
        ("tags.1.member.key", "Member must have length greater than or equal to 1")
    ]


@pytest.mark.parametrize("key", ["aws:x", "AWS:x", "Aws:created"])
def test_aws_prefixed_tag_keys_are_reserved(key: str) -> None:
    assert violations(request(Tags=[{"Key": key, "Value": "v"}])) == [
        ("tags.1.member.key", "Member must not begin with 'aws:' (reserved for AWS)")
    ]


def test_aws_prefixed_tag_values_are_fine() -> None:
    assert violations(request(Tags=[{"Key": "k", "Value": "aws:x"}])) == []


@pytest.mark.parametrize(
    ("text", "ok"), [("a b_c.d:e/f=g+h-i@j", True), ("日本 ٣", True), ("a!", False), ("a#", False)]
)
def test_tag_characters(text: str, ok: bool) -> None:
    assert (violations(request(Tags=[{"Key": text, "Value": text}])) == []) is ok


def test_missing_members_are_all_reported_at_once() -> None:
    assert violations({}) == [
        ("forecastExportJobName", "Member must not be null"),
        ("forecastArn", "Member must not be null"),
        ("destination", "Member must not be null"),
    ]
    assert violations(request(Destination={"S3Config": {}})) == [
        ("destination.s3Config.path", "Member must not be null"),
        ("destination.s3Config.roleArn", "Member must not be null"),
    ]


def test_status_filters_are_not_arns() -> None:
    body = {"Filters": [{"Key": "Status", "Condition": "IS", "Value": "ACTIVE"}], "MaxResults": 100}
    assert violations(body, "ListForecastExportJobs") == []
    body = {"Filters": [{"Key": "Status", "Condition": "EQUALS", "Value": "ACTIVE"}], "MaxResults": 101}
    assert sorted(violations(body, "ListForecastExportJobs")) == [
        ("filters.1.member.condition", "Member must satisfy enum value set: [IS, IS_NOT]"),
        ("maxResults", "Member must have value less than or equal to 100"),
    ]


def test_untag_rejects_reserved_keys() -> None:
    body = {"ResourceArn": FORECAST, "TagKeys": ["team", "aws:x"]}
    assert violations(body, "UntagResource") == [
        ("tagKeys.2.member", "Member must not begin with 'aws:' (reserved for AWS)")
    ]


def test_unknown_values_are_skipped_and_count_as_present() -> None:
    unknown = object()
    body = request(ForecastArn=unknown, Destination={"S3Config": {"Path": unknown, "RoleArn": "bad"}})
    found = validate_request("CreateForecastExportJob", body, is_unknown=lambda v: v is unknown)
    assert [v.location for v in found] == ["destination.s3Config.roleArn"]


def test_aws_message_reads_like_aws() -> None:
    message = aws_message(
        [
            Violation(
                ("ForecastExportJobName",), "Member must have length less than or equal to 63", "x" * 3
            ),
            Violation(("Destination",), "Member must not be null"),
        ]
    )
    assert message == (
        "2 validation errors detected: Value 'xxx' at 'forecastExportJobName' failed to satisfy "
        "constraint: Member must have length less than or equal to 63; Value null at 'destination' "
        "failed to satisfy constraint: Member must not be null"
    )
