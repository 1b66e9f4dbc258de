"""The provider plugin's handlers without AWS: check, diff, configure, schema, and the errors users read.

Each test calls `ForecastProvider` with the request objects the SDK's server builds, with values as
the engine sends them (camelCase names, the unknown sentinel at preview), and asserts what the
engine gets back. Create, read, update and delete against the emulator are in tests/provider.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

import grpc
import grpc.aio
import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    ConfigureRequest,
    DiffRequest,
    GetSchemaRequest,
    PropertyDiffKind,
)
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc
from pulumi.runtime.rpc import UNKNOWN

from pulumi_aws_forecast._aws import ForecastError
from pulumi_aws_forecast._aws_config import AwsConfigError
from pulumi_aws_forecast._plan import OWNER_TAG
from pulumi_aws_forecast._plugin import ForecastProvider, kind_of, owner_of
from pulumi_aws_forecast._plugin_main import start
from pulumi_aws_forecast._plugin_values import plain, wire

T = TypeVar("T")
ACCOUNT = "123456789012"
FORECAST = f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast/demand"
WHAT_IF = f"arn:aws:forecast:us-east-1:{ACCOUNT}:what-if-forecast/analysis/scenario"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/forecast"
URN = "urn:pulumi:dev::proj::aws-forecast:forecast:ForecastExportJob::daily"


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def urn(kind: str = "ForecastExportJob", name: str = "daily") -> str:
    return f"urn:pulumi:dev::proj::aws-forecast:forecast:{kind}::{name}"


def news(**overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "forecastArn": FORECAST,
        "destination": {"s3Config": {"path": "s3://bucket/out/", "roleArn": ROLE}},
    }
    props.update(overrides)
    return props


def check(
    props: dict[str, Any],
    provider: ForecastProvider | None = None,
    kind: str = "ForecastExportJob",
    olds: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    request = CheckRequest(urn(kind), wire(olds or {}), wire(props), b"")
    response = run((provider or ForecastProvider()).check(request))
    assert response.inputs is not None
    return plain(response.inputs)[0], [(f.property, f.reason) for f in response.failures or []]


def configured(**config: Any) -> ForecastProvider:
    provider = ForecastProvider()
    run(provider.configure(ConfigureRequest({}, wire(config), True, True)))
    return provider


def test_owner_and_kind_come_from_the_urn() -> None:
    assert owner_of(URN) == "proj/dev/daily"
    assert kind_of(urn("WhatIfForecastExport")).noun == "WhatIfForecastExport"
    with pytest.raises(ForecastError) as unknown:
        kind_of("urn:pulumi:dev::proj::aws-forecast:forecast:Forecast::f")
    assert str(unknown.value).startswith("aws-forecast has no resource type 'aws-forecast:forecast:Forecast'")


def test_check_answers_camel_case_inputs_with_defaults_name_and_tags_all() -> None:
    inputs, failures = check(news(format="parquet", tags={"team": "demand"}))
    assert failures == []
    assert inputs["format"] == "PARQUET"
    assert inputs["destination"] == {"s3Config": {"path": "s3://bucket/out/", "roleArn": ROLE}}
    assert inputs["tagsAll"] == {"team": "demand", OWNER_TAG: "proj/dev/daily"}
    assert inputs["name"].startswith("daily_") and len(inputs["name"]) == len("daily_") + 8
    assert inputs["__autonamed"] is True
    # The same declaration in another stack gets another name.
    other = run(
        ForecastProvider().check(
            CheckRequest(
                "urn:pulumi:prod::proj::aws-forecast:forecast:ForecastExportJob::daily", {}, wire(news()), b""
            )
        )
    )
    assert other.inputs is not None and plain(other.inputs)[0]["name"] != inputs["name"]


def test_check_failures_name_the_property_in_camel_case() -> None:
    _, failures = check(
        news(
            destination={"s3Config": {"path": "http://bucket", "roleArn": ROLE, "kmsKeyArn": "key"}},
            tags={"aws:team": "x"},
            name="9lives",
        )
    )
    properties = [prop for prop, _ in failures]
    assert "destination.s3Config.path" in properties
    assert "destination.s3Config.kmsKeyArn" in properties
    assert 'tags["aws:team"]' in properties
    assert "name" in properties
    assert all("s3_config" not in prop and "kms_key" not in prop for prop in properties)

    _, missing = check({"destination": {"s3Config": {"path": "s3://bucket/out/", "roleArn": ROLE}}})
    assert missing == [("forecastArn", "is required")]
    _, listed = check(
        {"whatIfForecastArns": [WHAT_IF, "nope"], **news(forecastArn=None)}, kind="WhatIfForecastExport"
    )
    assert [prop for prop, _ in listed] == ["whatIfForecastArns[1]"]


def test_check_skips_values_not_known_at_preview() -> None:
    response = run(ForecastProvider().check(CheckRequest(URN, {}, wire(news(forecastArn=UNKNOWN)), b"")))
    assert response.failures is None or response.failures == []
    assert response.inputs is not None
    assert response.inputs["forecastArn"] == PropertyValue(UNKNOWN)  # sent back as the engine's unknown
    assert response.inputs["name"] == PropertyValue(UNKNOWN)  # the autoname hashes the parent


def test_check_keeps_secrets_secret() -> None:
    props = wire(news(tags={"team": "demand"}))
    props["tags"] = props["tags"].with_secret(True)
    response = run(ForecastProvider().check(CheckRequest(URN, {}, props, b"")))
    assert response.inputs is not None
    assert response.inputs["tags"].is_secret and response.inputs["tagsAll"].is_secret
    assert not response.inputs["forecastArn"].is_secret


def test_default_tags_come_from_the_provider_configuration() -> None:
    provider = configured(defaultTags={"tags": {"env": "dev"}}, region="us-east-1")
    inputs, failures = check(news(tags={"team": "demand"}), provider)
    assert failures == []
    assert inputs["tagsAll"] == {"env": "dev", "team": "demand", OWNER_TAG: "proj/dev/daily"}
    # As the CLI sends the stack's configuration: JSON text.
    provider = configured(defaultTags=json.dumps({"tags": {"aws:env": "dev"}}))
    _, failures = check(news(), provider)
    assert [prop for prop, _ in failures] == ['aws-forecast:defaultTags["aws:env"]']


def test_a_bad_configuration_is_refused_naming_its_key() -> None:
    with pytest.raises(AwsConfigError) as refused:
        configured(assumeRoles=[{"roleArn": "not-a-role"}])
    assert str(refused.value).startswith("assumeRoles[0].roleArn must be an IAM role ARN")
    response = run(ForecastProvider().check_config(CheckRequest(URN, {}, wire({"maxRetries": "many"}), b"")))
    assert [(f.property, f.reason) for f in response.failures or []] == [
        ("", 'maxRetries must be a whole number; got "many"')
    ]


def _state(**overrides: Any) -> dict[str, Any]:
    """The state create() leaves: the checked inputs echoed, and the outputs."""
    inputs, _ = check(news(**overrides))
    return {
        **inputs,
        "arn": f"{FORECAST.replace(':forecast/', ':forecast-export-job/')}/{inputs['name']}",
        "status": "ACTIVE",
        "tagsAll": inputs["tagsAll"],
    }


def diff(state: dict[str, Any], new: dict[str, Any]) -> Any:
    """Check (with the old inputs, as the engine does before a diff), then diff against the state."""
    inputs, failures = check(new, olds={k: v for k, v in state.items() if k not in ("arn", "status")})
    assert failures == []
    return run(ForecastProvider().diff(DiffRequest(URN, state["arn"], wire(state), wire(inputs), [])))


def test_diff_replaces_for_settings_and_names_them() -> None:
    state = _state(name="daily", format="CSV")
    found = diff(state, news(name="daily", format="PARQUET"))
    assert found.changes is True
    assert found.replaces == ["format"]
    assert found.delete_before_replace is True  # same explicit name: the old job must go first
    assert {k: v.kind for k, v in found.detailed_diff.items()} == {"format": PropertyDiffKind.UPDATE_REPLACE}
    assert found.diffs == ["format"]

    moved = diff(
        state, news(name="daily", destination={"s3Config": {"path": "s3://bucket/new/", "roleArn": ROLE}})
    )
    assert moved.replaces == ["destination"]
    assert {k: v.kind for k, v in moved.detailed_diff.items()} == {
        "destination.s3Config.path": PropertyDiffKind.UPDATE_REPLACE
    }


def test_diff_of_an_autonamed_job_creates_the_new_one_first() -> None:
    found = diff(_state(format="CSV"), news(format="PARQUET"))
    assert found.replaces == ["format"] and found.delete_before_replace is False


def test_diff_updates_tags_in_place() -> None:
    state = _state(name="daily", tags={"team": "demand", "cost-center": "1"})
    found = diff(state, news(name="daily", tags={"team": "supply"}))
    assert found.changes is True and found.replaces == [] and found.delete_before_replace is False
    assert {k: v.kind for k, v in found.detailed_diff.items()} == {
        "tags.team": PropertyDiffKind.UPDATE,
        'tags["cost-center"]': PropertyDiffKind.DELETE,
        "tagsAll.team": PropertyDiffKind.UPDATE,
        'tagsAll["cost-center"]': PropertyDiffKind.DELETE,
    }
    assert found.diffs == ["tags", "tagsAll"]


def test_diff_of_the_same_declaration_is_no_change() -> None:
    found = diff(_state(name="daily"), news(name="daily", format="csv"))
    assert found.changes is False and found.replaces == [] and found.detailed_diff == {}


def test_diff_replaces_a_failed_job_refresh_found() -> None:
    found = diff({**_state(name="daily"), "status": "CREATE_FAILED"}, news(name="daily"))
    assert found.replaces == ["status"]
    assert found.detailed_diff["status"].kind == PropertyDiffKind.UPDATE_REPLACE


def test_get_schema_serves_the_four_resources_in_camel_case() -> None:
    schema = json.loads(run(ForecastProvider().get_schema(GetSchemaRequest(0))).schema or "")
    assert schema["name"] == "aws-forecast"
    assert sorted(schema["resources"]) == [
        "aws-forecast:forecast:ExplainabilityExport",
        "aws-forecast:forecast:ForecastExportJob",
        "aws-forecast:forecast:PredictorBacktestExportJob",
        "aws-forecast:forecast:WhatIfForecastExport",
    ]
    job = schema["resources"]["aws-forecast:forecast:ForecastExportJob"]
    assert {"forecastArn", "destination", "format", "name", "tags"} <= set(job["inputProperties"])
    assert {"arn", "status", "message", "creationTime", "lastModificationTime", "tagsAll"} <= set(
        job["properties"]
    )
    assert job["inputProperties"]["format"]["replaceOnChanges"] is True
    assert "replaceOnChanges" not in job["inputProperties"]["tags"]
    assert (
        "whatIfForecastArns"
        in schema["resources"]["aws-forecast:forecast:WhatIfForecastExport"]["requiredInputs"]
    )


def test_errors_reach_the_engine_as_their_message_alone() -> None:
    async def read_through_grpc() -> grpc.aio.AioRpcError:
        server = await start([], "0.0.0", ForecastProvider(), "127.0.0.1:0")
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
                stub = provider_pb2_grpc.ResourceProviderStub(channel)
                with pytest.raises(grpc.aio.AioRpcError) as failed:
                    await stub.Read(provider_pb2.ReadRequest(id="daily", urn=URN))
                return failed.value
        finally:
            await server.grpc.stop(None)

    error = run(read_through_grpc())
    assert error.code() == grpc.StatusCode.UNKNOWN
    assert error.details() == (
        "cannot import ForecastExportJob 'daily': the id to import is the job's ARN, "
        "arn:<partition>:forecast:<region>:<account>:forecast-export-job/..."
    )


def test_values_round_trip_between_the_wire_and_plain_python() -> None:
    props = {"a": 1, "b": 2.5, "c": [True, None], "d": {"e": "f"}, "g": UNKNOWN}
    values, secrets = plain(wire(props, secrets=["d"]))
    assert values["a"] == 1 and values["b"] == 2.5 and values["c"] == [True, None]
    assert values["d"] == {"e": "f"} and secrets == {"d"}
    assert wire(values)["g"] == PropertyValue(UNKNOWN)
