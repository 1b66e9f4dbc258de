"""The Pulumi program the end-to-end tests deploy, driven by stack config.

Config: kind (any export resource: ForecastExportJob, ..., WhatIfForecastExport), parentArn
(a JSON list for WhatIfForecastExport), path,
roleArn, and optionally kmsKeyArn, format, name, tags (JSON), adopt, adoptFrom,
createTimeout, count (several jobs: job0, job1, ...), or parentArns (a JSON object: one job of
each kind it names, under its parent, exported as `arns`, `statuses` and `tags_all` keyed by kind).
"""

PROGRAM = """
import json

import pulumi

import pulumi_aws_forecast
from pulumi_aws_forecast.catalog import KINDS

config = pulumi.Config()
kind = config.get("kind") or "ForecastExportJob"
timeouts = pulumi.CustomTimeouts(create=config.get("createTimeout"))
count = config.get_int("count")


def job(logical: str, suffix: str = "", kind: str = kind, parent=None):
    destination = {
        "s3_config": {
            "path": config.require("path") + suffix,
            "role_arn": config.require("roleArn"),
            "kms_key_arn": config.get("kmsKeyArn"),
        }
    }
    common = dict(
        destination=destination,
        format=config.get("format"),
        name=config.get("name"),
        tags=json.loads(config.get("tags") or "null"),
        adopt=config.get_bool("adopt"),
        adopt_from=config.get("adoptFrom"),
        opts=pulumi.ResourceOptions(custom_timeouts=timeouts),
    )
    spec = KINDS[kind]
    if parent is None:
        parent = config.require_object("parentArn") if spec.parent_is_list else config.require("parentArn")
    resource = getattr(pulumi_aws_forecast, kind)
    return resource(logical, **{spec.parent_property: parent}, **common)


parents = config.get_object("parentArns")
if parents is not None:
    every = {k: job(k, f"{k}/", kind=k, parent=p) for k, p in parents.items()}
    pulumi.export("arns", {k: j.arn for k, j in every.items()})
    pulumi.export("statuses", {k: j.status for k, j in every.items()})
    pulumi.export("tags_all", {k: j.tags_all for k, j in every.items()})
elif count is None:
    j = job("job")
    for output in ("arn", "name", "status", "message", "format", "destination", "tags", "tags_all",
                   "creation_time", "last_modification_time"):
        pulumi.export(output, getattr(j, output))
else:
    jobs = [job(f"job{i}", f"job{i}/") for i in range(count)]
    pulumi.export("arns", [j.arn for j in jobs])
"""
