"""The resources' call shapes, as pulumi-aws's SDK has them, and their docstrings' examples, run
against Pulumi's mocks: what each would ask the engine to create."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

import pulumi_aws_forecast
from pulumi_aws_forecast import (
    DataDestinationArgs,
    ForecastExportJob,
    ForecastExportJobArgs,
    ForecastExportJobArgsDict,
    S3ConfigArgs,
)
from pulumi_aws_forecast._resources import resource_args_opts
from pulumi_aws_forecast.catalog import EXPORT_KINDS, ResourceKind

# Pulumi's mocks need a current event loop (see conftest.py).
pytestmark = pytest.mark.usefixtures("event_loop_for_mocks")

FORECAST = "arn:aws:forecast:us-east-1:123456789012:forecast/demand"
ROLE = "arn:aws:iam::123456789012:role/forecast-export"
PATH = "s3://example-bucket/exports/"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append((args.typ, args.name, dict(args.inputs)))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        raise AssertionError(f"unexpected call {args.token}")


def registered(program: Callable[[], None]) -> list[tuple[str, str, dict[str, Any]]]:
    """The resources `program` declares: (type token, name, inputs without the pickled provider)."""
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)
    pulumi.runtime.test(program)()  # type: ignore[no-untyped-call]
    return [(t, n, {k: v for k, v in i.items() if k != "__provider"}) for t, n, i in mocks.resources]


def example(kind: ResourceKind) -> str:
    doc = getattr(pulumi_aws_forecast, kind.noun).__doc__ or ""
    assert "## Example Usage" in doc and "## Import and Adoption" in doc
    assert f'{kind.noun}.get("name", arn)' in " ".join(doc.split())
    code = doc.split("```python\n", 1)[1].split("```", 1)[0]
    return textwrap.dedent(code)


@pytest.mark.parametrize("kind", EXPORT_KINDS, ids=lambda kind: kind.noun)
def test_each_resources_example_usage_runs_and_declares_the_job(kind: ResourceKind) -> None:
    code = example(kind)
    [(token, name, inputs)] = registered(lambda: exec(compile(code, kind.noun, "exec"), {}))
    assert (token, name) == (f"pulumi-python:dynamic/forecast:{kind.noun}", "example")
    parent = inputs[kind.parent_property]
    assert parent == [f"arn:aws:forecast:us-east-1:123456789012:{kind.parent_arn_types[0]}/demand"] or (
        parent == f"arn:aws:forecast:us-east-1:123456789012:{kind.parent_arn_types[0]}/demand"
    )
    assert inputs["destination"] == {"s3_config": {"path": PATH, "role_arn": ROLE}}
    assert inputs["tags"] == {"team": "demand"}


def test_the_args_class_its_dict_and_keywords_declare_the_same_job() -> None:
    as_dict: ForecastExportJobArgsDict = {
        "forecast_arn": FORECAST,
        "destination": {"s3_config": {"path": PATH, "role_arn": ROLE}},
        "format": "PARQUET",
    }

    def program() -> None:
        ForecastExportJob(
            "positional",
            ForecastExportJobArgs(
                forecast_arn=FORECAST,
                destination=DataDestinationArgs(s3_config=S3ConfigArgs(path=PATH, role_arn=ROLE)),
                format="PARQUET",
            ),
            pulumi.ResourceOptions(),
        )
        ForecastExportJob("dict", as_dict)
        ForecastExportJob(
            "keywords",
            forecast_arn=FORECAST,
            destination={"s3_config": {"path": PATH, "role_arn": ROLE}},
            format="PARQUET",
            opts=pulumi.ResourceOptions(),
        )

    resources = registered(program)
    by_name = {name: inputs for _, name, inputs in resources}
    assert sorted(by_name) == ["dict", "keywords", "positional"]
    first = by_name["positional"]
    assert first["forecast_arn"] == FORECAST and first["format"] == "PARQUET"
    assert first["destination"] == {"s3_config": {"path": PATH, "role_arn": ROLE}}
    assert by_name["dict"] == first and by_name["keywords"] == first


def test_the_options_are_taken_positionally_or_by_keyword() -> None:
    opts = pulumi.ResourceOptions(protect=True)
    args = ForecastExportJobArgs(
        forecast_arn=FORECAST, destination={"s3_config": {"path": PATH, "role_arn": ROLE}}
    )
    for positional, keywords in (((args, opts), {}), ((args,), {"opts": opts})):
        inputs, got = resource_args_opts("ForecastExportJob", ForecastExportJobArgs, positional, keywords)
        assert got is opts and inputs["forecast_arn"] == FORECAST and inputs["format"] is None


def test_a_wrong_call_says_what_the_resource_takes() -> None:
    args = ForecastExportJobArgs(
        forecast_arn=FORECAST, destination={"s3_config": {"path": PATH, "role_arn": ROLE}}
    )
    with pytest.raises(
        TypeError,
        match=r"^ForecastExportJob\(\) takes its inputs either as ForecastExportJobArgs or as keyword "
        r"arguments, not both$",
    ):
        ForecastExportJob("x", args, format="CSV")  # type: ignore[call-overload]
    with pytest.raises(
        TypeError,
        match=r"^ForecastExportJob\(\) argument 'args' must be ForecastExportJobArgs or a dict, not str$",
    ):
        ForecastExportJob("x", FORECAST)  # type: ignore[call-overload]
    with pytest.raises(
        TypeError, match=r"^ForecastExportJob\(\) argument 'opts' must be pulumi.ResourceOptions, not dict$"
    ):
        ForecastExportJob("x", args, opts={})  # type: ignore[call-overload]
