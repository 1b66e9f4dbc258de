"""The Amazon Forecast resources this project knows, as data: one catalogue for the provider and the emulator.

Every kind of Forecast resource is one `ResourceKind`: its API noun (from which
the operation names, the name and ARN members and the boto3 method names
follow), its plural, how messages name it (its label, with its article), how its
ARN is built, which kind its parent is and in which request member it is named,
which List filters apply, and whether it is an export job. The provider's
resources (`ForecastExportJob`, ...) are the export kinds, each with the summary
its docstring and the README show; the emulator serves every kind. Everything
per kind is derived from here: nothing else restates a noun, a label or a plural.

This module imports nothing from Pulumi or from the provider's private modules,
so the emulator (its own distribution) may depend on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# --- Statuses (the API reference lists the same set for every kind) ------------------------------

CREATE_PENDING = "CREATE_PENDING"
CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
ACTIVE = "ACTIVE"
CREATE_FAILED = "CREATE_FAILED"
CREATE_STOPPING = "CREATE_STOPPING"
CREATE_STOPPED = "CREATE_STOPPED"
DELETE_PENDING = "DELETE_PENDING"
DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"
DELETE_FAILED = "DELETE_FAILED"

#: Being created: StopResource applies.
CREATING = frozenset({CREATE_PENDING, CREATE_IN_PROGRESS})
#: Being stopped.
STOPPING = frozenset({CREATE_STOPPING})
#: Being deleted.
DELETING = frozenset({DELETE_PENDING, DELETE_IN_PROGRESS})
#: Work going on: an export counts against its quota; a parent cannot be deleted meanwhile.
RUNNING = CREATING | STOPPING
#: Deletable. The API reference names ACTIVE and CREATE_FAILED; a stopped job must be removable too.
DELETABLE = frozenset({ACTIVE, CREATE_FAILED, CREATE_STOPPED})

#: Export formats (the model's `^CSV|PARQUET$` is an alternation bug; this is its intent).
FORMATS = ("CSV", "PARQUET")
DEFAULT_FORMAT = "CSV"


def snake(name: str) -> str:
    """`ForecastExportJob` -> `forecast_export_job`; `WhatIfForecastArns` -> `what_if_forecast_arns`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class ResourceKind:
    """One kind of Forecast resource, as the API names and relates it."""

    #: The API noun: Create<noun>, Describe<noun>, Delete<noun>, List<noun>s, <noun>Name, <noun>Arn.
    noun: str
    #: How messages name it: "forecast export job".
    label: str
    #: The ARN's resource type: arn:<partition>:forecast:<region>:<account>:<arn_type>/...
    arn_type: str
    #: The request (and Describe) member naming the parent, and the kinds the parent may be.
    parent_member: str | None = None
    parent_nouns: tuple[str, ...] = ()
    #: The parent member is a list of ARNs (what-if forecast exports).
    parent_is_list: bool = False
    #: The ARN ends `<parent name>/<name>`: names are unique per parent.
    arn_has_parent_name: bool = False
    #: Filter keys List accepts.
    filters: tuple[str, ...] = ("Status",)
    #: An export job: writes files to S3, counts against the export quota, a provider resource.
    export: bool = False
    #: StopResource applies while it is being created.
    stoppable: bool = True
    #: The List filter key that selects the jobs of one parent (None: List cannot, e.g. a list parent).
    parent_filter: str | None = None
    #: Other operations that create or describe it (the predictor's AutoPredictor variants).
    extra_creates: tuple[str, ...] = ()
    extra_describes: tuple[str, ...] = ()
    #: The noun's plural, as List<plural> and its response member spell it (ListWhatIfAnalyses);
    #: left out, `<noun>s`.
    plural: str = ""
    #: An export's resource: what it does, for its docstring and the README.
    summary: str = ""

    def __post_init__(self) -> None:
        if not self.plural:
            object.__setattr__(self, "plural", f"{self.noun}s")

    @property
    def a_label(self) -> str:
        """The label with its indefinite article: "a forecast export job", "an explainability"."""
        return f"{'an' if self.label[:1] in 'aeiou' else 'a'} {self.label}"

    @property
    def name_member(self) -> str:
        return f"{self.noun}Name"

    @property
    def arn_member(self) -> str:
        return f"{self.noun}Arn"

    @property
    def create_operation(self) -> str:
        return f"Create{self.noun}"

    @property
    def describe_operation(self) -> str:
        return f"Describe{self.noun}"

    @property
    def list_operation(self) -> str:
        return f"List{self.plural}"

    @property
    def delete_operation(self) -> str:
        return f"Delete{self.noun}"

    @property
    def parent_property(self) -> str:
        """The Pulumi property naming the parent: `forecast_arn`, `what_if_forecast_arns`."""
        assert self.parent_member is not None
        return snake(self.parent_member)

    @property
    def parent_arn_types(self) -> tuple[str, ...]:
        return tuple(KINDS[noun].arn_type for noun in self.parent_nouns)

    def arn(self, partition: str, region: str, account: str, name: str, parent_name: str | None) -> str:
        path = f"{parent_name}/{name}" if self.arn_has_parent_name and parent_name else name
        return f"arn:{partition}:forecast:{region}:{account}:{self.arn_type}/{path}"


def _kinds(*kinds: ResourceKind) -> Mapping[str, ResourceKind]:
    return MappingProxyType({kind.noun: kind for kind in kinds})


KINDS: Mapping[str, ResourceKind] = _kinds(
    ResourceKind("DatasetGroup", "dataset group", "dataset-group", filters=(), stoppable=False),
    ResourceKind("Dataset", "dataset", "dataset", filters=(), stoppable=False),
    ResourceKind(
        "DatasetImportJob",
        "dataset import job",
        "dataset-import-job",
        parent_member="DatasetArn",
        parent_nouns=("Dataset",),
        arn_has_parent_name=True,
        filters=("DatasetArn", "Status"),
    ),
    ResourceKind(
        "Predictor",
        "predictor",
        "predictor",
        parent_member="DatasetGroupArn",
        parent_nouns=("DatasetGroup",),
        filters=("DatasetGroupArn", "Status"),
        extra_creates=("CreateAutoPredictor",),
        extra_describes=("DescribeAutoPredictor",),
    ),
    ResourceKind(
        "Forecast",
        "forecast",
        "forecast",
        parent_member="PredictorArn",
        parent_nouns=("Predictor",),
        filters=("DatasetGroupArn", "PredictorArn", "Status"),
    ),
    ResourceKind(
        "Explainability",
        "explainability",
        "explainability",
        parent_member="ResourceArn",
        parent_nouns=("Predictor", "Forecast"),
        filters=("ResourceArn", "Status"),
        plural="Explainabilities",
    ),
    ResourceKind(
        "WhatIfAnalysis",
        "what-if analysis",
        "what-if-analysis",
        parent_member="ForecastArn",
        parent_nouns=("Forecast",),
        # The API reference's keys: the kind's own ARN (its example gives the parent forecast's ARN).
        filters=("WhatIfAnalysisArn", "Status"),
        plural="WhatIfAnalyses",
    ),
    ResourceKind(
        "WhatIfForecast",
        "what-if forecast",
        "what-if-forecast",
        parent_member="WhatIfAnalysisArn",
        parent_nouns=("WhatIfAnalysis",),
        arn_has_parent_name=True,
        filters=("WhatIfForecastArn", "Status"),
    ),
    ResourceKind(
        "ForecastExportJob",
        "forecast export job",
        "forecast-export-job",
        parent_member="ForecastArn",
        parent_nouns=("Forecast",),
        arn_has_parent_name=True,
        filters=("ForecastArn", "Status"),
        parent_filter="ForecastArn",
        export=True,
        summary="Exports a forecast's predictions to S3.",
    ),
    ResourceKind(
        "PredictorBacktestExportJob",
        "predictor backtest export job",
        "predictor-backtest-export-job",
        parent_member="PredictorArn",
        parent_nouns=("Predictor",),
        arn_has_parent_name=True,
        filters=("PredictorArn", "Status"),
        parent_filter="PredictorArn",
        export=True,
        summary="Exports a predictor's backtest results (forecasted values, accuracy metrics) to S3.",
    ),
    ResourceKind(
        "ExplainabilityExport",
        "explainability export",
        "explainability-export",
        parent_member="ExplainabilityArn",
        parent_nouns=("Explainability",),
        arn_has_parent_name=True,
        filters=("ResourceArn", "Status"),
        parent_filter="ResourceArn",
        export=True,
        summary="Exports an explainability's impact scores to S3.",
    ),
    ResourceKind(
        "WhatIfForecastExport",
        "what-if forecast export",
        "what-if-forecast-export",
        parent_member="WhatIfForecastArns",
        parent_nouns=("WhatIfForecast",),
        parent_is_list=True,
        filters=("WhatIfForecastExportArn", "Status"),
        export=True,
        summary="Exports one or more what-if forecasts of a what-if analysis to S3.",
    ),
)

#: The export kinds, in the order the README lists them.
EXPORT_KINDS: tuple[ResourceKind, ...] = tuple(kind for kind in KINDS.values() if kind.export)
#: Kinds by the resource type in their ARNs.
BY_ARN_TYPE: Mapping[str, ResourceKind] = MappingProxyType({kind.arn_type: kind for kind in KINDS.values()})
