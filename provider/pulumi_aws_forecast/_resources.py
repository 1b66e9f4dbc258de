"""The resources users declare. Thin: each says its kind and its parent property."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

import pulumi
from pulumi.dynamic import Resource

from ._kinds import FORECAST_EXPORT_JOB, PREDICTOR_BACKTEST_EXPORT_JOB, JobKind
from ._provider import OUTPUT_PROPERTIES, JobProvider, Timeouts, parse_duration


@dataclass
class S3ConfigArgs:
    """Where the job writes: an S3 path, a role Forecast assumes to write there, an optional KMS key."""

    path: pulumi.Input[str]
    role_arn: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str] | None = None


@dataclass
class DataDestinationArgs:
    s3_config: pulumi.Input[S3ConfigArgs] | pulumi.Input[dict[str, Any]]


def _plain(value: Any) -> Any:
    """Args classes as plain dicts (Inputs inside stay Inputs)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _timeouts(opts: pulumi.ResourceOptions | None) -> Timeouts:
    """customTimeouts are not enforced for dynamic resources by the engine: the provider honours them."""
    timeouts = Timeouts()
    custom = opts.custom_timeouts if opts else None
    for field in ("create", "update", "delete"):
        text = getattr(custom, field, None) if custom else None
        if text:
            setattr(timeouts, field, parse_duration(text))
    return timeouts


def _owner(resource_name: str) -> str:
    return f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"


class JobArgs(TypedDict, total=False):
    """The inputs both kinds take besides their parent (see the README for each one's rule)."""

    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[dict[str, Any]]]
    format: pulumi.Input[str] | None
    name: pulumi.Input[str] | None
    tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None
    adopt: pulumi.Input[bool] | None
    adopt_from: pulumi.Input[str] | None
    opts: pulumi.ResourceOptions | None


class _ExportJob(Resource):
    """An export job: created, waited on until ACTIVE, tags updated in place, replaced for anything else."""

    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    status: pulumi.Output[str]
    message: pulumi.Output[str | None]
    creation_time: pulumi.Output[str]
    last_modification_time: pulumi.Output[str]
    destination: pulumi.Output[dict[str, Any]]
    format: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str]]
    tags_all: pulumi.Output[dict[str, str]]

    def __init__(
        self, kind: JobKind, resource_name: str, parent_arn: pulumi.Input[str], args: JobArgs
    ) -> None:
        # What a signature with every keyword spelt out would refuse.
        unexpected = sorted(set(args) - set(JobArgs.__annotations__))
        if unexpected:
            raise TypeError(f"{kind.key}() got an unexpected keyword argument {unexpected[0]!r}")
        if "destination" not in args:
            raise TypeError(f"{kind.key}() missing required keyword argument: 'destination'")
        opts = args.get("opts")
        props: dict[str, Any] = {
            kind.parent_property: parent_arn,
            "destination": _plain(args["destination"]),
            **{key: args.get(key) for key in ("format", "name", "tags", "adopt", "adopt_from")},
            # Output-only properties must be present to exist as outputs.
            **dict.fromkeys(OUTPUT_PROPERTIES),
        }
        provider = JobProvider(kind.key, _owner(resource_name), _timeouts(opts))
        super().__init__(provider, resource_name, props, opts)


class ForecastExportJob(_ExportJob, module="forecast", name="ForecastExportJob"):
    """Exports a forecast's predictions to S3 (CreateForecastExportJob)."""

    forecast_arn: pulumi.Output[str]

    def __init__(
        self, resource_name: str, *, forecast_arn: pulumi.Input[str], **args: Unpack[JobArgs]
    ) -> None:
        super().__init__(FORECAST_EXPORT_JOB, resource_name, forecast_arn, args)


class PredictorBacktestExportJob(_ExportJob, module="forecast", name="PredictorBacktestExportJob"):
    """Exports a predictor's backtest results (forecasted values, accuracy metrics) to S3."""

    predictor_arn: pulumi.Output[str]

    def __init__(
        self, resource_name: str, *, predictor_arn: pulumi.Input[str], **args: Unpack[JobArgs]
    ) -> None:
        super().__init__(PREDICTOR_BACKTEST_EXPORT_JOB, resource_name, predictor_arn, args)
