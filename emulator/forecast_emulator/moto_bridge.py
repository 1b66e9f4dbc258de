"""The emulator's bridge to moto: what an export reads and writes of S3, IAM and KMS; a snapshot.

moto serves S3, IAM, STS and KMS on the emulator's port (see `server.py`) and
keeps their state in this process. When an export job runs, the backend
(`models.py`) asks here what Forecast would find: the role (its trust and
permission policy documents, for `trust.py`, and when it was created, for IAM
propagation), whether the bucket exists, the KMS key's state; then it writes
the export's files with `put_files`. The rules about them are the backend's.

moto keeps no state on disk. With a state file, the emulator copies the
account's S3 buckets and objects and IAM roles into it when it stops cleanly
and recreates them when it starts (`snapshot`, `restore`). KMS keys and
everything else moto holds are not kept. `reset` forgets all of moto's state.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import math
import sqlite3
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forecast_emulator.output import OutputFile

#: ARNs of roles recreated from a state file: they existed before, so they count as propagated.
_RESTORED_ROLES: set[str] = set()


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


@dataclass(frozen=True)
class Role:
    """What Forecast would find of an IAM role."""

    arn: str
    #: The trust policy document, as moto holds it (JSON, maybe URL-encoded).
    trust_policy: Any
    #: The inline policy documents and attached managed policies, as moto holds them.
    permission_policies: list[Any]
    #: When moto created it (wall-clock seconds); -inf if restored from a state file.
    created: float


@dataclass(frozen=True)
class Key:
    """What Forecast would find of a KMS key."""

    enabled: bool
    state: str


def role(account: str, region: str, role_arn: str) -> Role | None:
    """The role `role_arn` in the account, or None if there is none."""
    from moto.iam.models import iam_backends

    backend = iam_backends[account][partition_of(region)]
    found = next((r for r in backend.get_roles() if r.arn == role_arn), None)
    if found is None:
        return None
    created: datetime.datetime = found.create_date
    if created.tzinfo is None:  # moto keeps naive UTC datetimes
        created = created.replace(tzinfo=datetime.UTC)
    return Role(
        arn=role_arn,
        trust_policy=found.assume_role_policy_document,
        permission_policies=[*found.policies.values(), *found.managed_policies.values()],
        created=-math.inf if role_arn in _RESTORED_ROLES else created.timestamp(),
    )


def bucket_exists(account: str, region: str, bucket: str) -> bool:
    """Whether the S3 bucket exists, in the account or (S3 bucket names are global) another one."""
    from moto.s3.models import s3_backends

    return (
        bucket in s3_backends[account][partition_of(region)].buckets or bucket in s3_backends.bucket_accounts
    )


def kms_key(account: str, key_arn: str) -> Key | None:
    """The KMS key `key_arn` (in the region its ARN names), or None if there is none."""
    from moto.kms.models import kms_backends

    key_region = key_arn.split(":")[3]
    key_id = key_arn.rsplit("/", 1)[-1]
    key = kms_backends[account][key_region].keys.get(key_id)
    return Key(bool(key.enabled), str(key.key_state)) if key is not None else None


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
        role = iam.create_role(name, trust_policy, path, None, description or "", [], None)
        _RESTORED_ROLES.add(role.arn)
        for policy_name, document in json.loads(policies).items():
            iam.put_role_policy(name, policy_name, document)


def reset() -> None:
    """Forget every S3 bucket, IAM role, KMS key (all moto state of this process)."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    _RESTORED_ROLES.clear()


def read_objects(account: str, region: str, path: str) -> list[bytes]:
    """The non-empty objects an import path names: the object itself, or every object under the prefix.

    As Forecast reads a path (DG dataset-import-guidelines-troubleshooting): a CSV file, or all the
    files under a folder or bucket (up to 10,000). A bucket that does not exist holds nothing."""
    from moto.s3.models import s3_backends

    rest = path[len("s3://") :] if path.startswith("s3://") else path
    bucket_name, _, key = rest.partition("/")
    bucket = s3_backends[account][partition_of(region)].buckets.get(bucket_name)
    if bucket is None:
        return []
    exact = bucket.keys.get(key) if key else None
    if exact is not None:
        return [exact.value] if exact.value else []
    folder = key if not key or key.endswith("/") else key + "/"
    names = sorted(name for name in bucket.keys if name.startswith(folder) and not name.endswith("/"))
    bodies = [bucket.keys.get(name).value for name in names[:10_000]]
    return [body for body in bodies if body]


#: The moto releases whose IAM backend `load_managed_policies` patches (the emulator's declared range).
_MOTO_PATCHED = ((5, 1), (6, 0))


@functools.cache
def load_managed_policies() -> None:
    """AWS managed policies (AmazonForecastFullAccess, AmazonS3FullAccess, ...) exist in every account.

    moto has them and loads them into each new IAM backend when asked (what
    MOTO_IAM_LOAD_MANAGED_POLICIES=true does), building about 1,600 policies each time: half a
    second, at every `reset`. Within the tested moto releases, they are built once per account and
    region here, and each new backend gets its own copies (attachment counts, tags and versions are
    per backend): the one place the emulator leans on moto's internals (`IAMBackend._init_aws_policies`).
    Outside them, or when that method is gone, one warning says so and moto builds them itself."""
    from importlib.metadata import version

    from moto.core.config import default_user_config
    from moto.iam import models

    default_user_config["iam"]["load_aws_managed_policies"] = True
    moto = version("moto")
    release = tuple(int(part) for part in moto.split(".")[:2] if part.isdigit())
    build = getattr(models.IAMBackend, "_init_aws_policies", None)
    if build is None or not _MOTO_PATCHED[0] <= release < _MOTO_PATCHED[1]:
        warnings.warn(
            f"forecast-emulator is not tested with moto {moto}: AWS managed policies are built anew "
            "for every IAM backend (a slower reset)",
            stacklevel=2,
        )
        return
    built: dict[tuple[str, str], list[Any]] = {}

    def init_aws_policies(backend: Any) -> list[Any]:
        key = (backend.account_id, backend.region_name)
        if key not in built:
            built[key] = build(backend)
        return [_copy_policy(policy) for policy in built[key]]

    models.IAMBackend._init_aws_policies = init_aws_policies  # type: ignore[method-assign, assignment]


def _copy_policy(policy: Any) -> Any:
    fresh = copy.copy(policy)
    fresh.tags = dict(policy.tags)
    fresh.versions = [copy.copy(version) for version in policy.versions]
    return fresh
