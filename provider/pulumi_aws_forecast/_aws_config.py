"""The stack's `aws:` configuration, as pulumi-aws documents it: parsed and checked.

A pulumi-aws user's stack already says how to reach AWS: `aws:region`, `aws:profile`, assumed
roles, allowed accounts, endpoints, default and ignored tags. This module reads those settings
with pulumi-aws's names and meanings, so our jobs run as the stack's pulumi-aws resources do.
The provider plugin reuses it for its own provider inputs (prefix "").

Parsing (no AWS call, no botocore import; safe at preview):

    config = AwsConfig.from_mapping(req.config)                   # in a dynamic provider's configure()
    config = AwsConfig.from_mapping({"profile": "x"}, prefix="")  # already parsed, no `aws:`

`AwsConfig.from_mapping(values, prefix="aws:") -> AwsConfig` looks up each key as
`values.get(prefix + name)`: a plain mapping or the `pulumi.dynamic.Config` that `configure()`
receives. A dynamic provider gets every value as a string (JSON text for lists and objects, with
YAML's numbers and booleans inside as JSON numbers and booleans; "true"/"false" and numbers as
text for scalars); already-parsed Python values are taken as they are. Unset and "" mean the
default; other namespaces and `aws:` keys not read here are ignored. A bad value raises
`AwsConfigError` (a ValueError) whose message names the key and the rule. `AwsConfig` is frozen
and hashable (a cache key for clients); its repr never shows a secret.

Guards (pure, no AWS call):

    check_account(config, account_id, where) -> None  # AccountNotAllowed naming account and key
    account_of_arn(arn) -> str | None                 # the account field of an ARN
    ignored(config, tag_key) -> bool                  # aws:ignoreTags: keys exact, keyPrefixes prefix
    without_ignored(config, tags) -> dict[str, str]   # the tags minus the ignored ones
    config.default_tags                               # aws:defaultTags' tags

Sessions, clients and the caller's account (`session`, `client`, `verify_caller`, ...) are in
`_aws_session.py`; the value parsers and AwsConfigError (re-exported here) in `_config_values.py`.


Nothing here writes credentials anywhere: secret values (`aws:accessKey`, `aws:secretKey`,
`aws:token`, and assumed roles' external IDs) are left out of reprs and error messages.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Protocol

from ._config_values import (
    _ACCOUNT_ID,
    _account_ids,
    _bool,
    _default_tags,
    _endpoints,
    _fields,
    _go_duration_seconds,
    _ignore_tags,
    _int,
    _optional_string,
    _paths,
    _shown,
    _string_map,
    _strings,
    _structured,
)
from ._config_values import AwsConfigError as AwsConfigError


class CredentialsNotFound(Exception):
    """No credentials: the message says where we looked and what to set."""


class AssumeRoleFailed(Exception):
    """STS refused one of `aws:assumeRoles`; the message names the entry and the role."""


class AccountNotAllowed(Exception):
    """An account that `aws:allowedAccountIds` / `aws:forbiddenAccountIds` refuses."""


class _Lookup(Protocol):
    def get(self, key: str, /) -> Any: ...


#: The keys read here, pulumi-aws's names (without the `aws:` namespace).
KEYS = (
    "region",
    "stsRegion",
    "profile",
    "sharedCredentialsFiles",
    "sharedConfigFiles",
    "accessKey",
    "secretKey",
    "token",
    "assumeRoles",
    "assumeRole",
    "allowedAccountIds",
    "forbiddenAccountIds",
    "endpoints",
    "skipCredentialsValidation",
    "maxRetries",
    "retryMode",
    "defaultTags",
    "ignoreTags",
)
_SECRET_KEYS = frozenset({"accessKey", "secretKey", "token"})
_ROLE_ARN = re.compile(r"^arn:[a-z0-9-]+:iam::\d{12}:role/.+$")
#: STS's RoleSessionName: 2 to 64 of letters, digits and +=,.@_-
_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$", re.ASCII)
#: STS limits on a role session (pulumi-aws: "between 15 minutes and 12 hours").
MIN_ROLE_SECONDS = 15 * 60
MAX_ROLE_SECONDS = 12 * 3600
#: The session name when an assumed role has none (botocore and the Go SDK add a timestamp too).
SESSION_NAME_PREFIX = "pulumi-aws-forecast"
#: Fields of an `aws:assumeRoles` entry: pulumi-aws's name -> our attribute.
_ROLE_FIELDS = {
    "roleArn": "role_arn",
    "sessionName": "session_name",
    "externalId": "external_id",
    "duration": "duration",
    "durationSeconds": "duration_seconds",
    "policy": "policy",
    "policyArns": "policy_arns",
    "sourceIdentity": "source_identity",
    "tags": "tags",
    "transitiveTagKeys": "transitive_tag_keys",
}


# --- The parsed configuration --------------------------------------------------------------------


@dataclass(frozen=True)
class AssumeRole:
    """One entry of `aws:assumeRoles` (or the older single `aws:assumeRole`)."""

    role_arn: str
    session_name: str | None = None
    external_id: str | None = field(default=None, repr=False)
    duration_seconds: int | None = None
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    source_identity: str | None = None
    tags: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    transitive_tag_keys: tuple[str, ...] = ()
    #: Where it was configured (`aws:assumeRoles[0]`, `aws:assumeRole`), for messages.
    key: str = field(default="", compare=False, repr=False)

    def __hash__(self) -> int:
        return hash(
            (self.role_arn, self.session_name, self.duration_seconds, tuple(sorted(self.tags.items())))
        )

    @classmethod
    def parse(cls, key: str, value: Any) -> AssumeRole:
        entry = _structured(key, value, dict, '{"roleArn": "arn:aws:iam::123456789012:role/deploy"}')
        _fields(key, entry, _ROLE_FIELDS)
        role_arn = _optional_string(f"{key}.roleArn", entry.get("roleArn"))
        if role_arn is None:
            raise AwsConfigError(f"{key}.roleArn is required: the ARN of the IAM role to assume")
        if not _ROLE_ARN.match(role_arn):
            raise AwsConfigError(
                f"{key}.roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); "
                f"got {_shown(role_arn)}"
            )
        session_name = _optional_string(f"{key}.sessionName", entry.get("sessionName"))
        if session_name is not None and not _SESSION_NAME.match(session_name):
            raise AwsConfigError(
                f"{key}.sessionName must be 2 to 64 letters, digits or +=,.@_- (STS's rule); "
                f"got {_shown(session_name)}"
            )
        seconds: int | None = None
        if entry.get("duration") not in (None, ""):
            seconds = _go_duration_seconds(f"{key}.duration", entry["duration"])
            where = f"{key}.duration"
        elif entry.get("durationSeconds") not in (None, ""):
            seconds = _int(f"{key}.durationSeconds", entry["durationSeconds"])
            where = f"{key}.durationSeconds"
        if seconds is not None and not MIN_ROLE_SECONDS <= seconds <= MAX_ROLE_SECONDS:
            raise AwsConfigError(f"{where} must be between 15 minutes and 12 hours; got {seconds} seconds")
        policy = entry.get("policy")
        if isinstance(policy, dict | list):  # YAML written by hand may hold the policy document itself
            policy = json.dumps(policy)
        return cls(
            role_arn=role_arn,
            session_name=session_name,
            external_id=_optional_string(f"{key}.externalId", entry.get("externalId"), secret=True),
            duration_seconds=seconds,
            policy=_optional_string(f"{key}.policy", policy),
            policy_arns=_strings(f"{key}.policyArns", entry.get("policyArns") or [], '["arn:..."]'),
            source_identity=_optional_string(f"{key}.sourceIdentity", entry.get("sourceIdentity")),
            tags=_string_map(f"{key}.tags", entry.get("tags") or {}, '{"team": "data"}'),
            transitive_tag_keys=_strings(
                f"{key}.transitiveTagKeys", entry.get("transitiveTagKeys") or [], '["team"]'
            ),
            key=key,
        )

    def request(self) -> dict[str, Any]:
        """The AssumeRole request's members besides RoleArn."""
        request: dict[str, Any] = {
            "RoleSessionName": self.session_name or f"{SESSION_NAME_PREFIX}-{int(time.time())}"
        }
        if self.external_id is not None:
            request["ExternalId"] = self.external_id
        if self.duration_seconds is not None:
            request["DurationSeconds"] = self.duration_seconds
        if self.policy is not None:
            request["Policy"] = self.policy
        if self.policy_arns:
            request["PolicyArns"] = [{"arn": arn} for arn in self.policy_arns]
        if self.source_identity is not None:
            request["SourceIdentity"] = self.source_identity
        if self.tags:
            request["Tags"] = [{"Key": k, "Value": v} for k, v in self.tags.items()]
        if self.transitive_tag_keys:
            request["TransitiveTagKeys"] = list(self.transitive_tag_keys)
        return request


@dataclass(frozen=True)
class AwsConfig:
    """The stack's `aws:` settings this package honours (pulumi-aws's meanings).

    Frozen and hashable: one value per configuration, usable as a cache key. Secrets are not in
    its repr or str; `source` says which namespace the values came from, for messages.
    """

    region: str | None = None
    sts_region: str | None = None
    profile: str | None = None
    shared_credentials_files: tuple[str, ...] = ()
    shared_config_files: tuple[str, ...] = ()
    access_key: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    assume_roles: tuple[AssumeRole, ...] = ()
    allowed_account_ids: tuple[str, ...] = ()
    forbidden_account_ids: tuple[str, ...] = ()
    endpoints: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    skip_credentials_validation: bool = False
    max_retries: int | None = None
    retry_mode: str | None = None
    default_tags: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    ignore_tag_keys: tuple[str, ...] = ()
    ignore_tag_key_prefixes: tuple[str, ...] = ()
    prefix: str = "aws:"

    def __hash__(self) -> int:
        return hash(
            tuple(
                tuple(sorted(value.items())) if isinstance(value, Mapping) else value
                for value in (getattr(self, f.name) for f in fields(self))
            )
        )

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("access_key", "secret_key", "token"):
                shown.append(f"{f.name}={'<secret>' if value is not None else None}")
            else:
                shown.append(f"{f.name}={dict(value) if isinstance(value, Mapping) else value!r}")
        return f"AwsConfig({', '.join(shown)})"

    __str__ = __repr__

    @property
    def has_static_keys(self) -> bool:
        return self.access_key is not None

    def key(self, name: str) -> str:
        """A setting's name as the user wrote it: `aws:profile`."""
        return f"{self.prefix}{name}"

    @classmethod
    def from_mapping(cls, values: _Lookup | Mapping[str, Any], prefix: str = "aws:") -> AwsConfig:
        """Parse the settings found as `values.get(prefix + name)`; unset and empty mean default.

        `values` is a mapping or anything with `get` (the `pulumi.dynamic.Config` that a dynamic
        provider's `configure()` receives). Raises AwsConfigError for a value that breaks a rule.
        """

        def get(name: str) -> Any:
            value = values.get(prefix + name)
            return None if value is None or value == "" else value

        def key(name: str) -> str:
            return prefix + name

        def text(name: str) -> str | None:
            return _optional_string(key(name), get(name), secret=name in _SECRET_KEYS)

        access_key, secret_key, token = text("accessKey"), text("secretKey"), text("token")
        if (access_key is None) != (secret_key is None):
            given, missing = ("accessKey", "secretKey") if access_key else ("secretKey", "accessKey")
            raise AwsConfigError(
                f"{key(given)} is set but {key(missing)} is not: static credentials need both "
                f"(pulumi config set --secret {key(missing)} ...)"
            )
        if token is not None and access_key is None:
            raise AwsConfigError(
                f"{key('token')} is set without {key('accessKey')} and {key('secretKey')}: "
                "a session token goes with the keys it was issued with"
            )

        roles: list[AssumeRole] = []
        if get("assumeRoles") is not None:
            items = _structured(key("assumeRoles"), get("assumeRoles"), list, '[{"roleArn": "arn:..."}]')
            roles = [AssumeRole.parse(f"{key('assumeRoles')}[{i}]", item) for i, item in enumerate(items)]
        if get("assumeRole") is not None:
            if roles:
                raise AwsConfigError(
                    f"{key('assumeRole')} and {key('assumeRoles')} are both set: use {key('assumeRoles')} "
                    "(a list; the older single assumeRole is its one-entry form)"
                )
            roles = [AssumeRole.parse(key("assumeRole"), get("assumeRole"))]

        allowed = _account_ids(key("allowedAccountIds"), get("allowedAccountIds") or [])
        forbidden = _account_ids(key("forbiddenAccountIds"), get("forbiddenAccountIds") or [])
        if allowed and forbidden:
            raise AwsConfigError(
                f"{key('allowedAccountIds')} and {key('forbiddenAccountIds')} conflict: set one of them"
            )

        retry_mode = text("retryMode")
        if retry_mode is not None and retry_mode not in ("standard", "adaptive"):
            raise AwsConfigError(f"{key('retryMode')} must be standard or adaptive; got {_shown(retry_mode)}")

        ignore_keys, ignore_prefixes = _ignore_tags(key("ignoreTags"), get("ignoreTags"))
        return cls(
            region=text("region"),
            sts_region=text("stsRegion"),
            profile=text("profile"),
            shared_credentials_files=_paths(key("sharedCredentialsFiles"), get("sharedCredentialsFiles")),
            shared_config_files=_paths(key("sharedConfigFiles"), get("sharedConfigFiles")),
            access_key=access_key,
            secret_key=secret_key,
            token=token,
            assume_roles=tuple(roles),
            allowed_account_ids=allowed,
            forbidden_account_ids=forbidden,
            endpoints=_endpoints(key("endpoints"), get("endpoints")),
            skip_credentials_validation=(
                _bool(key("skipCredentialsValidation"), get("skipCredentialsValidation"))
                if get("skipCredentialsValidation") is not None
                else False
            ),
            max_retries=_int(key("maxRetries"), get("maxRetries")) if get("maxRetries") is not None else None,
            retry_mode=retry_mode,
            default_tags=_default_tags(key("defaultTags"), get("defaultTags")),
            ignore_tag_keys=ignore_keys,
            ignore_tag_key_prefixes=ignore_prefixes,
            prefix=prefix,
        )


# --- Guards (no AWS call) ------------------------------------------------------------------------


def account_of_arn(arn: str) -> str | None:
    """The account field of an ARN (arn:partition:service:region:account:resource), if it has one."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and _ACCOUNT_ID.match(parts[4]):
        return parts[4]
    return None


def check_account(config: AwsConfig, account_id: str, where: str) -> None:
    """Refuse an account that `aws:allowedAccountIds` leaves out or `aws:forbiddenAccountIds` names.

    `where` says where the account comes from ("the forecast's ARN arn:aws:...", "the caller's
    identity"); it is part of the message. Raises AccountNotAllowed.
    """
    if config.allowed_account_ids and account_id not in config.allowed_account_ids:
        raise AccountNotAllowed(
            f"AWS account {account_id} ({where}) is not in {config.key('allowedAccountIds')} "
            f"{json.dumps(list(config.allowed_account_ids))}: nothing was done in it"
        )
    if account_id in config.forbidden_account_ids:
        raise AccountNotAllowed(
            f"AWS account {account_id} ({where}) is in {config.key('forbiddenAccountIds')} "
            f"{json.dumps(list(config.forbidden_account_ids))}: nothing was done in it"
        )


def ignored(config: AwsConfig, tag_key: str) -> bool:
    """Whether `aws:ignoreTags` leaves this tag alone: a key in `keys`, or starting with a `keyPrefixes` one.

    pulumi-aws neither shows such a tag in diffs nor removes it."""
    return tag_key in config.ignore_tag_keys or any(
        tag_key.startswith(p) for p in config.ignore_tag_key_prefixes
    )


def without_ignored(config: AwsConfig, tags: Mapping[str, str]) -> dict[str, str]:
    """The tags `aws:ignoreTags` does not ignore."""
    return {k: v for k, v in tags.items() if not ignored(config, k)}
