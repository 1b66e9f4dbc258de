"""The lifecycle of an export job, written once for every kind: create, read, update, delete.

Plain data in and out (property dicts, `Job`, `Read`): nothing here knows Pulumi's interfaces, so
the dynamic provider (`_provider.py`), and later a provider plugin, are thin front doors over it.
What to create and how properties look is `_plan.py`'s (pure); the calls to Forecast are
`_aws.py`'s; every wait and retry is `_wait.py`'s.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from . import _aws, _plan, _wait
from ._plan import OWNER_TAG, Job
from .catalog import DELETING, ResourceKind
from .rules import parse_arn

log = logging.getLogger("pulumi_aws_forecast")


def log_to_stderr() -> None:
    """The lifecycle's warnings go to stderr, which the engine shows as the resource's diagnostics."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


@dataclass
class Timeouts:
    create: float = 2 * 3600.0
    update: float = 300.0
    delete: float = 3600.0


def parse_duration(text: str) -> float:
    """Seconds in a Go-style duration as Pulumi's customTimeouts take it: "2h", "1h30m", "45s", "90m"."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(h|ms|m|s)", text.strip())
    if not parts or "".join(n + u for n, u in parts) != text.strip():
        raise ValueError(f"invalid duration {text!r}: use forms like 2h, 30m, 1h30m, 45s")
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(n) * scale[u] for n, u in parts)


@dataclass(frozen=True)
class Read:
    """What refresh found: the job's id ("" when it is gone), its outputs, and its live inputs."""

    id: str
    outputs: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)


class ExportLifecycle:
    """Create, read, update and delete the export jobs of one kind for one owner."""

    def __init__(self, plan: _plan.Planner, timeouts: Timeouts, tuning: _wait.Tuning) -> None:
        self.plan, self.kind, self.timeouts, self.tuning = plan, plan.kind, timeouts, tuning
        self.clock = tuning.clock

    # Create: start the job (or adopt it), wait until ACTIVE, set its tags; on failure leave nothing.
    def create(self, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        job = self.plan.job(props)
        deadline = self.clock.now() + self.timeouts.create
        forecast = self._client(job.region)
        try:
            arn = self._start(forecast, job, deadline)
            record = self._wait_active(forecast, job, arn, deadline)
            tags = self.plan.shown(_aws.list_tags(forecast, arn))  # aws:ignoreTags' stay as they are
            if tags != self.plan.shown(job.tags_all):  # adopted: bring its tags to the declared ones
                _aws.set_tags(forecast, arn, tags, job.tags_all)
                tags = job.tags_all
        except ClientError as error:
            raise _aws.as_forecast_error(job.label, error) from None
        return arn, self.plan.outputs(job.inputs, record, tags)

    def _start(self, forecast: _aws.ForecastClient, job: Job, deadline: float) -> str:
        """Send the Create request, waiting for a free slot while the account is at its quota, and
        for the role to become usable while IAM propagates a new one."""

        def create() -> str:
            return _wait.retry(
                lambda: _aws.create_job(forecast, self.kind, job.request),
                retryable=_role_not_usable_yet,
                until=min(self.clock.now() + self.tuning.iam_propagation_seconds, deadline),
                tuning=self.tuning,
                announce=lambda error, delay: log.warning(
                    "%s: waiting for IAM role %s to become usable (%s); retrying in %.0fs, for up to %.0fs",
                    job.label,
                    job.role,
                    _aws.error_message(error),
                    delay,
                    self.tuning.iam_propagation_seconds,
                ),
            )

        try:
            return _wait.retry(
                create,
                retryable=lambda error: isinstance(error, _aws.QuotaReached) and error.in_progress,
                until=deadline,
                tuning=self.tuning,
                announce=lambda error, delay: log.warning(
                    "%s: waiting for a free slot, the account is at its limit of export jobs in progress "
                    "(%s); retrying in %.0fs until the create timeout",
                    job.label,
                    error,
                    delay,
                ),
                # A job of ours that stops running frees a place at once: no need to wait it out.
                pause=lambda delay: self.clock.sleep_until_freed(str(job.region), self.kind, delay),
                jitter=True,  # whichever create retries first after a slot frees takes it
                backoff=self.tuning.quota_backoff,
            )
        except _wait.GaveUp as gave_up:
            if isinstance(gave_up.error, _aws.QuotaReached):
                raise _aws.Timeout(
                    f"{job.label}: the account was still at its limit of export jobs in progress when the "
                    f"create timeout ran out ({gave_up.error.message})"
                ) from None
            raise _aws.ForecastError(
                f"{job.label}: Amazon Forecast could not use the IAM role {job.role} for "
                f"{gave_up.waited:.0f}s: {_aws.error_message(gave_up.error)} Check that the role exists, "
                "trusts forecast.amazonaws.com (with aws:SourceAccount/aws:SourceArn conditions "
                "that include this account and job), and run `pulumi up` again."
            ) from None
        except _aws.QuotaReached as refused:  # not in progress: the count of jobs the account may hold
            raise _aws.ForecastError(_count_quota_message(job.label, self.kind, refused.message)) from None
        except ClientError as error:
            if _aws.error_code(error) == "ResourceAlreadyExistsException":
                return self._adopt(forecast, job)
            raise

    def _adopt(self, forecast: _aws.ForecastClient, job: Job) -> str:
        """Take over an existing job of the same name, only when it is ours or the user says so."""
        # It exists (the Create said so) but may not be visible yet: read-after-create consistency.
        until = self.clock.now() + self.tuning.propagation_seconds
        record, tags = _wait.find_until_visible(forecast, self.kind, job.arn, until, self.tuning)
        if record is None:
            raise _aws.ForecastError(f"{job.label} already exists, but Describe does not find {job.arn}.")
        owner, ours = tags.get(OWNER_TAG), _plan.tag_safe(self.plan.owner)
        spell = self.plan.spelling
        adopt = spell.setting(self.kind, "adopt", True)
        if owner != ours:
            if not job.adopt:
                held = f" It is managed by {owner!r}." if owner else ""
                raise _aws.ForecastError(
                    f"{job.label} already exists under {job.under}.{held} "
                    f"Choose another name, or set {adopt} to bring the existing job under this "
                    "stack's management."
                )
            if owner and owner != job.adopt_from:
                raise _aws.ForecastError(
                    f"{job.label} is managed by {owner!r}, not by this resource. To take it over, set "
                    f"{adopt} and {spell.setting(self.kind, 'adopt_from', owner)}."
                )
        differences = self.plan.differences(job, record)
        if differences:
            raise _aws.ForecastError(
                f"refusing to adopt {job.label}: its settings differ from the declared ones: "
                + "; ".join(differences)
                + ". Change the declaration to match, or choose another name."
            )
        log.warning("%s: adopting the existing job %s", job.label, job.arn)
        return job.arn

    def _wait_active(
        self, forecast: _aws.ForecastClient, job: Job, arn: str, deadline: float
    ) -> dict[str, Any]:
        """The job's record once ACTIVE; a job that fails or runs out of time is stopped and deleted."""
        region = str(job.region)
        try:
            return _wait.wait_active(
                forecast,
                self.kind,
                arn,
                region=region,
                parent=job.parent,
                deadline=deadline,
                what=job.label,
                tuning=self.tuning,
            )
        except _aws.JobFailed as failure:
            self._remove(forecast, arn)
            message = (failure.service_message or "no message from the service").rstrip(".")
            raise _aws.ForecastError(
                f"{job.label} failed ({failure.status}): {message}. {_permission_hint(message, job)}"
                "The failed job was deleted: fix the cause and run `pulumi up` again."
            ) from None
        except _aws.Timeout:
            self._remove(forecast, arn)
            raise _aws.Timeout(
                f"{job.label} was not ACTIVE within the create timeout of {self.timeouts.create:.0f}s; "
                "it was stopped and deleted. Raise customTimeouts.create if such jobs need longer."
            ) from None
        finally:
            _wait.stopped_running(region, self.kind)

    # Read: what AWS has now; None when the job is gone.
    def read(self, id_: str, props: Mapping[str, Any]) -> Read:
        forecast = self._client(_plan.region(self.kind, props, id_))
        # A job created moments ago may not be visible yet: look again until the tuning's
        # read_propagation_seconds after its creation before calling it gone.
        until = self.clock.now() + self._young_for(props)
        record, tags = _wait.find_until_visible(forecast, self.kind, id_, until, self.tuning)
        if record is None or str(record.get("Status", "")) in DELETING:
            return Read("")
        outputs, inputs = self.plan.refreshed(props, record, tags)
        return Read(id_, outputs, inputs)

    # Update: only tags can change; send exactly the difference.
    def update(self, id_: str, news: Mapping[str, Any]) -> dict[str, Any]:
        forecast = self._client(_plan.region(self.kind, news, id_))
        desired = self.plan.tags_all(news.get("tags") or {})
        try:
            # Tags aws:ignoreTags matches are neither compared nor removed.
            _aws.set_tags(forecast, id_, self.plan.shown(_aws.list_tags(forecast, id_)), desired)
            record = _aws.find_job(forecast, self.kind, id_)
        except ClientError as error:
            raise _aws.as_forecast_error(f"{self.kind.noun} {news.get('name')!r}", error) from None
        return self.plan.outputs(news, record, desired)

    # Delete: stop a running job, delete it, wait until it is gone; gone already is fine.
    def delete(self, id_: str, props: Mapping[str, Any]) -> None:
        forecast = self._client(_plan.region(self.kind, props, id_))
        try:
            self._remove(forecast, id_)
        except ClientError as error:
            raise _aws.as_forecast_error(f"{self.kind.noun} {props.get('name')!r}", error) from None

    # Helpers.
    def _remove(self, forecast: _aws.ForecastClient, arn: str) -> None:
        deadline = self.clock.now() + self.timeouts.delete
        _wait.remove(forecast, self.kind, arn, deadline, self.tuning)

    def _client(self, region: str | None) -> _aws.ForecastClient:
        if region is None:
            raise _aws.ForecastError(
                f"{self.kind.noun}: cannot tell the region from "
                f"{self.plan.spelling.path(self.kind, self.kind.parent_property)}"
            )
        return _aws.client(region, self.plan.config)

    def _young_for(self, props: Mapping[str, Any]) -> float:
        """Seconds left of read_propagation_seconds since the job's recorded creation (0 if unknown)."""
        window = self.tuning.read_propagation_seconds
        created = props.get("creation_time")
        if not isinstance(created, str):
            return 0.0
        try:
            age = (datetime.now(UTC) - datetime.fromisoformat(created)).total_seconds()
        except ValueError:
            return 0.0
        return min(max(window - age, 0.0), window)


#: The quota on how many jobs of a kind an account may hold (Service Quotas, service code
#: "forecast"): its code and name. The explainability exports' code is not in any public record.
COUNT_QUOTAS: Mapping[str, tuple[str | None, str]] = {
    "ForecastExportJob": ("L-561FC25E", "Maximum number of forecast export jobs"),
    "PredictorBacktestExportJob": ("L-E1AC300F", "Maximum number of predictor backtest export jobs"),
    "WhatIfForecastExport": ("L-6AD28BD9", "The maximum number of What-if Forecast Exports"),
    "ExplainabilityExport": (None, "Maximum number of explainability exports"),
}


def _count_quota_message(label: str, kind: ResourceKind, service_message: str) -> str:
    """Why a Create refused at the count quota failed, and the two ways out."""
    code, name = COUNT_QUOTAS[kind.noun]
    quota = f"Service Quotas code {code}, {name!r}" if code else f"{name!r} in Service Quotas"
    ask = (
        "ask AWS for a higher quota (aws service-quotas request-service-quota-increase --service-code "
        f"forecast --quota-code {code} --desired-value <n>)"
        if code
        else "ask AWS for a higher quota in the Service Quotas console (service Amazon Forecast)"
    )
    return (
        f"{label}: the account holds as many {kind.label}s as its quota allows ({quota}): "
        f"{service_message.rstrip('.')}. Delete {kind.label}s you no longer need "
        f"(List{kind.plural} shows them), or {ask}, and run `pulumi up` again. Nothing was created."
    )


def _permission_hint(message: str, job: Job) -> str:
    """For a job that failed for want of a permission, what its role needs and where, as sentences.

    Taken from the job's own inputs (its role, destination path and KMS key), not from the failure's
    message: AWS does not document how it words it, only that it says access was denied.
    """
    squashed = message.replace(" ", "").lower()
    if not any(word in squashed for word in ("accessdenied", "notauthorized", "notallowed")):
        return ""
    s3_config = job.inputs.get("destination", {}).get("s3_config", {})
    path, key = str(s3_config.get("path", "")), s3_config.get("kms_key_arn")
    bucket, _, prefix = path.removeprefix("s3://").partition("/")
    role = parse_arn(job.role)
    partition = role["partition"] if role else "aws"
    role_name = job.role.rsplit("/", 1)[-1]
    needs = (
        f"s3:GetBucketLocation and s3:ListBucket on arn:{partition}:s3:::{bucket}, "
        f"s3:PutObject on arn:{partition}:s3:::{bucket}/{prefix}*"
    )
    if key:
        needs += f", and kms:GenerateDataKey and kms:Decrypt on {key}"
    return f"Amazon Forecast writes {path} as the role {role_name} ({job.role}), whose policy needs {needs}. "


def _role_not_usable_yet(error: Exception) -> bool:
    """A Create refused because Forecast cannot assume the role (yet): IAM may still propagate it."""
    message = _aws.error_message(error).lower()
    return _aws.error_code(error) == "InvalidInputException" and "assume" in message and "role" in message
