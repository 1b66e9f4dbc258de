# Generated from _schema.py by `make generate`: do not edit.
"""The export resources and their Args, generated from their descriptions in `_schema.py`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

import pulumi

from ._resources import ExportJob


@dataclass
class S3ConfigArgs:
    """`destination.s3_config`."""

    path: pulumi.Input[str]
    """`s3://` and a bucket whose name starts with a lowercase letter or digit; 7 to 4096 characters"""
    role_arn: pulumi.Input[str]
    """an IAM role ARN, `arn:<partition>:iam::<account>:role/<name>`, in the parent's account (Forecast
    refuses cross-account roles); Forecast assumes it to write the files
    """
    kms_key_arn: pulumi.Input[str] | None = None
    """`arn:aws:kms:<region>:<account>:key/<id>`, the key the files are encrypted with"""


@dataclass
class DataDestinationArgs:
    """`destination`."""

    s3_config: pulumi.Input[S3ConfigArgs] | pulumi.Input[Mapping[str, Any]]
    """see `S3ConfigArgs`"""


class ForecastExportJobArgs(TypedDict, total=False):
    """The inputs of `ForecastExportJob`."""

    forecast_arn: Required[pulumi.Input[str]]
    """the ARN of a forecast, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `forecast`, at most 256 characters; the job's region and account are the parent's. A change
    replaces the job.
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[Mapping[str, Any]]]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class ForecastExportJob(ExportJob, module="forecast", name="ForecastExportJob"):
    """Exports a forecast's predictions to S3. Forecast API: CreateForecastExportJob. Inputs:
    `ForecastExportJobArgs`. Outputs: every input, and `arn`, `status`, `message`, `creation_time`,
    `last_modification_time`, `tags_all`. The type token is
    `pulumi-python:dynamic/forecast:ForecastExportJob`; the id is the job's ARN.
    """

    forecast_arn: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[ForecastExportJobArgs],
    ) -> None:
        super().__init__("ForecastExportJob", resource_name, args, opts)


class PredictorBacktestExportJobArgs(TypedDict, total=False):
    """The inputs of `PredictorBacktestExportJob`."""

    predictor_arn: Required[pulumi.Input[str]]
    """the ARN of a predictor, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `predictor`, at most 256 characters; the job's region and account are the parent's. A change
    replaces the job.
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[Mapping[str, Any]]]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class PredictorBacktestExportJob(ExportJob, module="forecast", name="PredictorBacktestExportJob"):
    """Exports a predictor's backtest results (forecasted values, accuracy metrics) to S3. Forecast
    API: CreatePredictorBacktestExportJob. Inputs: `PredictorBacktestExportJobArgs`. Outputs: every
    input, and `arn`, `status`, `message`, `creation_time`, `last_modification_time`, `tags_all`.
    The type token is `pulumi-python:dynamic/forecast:PredictorBacktestExportJob`; the id is the
    job's ARN.
    """

    predictor_arn: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[PredictorBacktestExportJobArgs],
    ) -> None:
        super().__init__("PredictorBacktestExportJob", resource_name, args, opts)


class ExplainabilityExportArgs(TypedDict, total=False):
    """The inputs of `ExplainabilityExport`."""

    explainability_arn: Required[pulumi.Input[str]]
    """the ARN of an explainability, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `explainability`, at most 256 characters; the job's region and account are the parent's. A
    change replaces the job.
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[Mapping[str, Any]]]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class ExplainabilityExport(ExportJob, module="forecast", name="ExplainabilityExport"):
    """Exports an explainability's impact scores to S3. Forecast API: CreateExplainabilityExport.
    Inputs: `ExplainabilityExportArgs`. Outputs: every input, and `arn`, `status`, `message`,
    `creation_time`, `last_modification_time`, `tags_all`. The type token is
    `pulumi-python:dynamic/forecast:ExplainabilityExport`; the id is the job's ARN.
    """

    explainability_arn: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[ExplainabilityExportArgs],
    ) -> None:
        super().__init__("ExplainabilityExport", resource_name, args, opts)


class WhatIfForecastExportArgs(TypedDict, total=False):
    """The inputs of `WhatIfForecastExport`."""

    what_if_forecast_arns: Required[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """1 to 3 ARNs of what-if forecasts
    (`arn:<partition>:forecast:<region>:<account>:what-if-forecast/...`), at most 300 characters
    each, all in one account and region (the API model allows 50, but Amazon Forecast's quota
    L-50FA8F07 allows 3 per export and is not adjustable); any change of the list (adding, removing
    or reordering) replaces the job
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[Mapping[str, Any]]]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class WhatIfForecastExport(ExportJob, module="forecast", name="WhatIfForecastExport"):
    """Exports one or more what-if forecasts of a what-if analysis to S3. Forecast API:
    CreateWhatIfForecastExport. Inputs: `WhatIfForecastExportArgs`. Outputs: every input, and `arn`,
    `status`, `message`, `creation_time`, `last_modification_time`, `tags_all`. The type token is
    `pulumi-python:dynamic/forecast:WhatIfForecastExport`; the id is the job's ARN.
    """

    what_if_forecast_arns: pulumi.Output[list[str]]

    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[WhatIfForecastExportArgs],
    ) -> None:
        super().__init__("WhatIfForecastExport", resource_name, args, opts)
