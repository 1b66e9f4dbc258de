"""The provider tier: the export lifecycle, called directly, against the in-process emulator.

No Pulumi CLI and no sleeping: the lifecycle waits on an `EmulatorClock`, whose sleep moves the
emulator's clock (and its own) by the time asked for, so a wait of minutes takes milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from forecast_emulator import Emulator, Seeded
from pulumi_aws_forecast._lifecycle import ExportLifecycle, Timeouts
from pulumi_aws_forecast._plan import Planner
from pulumi_aws_forecast._tuning import Backoff, Clock, Tuning
from pulumi_aws_forecast.catalog import KINDS, ResourceKind, snake

OWNER = "proj/dev/job"
#: Export jobs take this long by the emulator's clock: nothing finishes unless the clock moves.
JOB_SECONDS = 60.0
SETTLE_SECONDS = 10.0


class EmulatorClock(Clock):
    """Time as the emulator tells it: sleeping moves the emulator's clock instead of waiting."""

    sweeps = False  # a sweep is a thread of its own, in real time: describe each job instead

    def __init__(self, emulator: Emulator) -> None:
        self.emulator, self.elapsed, self.slept = emulator, 0.0, 0.0

    def now(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.elapsed += seconds
        self.slept += seconds
        self.emulator.advance_clock(seconds)

    def sleep_until_freed(self, region: str, kind: ResourceKind, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    with Emulator(
        job_seconds=JOB_SECONDS,
        upstream_seconds=0,
        stop_seconds=SETTLE_SECONDS,
        delete_seconds=SETTLE_SECONDS,
    ) as emu:
        yield emu


@dataclass
class World:
    """One test's emulator (fresh state), seeded parents, and lifecycles wired to it."""

    emulator: Emulator
    seeded: Seeded
    clock: EmulatorClock

    def lifecycle(
        self,
        kind: str = "ForecastExportJob",
        *,
        owner: str = OWNER,
        default_tags: dict[str, str] | None = None,
        timeouts: Timeouts | None = None,
        **tuning: Any,
    ) -> ExportLifecycle:
        planner = Planner(KINDS[kind], owner, default_tags or {})
        return ExportLifecycle(
            planner, timeouts or Timeouts(), Tuning(Backoff(minimum=2.0), clock=self.clock, **tuning)
        )

    def props(self, kind: str = "ForecastExportJob", owner: str = OWNER, **overrides: Any) -> dict[str, Any]:
        """The checked inputs the engine would hand create() for this declaration."""
        spec = KINDS[kind]
        parent = getattr(self.seeded, _seeded_parent(spec))
        news: dict[str, Any] = {
            spec.parent_property: [parent] if spec.parent_is_list else parent,
            "destination": {"s3_config": {"path": self.path(), "role_arn": self.seeded.role_arn}},
            **overrides,
        }
        checked = Planner(spec, owner, {}).check({}, news)
        assert checked.failures == [], checked.failures
        return checked.inputs

    def path(self, suffix: str = "") -> str:
        return f"s3://{self.seeded.bucket}/out/{suffix}"

    @property
    def forecast(self) -> Any:
        return self.emulator.client("forecast")

    def jobs(self, kind: str = "ForecastExportJob") -> list[dict[str, Any]]:
        spec = KINDS[kind]
        pages = self.forecast.get_paginator(snake(spec.list_operation)).paginate()
        return [job for page in pages for job in page[spec.plural]]

    def tags(self, arn: str) -> dict[str, str]:
        listed = self.forecast.list_tags_for_resource(ResourceArn=arn)["Tags"]
        return {t["Key"]: t["Value"] for t in listed}

    def make_role(self, name: str, actions: list[str], trust: dict[str, Any] | None = None) -> str:
        """A role made just now, as a user's script would right before `pulumi up`."""
        iam = self.emulator.client("iam")
        document = json.dumps(trust or TRUST)
        arn = str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]["Arn"])
        bucket = self.seeded.bucket
        resources = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}],
        }
        iam.put_role_policy(RoleName=name, PolicyName="exports", PolicyDocument=json.dumps(policy))
        return arn


TRUST: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "forecast.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def _seeded_parent(kind: ResourceKind) -> str:
    """The Seeded field holding a parent of `kind`: forecast_arn, ..., what_if_forecast_arn."""
    return kind.parent_property.removesuffix("s")


@pytest.fixture
def world(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> World:
    emulator.reset()
    emulator.configure(
        job_seconds=JOB_SECONDS, export_quota=3, consistency_seconds=0, iam_propagation_seconds=0
    )
    seeded = emulator.seed()
    emulator.reset_counters()
    for name, value in {
        "AWS_ENDPOINT_URL": emulator.endpoint_url,
        "AWS_ACCESS_KEY_ID": "AKIAEMULATOREXAMPLE1",
        "AWS_SECRET_ACCESS_KEY": "emulator-secret-key-example",
        "AWS_DEFAULT_REGION": seeded.region,
    }.items():
        monkeypatch.setenv(name, value)
    return World(emulator, seeded, EmulatorClock(emulator))
