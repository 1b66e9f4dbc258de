"""What an export job does with its destination, as Forecast does: check it, then write its files.

When the job's work starts (it enters CREATE_IN_PROGRESS) Forecast checks the
location and leaves an empty `_CHECK` object at the root of the destination
path (a hands-on write-up of a real forecast export, June 2020: "left when
the export starts, the result of checking that the given location is valid");
it stays there. When the job ends it writes its files, named with the moment
it writes them (`ExportRequest.written`), or fails saying why and writes none.

Forecast assumes the role (it must exist and trust forecast.amazonaws.com),
uses the KMS key if one is given (it must exist and be enabled; objects are
encrypted with it), writes to the bucket (it must exist). With
`check_role_policies`, the trust policy's conditions see the job's account
and ARN (aws:SourceAccount, aws:SourceArn), and the role's permission
policies must allow listing the bucket, putting every object, and using the
key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from forecast_emulator import moto_bridge
from forecast_emulator.output import CHECK, ExportParent, ExportRequest, OutputFile, Writer
from forecast_emulator.series import SeriesData
from forecast_emulator.store import Resource
from forecast_emulator.trust import CANNOT_ASSUME, access_denied, allows, trust_problem
from pulumi_aws_forecast.catalog import DEFAULT_FORMAT

Json = Mapping[str, Any]


def write_check(resource: Resource, check_policies: bool) -> None:
    """The job starts: an empty `_CHECK` at the root of its destination, when Forecast can write it."""
    s3_config = resource.doc["Destination"]["S3Config"]
    if destination_problem(resource, s3_config, [CHECK], check_policies) is None:
        moto_bridge.put_files(resource.account, resource.region, s3_config, [OutputFile(CHECK, b"")])


def write_export(
    resource: Resource,
    writer: Writer,
    written: float,
    find: Callable[[str], Resource | None],
    check_policies: bool,
    data: SeriesData | None = None,
) -> str | None:
    """Write an export's files to its destination at the moment `written`; why it could not, or None.

    `data` is the series the export derives from (`series.of`), None where nothing was imported."""
    parents = []
    for arn in resource.parent_arns:
        parent = find(arn)
        if parent is None:  # parents cannot be deleted while an export runs; this is a safeguard
            return f"The exported resource {arn} no longer exists."
        parents.append(ExportParent(parent.name, parent.arn, parent.doc))
    job = ExportRequest(
        resource.name,
        resource.created,
        resource.doc.get("Format", DEFAULT_FORMAT),
        tuple(parents),
        written=written,
        data=data,
    )
    files = writer(job)
    s3_config = resource.doc["Destination"]["S3Config"]
    problem = destination_problem(resource, s3_config, [file.key for file in files], check_policies)
    if problem is not None:
        return problem
    try:
        moto_bridge.put_files(resource.account, resource.region, s3_config, files)
    except Exception as error:  # moto's errors when a write fails
        return f"Amazon Forecast could not write to {s3_config.get('Path')}: {error}"
    return None


def destination_problem(
    resource: Resource, s3_config: Json, keys: Sequence[str], check_policies: bool
) -> str | None:
    """Why Forecast could not write these objects to the destination, or None when it can."""
    account, region = resource.account, resource.region
    role_arn = str(s3_config.get("RoleArn", ""))
    role = moto_bridge.role(account, region, role_arn)
    if role is None:
        return f"{CANNOT_ASSUME} {role_arn}: the role does not exist."
    context = {"aws:sourceaccount": account, "aws:sourcearn": resource.arn}
    problem = trust_problem(role.trust_policy, context if check_policies else None)
    if problem is not None:
        return f"{CANNOT_ASSUME} {role_arn}: {problem}"
    bucket, prefix = moto_bridge.split_s3_path(str(s3_config.get("Path", "")))
    if not moto_bridge.bucket_exists(account, region, bucket):
        path = s3_config.get("Path")
        return f"Amazon Forecast could not write to {path}: the S3 bucket {bucket} does not exist."
    key_arn = s3_config.get("KMSKeyArn")
    if key_arn:
        key = moto_bridge.kms_key(account, str(key_arn))
        if key is None:
            return f"Amazon Forecast could not use the KMS key {key_arn}: the key does not exist."
        if not key.enabled:
            return f"Amazon Forecast could not use the KMS key {key_arn}: the key is {key.state}."
    if not check_policies:
        return None
    bucket_arn = f"arn:{moto_bridge.partition_of(region)}:s3:::{bucket}"
    checks = [(action, bucket_arn, [bucket_arn]) for action in ("s3:ListBucket", "s3:GetBucketLocation")]
    checks.append(("s3:PutObject", f"{bucket_arn}/{prefix}*", [f"{bucket_arn}/{prefix}{k}" for k in keys]))
    if key_arn:
        key_resource = str(key_arn)
        checks += [
            (action, key_resource, [key_resource]) for action in ("kms:GenerateDataKey", "kms:Decrypt")
        ]
    for action, shown, resources in checks:
        if not all(allows(role.permission_policies, action, arn) for arn in resources):
            return access_denied(role_arn, action, shown)
    return None
