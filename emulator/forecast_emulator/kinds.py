"""Every Forecast resource kind the emulator serves, described as data.

All kinds share one lifecycle and one set of handlers (`responses.py`); what
differs between them is written here: the API operation names, the name and
ARN fields, the parent (which kind, in which request field), how the ARN is
built, which filters List accepts, defaults and values inherited from the
parent, how long creation takes, and what an export writes to S3.

Adding a kind (ExplainabilityExport, WhatIfForecastExport, ...) is one more
`Kind(...)` entry, plus an output writer if it exports files.

The response shapes are not here: Describe and List return the members that
botocore's service model lists for their output, taken from the resource's
document (see `responses.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from forecast_emulator import output

# --- Statuses --------------------------------------------------------------------------------------

CREATE_PENDING = "CREATE_PENDING"
CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
ACTIVE = "ACTIVE"
CREATE_FAILED = "CREATE_FAILED"
CREATE_STOPPING = "CREATE_STOPPING"
CREATE_STOPPED = "CREATE_STOPPED"
DELETE_PENDING = "DELETE_PENDING"
DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"

#: Statuses of a resource still being created: StopResource applies to these.
CREATING = frozenset({CREATE_PENDING, CREATE_IN_PROGRESS})
#: Statuses of a resource with work going on: an export counts against the quota, a parent
#: cannot be deleted while a child is in one of these.
RUNNING = frozenset({CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_STOPPING})
#: Statuses in which a resource may be deleted. The API reference names ACTIVE and CREATE_FAILED;
#: CREATE_STOPPED is allowed too, or a stopped job could never be removed.
DELETABLE = frozenset({ACTIVE, CREATE_FAILED, CREATE_STOPPED})


@dataclass(frozen=True)
class Phase:
    """A transient status: it ends `share` of the way through a duration, then `next` begins."""

    next: str | None  # None: the resource is gone
    share: float
    duration: str  # a Settings field, or "create" for the kind's own creation duration


#: The lifecycle. Progress is measured from when the phase's action began (creation, stop, delete).
PHASES: Mapping[str, Phase] = MappingProxyType(
    {
        CREATE_PENDING: Phase(CREATE_IN_PROGRESS, 0.2, "create"),
        CREATE_IN_PROGRESS: Phase(ACTIVE, 1.0, "create"),
        CREATE_STOPPING: Phase(CREATE_STOPPED, 1.0, "stop_seconds"),
        DELETE_PENDING: Phase(DELETE_IN_PROGRESS, 0.2, "delete_seconds"),
        DELETE_IN_PROGRESS: Phase(None, 1.0, "delete_seconds"),
    }
)

# --- Kinds ----------------------------------------------------------------------------------------

DEFAULT_FORECAST_TYPES = ("0.1", "0.5", "0.9")


@dataclass(frozen=True)
class CreateOperation:
    """One API operation that creates a kind, and how its request maps onto the document."""

    name: str
    #: Document fields whose value sits deeper in this operation's request: field -> request path.
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Fixed document fields this operation sets.
    extras: Mapping[str, Any] = field(default_factory=dict)
    #: Request members the service requires although the model marks them optional.
    requires: tuple[str, ...] = ()
    #: Request members the emulator does not implement (rejected with InvalidInputException).
    unsupported: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    key: str
    #: How messages name it: "forecast export job".
    label: str
    #: The ARN's resource type: arn:aws:forecast:<region>:<account>:<arn_type>/...
    arn_type: str
    name_field: str
    arn_field: str
    creates: tuple[CreateOperation, ...]
    describes: tuple[str, ...]
    list_op: str
    #: The member of the List response that holds the summaries.
    list_key: str
    delete_op: str
    #: Document field that holds the parent's ARN, and the parent's kind.
    parent_field: str | None = None
    parent_kind: str | None = None
    #: The ARN ends `<parent name>/<name>` instead of `<name>`: names are unique per parent.
    arn_has_parent_name: bool = False
    #: Filter keys List accepts (each is a document field, or Status).
    filters: tuple[str, ...] = ()
    #: Document fields set when the request leaves them out.
    defaults: Mapping[str, Any] = field(default_factory=dict)
    #: Document fields copied from the parent's document when the request leaves them out.
    inherit: Mapping[str, str] = field(default_factory=dict)
    #: Settings field holding how long creation takes.
    duration: str = "upstream_seconds"
    stoppable: bool = True
    #: Export jobs: at most `export_quota` in progress, a Destination checked when the job runs,
    #: and files written to S3 when it becomes ACTIVE.
    writer: output.Writer | None = None
    #: Datasets the document lists by ARN (dataset groups): each must exist.
    dataset_list_field: str | None = None

    @property
    def is_export(self) -> bool:
        return self.writer is not None

    @property
    def create_names(self) -> tuple[str, ...]:
        return tuple(op.name for op in self.creates)


_EXPORT_DEFAULTS = MappingProxyType({"Format": "CSV"})

KINDS: tuple[Kind, ...] = (
    Kind(
        key="dataset_group",
        label="dataset group",
        arn_type="dataset-group",
        name_field="DatasetGroupName",
        arn_field="DatasetGroupArn",
        creates=(CreateOperation("CreateDatasetGroup"),),
        describes=("DescribeDatasetGroup",),
        list_op="ListDatasetGroups",
        list_key="DatasetGroups",
        delete_op="DeleteDatasetGroup",
        defaults=MappingProxyType({"DatasetArns": []}),
        stoppable=False,
        dataset_list_field="DatasetArns",
    ),
    Kind(
        key="dataset",
        label="dataset",
        arn_type="dataset",
        name_field="DatasetName",
        arn_field="DatasetArn",
        creates=(CreateOperation("CreateDataset"),),
        describes=("DescribeDataset",),
        list_op="ListDatasets",
        list_key="Datasets",
        delete_op="DeleteDataset",
        stoppable=False,
    ),
    Kind(
        key="dataset_import_job",
        label="dataset import job",
        arn_type="dataset-import-job",
        name_field="DatasetImportJobName",
        arn_field="DatasetImportJobArn",
        creates=(CreateOperation("CreateDatasetImportJob"),),
        describes=("DescribeDatasetImportJob",),
        list_op="ListDatasetImportJobs",
        list_key="DatasetImportJobs",
        delete_op="DeleteDatasetImportJob",
        parent_field="DatasetArn",
        parent_kind="dataset",
        arn_has_parent_name=True,
        filters=("DatasetArn", "Status"),
        defaults=MappingProxyType({"Format": "CSV", "ImportMode": "FULL"}),
    ),
    Kind(
        key="predictor",
        label="predictor",
        arn_type="predictor",
        name_field="PredictorName",
        arn_field="PredictorArn",
        creates=(
            CreateOperation(
                "CreatePredictor",
                aliases=MappingProxyType(
                    {
                        "DatasetGroupArn": ("InputDataConfig", "DatasetGroupArn"),
                        "ForecastFrequency": ("FeaturizationConfig", "ForecastFrequency"),
                        "ForecastDimensions": ("FeaturizationConfig", "ForecastDimensions"),
                    }
                ),
                extras=MappingProxyType({"IsAutoPredictor": False}),
            ),
            CreateOperation(
                "CreateAutoPredictor",
                aliases=MappingProxyType({"DatasetGroupArn": ("DataConfig", "DatasetGroupArn")}),
                extras=MappingProxyType({"IsAutoPredictor": True}),
                # A new predictor needs these; retraining (ReferencePredictorArn) is not emulated.
                requires=("DataConfig", "ForecastHorizon", "ForecastFrequency"),
                unsupported=("ReferencePredictorArn",),
            ),
        ),
        describes=("DescribePredictor", "DescribeAutoPredictor"),
        list_op="ListPredictors",
        list_key="Predictors",
        delete_op="DeletePredictor",
        parent_field="DatasetGroupArn",
        parent_kind="dataset_group",
        filters=("DatasetGroupArn", "Status"),
        defaults=MappingProxyType({"ForecastTypes": list(DEFAULT_FORECAST_TYPES)}),
    ),
    Kind(
        key="forecast",
        label="forecast",
        arn_type="forecast",
        name_field="ForecastName",
        arn_field="ForecastArn",
        creates=(CreateOperation("CreateForecast"),),
        describes=("DescribeForecast",),
        list_op="ListForecasts",
        list_key="Forecasts",
        delete_op="DeleteForecast",
        parent_field="PredictorArn",
        parent_kind="predictor",
        filters=("DatasetGroupArn", "PredictorArn", "Status"),
        # What the forecast's export needs from its predictor travels with the forecast.
        inherit=MappingProxyType(
            {
                "DatasetGroupArn": "DatasetGroupArn",
                "ForecastTypes": "ForecastTypes",
                "CreatedUsingAutoPredictor": "IsAutoPredictor",
                "ForecastHorizon": "ForecastHorizon",
                "ForecastFrequency": "ForecastFrequency",
                "ForecastDimensions": "ForecastDimensions",
            }
        ),
    ),
    Kind(
        key="forecast_export_job",
        label="forecast export job",
        arn_type="forecast-export-job",
        name_field="ForecastExportJobName",
        arn_field="ForecastExportJobArn",
        creates=(CreateOperation("CreateForecastExportJob"),),
        describes=("DescribeForecastExportJob",),
        list_op="ListForecastExportJobs",
        list_key="ForecastExportJobs",
        delete_op="DeleteForecastExportJob",
        parent_field="ForecastArn",
        parent_kind="forecast",
        arn_has_parent_name=True,
        filters=("ForecastArn", "Status"),
        defaults=_EXPORT_DEFAULTS,
        duration="job_seconds",
        writer=output.forecast_export,
    ),
    Kind(
        key="predictor_backtest_export_job",
        label="predictor backtest export job",
        arn_type="predictor-backtest-export-job",
        name_field="PredictorBacktestExportJobName",
        arn_field="PredictorBacktestExportJobArn",
        creates=(CreateOperation("CreatePredictorBacktestExportJob"),),
        describes=("DescribePredictorBacktestExportJob",),
        list_op="ListPredictorBacktestExportJobs",
        list_key="PredictorBacktestExportJobs",
        delete_op="DeletePredictorBacktestExportJob",
        parent_field="PredictorArn",
        parent_kind="predictor",
        arn_has_parent_name=True,
        filters=("PredictorArn", "Status"),
        defaults=_EXPORT_DEFAULTS,
        duration="job_seconds",
        writer=output.backtest_export,
    ),
)

BY_KEY: Mapping[str, Kind] = MappingProxyType({kind.key: kind for kind in KINDS})
BY_ARN_TYPE: Mapping[str, Kind] = MappingProxyType({kind.arn_type: kind for kind in KINDS})
