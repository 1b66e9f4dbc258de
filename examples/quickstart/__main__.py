"""The quickstart stack: one export job of each of Amazon Forecast's four kinds.

`make demo` seeds the upstream chain (dataset group, dataset, import, predictor,
forecast, explainability, what-if analysis and forecast) in the local emulator
and sets this stack's config to point at it:

    forecastArn, predictorArn, explainabilityArn, whatIfForecastArn   the parents
    bucket, roleArn             where the exports go and the role Forecast uses
"""

import pulumi

from pulumi_aws_forecast import (
    DataDestinationArgs,
    ExplainabilityExport,
    ForecastExportJob,
    ForecastExportJobArgs,
    PredictorBacktestExportJob,
    PredictorBacktestExportJobArgsDict,
    S3ConfigArgs,
    WhatIfForecastExport,
)

config = pulumi.Config()
bucket = config.require("bucket")
role_arn = config.require("roleArn")

# The three call shapes pulumi-aws's classes take: an Args class (positional), ...
forecast_export = ForecastExportJob(
    "daily",
    ForecastExportJobArgs(
        forecast_arn=config.require("forecastArn"),
        destination=DataDestinationArgs(
            s3_config=S3ConfigArgs(path=f"s3://{bucket}/forecasts/daily/", role_arn=role_arn),
        ),
        format="CSV",
        tags={"team": "demand", "purpose": "quickstart"},
    ),
)

# ... its dict form (an ArgsDict, type-checked like the class) ...
backtest_args: PredictorBacktestExportJobArgsDict = {
    "predictor_arn": config.require("predictorArn"),
    "destination": {"s3_config": {"path": f"s3://{bucket}/backtests/", "role_arn": role_arn}},
    "format": "PARQUET",
    "tags": {"team": "demand"},
}
backtest_export = PredictorBacktestExportJob("backtest", backtest_args)

# ... and keyword arguments.

explainability_export = ExplainabilityExport(
    "impacts",
    explainability_arn=config.require("explainabilityArn"),
    destination={"s3_config": {"path": f"s3://{bucket}/explainability/", "role_arn": role_arn}},
    tags={"team": "demand"},
)

what_if_export = WhatIfForecastExport(
    "scenarios",
    what_if_forecast_arns=[config.require("whatIfForecastArn")],
    destination={"s3_config": {"path": f"s3://{bucket}/what-if/", "role_arn": role_arn}},
    tags={"team": "demand"},
)

pulumi.export("forecast_export_arn", forecast_export.arn)
pulumi.export("forecast_export_status", forecast_export.status)
pulumi.export("forecast_export_path", forecast_export.destination["s3_config"]["path"])
pulumi.export("backtest_export_arn", backtest_export.arn)
pulumi.export("backtest_export_status", backtest_export.status)
pulumi.export("backtest_export_path", backtest_export.destination["s3_config"]["path"])
pulumi.export("explainability_export_arn", explainability_export.arn)
pulumi.export("explainability_export_status", explainability_export.status)
pulumi.export("what_if_export_arn", what_if_export.arn)
pulumi.export("what_if_export_status", what_if_export.status)
