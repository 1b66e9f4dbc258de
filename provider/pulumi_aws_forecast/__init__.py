"""Amazon Forecast export jobs as Pulumi resources.

from pulumi_aws_forecast import ForecastExportJob, PredictorBacktestExportJob
from pulumi_aws_forecast import ExplainabilityExport, WhatIfForecastExport
from pulumi_aws_forecast import DataDestinationArgs, S3ConfigArgs

The resources are imported on first use of their names, so that the dynamic-provider process,
which unpickles `pulumi_aws_forecast._provider.JobProvider` and never builds a resource, does not
import them (part of every preview's start-up).
"""

from typing import TYPE_CHECKING, Any

# Generated from the catalogue by `make generate` (tools/codegen.py): do not edit the names.
if TYPE_CHECKING:
    from ._generated import (
        DataDestinationArgs,
        DataDestinationArgsDict,
        ExplainabilityExport,
        ExplainabilityExportArgs,
        ExplainabilityExportArgsDict,
        ForecastExportJob,
        ForecastExportJobArgs,
        ForecastExportJobArgsDict,
        PredictorBacktestExportJob,
        PredictorBacktestExportJobArgs,
        PredictorBacktestExportJobArgsDict,
        S3ConfigArgs,
        S3ConfigArgsDict,
        WhatIfForecastExport,
        WhatIfForecastExportArgs,
        WhatIfForecastExportArgsDict,
    )

__all__ = [
    "DataDestinationArgs",
    "DataDestinationArgsDict",
    "ExplainabilityExport",
    "ExplainabilityExportArgs",
    "ExplainabilityExportArgsDict",
    "ForecastExportJob",
    "ForecastExportJobArgs",
    "ForecastExportJobArgsDict",
    "PredictorBacktestExportJob",
    "PredictorBacktestExportJobArgs",
    "PredictorBacktestExportJobArgsDict",
    "S3ConfigArgs",
    "S3ConfigArgsDict",
    "WhatIfForecastExport",
    "WhatIfForecastExportArgs",
    "WhatIfForecastExportArgsDict",
]
# End of the generated names.


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import _generated

        value = getattr(_generated, name)
        globals()[name] = value  # later lookups find it without coming here
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
