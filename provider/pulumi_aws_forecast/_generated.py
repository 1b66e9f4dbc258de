# Generated from _schema.py by `make generate`: do not edit.
"""The export resources and their Args, generated from their descriptions in `_schema.py`.

Each input type comes in two forms, as in pulumi-aws's SDK: `XArgs`, a class (positional or
keyword fields), and `XArgsDict`, a TypedDict (a dict literal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack, overload

import pulumi

from ._resources import ExportJob, resource_args_opts


class S3ConfigArgsDict(TypedDict, total=False):
    """`destination.s3_config`, as a dict."""

    path: Required[pulumi.Input[str]]
    """`s3://` and a bucket whose name starts with a lowercase letter or digit; 7 to 4096 characters"""
    role_arn: Required[pulumi.Input[str]]
    """an IAM role ARN, `arn:<partition>:iam::<account>:role/<name>`, in the parent's account (Forecast
    refuses cross-account roles); Forecast assumes it to write the files
    """
    kms_key_arn: pulumi.Input[str] | None
    """`arn:aws:kms:<region>:<account>:key/<id>`, the key the files are encrypted with"""


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


class DataDestinationArgsDict(TypedDict, total=False):
    """`destination`, as a dict."""

    s3_config: Required[pulumi.Input[S3ConfigArgs] | pulumi.Input[S3ConfigArgsDict]]
    """see `S3ConfigArgs`"""


@dataclass
class DataDestinationArgs:
    """`destination`."""

    s3_config: pulumi.Input[S3ConfigArgs] | pulumi.Input[S3ConfigArgsDict]
    """see `S3ConfigArgs`"""


class ForecastExportJobArgsDict(TypedDict, total=False):
    """The inputs of `ForecastExportJob`, as a dict."""

    forecast_arn: Required[pulumi.Input[str]]
    """the ARN of a forecast, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `forecast`, at most 256 characters; the job's region and account are the parent's. A change
    replaces the job.
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]]
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


@dataclass(kw_only=True)
class ForecastExportJobArgs:
    """The inputs of `ForecastExportJob`: `ForecastExportJob(resource_name, ForecastExportJobArgs(...),
    opts)`. The same names are accepted as keyword arguments of the resource.
    """

    forecast_arn: pulumi.Input[str]
    """the ARN of a forecast, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `forecast`, at most 256 characters; the job's region and account are the parent's. A change
    replaces the job.
    """
    destination: pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None = None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None = None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None = None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None = None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class ForecastExportJob(ExportJob, module="forecast", name="ForecastExportJob"):
    """Exports a forecast's predictions to S3. Forecast API: CreateForecastExportJob. Inputs:
    `ForecastExportJobArgs` (or `ForecastExportJobArgsDict`, or the same names as keyword
    arguments). Outputs: every input, and `arn`, `status`, `message`, `creation_time`,
    `last_modification_time`, `tags_all`. The type token is
    `pulumi-python:dynamic/forecast:ForecastExportJob`; the id is the job's ARN.

    ## Example Usage

    ```python
    import pulumi
    from pulumi_aws_forecast import (
        DataDestinationArgs,
        ForecastExportJob,
        ForecastExportJobArgs,
        S3ConfigArgs,
    )

    job = ForecastExportJob(
        "example",
        ForecastExportJobArgs(
            forecast_arn="arn:aws:forecast:us-east-1:123456789012:forecast/demand",
            destination=DataDestinationArgs(
                s3_config=S3ConfigArgs(
                    path="s3://example-bucket/exports/",
                    role_arn="arn:aws:iam::123456789012:role/forecast-export",
                ),
            ),
            tags={"team": "demand"},
        ),
    )
    pulumi.export("arn", job.arn)
    ```

    ## Import and Adoption

    `pulumi import` does not work for dynamic resources (the engine has no provider for the
    `pulumi-python:dynamic` type to read it with). To take an existing job over, declare it with its
    `name` and settings and `adopt=True` (or `adopt_from=<owner>` when another stack manages it):
    see the README's Adoption section. To reference an existing job without managing it,
    `ForecastExportJob.get("name", arn)` reads it by its ARN.
    """

    forecast_arn: pulumi.Output[str]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: ForecastExportJobArgs | ForecastExportJobArgsDict,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[ForecastExportJobArgsDict],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args_opts("ForecastExportJob", ForecastExportJobArgs, args, kwargs)
        super().__init__("ForecastExportJob", resource_name, inputs, opts)


class PredictorBacktestExportJobArgsDict(TypedDict, total=False):
    """The inputs of `PredictorBacktestExportJob`, as a dict."""

    predictor_arn: Required[pulumi.Input[str]]
    """the ARN of a predictor, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `predictor`, at most 256 characters; the job's region and account are the parent's. A change
    replaces the job.
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]]
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


@dataclass(kw_only=True)
class PredictorBacktestExportJobArgs:
    """The inputs of `PredictorBacktestExportJob`: `PredictorBacktestExportJob(resource_name,
    PredictorBacktestExportJobArgs(...), opts)`. The same names are accepted as keyword arguments of
    the resource.
    """

    predictor_arn: pulumi.Input[str]
    """the ARN of a predictor, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `predictor`, at most 256 characters; the job's region and account are the parent's. A change
    replaces the job.
    """
    destination: pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None = None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None = None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None = None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None = None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class PredictorBacktestExportJob(ExportJob, module="forecast", name="PredictorBacktestExportJob"):
    """Exports a predictor's backtest results (forecasted values, accuracy metrics) to S3. Forecast
    API: CreatePredictorBacktestExportJob. Inputs: `PredictorBacktestExportJobArgs` (or
    `PredictorBacktestExportJobArgsDict`, or the same names as keyword arguments). Outputs: every
    input, and `arn`, `status`, `message`, `creation_time`, `last_modification_time`, `tags_all`.
    The type token is `pulumi-python:dynamic/forecast:PredictorBacktestExportJob`; the id is the
    job's ARN.

    ## Example Usage

    ```python
    import pulumi
    from pulumi_aws_forecast import (
        DataDestinationArgs,
        PredictorBacktestExportJob,
        PredictorBacktestExportJobArgs,
        S3ConfigArgs,
    )

    job = PredictorBacktestExportJob(
        "example",
        PredictorBacktestExportJobArgs(
            predictor_arn="arn:aws:forecast:us-east-1:123456789012:predictor/demand",
            destination=DataDestinationArgs(
                s3_config=S3ConfigArgs(
                    path="s3://example-bucket/exports/",
                    role_arn="arn:aws:iam::123456789012:role/forecast-export",
                ),
            ),
            tags={"team": "demand"},
        ),
    )
    pulumi.export("arn", job.arn)
    ```

    ## Import and Adoption

    `pulumi import` does not work for dynamic resources (the engine has no provider for the
    `pulumi-python:dynamic` type to read it with). To take an existing job over, declare it with its
    `name` and settings and `adopt=True` (or `adopt_from=<owner>` when another stack manages it):
    see the README's Adoption section. To reference an existing job without managing it,
    `PredictorBacktestExportJob.get("name", arn)` reads it by its ARN.
    """

    predictor_arn: pulumi.Output[str]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: PredictorBacktestExportJobArgs | PredictorBacktestExportJobArgsDict,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[PredictorBacktestExportJobArgsDict],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args_opts(
            "PredictorBacktestExportJob", PredictorBacktestExportJobArgs, args, kwargs
        )
        super().__init__("PredictorBacktestExportJob", resource_name, inputs, opts)


class ExplainabilityExportArgsDict(TypedDict, total=False):
    """The inputs of `ExplainabilityExport`, as a dict."""

    explainability_arn: Required[pulumi.Input[str]]
    """the ARN of an explainability, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `explainability`, at most 256 characters; the job's region and account are the parent's. A
    change replaces the job.
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]]
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


@dataclass(kw_only=True)
class ExplainabilityExportArgs:
    """The inputs of `ExplainabilityExport`: `ExplainabilityExport(resource_name,
    ExplainabilityExportArgs(...), opts)`. The same names are accepted as keyword arguments of the
    resource.
    """

    explainability_arn: pulumi.Input[str]
    """the ARN of an explainability, `arn:<partition>:forecast:<region>:<account>:<type>/...` with type
    `explainability`, at most 256 characters; the job's region and account are the parent's. A
    change replaces the job.
    """
    destination: pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None = None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None = None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None = None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None = None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class ExplainabilityExport(ExportJob, module="forecast", name="ExplainabilityExport"):
    """Exports an explainability's impact scores to S3. Forecast API: CreateExplainabilityExport.
    Inputs: `ExplainabilityExportArgs` (or `ExplainabilityExportArgsDict`, or the same names as
    keyword arguments). Outputs: every input, and `arn`, `status`, `message`, `creation_time`,
    `last_modification_time`, `tags_all`. The type token is
    `pulumi-python:dynamic/forecast:ExplainabilityExport`; the id is the job's ARN.

    ## Example Usage

    ```python
    import pulumi
    from pulumi_aws_forecast import (
        DataDestinationArgs,
        ExplainabilityExport,
        ExplainabilityExportArgs,
        S3ConfigArgs,
    )

    job = ExplainabilityExport(
        "example",
        ExplainabilityExportArgs(
            explainability_arn="arn:aws:forecast:us-east-1:123456789012:explainability/demand",
            destination=DataDestinationArgs(
                s3_config=S3ConfigArgs(
                    path="s3://example-bucket/exports/",
                    role_arn="arn:aws:iam::123456789012:role/forecast-export",
                ),
            ),
            tags={"team": "demand"},
        ),
    )
    pulumi.export("arn", job.arn)
    ```

    ## Import and Adoption

    `pulumi import` does not work for dynamic resources (the engine has no provider for the
    `pulumi-python:dynamic` type to read it with). To take an existing job over, declare it with its
    `name` and settings and `adopt=True` (or `adopt_from=<owner>` when another stack manages it):
    see the README's Adoption section. To reference an existing job without managing it,
    `ExplainabilityExport.get("name", arn)` reads it by its ARN.
    """

    explainability_arn: pulumi.Output[str]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: ExplainabilityExportArgs | ExplainabilityExportArgsDict,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[ExplainabilityExportArgsDict],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args_opts("ExplainabilityExport", ExplainabilityExportArgs, args, kwargs)
        super().__init__("ExplainabilityExport", resource_name, inputs, opts)


class WhatIfForecastExportArgsDict(TypedDict, total=False):
    """The inputs of `WhatIfForecastExport`, as a dict."""

    what_if_forecast_arns: Required[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """1 to 3 ARNs of what-if forecasts
    (`arn:<partition>:forecast:<region>:<account>:what-if-forecast/...`), at most 300 characters
    each, all in one account and region (the API model allows 50, but Amazon Forecast's quota
    L-50FA8F07 allows 3 per export and is not adjustable); any change of the list (adding, removing
    or reordering) replaces the job
    """
    destination: Required[pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]]
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


@dataclass(kw_only=True)
class WhatIfForecastExportArgs:
    """The inputs of `WhatIfForecastExport`: `WhatIfForecastExport(resource_name,
    WhatIfForecastExportArgs(...), opts)`. The same names are accepted as keyword arguments of the
    resource.
    """

    what_if_forecast_arns: pulumi.Input[Sequence[pulumi.Input[str]]]
    """1 to 3 ARNs of what-if forecasts
    (`arn:<partition>:forecast:<region>:<account>:what-if-forecast/...`), at most 300 characters
    each, all in one account and region (the API model allows 50, but Amazon Forecast's quota
    L-50FA8F07 allows 3 per export and is not adjustable); any change of the list (adding, removing
    or reordering) replaces the job
    """
    destination: pulumi.Input[DataDestinationArgs] | pulumi.Input[DataDestinationArgsDict]
    """where the files go: see `DataDestinationArgs`"""
    format: pulumi.Input[str] | None = None
    """`CSV` (default) or `PARQUET`; lower case accepted and normalised; omitted and `CSV` are the
    same. A change replaces the job.
    """
    name: pulumi.Input[str] | None = None
    """1 to 63 characters, a letter then letters, digits, underscores; unique per parent. Omitted:
    autonamed (see Names). A change replaces the job.
    """
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """at most 50 per job, counting default tags and the owner tag; keys 1-128 and values 0-256
    characters of letters, digits, spaces and `_ . : / = + - @`; keys may not begin with `aws:` in
    any case (values may). A change is made in place.
    """
    adopt: pulumi.Input[bool] | None = None
    """`True` to take over an existing job of the same name (see Adoption)"""
    adopt_from: pulumi.Input[str] | None = None
    """the owner string of the stack that manages the job, to take it over from that stack"""


class WhatIfForecastExport(ExportJob, module="forecast", name="WhatIfForecastExport"):
    """Exports one or more what-if forecasts of a what-if analysis to S3. Forecast API:
    CreateWhatIfForecastExport. Inputs: `WhatIfForecastExportArgs` (or
    `WhatIfForecastExportArgsDict`, or the same names as keyword arguments). Outputs: every input,
    and `arn`, `status`, `message`, `creation_time`, `last_modification_time`, `tags_all`. The type
    token is `pulumi-python:dynamic/forecast:WhatIfForecastExport`; the id is the job's ARN.

    ## Example Usage

    ```python
    import pulumi
    from pulumi_aws_forecast import (
        DataDestinationArgs,
        WhatIfForecastExport,
        WhatIfForecastExportArgs,
        S3ConfigArgs,
    )

    job = WhatIfForecastExport(
        "example",
        WhatIfForecastExportArgs(
            what_if_forecast_arns=["arn:aws:forecast:us-east-1:123456789012:what-if-forecast/demand"],
            destination=DataDestinationArgs(
                s3_config=S3ConfigArgs(
                    path="s3://example-bucket/exports/",
                    role_arn="arn:aws:iam::123456789012:role/forecast-export",
                ),
            ),
            tags={"team": "demand"},
        ),
    )
    pulumi.export("arn", job.arn)
    ```

    ## Import and Adoption

    `pulumi import` does not work for dynamic resources (the engine has no provider for the
    `pulumi-python:dynamic` type to read it with). To take an existing job over, declare it with its
    `name` and settings and `adopt=True` (or `adopt_from=<owner>` when another stack manages it):
    see the README's Adoption section. To reference an existing job without managing it,
    `WhatIfForecastExport.get("name", arn)` reads it by its ARN.
    """

    what_if_forecast_arns: pulumi.Output[list[str]]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: WhatIfForecastExportArgs | WhatIfForecastExportArgsDict,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[WhatIfForecastExportArgsDict],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args_opts("WhatIfForecastExport", WhatIfForecastExportArgs, args, kwargs)
        super().__init__("WhatIfForecastExport", resource_name, inputs, opts)
