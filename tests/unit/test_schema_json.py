"""The provider plugin's package schema (schema.json): the tokens, names and shapes users write."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_aws_forecast import _schema
from pulumi_aws_forecast._names import camel
from pulumi_aws_forecast.catalog import EXPORT_KINDS
from tools import schema

SHIPPED: dict[str, Any] = json.loads(schema.SCHEMA.read_text())
RESOURCES = {
    "aws-forecast:forecast:ForecastExportJob": ("forecastArn", "string"),
    "aws-forecast:forecast:PredictorBacktestExportJob": ("predictorArn", "string"),
    "aws-forecast:forecast:ExplainabilityExport": ("explainabilityArn", "string"),
    "aws-forecast:forecast:WhatIfForecastExport": ("whatIfForecastArns", "array"),
}
OUTPUTS = {"arn", "status", "message", "creationTime", "lastModificationTime", "tagsAll"}


def _type(token: str) -> dict[str, Any]:
    return dict(SHIPPED["types"][token])


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_shipped_schema_is_the_rendered_one() -> None:
    assert schema.render() == schema.SCHEMA.read_text()


def test_package_name_and_resource_tokens() -> None:
    assert SHIPPED["name"] == "aws-forecast"
    assert set(SHIPPED["resources"]) == set(RESOURCES)


@pytest.mark.parametrize("token", RESOURCES)
def test_resource_inputs_outputs_and_replacement(token: str) -> None:
    resource = SHIPPED["resources"][token]
    parent, parent_type = RESOURCES[token]
    inputs = resource["inputProperties"]
    assert set(inputs) == {parent, "destination", "format", "name", "tags", "adopt", "adoptFrom"}
    assert inputs[parent]["type"] == parent_type
    assert inputs["destination"]["$ref"] == "#/types/aws-forecast:forecast:DataDestination"
    assert inputs["tags"] == {**inputs["tags"], "type": "object", "additionalProperties": {"type": "string"}}
    assert resource["requiredInputs"] == [parent, "destination"]
    # Every input but the tags (and the adoption switches) replaces the job.
    replacing = {name for name, prop in inputs.items() if prop.get("replaceOnChanges")}
    assert replacing == {parent, "destination", "format", "name"}
    assert set(resource["properties"]) == set(inputs) | OUTPUTS
    assert set(resource["required"]) == {parent, "destination", "format", "name"} | OUTPUTS - {"message"}
    assert resource["properties"]["tagsAll"]["additionalProperties"] == {"type": "string"}


def test_destination_types() -> None:
    destination = _type("aws-forecast:forecast:DataDestination")
    assert destination["properties"]["s3Config"]["$ref"] == "#/types/aws-forecast:forecast:S3Config"
    assert destination["required"] == ["s3Config"]
    s3 = _type("aws-forecast:forecast:S3Config")
    assert set(s3["properties"]) == {"path", "roleArn", "kmsKeyArn"}
    assert s3["required"] == ["path", "roleArn"]


def test_descriptions_come_from_the_descriptions() -> None:
    kind = EXPORT_KINDS[0]
    resource = SHIPPED["resources"][f"aws-forecast:forecast:{kind.noun}"]
    assert resource["description"].startswith(kind.summary)
    rules = {item.path: item.rule for item in _schema.inputs(kind)}
    role = _type("aws-forecast:forecast:S3Config")["properties"]["roleArn"]["description"]
    assert role == schema._sentence(rules[("destination", "s3_config", "role_arn")])
    assert "A change is made in place." in resource["inputProperties"]["tags"]["description"]
    assert "`true`" in resource["inputProperties"]["adopt"]["description"]


def test_every_property_path_is_the_camel_case_of_the_description() -> None:
    for kind in EXPORT_KINDS:
        resource = SHIPPED["resources"][f"aws-forecast:forecast:{kind.noun}"]
        for item in _schema.inputs(kind):
            node = resource["inputProperties"]
            names = [camel(part) for part in item.path]
            for name in names[:-1]:
                node = _type(node[name]["$ref"].removeprefix("#/types/"))["properties"]
            assert names[-1] in node, item.path
        for output in _schema.outputs(kind):
            assert camel(output.name) in resource["properties"]


def test_provider_configuration_is_named_and_shaped_as_pulumi_aws() -> None:
    variables = SHIPPED["config"]["variables"]
    assert set(variables) == {
        "region",
        "profile",
        "sharedCredentialsFiles",
        "sharedConfigFiles",
        "accessKey",
        "secretKey",
        "token",
        "assumeRoles",
        "allowedAccountIds",
        "forbiddenAccountIds",
        "endpoints",
        "skipCredentialsValidation",
        "maxRetries",
        "defaultTags",
        "ignoreTags",
    }
    assert {name for name, var in variables.items() if var.get("secret")} == {"secretKey", "token"}
    assert SHIPPED["provider"]["inputProperties"] == variables
    assert variables["assumeRoles"]["items"]["$ref"] == "#/types/aws-forecast:index:ProviderAssumeRole"
    assume = _type("aws-forecast:index:ProviderAssumeRole")["properties"]
    assert {"roleArn", "sessionName", "externalId", "duration", "policy", "policyArns"} <= set(assume)
    assert set(_type("aws-forecast:index:ProviderDefaultTags")["properties"]) == {"tags"}
    assert set(_type("aws-forecast:index:ProviderIgnoreTags")["properties"]) == {"keys", "keyPrefixes"}
    assert "forecast" in _type("aws-forecast:index:ProviderEndpoint")["properties"]
    assert variables["maxRetries"]["type"] == "integer"
    # No credential is an output of the provider resource (outputs land in the state).
    assert set(SHIPPED["provider"]["properties"]) == {"region", "profile"}


def test_references_resolve_and_tokens_are_well_formed() -> None:
    for ref in _refs(SHIPPED):
        assert ref.removeprefix("#/types/") in SHIPPED["types"], ref
    token = re.compile(r"^aws-forecast:(forecast|index):[A-Z][A-Za-z0-9]*$")
    for name in [*SHIPPED["types"], *SHIPPED["resources"]]:
        assert token.match(name), name


def test_sdk_names() -> None:
    language = SHIPPED["language"]
    assert language["python"]["packageName"] == "pulumi_aws_forecast_sdk"
    assert language["nodejs"]["packageName"] == "@pulumi-aws-forecast/aws-forecast"
    assert language["go"]["importBasePath"].endswith("/sdk/go/awsforecast")
