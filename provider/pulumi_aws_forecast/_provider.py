"""The lifecycle of an export job, written once for every kind.

check (preview; no AWS calls) -> diff (preview; no AWS calls) -> create / update /
delete (up, destroy) and read (refresh). `JobProvider` is what Pulumi pickles
into each resource's state: it holds only plain data (the kind's key, the
owner string, timeouts) and its class is importable, so the pickle is a small
reference that survives upgrades of this package. Clients are made per call.

Property names in the state are the Pulumi ones (snake_case); `_schema.py`
describes each once and translates to and from the Forecast API's members.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import logging
import os
import random
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

from . import _aws, _schema, _watch
from ._concurrency import widen_provider_pool
from .catalog import CREATING, DELETING, KINDS, STOPPING, ResourceKind
from .rules import MAX_TAGS_PER_RESOURCE, Violation, parse_arn, validate_request

log = logging.getLogger("pulumi_aws_forecast")

#: The tag that records which stack and resource manage a job.
OWNER_TAG = "pulumi-aws-forecast:owner"
#: How long a Create refused because the role cannot be assumed is retried: IAM propagates a new
#: role, or a new trust policy, within seconds to a minute or two (terraform-provider-aws's
#: iamPropagationTimeout is the same 2 minutes). PULUMI_AWS_FORECAST_IAM_PROPAGATION_SECONDS overrides.
IAM_PROPAGATION_SECONDS = 120.0
#: How long after a job's creation a refresh that does not find it looks again before it says the
#: job is gone (read-after-create eventual consistency; short, as a job deleted behind our back
#: must be seen as gone without a long wait).
READ_PROPAGATION_SECONDS = 20.0
#: How long a job we just created may be invisible to Describe and List (read-after-create
#: eventual consistency) before its absence means it is gone: terraform-provider-aws's
#: propagation timeout for the same case.
PROPAGATION_SECONDS = 120.0
NOT_VISIBLE_YET = "NOT_VISIBLE_YET"
#: How often a waiting thread looks at its deadline while a sweep brings no news.
_SWEEP_CHECK_SECONDS = 5.0
NAME_MAX = 63
_NAME_SUFFIX = 8


@functools.cache
def _read_returns_inputs() -> bool:
    """Whether this Pulumi SDK takes `ReadResult(inputs=...)` (3.216.0 and later).

    With it, refresh records what AWS has as the inputs the next preview compares against, and
    previews show every change property by property. Without it, changes still happen correctly;
    previews show updates and replacements with less detail.
    """
    return "inputs" in inspect.signature(ReadResult.__init__).parameters


def _is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


def _contains_unknown(value: object) -> bool:
    if _is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_unknown(v) for v in value)
    return False


def _tag_safe(text: str) -> str:
    """`text` with characters a tag value may not hold replaced by '_' (at most 256 characters)."""
    return re.sub(r"[^\w\s.:/=+\-@]", "_", text)[:256]


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


# --- Translating between Pulumi properties and the Forecast API (see _schema.py) ------------------


def _plain(value: Any) -> Any:
    """A property value with None members dropped (so an omitted kms_key_arn equals None)."""
    if isinstance(value, Mapping) and not _is_unknown(value):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _request(
    kind: ResourceKind, props: Mapping[str, Any], tags_all: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The Create request these properties make (unknown values stay Unknown)."""
    request = _schema.to_api(kind, props)
    if tags_all is not None:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in tags_all.items()]
    return request


def _property_of(kind: ResourceKind, violation: Violation, tag_keys: list[str]) -> str:
    """The Pulumi property a violation is about: `destination.s3_config.path`, `tags["team"]`."""
    path = violation.path
    if path[:1] == ("Tags",):
        if len(path) > 1 and isinstance(path[1], int) and path[1] < len(tag_keys):
            return f"tags[{json.dumps(tag_keys[path[1]], ensure_ascii=False)}]"
        return "tags"
    return _schema.pulumi_path(kind, path) or ".".join(str(p) for p in path)


def _reason(violation: Violation) -> str:
    rule = violation.constraint.removeprefix("Member ")
    if rule == "must not be null":
        return "is required"
    shown = "" if violation.value is None else f" (got {json.dumps(violation.value, ensure_ascii=False)})"
    return rule + shown


def _record_time(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# --- The provider --------------------------------------------------------------------------------


@dataclass
class JobProvider(ResourceProvider):
    """The dynamic provider behind every export resource; `kind_key` is its kind's noun in the catalogue
    (the field keeps its name: deployed states hold it)."""

    kind_key: str
    owner: str
    timeouts: Timeouts = field(default_factory=Timeouts)
    serialize_as_secret_always = False

    def __post_init__(self) -> None:
        self._default_tags: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        # Only the plain fields are pickled: nothing configured or cached at run time.
        return {"kind_key": self.kind_key, "owner": self.owner, "timeouts": self.timeouts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._default_tags = {}

    @property
    def kind(self) -> ResourceKind:
        return KINDS[self.kind_key]

    # Configure: the stack's configuration, as pulumi-aws users already set it.
    def configure(self, req: ConfigureRequest) -> None:
        _setup_logging()
        widen_provider_pool()  # let many creates wait at once: see _concurrency.py
        raw = req.config.get("aws:defaultTags")
        self._default_tags = _parse_default_tags(raw)

    def tags_all(self, tags: Mapping[str, str]) -> dict[str, str]:
        """Default tags, then the resource's own tags over them, then the owner tag."""
        return {**self._default_tags, **tags, OWNER_TAG: _tag_safe(self.owner)}

    # Check: normalise and validate, at preview, without calling AWS.
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        kind = self.kind
        failures: list[CheckFailure] = []
        # Objects (destination) lose their None members, so an omitted kms_key_arn equals None;
        # other values stay as given (a None tag value is an error below, not dropped).
        objects = {item.top for item in _schema.inputs(kind) if len(item.path) > 1}
        props: dict[str, Any] = {
            top: _plain(news[top]) if top in objects else news[top]
            for top in _schema.tops(kind)
            if news.get(top) is not None
        }
        for item in _schema.inputs(kind):
            value = _schema.get(props, item.path)
            if (value is None or value == "") and item.default is not None:
                _schema.put(props, item.path, item.default)
            elif value is not None and item.normalise is not None and not _is_unknown(value):
                _schema.put(props, item.path, item.normalise(value))

        tags = props.get("tags", {})
        if not _is_unknown(tags) and not (
            isinstance(tags, Mapping) and all(isinstance(k, str) for k in tags)
        ):
            failures.append(CheckFailure("tags", "must be a map of strings to strings"))
            tags = {}
        elif isinstance(tags, Mapping):
            for key, value in tags.items():
                if not _is_unknown(value) and not isinstance(value, str):
                    failures.append(CheckFailure(f"tags[{json.dumps(key)}]", "must be a string"))
        props["tags"] = tags

        if props.get("name") in (None, ""):
            old_name = _olds.get("name")
            if _olds.get("__autonamed") and isinstance(old_name, str):
                props["name"] = old_name  # stable across updates; a replacement re-checks without olds
            else:
                props["name"] = self.autoname(props)
            props["__autonamed"] = True

        tags_all: Mapping[str, Any] | None = None
        if isinstance(tags, Mapping) and not failures:
            tags_all = self.tags_all(tags)
        # tags_all is an input too, so that a preview shows what `up` will do to the job's tags
        # (a change of aws:defaultTags, drift that refresh recorded), property by property.
        props["tags_all"] = Unknown() if _is_unknown(tags) else tags_all  # type: ignore[no-untyped-call]
        request = _request(kind, props, tags_all)
        tag_keys = list(tags_all or {})
        for violation in validate_request(kind.create_operation, request, is_unknown=_contains_unknown):
            prop = _property_of(kind, violation, tag_keys)
            reason = _reason(violation)
            if violation.path == ("Tags",) and "per resource" in violation.constraint:
                extra = len(tag_keys) - len(tags) if isinstance(tags, Mapping) else 0
                reason = (
                    f"must have at most {MAX_TAGS_PER_RESOURCE} tags per resource, counting {extra} "
                    f"added by this provider (aws:defaultTags and the {OWNER_TAG} tag); "
                    f"got {len(tag_keys)}"
                )
            if prop.startswith("tags[") and tag_keys and isinstance(tags, Mapping):
                key = json.loads(prop[5:-1])
                if key not in tags:
                    prop = f"aws:defaultTags[{json.dumps(key)}]"
            failures.append(CheckFailure(prop, reason))
        return CheckResult(props, failures)

    def autoname(self, props: Mapping[str, Any]) -> Any:
        """`<logical name>_<8 hex>`, valid for Forecast; the same for the same stack, resource and settings.

        The suffix hashes what a replacement changes, so a replacement gets a fresh name and the
        new job can be created before the old one is deleted. Unknown until those settings are known.
        """
        settings = [props.get(top) for top in _schema.replacing(self.kind) if top != "name"]
        if _contains_unknown(settings):
            return Unknown()  # type: ignore[no-untyped-call]
        logical = self.owner.rsplit("/", 1)[-1]
        base = re.sub(r"[^a-zA-Z0-9_]", "_", logical)
        if not base[:1].isalpha():
            base = "job_" + base
        seed = json.dumps([self.owner, *settings], sort_keys=True)
        suffix = hashlib.sha256(seed.encode()).hexdigest()[:_NAME_SUFFIX]
        return f"{base[: NAME_MAX - _NAME_SUFFIX - 1]}_{suffix}"

    # Diff: tags update in place, anything else replaces.
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        kind = self.kind
        replaces = [
            prop
            for prop in _schema.replacing(kind)
            if _contains_unknown(news.get(prop)) or _normal(olds.get(prop)) != _normal(news.get(prop))
        ]
        if olds.get("status") not in (None, "ACTIVE") and "status" not in replaces:
            replaces.append("status")  # a failed or stopped job (seen by refresh) is replaced
        tags = news.get("tags") or {}
        tags_changed = _contains_unknown(tags) or self.tags_all(tags) != (olds.get("tags_all") or {})
        # The replacement's name: an autonamed job's is re-derived from its settings (the engine
        # re-checks without old inputs). When it is the current name, the old job must go first.
        new_name = self.autoname(news) if news.get("__autonamed") else news.get("name")
        delete_first = bool(replaces) and (_contains_unknown(new_name) or new_name == olds.get("name"))
        if not replaces and not tags_changed:
            return DiffResult(changes=False, replaces=[], stables=[], delete_before_replace=False)
        # Where every change shows between the old and new inputs (read() records what refresh
        # finds as inputs, so drift does too), "unknown" makes the engine compute the detailed diff
        # (preview --diff, and diffReasons/detailedDiff in --json) from them; it keeps our replaces.
        # A replacement for the job's status is not an input change: say so outright.
        detailed = _read_returns_inputs() and "status" not in replaces
        return DiffResult(
            changes=None if detailed else True,
            replaces=replaces,
            stables=[],
            delete_before_replace=delete_first,
        )

    # Create: start the job, wait until ACTIVE; on failure leave nothing behind.
    def create(self, props: dict[str, Any]) -> CreateResult:
        kind, deadline = self.kind, time.monotonic() + self.timeouts.create
        tags_all = self.tags_all(props.get("tags") or {})
        request = _request(kind, props, tags_all)
        region = self._region(props)
        forecast = _aws.client(region)
        label = f"{kind.noun} {props['name']!r}"
        try:
            arn = self._start(forecast, request, props, deadline, label)
            record = self._wait_active(forecast, arn, props, deadline, label)
            tags = _aws.list_tags(forecast, arn)
            if tags != tags_all:  # adopted: bring its tags to the declared ones
                _aws.set_tags(forecast, arn, tags, tags_all)
                tags = tags_all
        except ClientError as error:
            raise _aws.as_forecast_error(label, error) from None
        return CreateResult(arn, self._outputs(props, record, tags))

    def _start(
        self,
        forecast: _aws.ForecastClient,
        request: dict[str, Any],
        props: Mapping[str, Any],
        deadline: float,
        label: str,
    ) -> str:
        """Send the Create request, waiting for a free slot while the account is at its quota, and
        for the role to become usable while IAM propagates a new one."""
        backoff, started = _aws.Backoff.from_environment(), time.monotonic()
        role = str(_schema.get(props, ("destination", "s3_config", "role_arn")))
        while True:
            try:
                return _aws.create_job(forecast, self.kind, request)
            except ClientError as error:
                if _aws.error_code(error) == "ResourceAlreadyExistsException":
                    return self._adopt(forecast, props, label)
                if not _role_not_usable_yet(error):
                    raise
                now = time.monotonic()
                window = float(
                    os.environ.get("PULUMI_AWS_FORECAST_IAM_PROPAGATION_SECONDS", IAM_PROPAGATION_SECONDS)
                )
                if now - started >= window or now >= deadline:
                    raise _aws.ForecastError(
                        f"{label}: Amazon Forecast could not use the IAM role {role} for "
                        f"{now - started:.0f}s: {_aws.error_message(error)} Check that the role exists, "
                        "trusts forecast.amazonaws.com (with aws:SourceAccount/aws:SourceArn conditions "
                        "that include this account and job), and run `pulumi up` again."
                    ) from None
                delay = min(backoff.delay(now - started), deadline - now)
                log.warning(
                    "%s: waiting for IAM role %s to become usable (%s); retrying in %.0fs, for up to %.0fs",
                    label,
                    role,
                    _aws.error_message(error),
                    delay,
                    window,
                )
                time.sleep(delay)
            except _aws.QuotaReached as quota:
                now = time.monotonic()
                if now >= deadline:
                    raise _aws.Timeout(
                        f"{label}: the account was still at its limit of export jobs in progress when the "
                        f"create timeout ran out ({quota.message})"
                    ) from None
                # Jittered, so that jobs waiting together do not all retry at the same moments:
                # whichever retries first after a slot frees takes it.
                delay = min(backoff.delay(now - started) * random.uniform(0.5, 1.5), deadline - now)
                log.warning(
                    "%s: waiting for a free slot, the account is at its limit of export jobs in progress "
                    "(%s); retrying in %.0fs until the create timeout",
                    label,
                    quota.message,
                    delay,
                )
                # A job of ours that stops running frees a place at once: no need to wait it out.
                _watch.SLOTS.wait(self._region(props), self.kind, delay)

    def _adopt(self, forecast: _aws.ForecastClient, props: Mapping[str, Any], label: str) -> str:
        """Take over an existing job of the same name, only when it is ours or the user says so."""
        arn = self.job_arn(props)
        # It exists (the Create said so) but may not be visible yet: read-after-create consistency.
        record, tags = self._when_visible(forecast, arn, time.monotonic() + PROPAGATION_SECONDS)
        if record is None:
            raise _aws.ForecastError(f"{label} already exists, but Describe does not find {arn}.")
        owner = tags.get(OWNER_TAG)
        ours = _tag_safe(self.owner)
        adopt, adopt_from = props.get("adopt"), props.get("adopt_from")
        if owner != ours:
            if not adopt:
                held = f" It is managed by {owner!r}." if owner else ""
                raise _aws.ForecastError(
                    f"{label} already exists under {props[self.kind.parent_property]}.{held} "
                    "Choose another name, or set adopt=True to bring the existing job under this "
                    "stack's management."
                )
            if owner and owner != adopt_from:
                raise _aws.ForecastError(
                    f"{label} is managed by {owner!r}, not by this resource. To take it over, set "
                    f"adopt=True and adopt_from={owner!r}."
                )
        differences = self._differences(props, record)
        if differences:
            raise _aws.ForecastError(
                f"refusing to adopt {label}: its settings differ from the declared ones: "
                + "; ".join(differences)
                + ". Change the declaration to match, or choose another name."
            )
        log.warning("%s: adopting the existing job %s", label, arn)
        return arn

    def _differences(self, props: Mapping[str, Any], record: Mapping[str, Any]) -> list[str]:
        """How the job AWS has differs from the declared one, in the settings that would replace it."""
        actual = _schema.from_api(self.kind, record)
        return [
            f"{prop} is {json.dumps(actual.get(prop))} on AWS but {json.dumps(_normal(props.get(prop)))} here"
            for prop in _schema.replacing(self.kind)
            if prop != "name" and _normal(actual.get(prop)) != _normal(props.get(prop))
        ]

    def _wait_active(
        self,
        forecast: _aws.ForecastClient,
        arn: str,
        props: Mapping[str, Any],
        deadline: float,
        label: str,
    ) -> dict[str, Any]:
        region, kind = self._region(props, arn), self.kind
        parents = self._parent_arns(props)
        watch = _JobWatch(forecast, kind, arn, region, parents[0] if parents else "")
        try:
            _aws.wait_for(
                watch.status,
                target=frozenset({"ACTIVE"}),
                pending=CREATING | {NOT_VISIBLE_YET},
                deadline=deadline,
                what=label,
                backoff=_aws.Backoff.from_environment(),
                sleep=lambda _seconds: None,  # the status function itself waits for the next sweep
            )
        except _aws.JobFailed as failure:
            self._remove(forecast, arn, time.monotonic() + self.timeouts.delete)
            message = (failure.service_message or "no message from the service").rstrip(".")
            raise _aws.ForecastError(
                f"{label} failed ({failure.status}): {message}. {_permission_hint(message)}"
                "The failed job was deleted: fix the cause and run `pulumi up` again."
            ) from None
        except _aws.Timeout:
            self._remove(forecast, arn, time.monotonic() + self.timeouts.delete)
            raise _aws.Timeout(
                f"{label} was not ACTIVE within the create timeout of {self.timeouts.create:.0f}s; "
                "it was stopped and deleted. Raise customTimeouts.create if such jobs need longer."
            ) from None
        finally:
            # The job no longer runs (ACTIVE, failed, or stopped and deleted): a waiting create of
            # ours may take its place.
            watch.close()
            _watch.SLOTS.freed(region, kind)
        return _aws.find_job(forecast, kind, arn)  # a sweep's summary lacks some members

    def _when_visible(
        self, forecast: _aws.ForecastClient, arn: str, until: float
    ) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """(record, tags) of a job, looking again until `until` while the service does not show it."""
        backoff, started = _aws.Backoff.from_environment(), time.monotonic()
        while True:
            try:
                return _aws.find_job(forecast, self.kind, arn), _aws.list_tags(forecast, arn)
            except _aws.NotFound:
                pass
            except ClientError as error:
                if _aws.error_code(error) != "ResourceNotFoundException":
                    raise
            now = time.monotonic()
            if now >= until:
                return None, {}
            time.sleep(min(backoff.delay(now - started), until - now))

    # Read: what AWS has now; an empty id says the job is gone.
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        forecast = _aws.client(self._region(props, id_))
        # A job created moments ago may not be visible yet: look again until READ_PROPAGATION_SECONDS
        # after its creation before calling it gone.
        record, tags = self._when_visible(forecast, id_, time.monotonic() + _young_for(props))
        status = str((record or {}).get("Status", ""))
        if record is None or status in DELETING:
            return ReadResult("", {})
        live = {
            **_schema.from_api(self.kind, record),
            "tags": {
                k: v
                for k, v in tags.items()
                if k != OWNER_TAG and not (k in self._default_tags and self._default_tags[k] == v)
            },
            "tags_all": tags,
        }
        outs = {**self._outputs(props, record, tags), **live}
        if not _read_returns_inputs():
            return ReadResult(id_, outs)
        # What AWS has becomes the inputs the next preview compares against, so drift shows there.
        inputs = {k: v for k, v in props.items() if k not in _schema.OUTPUT_NAMES and k != "__provider"}
        return ReadResult(id_, outs, {**inputs, **live})

    # Update: only tags can change; send exactly the difference.
    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        forecast = _aws.client(self._region(news, id_))
        desired = self.tags_all(news.get("tags") or {})
        try:
            _aws.set_tags(forecast, id_, _aws.list_tags(forecast, id_), desired)
            record = _aws.find_job(forecast, self.kind, id_)
        except ClientError as error:
            raise _aws.as_forecast_error(f"{self.kind.noun} {news.get('name')!r}", error) from None
        return UpdateResult(self._outputs(news, record, desired))

    # Delete: stop a running job, delete it, wait until it is gone; gone already is fine.
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        forecast = _aws.client(self._region(props, id_))
        try:
            self._remove(forecast, id_, time.monotonic() + self.timeouts.delete)
        except ClientError as error:
            raise _aws.as_forecast_error(f"{self.kind.noun} {props.get('name')!r}", error) from None

    def _remove(self, forecast: _aws.ForecastClient, arn: str, deadline: float) -> None:
        kind, backoff = self.kind, _aws.Backoff.from_environment()

        def status() -> tuple[dict[str, Any] | None, str]:
            return _aws.job_status(forecast, kind, arn)

        _, current = status()
        if current in CREATING:
            try:
                forecast.stop_resource(ResourceArn=arn)
            except ClientError as error:
                if _aws.error_code(error) != "ResourceNotFoundException":
                    raise
            _, current = _aws.wait_for(
                status,
                target=frozenset({"CREATE_STOPPED", "CREATE_FAILED", "ACTIVE", "GONE"}),
                pending=CREATING | STOPPING,
                deadline=deadline,
                what=f"stopping {arn}",
                backoff=backoff,
            )
        started = time.monotonic()
        while current not in DELETING and current != "GONE":
            try:
                _aws.delete_job(forecast, kind, arn)
                break
            except ClientError as error:
                code = _aws.error_code(error)
                if code == "ResourceNotFoundException":
                    return
                if code != "ResourceInUseException" or time.monotonic() >= deadline:
                    raise
                time.sleep(backoff.delay(time.monotonic() - started))
                _, current = status()
        _aws.wait_for(
            status,
            target=frozenset({"GONE"}),
            pending=DELETING | {"ACTIVE", "CREATE_FAILED", "CREATE_STOPPED"},
            deadline=deadline,
            what=f"deleting {arn}",
            backoff=backoff,
        )

    # Helpers.
    def _parent_arns(self, props: Mapping[str, Any]) -> list[str]:
        value = props.get(self.kind.parent_property)
        values = value if isinstance(value, list) else [value]
        return [v for v in values if isinstance(v, str)]

    def _region(self, props: Mapping[str, Any], arn: str | None = None) -> str:
        for candidate in [arn, *self._parent_arns(props)]:
            parts = parse_arn(candidate) if isinstance(candidate, str) else None
            if parts and parts["region"]:
                return parts["region"]
        raise _aws.ForecastError(f"{self.kind.noun}: cannot tell the region from {self.kind.parent_property}")

    def job_arn(self, props: Mapping[str, Any]) -> str:
        """The ARN a job of this name under this parent has."""
        parent = parse_arn(self._parent_arns(props)[0])
        assert parent is not None
        parent_name = parent["resource"].split("/")[-1]
        return self.kind.arn(
            parent["partition"], parent["region"], parent["account"], props["name"], parent_name
        )

    def _outputs(
        self, props: Mapping[str, Any], record: Mapping[str, Any], tags: dict[str, str]
    ) -> dict[str, Any]:
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(
            {
                "arn": record.get(self.kind.arn_member),
                "status": record.get("Status"),
                "message": record.get("Message"),
                "creation_time": _record_time(record, "CreationTime"),
                "last_modification_time": _record_time(record, "LastModificationTime"),
                "tags_all": tags,
            }
        )
        return outs


class _JobWatch:
    """The status of a job this process just created, for `wait_for`; waits for the next news of it.

    Jobs of a kind that List can select by parent share one sweep (see _watch.py); others, and
    all of them when the sweep is broken, are described one by one after the backoff's interval.
    Right after our own Create, a job the service does not show yet is NOT_VISIBLE_YET
    (read-after-create eventual consistency) for up to PROPAGATION_SECONDS; after that, GONE.
    """

    def __init__(
        self, forecast: _aws.ForecastClient, kind: ResourceKind, arn: str, region: str, parent: str
    ) -> None:
        self.forecast, self.kind, self.arn = forecast, kind, arn
        self.backoff = _aws.Backoff.from_environment()
        self.started = time.monotonic()
        self.polls = 0
        self.sweep = _watch.SWEEPS.get(region, kind, parent, lambda r: _aws.list_page(forecast, kind, r))

    def status(self) -> tuple[dict[str, Any] | None, str]:
        record: dict[str, Any] | None = None
        current = "GONE"
        if self.sweep is not None:
            try:
                record, seen = self.sweep.wait(self.arn, self.backoff.delay, _SWEEP_CHECK_SECONDS)
                current = str(record["Status"]) if seen and record else "GONE"
            except _watch.SweepBroken:
                self.sweep = None
        if self.sweep is None:
            if self.polls:
                time.sleep(self.backoff.delay(time.monotonic() - self.started))
            self.polls += 1
            record, current = _aws.job_status(self.forecast, self.kind, self.arn)
        if current == "GONE" and time.monotonic() - self.started < PROPAGATION_SECONDS:
            current = NOT_VISIBLE_YET
        return record, current

    def close(self) -> None:
        if self.sweep is not None:
            self.sweep.forget(self.arn)


_ACCESS_DENIED = re.compile(
    r"AccessDenied\S*:? the role (?P<role>arn:\S+) is not allowed to perform (?P<action>\S+)"
    r" on (?P<resource>\S+)"
)


def _young_for(props: Mapping[str, Any]) -> float:
    """Seconds left of READ_PROPAGATION_SECONDS since the job's recorded creation time (0 if unknown)."""
    created = props.get("creation_time")
    if not isinstance(created, str):
        return 0.0
    try:
        age = (datetime.now(UTC) - datetime.fromisoformat(created)).total_seconds()
    except ValueError:
        return 0.0
    return min(max(READ_PROPAGATION_SECONDS - age, 0.0), READ_PROPAGATION_SECONDS)


def _permission_hint(message: str) -> str:
    """For an AccessDenied failure, the permission to add and where, as one sentence."""
    found = _ACCESS_DENIED.search(message)
    if found is None:
        if "accessdenied" in message.replace(" ", "").lower():
            return (
                "The role needs s3:ListBucket and s3:GetBucketLocation on the bucket, s3:PutObject on "
                "the path, and kms:GenerateDataKey and kms:Decrypt on the key, if any. "
            )
        return ""
    role_name = found["role"].rsplit("/", 1)[-1]
    return (
        f"Add {found['action']} on {found['resource']} to the policy of the role {role_name} "
        f"({found['role']}). "
    )


def _role_not_usable_yet(error: ClientError) -> bool:
    """A Create refused because Forecast cannot assume the role (yet): IAM may still propagate it."""
    message = _aws.error_message(error).lower()
    return _aws.error_code(error) == "InvalidInputException" and "assume" in message and "role" in message


def _normal(value: Any) -> Any:
    """A value as compared in diffs: no None members, so an omitted kms_key_arn equals None."""
    if isinstance(value, Mapping):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


def _parse_default_tags(raw: Any) -> dict[str, str]:
    """pulumi-aws's `aws:defaultTags` config: {"tags": {...}}, as a JSON string or a mapping."""
    if raw is None or raw == "":
        return {}
    value = json.loads(raw) if isinstance(raw, str) else raw
    tags = value.get("tags", {}) if isinstance(value, Mapping) else {}
    return {str(k): str(v) for k, v in (tags or {}).items()}


def _setup_logging() -> None:
    """Our warnings go to stderr, which the engine shows as the resource's diagnostics."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
