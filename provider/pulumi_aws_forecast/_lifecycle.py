"""The lifecycle of an export job, written once for every kind: create, read, update, delete.

Plain data in and out (property dicts, `Read`): nothing here knows Pulumi's interfaces, so the
dynamic provider (`_provider.py`) and the provider plugin (`_plugin.py`) are thin front doors over
it. Each step reads top-down: the planner (`_plan.py`, pure) turns the properties into the `Job`
to create, once; the region becomes a connection (`_aws.connect`), once; each AWS step is one
call that takes the connection and returns plain results: start, find, wait (`_wait.py`), tag
(`_aws.py`); the planner turns what AWS has back into properties.
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
from ._tuning import Tuning
from .catalog import DELETING

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

    def __init__(self, plan: _plan.Planner, timeouts: Timeouts, tuning: Tuning) -> None:
        self.plan, self.kind, self.timeouts, self.tuning = plan, plan.kind, timeouts, tuning
        self.clock = tuning.clock

    # Create: start the job (or adopt it), wait until ACTIVE, set its tags; on failure leave nothing.
    def create(self, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        job = self.plan.job(props)
        deadline = self.clock.now() + self.timeouts.create
        forecast = _aws.connect(self.kind, job.region, self.plan.config, self.plan.parent_property)
        try:
            arn, existing = _wait.start(forecast, job, deadline, self.tuning)
            if existing is not None:  # a job of this name was there: adopt it, if ours or asked to
                refused = self.plan.adoption_refused(job, *existing)
                if refused:
                    raise _aws.ForecastError(refused)
                log.warning("%s: adopting the existing job %s", job.label, arn)
            record = _wait.wait_active(
                forecast,
                job,
                arn,
                deadline,
                self.tuning,
                create_timeout=self.timeouts.create,
                delete_timeout=self.timeouts.delete,
            )
            tags = self.plan.shown(_aws.list_tags(forecast, arn))  # aws:ignoreTags' stay as they are
            if tags != job.shown_tags:  # adopted: bring its tags to the declared ones
                _aws.set_tags(forecast, arn, tags, job.tags_all)
                tags = job.tags_all
        except ClientError as error:
            raise _aws.as_forecast_error(job.label, error) from None
        return arn, self.plan.outputs(job.inputs, record, tags)

    # Read: what AWS has now; "" when the job is gone.
    def read(self, id_: str, props: Mapping[str, Any]) -> Read:
        forecast = self._connect(id_, props)
        # A job created moments ago may not be visible yet: look again until the tuning's
        # read_propagation_seconds after its creation before calling it gone.
        until = self.clock.now() + self._young_for(props)
        record, tags = _wait.find_until_visible(forecast, id_, until, self.tuning)
        if record is None or str(record.get("Status", "")) in DELETING:
            return Read("")
        outputs, inputs = self.plan.refreshed(props, record, tags)
        return Read(id_, outputs, inputs)

    # Update: only tags can change; send exactly the difference.
    def update(self, id_: str, news: Mapping[str, Any]) -> dict[str, Any]:
        forecast = self._connect(id_, news)
        desired = self.plan.tags_all(news.get("tags") or {})
        try:
            # Tags aws:ignoreTags matches are neither compared nor removed.
            _aws.set_tags(forecast, id_, self.plan.shown(_aws.list_tags(forecast, id_)), desired)
            record = _aws.find_job(forecast, id_)
        except ClientError as error:
            raise _aws.as_forecast_error(f"{self.kind.noun} {news.get('name')!r}", error) from None
        return self.plan.outputs(news, record, desired)

    # Delete: stop a running job, delete it, wait until it is gone; gone already is fine.
    def delete(self, id_: str, props: Mapping[str, Any]) -> None:
        forecast = self._connect(id_, props)
        try:
            _wait.remove(forecast, id_, self.clock.now() + self.timeouts.delete, self.tuning)
        except ClientError as error:
            raise _aws.as_forecast_error(f"{self.kind.noun} {props.get('name')!r}", error) from None

    def _connect(self, id_: str, props: Mapping[str, Any]) -> _aws.Connection:
        """The connection to an existing job's region (its ARN's, else its parent's)."""
        region = _plan.region(self.kind, props, id_)
        return _aws.connect(self.kind, region, self.plan.config, self.plan.parent_property)

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
