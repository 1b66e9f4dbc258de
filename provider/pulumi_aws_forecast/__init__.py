"""Amazon Forecast export jobs as Pulumi resources.

from pulumi_aws_forecast import ForecastExportJob, PredictorBacktestExportJob
from pulumi_aws_forecast import DataDestinationArgs, S3ConfigArgs
"""

from ._resources import DataDestinationArgs, ForecastExportJob, PredictorBacktestExportJob, S3ConfigArgs

__all__ = ["DataDestinationArgs", "ForecastExportJob", "PredictorBacktestExportJob", "S3ConfigArgs"]
