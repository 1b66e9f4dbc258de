"""The kinds of export job, as data.

Both kinds are the same thing: an immutable job under a parent ARN, with a
name, a destination, a format and tags. Everything that differs between them is
in a `JobKind`; the lifecycle in `_provider.py` and the AWS access in `_aws.py`
are written once. A third kind (an explainability or what-if forecast export)
is one more entry here and a thin class in `_resources.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    key: str  # the resource class name, also the kind's key in KINDS
    api_noun: str  # "ForecastExportJob": Create<noun>, Describe<noun>, Delete<noun>, List<noun>s
    parent_property: str  # the Pulumi property naming the parent ("forecast_arn")
    parent_api: str  # the API member naming the parent ("ForecastArn")
    parent_type: str  # the parent's ARN resource type ("forecast")
    arn_resource_type: str  # the job's ARN resource type ("forecast-export-job")

    @property
    def name_api(self) -> str:
        return f"{self.api_noun}Name"

    @property
    def arn_api(self) -> str:
        return f"{self.api_noun}Arn"

    @property
    def create_operation(self) -> str:
        return f"Create{self.api_noun}"

    def method(self, verb: str) -> str:
        """The boto3 method for a verb: method("describe") == "describe_forecast_export_job"."""
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in self.api_noun).lstrip("_")
        return f"{verb}_{snake}s" if verb == "list" else f"{verb}_{snake}"


FORECAST_EXPORT_JOB = JobKind(
    key="ForecastExportJob",
    api_noun="ForecastExportJob",
    parent_property="forecast_arn",
    parent_api="ForecastArn",
    parent_type="forecast",
    arn_resource_type="forecast-export-job",
)

PREDICTOR_BACKTEST_EXPORT_JOB = JobKind(
    key="PredictorBacktestExportJob",
    api_noun="PredictorBacktestExportJob",
    parent_property="predictor_arn",
    parent_api="PredictorArn",
    parent_type="predictor",
    arn_resource_type="predictor-backtest-export-job",
)

KINDS: dict[str, JobKind] = {kind.key: kind for kind in (FORECAST_EXPORT_JOB, PREDICTOR_BACKTEST_EXPORT_JOB)}
