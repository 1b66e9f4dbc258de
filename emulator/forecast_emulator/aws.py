"""What the emulator asks of moto: the role, bucket and key an export job uses; and a snapshot.

moto serves S3, IAM, STS and KMS on the emulator's port (see `server.py`) and
keeps their state in this process. When an export job runs, the emulator
looks at that state directly, as Forecast would when it assumes the role and
writes to the bucket: the role must exist and trust forecast.amazonaws.com,
the bucket must exist, and a KMS key, when given, must exist and be enabled.

moto keeps no state on disk. With a state file, the emulator copies the
account's S3 buckets and objects and IAM roles into it when it stops cleanly
and recreates them when it starts (`snapshot`, `restore`). KMS keys and
everything else moto holds are not kept.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

from forecast_emulator.output import OutputFile

FORECAST_PRINCIPAL = "forecast.amazonaws.com"


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def split_s3_path(path: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix/"); the prefix is a folder."""
    rest = path[len("s3://") :] if path.startswith("s3://") else path
    bucket, _, prefix = rest.partition("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return bucket, prefix


def destination_problem(account: str, region: str, s3_config: Mapping[str, Any]) -> str | None:
    """Why Forecast could not write to this destination, or None when it can."""
    from moto.iam.models import iam_backends
    from moto.kms.models import kms_backends
    from moto.s3.models import s3_backends

    partition = partition_of(region)
    role_arn = str(s3_config.get("RoleArn", ""))
    role = next((r for r in iam_backends[account][partition].get_roles() if r.arn == role_arn), None)
    if role is None:
        return f"Amazon Forecast could not assume the IAM role {role_arn}: the role does not exist."
    if not _trusts_forecast(role.assume_role_policy_document):
        return (
            f"Amazon Forecast could not assume the IAM role {role_arn}: its trust policy does not "
            f"allow the service principal {FORECAST_PRINCIPAL} to call sts:AssumeRole."
        )
    bucket, _ = split_s3_path(str(s3_config.get("Path", "")))
    if bucket not in s3_backends[account][partition].buckets and bucket not in s3_backends.bucket_accounts:
        path = s3_config.get("Path")
        return f"Amazon Forecast could not write to {path}: the S3 bucket {bucket} does not exist."
    key_arn = s3_config.get("KMSKeyArn")
    if key_arn:
        key_region = str(key_arn).split(":")[3]
        key_id = str(key_arn).rsplit("/", 1)[-1]
        key = kms_backends[account][key_region].keys.get(key_id)
        if key is None:
            return f"Amazon Forecast could not use the KMS key {key_arn}: the key does not exist."
        if not key.enabled:
            return f"Amazon Forecast could not use the KMS key {key_arn}: the key is {key.key_state}."
    return None


def _trusts_forecast(document: Any) -> bool:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            document = json.loads(urllib.parse.unquote(document))
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if statement.get("Effect") != "Allow" or not {"sts:AssumeRole", "sts:*", "*"} & set(actions):
            continue
        principal = statement.get("Principal", {})
        if principal == "*":
            return True
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = [services] if isinstance(services, str) else services
        if FORECAST_PRINCIPAL in services:
            return True
    return False


def put_files(account: str, region: str, s3_config: Mapping[str, Any], files: Sequence[OutputFile]) -> None:
    """Write an export's files under its destination path (encrypted with its KMS key, if any)."""
    from moto.s3.models import s3_backends

    backend = s3_backends[account][partition_of(region)]
    bucket, prefix = split_s3_path(str(s3_config["Path"]))
    key_arn = s3_config.get("KMSKeyArn")
    for file in files:
        if key_arn:
            backend.put_object(bucket, prefix + file.key, file.body, encryption="aws:kms", kms_key_id=key_arn)
        else:
            backend.put_object(bucket, prefix + file.key, file.body)


# --- Surviving a restart ---------------------------------------------------------------------------

_SNAPSHOT_SCHEMA = """
CREATE TABLE IF NOT EXISTS s3_buckets (name TEXT PRIMARY KEY, region TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS s3_objects (
    bucket TEXT NOT NULL, key TEXT NOT NULL, body BLOB NOT NULL, encryption TEXT, kms_key_id TEXT,
    PRIMARY KEY (bucket, key)
);
CREATE TABLE IF NOT EXISTS iam_roles (
    name TEXT PRIMARY KEY, path TEXT NOT NULL, trust_policy TEXT NOT NULL, description TEXT,
    policies TEXT NOT NULL
);
"""


def snapshot(db: sqlite3.Connection, account: str) -> None:
    """Copy the account's S3 buckets and objects and IAM roles (with inline policies) into `db`."""
    from moto.iam.models import iam_backends
    from moto.s3.models import s3_backends

    s3 = s3_backends[account]["aws"]
    db.executescript(_SNAPSHOT_SCHEMA)
    db.execute("BEGIN")
    try:
        for table in ("s3_buckets", "s3_objects", "iam_roles"):
            db.execute(f"DELETE FROM {table}")
        for bucket in list(s3.buckets.values()):
            db.execute("INSERT INTO s3_buckets VALUES (?, ?)", (bucket.name, bucket.region_name))
            for key in list(bucket.keys.values()):
                if hasattr(key, "value"):  # not a delete marker
                    db.execute(
                        "INSERT INTO s3_objects VALUES (?, ?, ?, ?, ?)",
                        (bucket.name, key.name, key.value, key.encryption, key.kms_key_id),
                    )
        for role in list(iam_backends[account]["aws"].roles.values()):
            db.execute(
                "INSERT INTO iam_roles VALUES (?, ?, ?, ?, ?)",
                (
                    role.name,
                    role.path,
                    role.assume_role_policy_document,
                    role.description,
                    json.dumps(role.policies),
                ),
            )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def restore(db: sqlite3.Connection, account: str) -> None:
    """Recreate what `snapshot` saved (buckets, objects, roles that do not exist yet)."""
    from moto.iam.models import iam_backends
    from moto.s3.models import s3_backends

    s3 = s3_backends[account]["aws"]
    iam = iam_backends[account]["aws"]
    db.executescript(_SNAPSHOT_SCHEMA)
    for name, region in db.execute("SELECT name, region FROM s3_buckets").fetchall():
        if name not in s3_backends.bucket_accounts:
            s3.create_bucket(name, region)
    rows = db.execute("SELECT bucket, key, body, encryption, kms_key_id FROM s3_objects").fetchall()
    for bucket, key, body, encryption, kms_key_id in rows:
        s3.put_object(bucket, key, bytes(body), encryption=encryption, kms_key_id=kms_key_id)
    existing = {role.name for role in iam.roles.values()}
    rows = db.execute("SELECT name, path, trust_policy, description, policies FROM iam_roles").fetchall()
    for name, path, trust_policy, description, policies in rows:
        if name in existing:
            continue
        iam.create_role(name, trust_policy, path, None, description or "", [], None)
        for policy_name, document in json.loads(policies).items():
            iam.put_role_policy(name, policy_name, document)


def reset() -> None:
    """Forget every S3 bucket, IAM role, KMS key (all moto state of this process)."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
