"""The stack's `aws:` configuration, as pulumi-aws documents it, turned into a boto3 session.

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

Sessions and clients (boto3 imported on first use):

    aws = session(config, *, botocore_session=None) -> boto3.Session
    forecast = client(config, "forecast", *, region_name=None, boto_session=aws, botocore_config=None)
    account = verify_caller(config, aws) -> str | None  # one sts:GetCallerIdentity per process+config
    caller_identity(config, aws) -> {"Account", "Arn", "UserId"}
    endpoint_url(config, service) -> str | None; client_config(config, base) -> botocore Config
    region(config) -> str | None

`session` raises CredentialsNotFound (where it looked, what to set) when no source credentials
are found; roles are assumed on first use, and a refusal raises AssumeRoleFailed naming the
entry (`aws:assumeRoles[1]`) and the role. `verify_caller` returns None with
`aws:skipCredentialsValidation`, else checks the caller's account with `check_account`.

Credentials, in pulumi-aws's order (provider configuration, then the environment, then the
shared files): `aws:accessKey`/`aws:secretKey`/`aws:token`; else the `aws:profile` from
`aws:sharedCredentialsFiles`/`aws:sharedConfigFiles` (an explicit profile overrides
AWS_ACCESS_KEY_ID, as in pulumi-aws since v4); else botocore's standard chain (environment,
AWS_PROFILE, the shared files, SSO, web identity, container and instance metadata). Several
shared files are read as one, later files over earlier ones. Then each of `aws:assumeRoles` is
assumed in turn through STS with the previous credentials, as botocore's refreshable
assume-role credentials (renewed before they expire). The `sts` entry of `aws:endpoints` (and
`aws:stsRegion`) is used for AssumeRole and GetCallerIdentity; `client(config, service)` uses the
service's entry, else boto3's own AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL. `aws:maxRetries`
sets botocore's retries (max_attempts: retries after the first try; mode `aws:retryMode`, else
standard); without it the caller's `botocore_config` retries stay.

Nothing here writes credentials anywhere: secret values (`aws:accessKey`, `aws:secretKey`,
`aws:token`, and assumed roles' external IDs) are left out of reprs and error messages.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import boto3
    import botocore.session
    from botocore.config import Config as BotocoreConfig
    from botocore.credentials import Credentials


class AwsConfigError(ValueError):
    """A configuration value that breaks pulumi-aws's rules; the message names the key and the rule."""


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
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ROLE_ARN = re.compile(r"^arn:[a-z0-9-]+:iam::\d{12}:role/.+$")
#: STS's RoleSessionName: 2 to 64 of letters, digits and +=,.@_-
_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$", re.ASCII)
_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_GO_DURATION_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
#: STS limits on a role session (pulumi-aws: "between 15 minutes and 12 hours").
MIN_ROLE_SECONDS = 15 * 60
MAX_ROLE_SECONDS = 12 * 3600
#: The session name when an assumed role has none (botocore and the Go SDK add a timestamp too).
SESSION_NAME_PREFIX = "pulumi-aws-forecast"
#: Aliases pulumi-aws accepts in `aws:endpoints` for the services we call (first wins).
_ENDPOINT_ALIASES = {"forecast": ("forecast", "forecastservice"), "sts": ("sts",)}
_USED_ENDPOINTS = frozenset(name for names in _ENDPOINT_ALIASES.values() for name in names)
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


# --- Values as the CLI hands them over, or already parsed ---------------------------------------


def _structured(key: str, value: Any, kind: type, example: str) -> Any:
    """A list or object: JSON text (what the CLI hands a dynamic provider) or the value itself."""
    if isinstance(value, str):
        text = value
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, list | dict):  # not JSON, or a JSON scalar: a plain `config set`
            raise AwsConfigError(
                f"{key} must be {_kind_name(kind)} (JSON text such as {example}); got a plain string "
                f"{json.dumps(text)}"
            )
    if kind is list and isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, kind):
        raise AwsConfigError(f"{key} must be {_kind_name(kind)} such as {example}; got {_shown(value)}")
    return value


def _kind_name(kind: type) -> str:
    return "a list" if kind is list else "an object"


def _shown(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return type(value).__name__


def _string(key: str, value: Any, *, secret: bool = False) -> str:
    if isinstance(value, str):
        return value
    if secret:  # never show a secret, even a mistyped one
        raise AwsConfigError(f"{key} must be a string; got a {type(value).__name__}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value)
    raise AwsConfigError(f"{key} must be a string; got {_shown(value)}")


def _number_text(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _optional_string(key: str, value: Any, *, secret: bool = False) -> str | None:
    if value is None:
        return None
    text = _string(key, value, secret=secret)
    return text or None  # pulumi-aws treats an empty setting as unset


def _bool(key: str, value: Any) -> bool:
    """true/false as YAML, JSON or Go's strconv.ParseBool (which the pulumi-aws bridge uses) spell it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text in ("1", "t", "T", "true", "True", "TRUE"):
            return True
        if text in ("0", "f", "F", "false", "False", "FALSE"):
            return False
    raise AwsConfigError(f"{key} must be true or false; got {_shown(value)}")


def _int(key: str, value: Any, *, minimum: int = 0) -> int:
    """A whole number: 3, "3", or 3.0 (integers may arrive as floats)."""
    number: float | int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip()) if value.strip() else None
        except ValueError:
            number = None
    if number is None or not float(number).is_integer():
        raise AwsConfigError(f"{key} must be a whole number; got {_shown(value)}")
    if number < minimum:
        raise AwsConfigError(f"{key} must be at least {minimum}; got {_number_text(number)}")
    return int(number)


def _strings(key: str, value: Any, example: str) -> tuple[str, ...]:
    items = _structured(key, value, list, example)
    return tuple(_string(f"{key}[{i}]", item) for i, item in enumerate(items))


def _string_map(key: str, value: Any, example: str) -> Mapping[str, str]:
    items = _structured(key, value, dict, example)
    result: dict[str, str] = {}
    for name, item in items.items():
        if isinstance(item, bool):
            result[str(name)] = "true" if item else "false"
        else:
            result[str(name)] = _string(f"{key}[{json.dumps(str(name))}]", item)
    return MappingProxyType(result)


def _fields(key: str, value: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise AwsConfigError(
            f"{key} has no field {', '.join(json.dumps(u) for u in unknown)}; "
            f"its fields are {', '.join(allowed)}"
        )


def _account_ids(key: str, value: Any) -> tuple[str, ...]:
    items = _structured(key, value, list, '["123456789012"]')
    ids: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, int) and not isinstance(item, bool):
            # An unquoted ID in YAML (or `config set --path`) arrives as a number, losing leading zeros.
            item = f"{item:012d}"
        text = _string(f"{key}[{i}]", item).strip()
        if not _ACCOUNT_ID.match(text):
            raise AwsConfigError(f"{key}[{i}] must be a 12-digit AWS account ID; got {_shown(item)}")
        ids.append(text)
    return tuple(ids)


def _go_duration_seconds(key: str, value: Any) -> int:
    """A Go duration ("1h", "15m", "1h30m", "3600s"), as pulumi-aws's `duration`, in whole seconds."""
    text = _string(key, value).strip()
    parts = _GO_DURATION_PART.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise AwsConfigError(
            f'{key} must be a duration such as "1h" or "15m" (units ns, us, ms, s, m, h); got {_shown(value)}'
        )
    return int(sum(float(number) * _GO_DURATION_UNITS[unit] for number, unit in parts))


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


def _paths(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(os.path.expanduser(p) for p in _strings(key, value, '["~/.aws/credentials"]') if p)


def _endpoints(key: str, value: Any) -> Mapping[str, str]:
    """`aws:endpoints`: a list of objects of service -> URL (pulumi-aws's form); one object is taken too.

    Only the entries we use are checked (forecast, its alias forecastservice, sts): the others
    are pulumi-aws's business, and a stack it accepts must not fail here.
    """
    if value is None:
        return MappingProxyType({})
    if isinstance(value, str) and value.lstrip().startswith("{"):
        value = [_structured(key, value, dict, '[{"forecast": "http://localhost:4566"}]')]
    items = _structured(
        key, [value] if isinstance(value, dict) else value, list, '[{"forecast": "http://..."}]'
    )
    result: dict[str, str] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise AwsConfigError(f'{key}[{i}] must be an object such as {{"forecast": "http://..."}}')
        for service, url in item.items():
            if service not in _USED_ENDPOINTS:
                if isinstance(url, str) and url:
                    result.setdefault(str(service), url)
                continue
            url = _optional_string(f"{key}[{i}].{service}", url)
            if url is None:
                continue
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]", url):
                raise AwsConfigError(
                    f"{key}[{i}].{service} must be a URL such as http://localhost:4566; got {_shown(url)}"
                )
            result.setdefault(str(service), url)
    return MappingProxyType(result)


def _default_tags(key: str, value: Any) -> Mapping[str, str]:
    if value is None:
        return MappingProxyType({})
    block = _structured(key, value, dict, '{"tags": {"team": "data"}}')
    _fields(key, block, ("tags",))
    return _string_map(f"{key}.tags", block.get("tags") or {}, '{"team": "data"}')


def _ignore_tags(key: str, value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    block = _structured(key, value, dict, '{"keys": ["owner"], "keyPrefixes": ["aws:"]}')
    _fields(key, block, ("keys", "keyPrefixes"))
    keys = _strings(f"{key}.keys", block.get("keys") or [], '["owner"]')
    prefixes = _strings(f"{key}.keyPrefixes", block.get("keyPrefixes") or [], '["ops:"]')
    return tuple(k for k in keys if k), tuple(p for p in prefixes if p)


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


# --- Sessions, clients and the caller's account --------------------------------------------------


def region(config: AwsConfig) -> str | None:
    """`aws:region`, else AWS_REGION / AWS_DEFAULT_REGION (pulumi-aws's fallbacks).

    None leaves the region to botocore (the profile's `region`)."""
    return config.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None


def endpoint_url(config: AwsConfig, service: str) -> str | None:
    """The service's `aws:endpoints` entry; None lets boto3 apply AWS_ENDPOINT_URL(_<SERVICE>) or AWS's."""
    for name in _ENDPOINT_ALIASES.get(service, (service,)):
        if name in config.endpoints:
            return config.endpoints[name]
    return None


def client_config(config: AwsConfig, base: BotocoreConfig | None = None) -> BotocoreConfig:
    """botocore's Config for our clients: `base` with the retries `aws:maxRetries`/`aws:retryMode` ask for."""
    from botocore.config import Config

    retries: Any = {}  # botocore's _RetryDict
    if config.max_retries is not None:
        retries["max_attempts"] = config.max_retries
    if config.retry_mode is not None or config.max_retries is not None:
        retries["mode"] = config.retry_mode or "standard"
    ours = Config(retries=retries) if retries else Config()
    return base.merge(ours) if base is not None else ours


def session(config: AwsConfig, *, botocore_session: botocore.session.Session | None = None) -> boto3.Session:
    """A boto3 Session with the configured credentials (static keys, profile or the standard chain,
    then the assume-role chain) and region.

    `botocore_session` lets the caller bring a fresh one of its own (e.g. with a shared data
    loader); its profile, shared files and credential provider are set here. Raises
    CredentialsNotFound when no source credentials are found; the roles are assumed on first use
    (AssumeRoleFailed if STS refuses).
    """
    import boto3
    import botocore.session
    from botocore.credentials import CredentialProvider, CredentialResolver
    from botocore.exceptions import BotoCoreError

    core = botocore_session if botocore_session is not None else botocore.session.Session()
    if config.profile is not None:
        core.set_config_variable("profile", config.profile)  # explicit: it overrides AWS_ACCESS_KEY_ID
    if config.shared_credentials_files:
        core.set_config_variable("credentials_file", config.shared_credentials_files[0])
    if config.shared_config_files:
        core.set_config_variable("config_file", config.shared_config_files[0])

    try:
        credentials = _source_credentials(core, config)
        region_name = region(config) or core.get_config_variable("region")
    except BotoCoreError as error:
        raise CredentialsNotFound(_not_found_message(config, core, error)) from None
    if credentials is None:
        raise CredentialsNotFound(_not_found_message(config, core, None))

    final: Credentials = credentials
    for index, role in enumerate(config.assume_roles):
        final = _assumed(core, config, region_name, final, index, role)

    class _Configured(CredentialProvider):
        METHOD = "pulumi-aws-config"
        CANONICAL_NAME = "pulumi-aws-config"

        def load(self) -> Credentials:
            return final

    core.register_component("credential_provider", CredentialResolver([_Configured()]))
    return boto3.session.Session(botocore_session=core, region_name=region_name)


def client(
    config: AwsConfig,
    service: str,
    *,
    region_name: str | None = None,
    boto_session: boto3.Session | None = None,
    botocore_config: BotocoreConfig | None = None,
) -> Any:
    """A client for `service` with the configured credentials, endpoint and retries.

    `boto_session` reuses a session from `session(config)` (each call of `session` resolves the
    credentials again); `botocore_config` is merged under the retries `aws:maxRetries` sets.
    Raises AwsConfigError when no region is known (`region_name`, `aws:region`, AWS_REGION,
    AWS_DEFAULT_REGION, the profile's `region`).
    """
    aws = boto_session if boto_session is not None else session(config)
    name = region_name or aws.region_name
    if not name:
        raise AwsConfigError(
            f"No AWS region for {service}: set {config.key('region')} "
            f"(pulumi config set {config.key('region')} us-east-1), AWS_REGION, or the profile's region"
        )
    return aws.client(
        service,  # type: ignore[call-overload]
        region_name=name,
        endpoint_url=endpoint_url(config, service),
        config=client_config(config, botocore_config),
    )


_CALLERS: dict[AwsConfig, str] = {}
_CALLERS_LOCK = threading.Lock()


def verify_caller(config: AwsConfig, boto_session: boto3.Session) -> str | None:
    """The caller's account, checked against the allowed/forbidden accounts; None when skipped.

    One sts:GetCallerIdentity per process and configuration (it also proves the credentials and
    assumes the roles); none with `aws:skipCredentialsValidation`. Raises AccountNotAllowed,
    AssumeRoleFailed, or CredentialsNotFound when AWS refuses the credentials.
    """
    if config.skip_credentials_validation:
        return None
    with _CALLERS_LOCK:
        account = _CALLERS.get(config)
        if account is None:
            account = caller_identity(config, boto_session)["Account"]
            _CALLERS[config] = account
    check_account(config, account, "the account of the credentials, from sts:GetCallerIdentity")
    return account


def caller_identity(config: AwsConfig, boto_session: boto3.Session) -> dict[str, str]:
    """sts:GetCallerIdentity with the session's credentials, at the configured `sts` endpoint."""
    from botocore.exceptions import ClientError

    sts = boto_session.client(
        "sts",
        region_name=config.sts_region or boto_session.region_name or "us-east-1",
        endpoint_url=endpoint_url(config, "sts"),
        config=client_config(config),
    )
    try:
        identity = sts.get_caller_identity()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        raise CredentialsNotFound(
            f"AWS refused the credentials found ({_source_text(config)}): {code}: {message}"
        ) from None
    return {
        "Account": str(identity["Account"]),
        "Arn": str(identity["Arn"]),
        "UserId": str(identity["UserId"]),
    }


def _source_credentials(core: botocore.session.Session, config: AwsConfig) -> Credentials | None:
    from botocore.credentials import Credentials

    if config.access_key is not None and config.secret_key is not None:
        return Credentials(config.access_key, config.secret_key, config.token, method="pulumi-config")
    resolved: Credentials | None = _resolver(core, config).load_credentials()
    return resolved


def _assumed(
    core: botocore.session.Session,
    config: AwsConfig,
    region_name: str | None,
    source: Credentials,
    index: int,
    role: AssumeRole,
) -> Credentials:
    """Credentials for `role`, assumed with `source`: botocore's refreshable assume-role credentials."""
    from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials
    from botocore.exceptions import BotoCoreError, ClientError

    def sts_client(service: str, **credentials: Any) -> Any:
        return core.create_client(
            service,
            region_name=config.sts_region or region_name or "us-east-1",
            endpoint_url=endpoint_url(config, "sts"),
            config=client_config(config),
            **credentials,
        )

    fetcher = AssumeRoleCredentialFetcher(
        client_creator=sts_client,
        source_credentials=source,
        role_arn=role.role_arn,
        extra_args=role.request(),
    )
    entry = role.key or f"{config.key('assumeRoles')}[{index}]"

    def fetch() -> dict[str, Any]:
        try:
            result: dict[str, Any] = fetcher.fetch_credentials()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            message = error.response.get("Error", {}).get("Message", "")
            raise AssumeRoleFailed(f"{entry}: could not assume {role.role_arn}: {code}: {message}") from None
        except BotoCoreError as error:
            raise AssumeRoleFailed(f"{entry}: could not assume {role.role_arn}: {error}") from None
        return result

    return DeferredRefreshableCredentials(refresh_using=fetch, method="assume-role")


def _resolver(core: botocore.session.Session, config: AwsConfig) -> Any:
    """botocore's standard credential chain for the session; several shared files read as one."""
    from botocore.credentials import create_credential_resolver

    merged = _merge_shared_files(core, config)
    resolver = create_credential_resolver(core, region_name=region(config))
    if merged is not None:
        _read_merged_files(core, config, resolver, *merged)
    return resolver


def _merge_shared_files(
    core: botocore.session.Session, config: AwsConfig
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]] | None:
    """Several shared files: their profiles merged, later files over earlier ones.

    Returns (credentials file profiles, full config) after making the full config the session's
    (what Session.full_config caches: the profiles that every setting and the assume-role, SSO
    and process providers read); None with at most one file of each kind.
    """
    from botocore.configloader import load_config, raw_config_parse

    if len(config.shared_credentials_files) < 2 and len(config.shared_config_files) < 2:
        return None

    credential_files = config.shared_credentials_files or (core.get_config_variable("credentials_file"),)
    config_files = config.shared_config_files or (core.get_config_variable("config_file"),)
    credential_profiles: dict[str, dict[str, Any]] = {}
    for path in credential_files:
        for name, values in raw_config_parse(path).items():
            credential_profiles.setdefault(name, {}).update(values)
    full: dict[str, Any] = {"profiles": {}}
    for path in config_files:
        loaded = load_config(path)
        for name, values in loaded.get("profiles", {}).items():
            full["profiles"].setdefault(name, {}).update(values)
        for section, values in loaded.items():
            if section != "profiles":
                full.setdefault(section, {}).update(values)
    for name, values in credential_profiles.items():
        full["profiles"].setdefault(name, {}).update(values)
    core._config = full  # type: ignore[attr-defined]
    return credential_profiles, full


def _read_merged_files(
    core: botocore.session.Session,
    config: AwsConfig,
    resolver: Any,
    credential_profiles: dict[str, dict[str, Any]],
    full: dict[str, Any],
) -> None:
    """The chain's shared-file providers read the merged profiles instead of their one file."""
    from botocore.credentials import ConfigProvider, SharedCredentialProvider

    credential_files = config.shared_credentials_files or (core.get_config_variable("credentials_file"),)
    config_files = config.shared_config_files or (core.get_config_variable("config_file"),)
    profile = core.get_config_variable("profile") or "default"
    for i, provider in enumerate(resolver.providers):
        if provider.METHOD == SharedCredentialProvider.METHOD:
            resolver.providers[i] = SharedCredentialProvider(
                credential_files[0], profile, ini_parser=lambda _path: credential_profiles
            )
        elif provider.METHOD == ConfigProvider.METHOD:
            resolver.providers[i] = ConfigProvider(config_files[0], profile, config_parser=lambda _path: full)


def _files(config: AwsConfig, core: botocore.session.Session, name: str, configured: tuple[str, ...]) -> str:
    if configured:
        return ", ".join(configured)
    try:
        return str(os.path.expanduser(core.get_config_variable(name)))
    except Exception:  # an unreadable setting must not hide the message about credentials
        return f"the default {name}"


def _source_text(config: AwsConfig) -> str:
    if config.has_static_keys:
        return f"{config.key('accessKey')} and {config.key('secretKey')}"
    if config.profile is not None:
        return f"{config.key('profile')} {json.dumps(config.profile)}"
    return "the standard AWS credential chain"


def _not_found_message(config: AwsConfig, core: botocore.session.Session, error: Exception | None) -> str:
    """Where we looked for credentials and what to set: never a bare "Unable to locate credentials"."""
    credentials_files = _files(config, core, "credentials_file", config.shared_credentials_files)
    config_files = _files(config, core, "config_file", config.shared_config_files)
    reason = f" ({error})" if error is not None else ""
    if config.profile is not None:
        looked = (
            f"the profile {json.dumps(config.profile)} set by {config.key('profile')}, in the shared "
            f"credentials files [{credentials_files}] and the shared config files [{config_files}]{reason}"
        )
    else:
        env_profile = os.environ.get("AWS_PROFILE")
        profile = (
            f"the profile {json.dumps(env_profile)} from AWS_PROFILE"
            if env_profile
            else "the default profile"
        )
        looked = (
            "the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE, "
            f"AWS_CONTAINER_CREDENTIALS_*), {profile} in the shared credentials files [{credentials_files}] "
            f"and the shared config files [{config_files}], and the container and EC2 instance metadata "
            f"endpoints{reason}"
        )
    return (
        f"No AWS credentials found. Looked in {looked}. Set {config.key('profile')} to a profile with "
        f"credentials (and {config.key('sharedCredentialsFiles')} / {config.key('sharedConfigFiles')} if its "
        f"files are elsewhere), or {config.key('accessKey')} and {config.key('secretKey')} "
        f"(pulumi config set --secret), or the environment variables AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY; `aws configure` or `aws sso login` write the shared files."
    )
