"""Amazon Forecast export jobs as Pulumi resources.

from pulumi_aws_forecast import ForecastExportJob, PredictorBacktestExportJob
from pulumi_aws_forecast import ExplainabilityExport, WhatIfForecastExport
from pulumi_aws_forecast import DataDestinationArgs, S3ConfigArgs
"""

from ._generated import (
    DataDestinationArgs,
    ExplainabilityExport,
    ExplainabilityExportArgs,
    ForecastExportJob,
    ForecastExportJobArgs,
    PredictorBacktestExportJob,
    PredictorBacktestExportJobArgs,
    S3ConfigArgs,
    WhatIfForecastExport,
    WhatIfForecastExportArgs,
)

__all__ = [
    "DataDestinationArgs",
    "ExplainabilityExport",
    "ExplainabilityExportArgs",
    "ForecastExportJob",
    "ForecastExportJobArgs",
    "PredictorBacktestExportJob",
    "PredictorBacktestExportJobArgs",
    "S3ConfigArgs",
    "WhatIfForecastExport",
    "WhatIfForecastExportArgs",
]
