"""One description per resource: what is derived from it, and the two newer export kinds."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from pulumi.output import Unknown

import pulumi_aws_forecast
from pulumi_aws_forecast import _aws, _schema, rules
from pulumi_aws_forecast._provider import JobProvider, _read_returns_inputs
from pulumi_aws_forecast.catalog import EXPORT_KINDS, KINDS, ResourceKind, snake
from tools import codegen

ACCOUNT = "123456789012"
ARN = f"arn:aws:forecast:us-east-1:{ACCOUNT}"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/forecast"
EXPLAINABILITY = f"{ARN}:explainability/why"
WHAT_IF = [f"{ARN}:what-if-forecast/analysis/plus10", f"{ARN}:what-if-forecast/analysis/minus10"]
DESTINATION = {"s3_config": {"path": "s3://bucket/out/", "role_arn": ROLE}}


def check(kind: str, **props: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    result = JobProvider(kind, "proj/dev/job").check({}, {"destination": DESTINATION, **props})
    return result.inputs, [(f.property, f.reason) for f in result.failures]


def test_the_generated_module_and_the_readme_tables_agree_with_the_descriptions() -> None:
    # `make generate` rewrites both; this fails when someone edits one side only.
    assert codegen.main(["--check"]) == 0


def test_every_export_kind_is_a_resource_with_args_and_typed_calls() -> None:
    for kind in EXPORT_KINDS:
        resource = getattr(pulumi_aws_forecast, kind.noun)
        args = getattr(pulumi_aws_forecast, f"{kind.noun}Args")
        args_dict = getattr(pulumi_aws_forecast, f"{kind.noun}ArgsDict")
        assert [f.name for f in dataclasses.fields(args)] == list(_schema.tops(kind))
        assert list(args_dict.__annotations__) == list(_schema.tops(kind))
        assert kind.parent_property in resource.__annotations__
        assert kind.summary, f"{kind.noun} has no summary in the catalogue"
        assert " ".join((resource.__doc__ or "").split()).startswith(kind.summary)


def test_the_typed_call_table_has_an_entry_for_every_export_kind_and_no_other() -> None:
    assert set(_aws._JOB_API) == {kind.noun for kind in EXPORT_KINDS}


@pytest.mark.parametrize("kind", EXPORT_KINDS, ids=lambda kind: kind.noun)
def test_each_kinds_typed_calls_are_its_operations_with_its_members(kind: ResourceKind) -> None:
    """Create, Describe, Delete and List of the kind, as the catalogue names them (botocore's
    Stubber refuses a call of another operation, or with other members)."""
    forecast = boto3.client(
        "forecast", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    assert kind.parent_member is not None
    parent = f"{ARN}:{kind.parent_arn_types[0]}/parent"
    arn = f"{ARN}:{kind.arn_type}/parent/job"
    request = {
        kind.name_member: "job",
        kind.parent_member: [parent] if kind.parent_is_list else parent,
        "Destination": {"S3Config": {"Path": "s3://bucket/out/", "RoleArn": ROLE}},
    }
    with Stubber(forecast) as stub:
        stub.add_response(snake(kind.create_operation), {kind.arn_member: arn}, request)
        stub.add_response(
            snake(kind.describe_operation), {kind.arn_member: arn, "Status": "ACTIVE"}, {kind.arn_member: arn}
        )
        stub.add_response(snake(kind.delete_operation), {}, {kind.arn_member: arn})
        stub.add_response(snake(kind.list_operation), {kind.plural: []}, {"MaxResults": 1})
        jobs = _aws.Connection(forecast, kind, "us-east-1")
        assert _aws.create_job(jobs, request) == arn
        assert _aws.find_job(jobs, arn)["Status"] == "ACTIVE"
        _aws.delete_job(jobs, arn)
        assert _aws.list_page(jobs, {"MaxResults": 1})[kind.plural] == []
        stub.assert_no_pending_responses()


def test_violations_are_named_by_pulumi_path() -> None:
    kind = KINDS["WhatIfForecastExport"]
    assert _schema.pulumi_path(kind, ("WhatIfForecastArns", 1)) == "what_if_forecast_arns[1]"
    role = _schema.pulumi_path(kind, ("Destination", "S3Config", "RoleArn"))
    assert role == "destination.s3_config.role_arn"
    assert _schema.pulumi_path(kind, ("Destination",)) == "destination"
    assert _schema.pulumi_path(kind, ("WhatIfForecastExportName",)) == "name"


def test_request_and_record_round_trip_through_the_description() -> None:
    kind = KINDS["ExplainabilityExport"]
    props = {"explainability_arn": EXPLAINABILITY, "destination": DESTINATION, "format": "CSV", "name": "n"}
    request = _schema.to_api(kind, props)
    assert request == {
        "ExplainabilityArn": EXPLAINABILITY,
        "Destination": {"S3Config": {"Path": "s3://bucket/out/", "RoleArn": ROLE}},
        "Format": "CSV",
        "ExplainabilityExportName": "n",
    }
    record = {**request, "Status": "ACTIVE"}
    del record["Format"]  # the default fills in what Describe leaves out
    assert _schema.from_api(kind, record) == props


def test_explainability_export_checks_its_parent_kind() -> None:
    inputs, failures = check("ExplainabilityExport", explainability_arn=EXPLAINABILITY, format="parquet")
    assert failures == []
    assert inputs["format"] == "PARQUET" and inputs["name"].startswith("job_")
    _, failures = check("ExplainabilityExport", explainability_arn=f"{ARN}:forecast/demand")
    [(prop, reason)] = failures
    assert prop == "explainability_arn"
    assert reason.startswith("must be the ARN of an explainability")


def test_what_if_forecast_export_takes_a_list_of_parents() -> None:
    inputs, failures = check("WhatIfForecastExport", what_if_forecast_arns=WHAT_IF)
    assert failures == [] and inputs["what_if_forecast_arns"] == WHAT_IF

    _, failures = check("WhatIfForecastExport", what_if_forecast_arns=[WHAT_IF[0], f"{ARN}:forecast/demand"])
    assert [p for p, _ in failures] == ["what_if_forecast_arns[1]"]
    assert failures[0][1].startswith("must be the ARN of a what-if forecast")

    other_region = WHAT_IF[1].replace("us-east-1", "eu-west-1")
    _, failures = check("WhatIfForecastExport", what_if_forecast_arns=[WHAT_IF[0], other_region])
    assert [p for p, _ in failures] == ["what_if_forecast_arns"]
    assert "one account and region" in failures[0][1]

    _, failures = check("WhatIfForecastExport", what_if_forecast_arns=[])
    assert failures == [("what_if_forecast_arns", "must have length greater than or equal to 1 (got [])")]
    _, failures = check("WhatIfForecastExport")
    assert failures == [("what_if_forecast_arns", "is required")]


def test_at_most_three_what_if_forecasts_per_export_at_preview() -> None:
    three = [f"{ARN}:what-if-forecast/analysis/w{i}" for i in range(3)]
    _, failures = check("WhatIfForecastExport", what_if_forecast_arns=three)
    assert failures == []
    _, failures = check(
        "WhatIfForecastExport", what_if_forecast_arns=[*three, f"{ARN}:what-if-forecast/analysis/w3"]
    )
    assert failures == [
        (
            "what_if_forecast_arns",
            "must name at most 3 what-if forecasts: Amazon Forecast's quota L-50FA8F07 (what-if forecasts "
            "in one what-if forecast export) is not adjustable; got 4. Export the others with another "
            "WhatIfForecastExport",
        )
    ]
    # The emulator shares the rule: it refuses the same request, worded as AWS words validation errors.
    request = {
        "WhatIfForecastExportName": "four",
        "WhatIfForecastArns": [*three, f"{ARN}:what-if-forecast/analysis/w3"],
        "Destination": {"S3Config": {"Path": "s3://b/x", "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/r"}},
    }
    [violation] = rules.validate_request("CreateWhatIfForecastExport", request)
    assert rules.aws_message([violation]) == (
        f"1 validation error detected: Value '[{', '.join(request['WhatIfForecastArns'])}]' at "
        "'whatIfForecastArns' failed to satisfy constraint: Member must have at most 3 what-if forecasts "
        "per export (quota L-50FA8F07, not adjustable)"
    )


def test_unknown_items_of_the_parent_list_are_checked_once_known() -> None:
    unknown = Unknown()  # type: ignore[no-untyped-call]
    inputs, failures = check("WhatIfForecastExport", what_if_forecast_arns=[WHAT_IF[0], unknown])
    assert failures == []
    assert isinstance(inputs["name"], Unknown)  # the autoname hashes the parents


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"what_if_forecast_arns": WHAT_IF[:1]}, ["what_if_forecast_arns"]),
        ({"what_if_forecast_arns": list(reversed(WHAT_IF))}, ["what_if_forecast_arns"]),
        ({"tags": {"team": "demand"}}, []),
    ],
)
def test_a_change_of_the_parent_list_replaces(change: dict[str, Any], replaces: list[str]) -> None:
    provider = JobProvider("WhatIfForecastExport", "proj/dev/job")
    olds, _ = check("WhatIfForecastExport", what_if_forecast_arns=WHAT_IF, name="fixed")
    olds = {**olds, "status": "ACTIVE", "tags_all": provider.tags_all({})}
    news, _ = check("WhatIfForecastExport", **{"what_if_forecast_arns": WHAT_IF, "name": "fixed", **change})
    diff = provider.diff("arn", olds, news)
    assert diff.changes is (None if _read_returns_inputs() else True)
    assert diff.replaces == replaces
    assert diff.delete_before_replace is bool(replaces)  # a named job keeps its name: delete first


def test_the_job_arn_follows_the_catalogue() -> None:
    explainability = JobProvider("ExplainabilityExport", "p/s/r").plan
    assert explainability.job({"explainability_arn": EXPLAINABILITY, "name": "e"}).arn == (
        f"{ARN}:explainability-export/why/e"
    )
    what_if = JobProvider("WhatIfForecastExport", "p/s/r").plan
    arn = what_if.job({"what_if_forecast_arns": WHAT_IF, "name": "w"}).arn
    assert arn == f"{ARN}:what-if-forecast-export/w"
