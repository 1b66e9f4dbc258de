"""The baseline: the minimal dynamic provider a user would write, deployed as a stack's __main__.py.

It creates the job, polls Describe at a fixed interval until ACTIVE, and deletes it; no
quota handling, no backoff, the SDK's provider thread pool as it is. Its config: parentArn,
path, roleArn, count.
"""

import time
from typing import Any

import boto3
import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider

POLL_SECONDS = 2.0


class NaiveExportJob(ResourceProvider):
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        region = props["forecast_arn"].split(":")[3]
        forecast = boto3.client("forecast", region_name=region)
        arn = forecast.create_forecast_export_job(
            ForecastExportJobName=props["name"],
            ForecastArn=props["forecast_arn"],
            Destination={"S3Config": {"Path": props["path"], "RoleArn": props["role_arn"]}},
        )["ForecastExportJobArn"]
        while True:
            status = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"]
            if status == "ACTIVE":
                return CreateResult(str(arn), dict(props))
            if status not in ("CREATE_PENDING", "CREATE_IN_PROGRESS"):
                raise Exception(f"{arn} ended {status}")
            time.sleep(POLL_SECONDS)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        forecast = boto3.client("forecast", region_name=id_.split(":")[3])
        forecast.delete_forecast_export_job(ForecastExportJobArn=id_)
        while True:
            try:
                forecast.describe_forecast_export_job(ForecastExportJobArn=id_)
            except forecast.exceptions.ResourceNotFoundException:
                return
            time.sleep(POLL_SECONDS)


class Job(Resource):
    def __init__(self, name: str, props: dict[str, Any]) -> None:
        super().__init__(NaiveExportJob(), name, props)


config = pulumi.Config()
for i in range(config.require_int("count")):
    Job(
        f"job{i}",
        {
            "name": f"naive_{i}",
            "forecast_arn": config.require("parentArn"),
            "path": config.require("path") + f"job{i}/",
            "role_arn": config.require("roleArn"),
        },
    )
