"""N forecast export jobs through the provider plugin (`aws-forecast`), from a Python program.

The same stack as tests/e2e/program.py's with `count` (jobs job0, job1, ... of one forecast, each
under its own prefix of `path`), through the other front door: `aws-forecast:forecast:
ForecastExportJob` resources, which the CLI serves with `pulumi-resource-aws-forecast`, found on
PATH (the virtualenv's bin). The program registers them as the plugin's Python SDK (sdk/python)
does, a `pulumi.CustomResource` of that type with the schema's property names, without importing
the SDK: .venv does not install it, and the SDK reads its version from its installed metadata.
"""

import pulumi

config = pulumi.Config()
path, role_arn = config.require("path"), config.require("roleArn")
jobs = [
    pulumi.CustomResource(
        "aws-forecast:forecast:ForecastExportJob",
        f"job{i}",
        {
            "forecastArn": config.require("parentArn"),
            "destination": {"s3Config": {"path": f"{path}job{i}/", "roleArn": role_arn}},
        },
    )
    for i in range(config.require_int("count"))
]
pulumi.export("arns", [job.id for job in jobs])
