"""Talking to Amazon Forecast: the client, one typed call per operation, and the errors users read.

`connect` turns a job's region into a `Connection` (the client, the kind, the region), once per
lifecycle call; every call here and every wait of `_wait.py` takes it. Each call is one request
(botocore retries throttling and transient errors); `find_job` raises one `NotFound` for a job
that does not exist. Waiting, and retrying what botocore does not, is `_wait.py`'s.

Clients come from the stack's `aws:` configuration (`_aws_config.py`, its sessions in
`_aws_session.py`: profile, shared files, static keys, assumed roles, endpoints, retries), falling
back to the standard boto3 credential chain and endpoint resolution (AWS_PROFILE, AWS_ENDPOINT_URL,
...); one per configuration and region, shared by the process's threads. Nothing here ends up on
the pickled provider or in the state.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from botocore.exceptions import ClientError

from . import _aws_config, _aws_session, _compat
from ._aws_config import AwsConfig
from .catalog import EXPORT_KINDS, ResourceKind

if TYPE_CHECKING:
    from mypy_boto3_forecast import ForecastServiceClient

    ForecastClient: TypeAlias = ForecastServiceClient
else:
    ForecastClient = Any

log = logging.getLogger("pulumi_aws_forecast")

Record = dict[str, Any]


class ForecastError(Exception):
    """An error to show the user as it is (no traceback needed)."""


class NotFound(ForecastError):
    pass


class JobFailed(ForecastError):
    def __init__(self, message: str, status: str, service_message: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.service_message = service_message


class Timeout(ForecastError):
    pass


class QuotaReached(Exception):
    """A create refused with LimitExceededException: the account is at one of its quotas.

    Two quotas refuse a Create with that code: the jobs in progress of a kind (3 by default: a slot
    frees when one finishes, so it is waited out) and the number of jobs of a kind the account may
    hold (1,000 by default: only deleting jobs or raising the quota frees one). AWS's own solution
    (aws-solutions/improving-forecast-accuracy-with-machine-learning, `shared/helpers.py`) tells
    them apart by the message, retrying only when it says "concurrently" ("Quota limit of n
    concurrently creating forecast exports has been reached") and never on "Quota limit of n of
    total number of forecast exports has been reached"; so does `in_progress`.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def in_progress(self) -> bool:
        """Whether this is the jobs-in-progress quota (wait for a slot), not the count quota (fail)."""
        return "concurrently" in self.message.lower()


#: The quota on how many jobs of a kind an account may hold (Service Quotas, service code
#: "forecast"): its code and name. The explainability exports' code is not in any public record.
COUNT_QUOTAS: Mapping[str, tuple[str | None, str]] = {
    "ForecastExportJob": ("L-561FC25E", "Maximum number of forecast export jobs"),
    "PredictorBacktestExportJob": ("L-E1AC300F", "Maximum number of predictor backtest export jobs"),
    "WhatIfForecastExport": ("L-6AD28BD9", "The maximum number of What-if Forecast Exports"),
    "ExplainabilityExport": (None, "Maximum number of explainability exports"),
}


class CountQuotaFull(ForecastError):
    """A Create refused at the count quota (QuotaReached, not in progress): the message names the
    quota and the two ways out."""

    def __init__(self, label: str, kind: ResourceKind, service_message: str) -> None:
        code, name = COUNT_QUOTAS[kind.noun]
        quota = f"Service Quotas code {code}, {name!r}" if code else f"{name!r} in Service Quotas"
        ask = (
            "ask AWS for a higher quota (aws service-quotas request-service-quota-increase --service-code "
            f"forecast --quota-code {code} --desired-value <n>)"
            if code
            else "ask AWS for a higher quota in the Service Quotas console (service Amazon Forecast)"
        )
        super().__init__(
            f"{label}: the account holds as many {kind.label}s as its quota allows ({quota}): "
            f"{service_message.rstrip('.')}. Delete {kind.label}s you no longer need "
            f"(List{kind.plural} shows them), or {ask}, and run `pulumi up` again. Nothing was created."
        )


def error_code(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", ""))
    return ""


def error_message(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Message", "")) or str(error)
    return str(error)


def role_not_usable_yet(error: Exception) -> bool:
    """A Create refused because Forecast cannot assume the role (yet): IAM may still propagate it."""
    message = error_message(error).lower()
    return error_code(error) == "InvalidInputException" and "assume" in message and "role" in message


def access_denied(message: str) -> bool:
    """Whether a job failed for want of a permission (AWS says access was denied, in its own words)."""
    squashed = message.replace(" ", "").lower()
    return any(word in squashed for word in ("accessdenied", "notauthorized", "notallowed"))


def as_forecast_error(label: str, error: ClientError) -> ForecastError:
    """An AWS error as the user should read it: what, the service's code, its message."""
    return ForecastError(f"{label}: {error_code(error)}: {error_message(error)}")


@functools.cache
def _botocore() -> tuple[Any, Any]:
    """(loader, config) for this process's clients, made on the first client.

    boto3 and botocore's session take ~150 ms to import: a preview, which makes no AWS call,
    never pays it. The loader holds botocore's parsed service models (JSON data only: no client,
    session or credential). Throttling and transient errors are retried by botocore's standard mode.
    """
    from botocore.config import Config
    from botocore.loaders import create_loader

    config = Config(
        retries={"mode": "standard", "max_attempts": 12},
        user_agent_extra="pulumi-aws-forecast",
        connect_timeout=10,
        read_timeout=60,
        # A client is shared by every waiting thread of the process: keep their connections.
        max_pool_connections=64,
    )
    return create_loader(), config


_CLIENTS: dict[tuple[object, ...], ForecastClient] = {}
_SESSIONS: dict[tuple[object, ...], Any] = {}
#: The configuration of a stack that sets no `aws:` key: the standard chain alone.
_NO_CONFIG = AwsConfig.from_mapping({})
_CLIENTS_LOCK = threading.Lock()
#: The environment that decides which endpoint and credentials a client uses.
_CLIENT_ENVIRONMENT = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_FORECAST", "AWS_PROFILE", "AWS_ACCESS_KEY_ID")


def client(region: str, config: AwsConfig | None = None) -> ForecastClient:
    """The Forecast client for `region` under the stack's `aws:` configuration, shared by every
    thread of this process.

    One boto3 session per configuration (its credentials: static keys, profile or the standard
    chain, then the assumed roles); its caller is checked once per process against
    aws:allowedAccountIds/forbiddenAccountIds (one sts:GetCallerIdentity, none with
    aws:skipCredentialsValidation). Missing credentials, a refused role or a caller in a refused
    account raise a ForecastError that says what to set, without botocore's traceback.

    boto3's clients are thread-safe; making one costs about 40 ms of CPU, which a hundred jobs
    starting together in one provider process would pay a hundred times. The client lives in
    this process only (the provider object, which Pulumi pickles, never holds it) and resolves
    credentials through the standard chain, refreshing them as they expire.

    botocore's standard retries treat LimitExceededException as throttling and retry it
    silently with a backoff of up to 20 s. On the export Create operations that refusal means
    "wait for a free slot", which the provider does itself, visibly and up to the create
    timeout: the client raises QuotaReached instead of retrying it.
    """
    aws_config = config if config is not None else _NO_CONFIG
    environment = tuple(os.environ.get(name, "") for name in _CLIENT_ENVIRONMENT)
    key = (aws_config, region, *environment)
    with _CLIENTS_LOCK:
        found = _CLIENTS.get(key)
        if found is None:
            try:
                session = _session(aws_config, environment)
                _aws_session.verify_caller(aws_config, session)
                found = _aws_session.client(
                    aws_config,
                    "forecast",
                    region_name=region,
                    boto_session=session,
                    botocore_config=_botocore()[1],
                )
            except (
                _aws_config.CredentialsNotFound,
                _aws_config.AssumeRoleFailed,
                _aws_config.AccountNotAllowed,
            ) as error:
                raise ForecastError(str(error)) from None
            for kind in EXPORT_KINDS:
                _compat.raise_instead_of_retrying(
                    found, kind.create_operation, "LimitExceededException", QuotaReached
                )
            _CLIENTS[key] = found
        return found


def _session(config: AwsConfig, environment: tuple[str, ...]) -> Any:
    """The boto3 session of `config` (one per configuration and environment; `_CLIENTS_LOCK` held)."""
    key = (config, *environment)
    found = _SESSIONS.get(key)
    if found is None:
        import botocore.session

        core = botocore.session.Session()
        core.register_component("data_loader", _botocore()[0])
        found = _SESSIONS[key] = _aws_session.session(config, botocore_session=core)
    return found


@dataclass(frozen=True)
class _JobApi:
    """The typed boto3 calls for one export kind."""

    create: Callable[[ForecastClient, dict[str, Any]], str]
    describe: Callable[[ForecastClient, str], Mapping[str, Any]]
    delete: Callable[[ForecastClient, str], object]
    list: Callable[[ForecastClient, dict[str, Any]], Mapping[str, Any]]


_JOB_API: Mapping[str, _JobApi] = {
    "ForecastExportJob": _JobApi(
        create=lambda c, r: c.create_forecast_export_job(**r)["ForecastExportJobArn"],
        describe=lambda c, arn: c.describe_forecast_export_job(ForecastExportJobArn=arn),
        delete=lambda c, arn: c.delete_forecast_export_job(ForecastExportJobArn=arn),
        list=lambda c, r: c.list_forecast_export_jobs(**r),
    ),
    "PredictorBacktestExportJob": _JobApi(
        create=lambda c, r: c.create_predictor_backtest_export_job(**r)["PredictorBacktestExportJobArn"],
        describe=lambda c, arn: c.describe_predictor_backtest_export_job(PredictorBacktestExportJobArn=arn),
        delete=lambda c, arn: c.delete_predictor_backtest_export_job(PredictorBacktestExportJobArn=arn),
        list=lambda c, r: c.list_predictor_backtest_export_jobs(**r),
    ),
    "ExplainabilityExport": _JobApi(
        create=lambda c, r: c.create_explainability_export(**r)["ExplainabilityExportArn"],
        describe=lambda c, arn: c.describe_explainability_export(ExplainabilityExportArn=arn),
        delete=lambda c, arn: c.delete_explainability_export(ExplainabilityExportArn=arn),
        list=lambda c, r: c.list_explainability_exports(**r),
    ),
    "WhatIfForecastExport": _JobApi(
        create=lambda c, r: c.create_what_if_forecast_export(**r)["WhatIfForecastExportArn"],
        describe=lambda c, arn: c.describe_what_if_forecast_export(WhatIfForecastExportArn=arn),
        delete=lambda c, arn: c.delete_what_if_forecast_export(WhatIfForecastExportArn=arn),
        list=lambda c, r: c.list_what_if_forecast_exports(**r),
    ),
}


@dataclass(frozen=True)
class Connection:
    """The export jobs of one kind in one region, through the client the stack's configuration makes:
    what every call below, and every wait of `_wait.py`, takes."""

    client: ForecastClient
    kind: ResourceKind
    region: str


def connect(kind: ResourceKind, region: str | None, config: AwsConfig | None, parent: str) -> Connection:
    """The connection to the jobs of `kind` in `region` (the job's, from its ARN or its parent's);
    `parent`: the parent property as the user writes it, for the error when there is no region."""
    if region is None:
        raise ForecastError(f"{kind.noun}: cannot tell the region from {parent}")
    return Connection(client(region, config), kind, region)


def list_page(forecast: Connection, request: dict[str, Any]) -> dict[str, Any]:
    """One List<Kind>s call (a page)."""
    return dict(_JOB_API[forecast.kind.noun].list(forecast.client, request))


def create_job(forecast: Connection, request: dict[str, Any]) -> str:
    """Send the kind's Create request; the new job's ARN."""
    return _JOB_API[forecast.kind.noun].create(forecast.client, request)


def delete_job(forecast: Connection, arn: str) -> None:
    _JOB_API[forecast.kind.noun].delete(forecast.client, arn)


def stop_job(forecast: Connection, arn: str) -> None:
    forecast.client.stop_resource(ResourceArn=arn)


def find_job(forecast: Connection, arn: str) -> Record:
    """The job's Describe record; NotFound when there is no such job."""
    kind = forecast.kind
    try:
        record: Record = dict(_JOB_API[kind.noun].describe(forecast.client, arn))
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            raise NotFound(f"{kind.noun} {arn} does not exist") from error
        raise
    return record


def list_tags(forecast: Connection, arn: str) -> dict[str, str]:
    tags = forecast.client.list_tags_for_resource(ResourceArn=arn).get("Tags", [])
    return {str(t["Key"]): str(t["Value"]) for t in tags}


def set_tags(forecast: Connection, arn: str, current: dict[str, str], desired: dict[str, str]) -> None:
    """Make the job's tags `desired`, sending exactly the difference from `current`."""
    removed = sorted(set(current) - set(desired))
    changed = {k: v for k, v in desired.items() if current.get(k) != v}
    if removed:
        forecast.client.untag_resource(ResourceArn=arn, TagKeys=removed)
    if changed:
        forecast.client.tag_resource(
            ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in sorted(changed.items())]
        )
