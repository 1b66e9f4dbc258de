"""N forecast export jobs through the provider plugin (`aws-forecast`), over its Python SDK.

The same stack as tests/e2e/program.py's with `count` (jobs job0, job1, ... of one forecast, each
under its own prefix of `path`), through the other front door: the SDK (sdk/python, package
`pulumi_aws_forecast_sdk`) registers `aws-forecast:forecast:ForecastExportJob` resources, which the
CLI serves with `pulumi-resource-aws-forecast` found on PATH (the virtualenv's bin).
"""

import pulumi
import pulumi_aws_forecast_sdk as aws_forecast

config = pulumi.Config()
jobs = [
    aws_forecast.forecast.ForecastExportJob(
        f"job{i}",
        forecast_arn=config.require("parentArn"),
        destination={
            "s3_config": {"path": config.require("path") + f"job{i}/", "role_arn": config.require("roleArn")}
        },
    )
    for i in range(config.require_int("count"))
]
pulumi.export("arns", [job.arn for job in jobs])
