"""Tag limits: 50 per resource, Unicode keys up to 128 characters, `aws:` keys reserved, values free."""

from __future__ import annotations

import functools

from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_forecast.type_defs import TagTypeDef

from forecast_emulator import Seeded
from tests.emulator.support import create_export, error_of


def _tags(count: int, prefix: str = "key") -> list[TagTypeDef]:
    return [{"Key": f"{prefix}{i}", "Value": f"value {i}"} for i in range(count)]


def test_fifty_tags_are_accepted_and_listed_in_order(
    parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = create_export(forecast, parents, "tagged", Tags=_tags(50))
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == _tags(50)


def test_fifty_one_tags_are_rejected_at_creation(
    parents: Seeded, raw_forecast: ForecastServiceClient
) -> None:
    code, message = error_of(lambda: create_export(raw_forecast, parents, "too_many", Tags=_tags(51)))
    assert code == "InvalidInputException"
    assert message.startswith(
        "1 validation error detected: Value '51 tags' at 'tags' failed to satisfy constraint"
    )
    assert raw_forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []


def test_tag_resource_counts_the_tags_already_there(parents: Seeded, forecast: ForecastServiceClient) -> None:
    arn = create_export(forecast, parents, "full", Tags=_tags(49))
    forecast.tag_resource(
        ResourceArn=arn, Tags=[{"Key": "key0", "Value": "replaced"}, {"Key": "fiftieth", "Value": ""}]
    )
    tags = forecast.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert len(tags) == 50
    assert tags[0] == {"Key": "key0", "Value": "replaced"}
    assert tags[-1] == {"Key": "fiftieth", "Value": ""}

    assert error_of(
        lambda: forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "one_more", "Value": "v"}])
    ) == (
        "LimitExceededException",
        f"The forecast export job {arn} would have 51 tags; a resource can have at most 50 tags.",
    )
    assert len(forecast.list_tags_for_resource(ResourceArn=arn)["Tags"]) == 50


def test_unicode_keys_of_128_characters_are_accepted(
    parents: Seeded, raw_forecast: ForecastServiceClient
) -> None:
    key = ("Größe 日本 ü_.:/=+-@" * 8)[:128]
    value = ("välue 値 " * 40)[:256]
    assert len(key) == 128 and len(value) == 256
    arn = create_export(raw_forecast, parents, "unicode", Tags=[{"Key": key, "Value": value}])
    assert raw_forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": key, "Value": value}]

    code, message = error_of(
        lambda: raw_forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": key + "x", "Value": ""}])
    )
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 128" in message
    code, message = error_of(
        lambda: raw_forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "tab\tkey", "Value": ""}])
    )
    assert code == "ValidationException"
    assert "tags.1.member.key" in message


def test_aws_prefixed_keys_are_reserved_in_any_case_but_values_are_free(
    parents: Seeded, forecast: ForecastServiceClient
) -> None:
    for key in ("aws:owner", "AWS:owner", "Aws:Owner"):
        reserved: list[TagTypeDef] = [{"Key": key, "Value": "v"}]
        code, message = error_of(
            functools.partial(create_export, forecast, parents, "reserved", Tags=reserved)
        )
        assert code == "InvalidInputException"
        assert f"Value '{key}' at 'tags.1.member.key'" in message

    arn = create_export(forecast, parents, "aws_values", Tags=[{"Key": "owner", "Value": "aws:team"}])
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "owner", "Value": "aws:team"}]
    assert error_of(lambda: forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "AWS:x", "Value": "v"}]))[
        0
    ] == ("InvalidInputException")
    assert (
        error_of(lambda: forecast.untag_resource(ResourceArn=arn, TagKeys=["aws:x"]))[0]
        == "InvalidInputException"
    )


def test_untag_removes_keys_and_ignores_absent_ones(parents: Seeded, forecast: ForecastServiceClient) -> None:
    arn = create_export(forecast, parents, "untagged", Tags=_tags(3))
    forecast.untag_resource(ResourceArn=arn, TagKeys=["key1", "never_there"])
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [_tags(3)[0], _tags(3)[2]]


def test_tags_of_a_missing_resource(parents: Seeded, forecast: ForecastServiceClient) -> None:
    missing = parents.forecast_arn.replace("forecast/", "forecast-export-job/") + "/nope"
    assert error_of(lambda: forecast.list_tags_for_resource(ResourceArn=missing)) == (
        "ResourceNotFoundException",
        f"No resource found with the arn: {missing}",
    )
    forecast.tag_resource(ResourceArn=parents.forecast_arn, Tags=[{"Key": "team", "Value": "demand"}])
    tags = forecast.list_tags_for_resource(ResourceArn=parents.forecast_arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "demand"}]
