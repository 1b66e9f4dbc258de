"""Sessions, clients and the caller's account for the stack's `aws:` configuration.

The configuration is an `AwsConfig` (`_aws_config.py`: parsing and guards, no AWS call).

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

Nothing here writes credentials anywhere: secret values are left out of error messages.
"""

from __future__ import annotations

import json
import os
import threading
from typing import TYPE_CHECKING, Any

from ._aws_config import AssumeRoleFailed, AwsConfig, CredentialsNotFound, check_account
from ._config_values import _ENDPOINT_ALIASES, AwsConfigError

if TYPE_CHECKING:
    import boto3
    import botocore.session
    from botocore.config import Config as BotocoreConfig
    from botocore.credentials import Credentials

    from ._aws_config import AssumeRole


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
