"""What the emulator asks of moto: the role, bucket and key an export job uses; and a snapshot.

moto serves S3, IAM, STS and KMS on the emulator's port (see `server.py`) and
keeps their state in this process. When an export job runs, the emulator
looks at that state directly, as Forecast would when it assumes the role and
writes to the bucket:

- the role must exist and its trust policy must let forecast.amazonaws.com
  call sts:AssumeRole, with its conditions on aws:SourceAccount and
  aws:SourceArn met by the job's account and ARN (`_trust_problem`, a small
  evaluator for exactly those keys: moto's own condition evaluation knows only
  StringEquals and ignores every other operator);
- the bucket must exist, and a KMS key, when given, must exist and be enabled;
- the role's permission policies (inline and attached managed ones), evaluated
  by moto's `moto.iam.access_control.IAMPolicy`, must allow s3:ListBucket and
  s3:GetBucketLocation on the bucket, s3:PutObject on every object the job
  writes, and kms:GenerateDataKey and kms:Decrypt on the key.

`role_created` tells when moto created a role, for IAM propagation.

moto keeps no state on disk. With a state file, the emulator copies the
account's S3 buckets and objects and IAM roles into it when it stops cleanly
and recreates them when it starts (`snapshot`, `restore`). KMS keys and
everything else moto holds are not kept.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
import sqlite3
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from forecast_emulator.output import OutputFile

FORECAST_PRINCIPAL = "forecast.amazonaws.com"
#: The start of every message about a role Forecast cannot assume, at Create or when the job runs.
CANNOT_ASSUME = "Amazon Forecast could not assume the IAM role"
#: The moto versions whose `moto.iam.access_control` this module was tested with.
_TESTED_MOTO = ((5, 0), (5, 3))

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


def _role(account: str, region: str, role_arn: str) -> Any:
    from moto.iam.models import iam_backends

    backend = iam_backends[account][partition_of(region)]
    return next((r for r in backend.get_roles() if r.arn == role_arn), None)


def role_created(account: str, region: str, role_arn: str) -> float | None:
    """When moto created the role (wall-clock seconds); -inf if restored from a state file; None if none."""
    role = _role(account, region, role_arn)
    if role is None:
        return None
    if role_arn in _RESTORED_ROLES:
        return -math.inf
    created: datetime.datetime = role.create_date
    if created.tzinfo is None:  # moto keeps naive UTC datetimes
        created = created.replace(tzinfo=datetime.UTC)
    return created.timestamp()


def destination_problem(
    account: str,
    region: str,
    s3_config: Mapping[str, Any],
    *,
    source_arn: str | None = None,
    keys: Sequence[str] = (),
    check_policies: bool = False,
) -> str | None:
    """Why Forecast could not write to this destination, or None when it can.

    `source_arn` is the job's ARN (aws:SourceArn in the trust policy's conditions), `keys` the
    object keys it writes under the destination's folder. With `check_policies`, the trust
    policy's conditions and the role's permission policies are evaluated too."""
    from moto.kms.models import kms_backends
    from moto.s3.models import s3_backends

    partition = partition_of(region)
    role_arn = str(s3_config.get("RoleArn", ""))
    role = _role(account, region, role_arn)
    if role is None:
        return f"{CANNOT_ASSUME} {role_arn}: the role does not exist."
    context = {"aws:sourceaccount": account, "aws:sourcearn": source_arn or ""}
    problem = _trust_problem(role.assume_role_policy_document, context if check_policies else None)
    if problem is not None:
        return f"{CANNOT_ASSUME} {role_arn}: {problem}"
    bucket, prefix = split_s3_path(str(s3_config.get("Path", "")))
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
    if not check_policies:
        return None
    bucket_arn = f"arn:{partition}:s3:::{bucket}"
    checks: list[tuple[str, str, list[str]]] = [
        ("s3:ListBucket", bucket_arn, [bucket_arn]),
        ("s3:GetBucketLocation", bucket_arn, [bucket_arn]),
        ("s3:PutObject", f"{bucket_arn}/{prefix}*", [f"{bucket_arn}/{prefix}{key}" for key in keys]),
    ]
    if key_arn:
        for action in ("kms:GenerateDataKey", "kms:Decrypt"):
            checks.append((action, str(key_arn), [str(key_arn)]))
    documents = _permission_policies(role)
    for action, shown, resources in checks:
        if not all(_allows(documents, action, resource) for resource in resources):
            return access_denied(role_arn, action, shown)
    return None


def access_denied(role_arn: str, action: str, resource: str) -> str:
    """The Message of a job whose role may not do `action` on `resource`."""
    return f"AccessDenied: the role {role_arn} is not allowed to perform {action} on {resource}"


# --- The role's permission policies: moto's evaluation ---------------------------------------------


def _permission_policies(role: Any) -> list[Any]:
    """The role's inline policy documents and attached managed policies, as moto holds them."""
    return [*role.policies.values(), *role.managed_policies.values()]


def _allows(documents: Iterable[Any], action: str, resource: str) -> bool:
    """Whether these policies allow `action` on `resource`: an explicit Deny wins, then any Allow."""
    evaluate = _moto_policy_evaluator()
    if evaluate is None:
        return True
    verdicts = [evaluate(document, action, resource) for document in documents]
    return "DENIED" not in verdicts and "PERMITTED" in verdicts


@functools.cache
def _moto_policy_evaluator() -> Callable[[Any, str, str], str] | None:
    """moto's IAM policy evaluation, as (policy, action, resource) -> PERMITTED, DENIED or NEUTRAL.

    `moto.iam.access_control` is moto's internal module; outside the tested versions this warns, and
    if it is missing or changed, permissions are not evaluated (everything is allowed)."""
    import moto

    version = tuple(int(part) for part in re.findall(r"\d+", moto.__version__)[:2])
    if not _TESTED_MOTO[0] <= version <= _TESTED_MOTO[1]:
        warnings.warn(
            f"forecast-emulator: moto {moto.__version__} is outside the tested versions; "
            "role permissions are evaluated with moto.iam.access_control as if it had not changed",
            stacklevel=2,
        )
    try:
        from moto.iam.access_control import IAMPolicy
    except ImportError:
        warnings.warn(
            "forecast-emulator: moto.iam.access_control.IAMPolicy is missing; role permissions are "
            "not evaluated",
            stacklevel=2,
        )
        return None

    def evaluate(policy: Any, action: str, resource: str) -> str:
        try:
            return str(IAMPolicy(policy).is_action_permitted(action, resource).name)
        except (ValueError, KeyError, TypeError, AttributeError):  # a document moto cannot read
            return "NEUTRAL"

    return evaluate


# --- The trust policy: a small evaluator for forecast.amazonaws.com and its source conditions ------


def _trust_problem(document: Any, context: Mapping[str, str] | None) -> str | None:
    """Why forecast.amazonaws.com may not assume a role with this trust policy, or None.

    `context` holds the condition keys Forecast sends (lower case: aws:sourceaccount,
    aws:sourcearn); None ignores Condition blocks altogether."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            document = json.loads(urllib.parse.unquote(document))
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    allowed = excluded = False
    for statement in statements:
        if not _names_assume_role(statement) or not _names_forecast(statement.get("Principal")):
            continue
        holds = context is None or _conditions_hold(statement.get("Condition") or {}, context)
        if statement.get("Effect") == "Deny" and holds:
            return f"its trust policy denies the service principal {FORECAST_PRINCIPAL} sts:AssumeRole."
        if statement.get("Effect") == "Allow":
            allowed = allowed or holds
            excluded = excluded or not holds
    if allowed:
        return None
    if excluded and context is not None:
        return (
            f"the conditions of its trust policy do not allow {FORECAST_PRINCIPAL} to call sts:AssumeRole "
            f"with aws:SourceAccount {context['aws:sourceaccount']} and aws:SourceArn "
            f"{context['aws:sourcearn']}."
        )
    return (
        f"its trust policy does not allow the service principal {FORECAST_PRINCIPAL} to call sts:AssumeRole."
    )


def _names_assume_role(statement: Mapping[str, Any]) -> bool:
    negated = "NotAction" in statement
    patterns = _strings(statement["NotAction"] if negated else statement.get("Action"))
    named = any(_glob(pattern, "sts:AssumeRole", ignore_case=True) for pattern in patterns)
    return named != negated


def _names_forecast(principal: Any) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    return "*" in _strings(principal.get("AWS")) or FORECAST_PRINCIPAL in _strings(principal.get("Service"))


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value]


def _glob(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's wildcard match: `*` any run of characters, `?` any one character."""
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


#: Condition operators the trust evaluator knows: does the request's value match one of the policy's?
_MATCHES: dict[str, Callable[[str, list[str]], bool]] = {
    "StringEquals": lambda actual, values: actual in values,
    "StringEqualsIgnoreCase": lambda actual, values: actual.lower() in {v.lower() for v in values},
    "StringLike": lambda actual, values: any(_glob(v, actual) for v in values),
    "ArnEquals": lambda actual, values: any(_glob(v, actual) for v in values),
    "ArnLike": lambda actual, values: any(_glob(v, actual) for v in values),
}
#: Negated operators: the opposite of their positive twin; true when the key is absent.
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _conditions_hold(block: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    """Every condition of a Condition block holds (operators not listed above are not evaluated)."""
    for operator, tests in block.items():
        if_exists = operator.endswith("IfExists")
        base = operator.removesuffix("IfExists")
        positive = _NEGATED.get(base, base)
        match = _MATCHES.get(positive)
        if match is None or not isinstance(tests, Mapping):
            continue
        for key, expected in tests.items():
            actual = context.get(str(key).lower())
            if actual is None:
                holds = if_exists or base in _NEGATED
            else:
                found = match(actual, _strings(expected))
                holds = not found if base in _NEGATED else found
            if not holds:
                return False
    return True


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
