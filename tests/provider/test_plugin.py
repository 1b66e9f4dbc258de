"""The provider plugin's create, read, update and delete against the emulator, called with request objects.

The handlers run the lifecycle in a worker thread; the emulator's clock moves instead of anyone
waiting (the `world` fixture's clock, handed to the plugin as its tuning).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from pulumi.output import Unknown
from pulumi.provider.experimental.provider import (
    CheckRequest,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    ReadRequest,
    UpdateRequest,
)

from pulumi_aws_forecast._aws import ForecastError, Timeout
from pulumi_aws_forecast._names import camel
from pulumi_aws_forecast._plan import OWNER_TAG
from pulumi_aws_forecast._plugin import ForecastProvider
from pulumi_aws_forecast._plugin_values import plain, wire
from pulumi_aws_forecast._tuning import Backoff, Tuning
from pulumi_aws_forecast.catalog import EXPORT_KINDS, KINDS
from tests.provider.conftest import EmulatorClock, World, _seeded_parent

T = TypeVar("T")
NOUNS = [kind.noun for kind in EXPORT_KINDS]


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def urn(kind: str, name: str = "daily") -> str:
    return f"urn:pulumi:dev::proj::aws-forecast:forecast:{kind}::{name}"


def provider(world: World) -> ForecastProvider:
    return ForecastProvider(Tuning(Backoff(minimum=2.0), clock=world.clock))


def declared(world: World, kind: str, **overrides: Any) -> dict[str, Any]:
    """What a program declares, camelCase."""
    spec = KINDS[kind]
    parent = getattr(world.seeded, _seeded_parent(spec))
    return {
        camel(spec.parent_property): [parent] if spec.parent_is_list else parent,
        "destination": {"s3Config": {"path": world.path(), "roleArn": world.seeded.role_arn}},
        **overrides,
    }


def checked(plugin: ForecastProvider, kind: str, props: dict[str, Any]) -> dict[str, Any]:
    response = run(plugin.check(CheckRequest(urn(kind), {}, wire(props), b"")))
    assert not response.failures and response.inputs is not None
    return plain(response.inputs)[0]


@pytest.mark.parametrize("kind", NOUNS)
def test_create_read_update_delete_one_job_of_each_kind(world: World, kind: str) -> None:
    plugin = provider(world)
    inputs = checked(plugin, kind, declared(world, kind, tags={"team": "demand"}))
    created = run(plugin.create(CreateRequest(urn(kind), wire(inputs), 0, False)))
    arn = created.resource_id
    assert arn is not None and arn.endswith("/" + inputs["name"])
    state = plain(created.properties)[0]
    assert state["arn"] == arn and state["status"] == "ACTIVE"
    assert state["tagsAll"] == {"team": "demand", OWNER_TAG: "proj/dev/daily"}
    assert state["creationTime"] and state["lastModificationTime"]
    assert state["destination"]["s3Config"]["roleArn"] == world.seeded.role_arn
    assert world.tags(arn) == state["tagsAll"]

    read = run(plugin.read(ReadRequest(urn(kind), arn, wire(state), wire(inputs))))
    assert read.resource_id == arn
    assert plain(read.properties)[0]["status"] == "ACTIVE"
    assert plain(read.inputs)[0]["tags"] == {"team": "demand"}

    news = checked(plugin, kind, declared(world, kind, name=inputs["name"], tags={"team": "supply"}))
    updated = run(plugin.update(UpdateRequest(urn(kind), arn, wire(state), wire(news), 0, [], False)))
    assert plain(updated.properties)[0]["tagsAll"] == {"team": "supply", OWNER_TAG: "proj/dev/daily"}
    assert world.tags(arn) == {"team": "supply", OWNER_TAG: "proj/dev/daily"}

    run(plugin.delete(DeleteRequest(urn(kind), arn, updated.properties, 0)))
    assert world.jobs(kind) == []


def test_a_preview_create_answers_unknown_outputs_without_calling_aws(world: World) -> None:
    plugin = provider(world)
    inputs = checked(plugin, "ForecastExportJob", declared(world, "ForecastExportJob"))
    world.emulator.reset_counters()
    previewed = run(plugin.create(CreateRequest(urn("ForecastExportJob"), wire(inputs), 0, True)))
    outputs = plain(previewed.properties)[0]
    assert isinstance(outputs["arn"], Unknown) and isinstance(outputs["status"], Unknown)
    assert outputs["name"] == inputs["name"]
    assert sum(world.emulator.counters().values()) == 0


def test_import_reads_a_job_made_outside_pulumi(world: World) -> None:
    arn = world.forecast.create_forecast_export_job(
        ForecastExportJobName="by_hand",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path(), "RoleArn": world.seeded.role_arn}},
        Format="PARQUET",
        Tags=[{"Key": "team", "Value": "demand"}],
    )["ForecastExportJobArn"]
    world.clock.sleep(120)
    read = run(provider(world).read(ReadRequest(urn("ForecastExportJob"), arn, {}, {})))
    assert read.resource_id == arn
    inputs = plain(read.inputs)[0]
    assert inputs["name"] == "by_hand" and inputs["format"] == "PARQUET"
    assert inputs["forecastArn"] == world.seeded.forecast_arn
    assert inputs["destination"] == {"s3Config": {"path": world.path(), "roleArn": world.seeded.role_arn}}
    assert inputs["tags"] == {"team": "demand"}
    assert plain(read.properties)[0]["status"] == "ACTIVE"


def test_importing_a_job_that_does_not_exist_fails_clearly(world: World) -> None:
    arn = world.seeded.forecast_arn.replace(":forecast/", ":forecast-export-job/") + "/missing"
    with pytest.raises(ForecastError) as failed:
        run(provider(world).read(ReadRequest(urn("ForecastExportJob"), arn, {}, {})))
    assert str(failed.value) == (
        f"cannot import ForecastExportJob {arn}: there is no such forecast export job (Forecast's "
        "DescribeForecastExportJob does not find it). Check the ARN, and the account and region the "
        "provider uses."
    )


def test_refresh_of_a_job_deleted_behind_our_back_drops_it(world: World) -> None:
    plugin = provider(world)
    inputs = checked(plugin, "ForecastExportJob", declared(world, "ForecastExportJob", name="gone"))
    created = run(plugin.create(CreateRequest(urn("ForecastExportJob"), wire(inputs), 0, False)))
    assert created.resource_id is not None
    world.forecast.delete_forecast_export_job(ForecastExportJobArn=created.resource_id)
    world.clock.sleep(30)
    read = run(
        plugin.read(
            ReadRequest(urn("ForecastExportJob"), created.resource_id, created.properties, wire(inputs))
        )
    )
    assert read.resource_id == ""


def test_the_engines_create_timeout_is_honoured(world: World) -> None:
    world.emulator.configure(job_seconds=3600)
    plugin = provider(world)
    inputs = checked(plugin, "ForecastExportJob", declared(world, "ForecastExportJob", name="slow"))
    with pytest.raises(Timeout) as timed_out:
        run(plugin.create(CreateRequest(urn("ForecastExportJob"), wire(inputs), 30, False)))
    assert str(timed_out.value).startswith(
        "ForecastExportJob 'slow' was not ACTIVE within the create timeout of 30s; it was stopped and "
        "deleted."
    )
    assert world.jobs() == []


def test_adoption_errors_name_the_settings_as_the_plugins_users_write_them(world: World) -> None:
    """The lifecycle's messages, through the plugin, in the schema's names (`adopt: true`, not
    Python's `adopt=True`); values as JSON, their members camelCase too."""
    plugin = provider(world)
    kind = "WhatIfForecastExport"
    existing = world.forecast.create_what_if_forecast_export(
        WhatIfForecastExportName="by_hand",
        WhatIfForecastArns=[world.seeded.what_if_forecast_arn],
        Destination={"S3Config": {"Path": world.path("hand/"), "RoleArn": world.seeded.role_arn}},
        Tags=[{"Key": OWNER_TAG, "Value": "other/stack/job"}],
    )["WhatIfForecastExportArn"]
    world.clock.sleep(120)

    def create(**overrides: Any) -> str:
        inputs = checked(plugin, kind, declared(world, kind, name="by_hand", **overrides))
        with pytest.raises(ForecastError) as refused:
            run(plugin.create(CreateRequest(urn(kind), wire(inputs), 0, False)))
        return str(refused.value)

    assert create().endswith(
        "It is managed by 'other/stack/job'. Choose another name, or set adopt: true to bring the existing "
        "job under this stack's management."
    )
    assert create(adopt=True).endswith('To take it over, set adopt: true and adoptFrom: "other/stack/job".')
    assert create(adopt=True, adoptFrom="other/stack/job").endswith(
        "its settings differ from the declared ones: destination is "
        f'{{"s3Config": {{"path": "{world.path("hand/")}", "roleArn": "{world.seeded.role_arn}"}}}} on AWS '
        f'but {{"s3Config": {{"path": "{world.path()}", "roleArn": "{world.seeded.role_arn}"}}}} here. '
        "Change the declaration to match, or choose another name."
    )
    assert [job["WhatIfForecastExportArn"] for job in world.jobs(kind)] == [existing]


class _TogetherClock(EmulatorClock):
    """The emulator's clock, except that a thread's first sleep waits until `parties` threads are
    asleep: it lets nobody on unless that many creates wait at once (and breaks after `patience`
    seconds of real time otherwise, failing every one of them)."""

    def __init__(self, world: World, parties: int, patience: float = 60.0) -> None:
        super().__init__(world.emulator)
        self.barrier = threading.Barrier(parties, timeout=patience)
        self._lock = threading.Lock()
        self.sleepers: set[int] = set()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            first = threading.get_ident() not in self.sleepers
            self.sleepers.add(threading.get_ident())
        if first:
            self.barrier.wait()
        with self._lock:
            super().sleep(seconds)


def test_concurrent_creates_all_wait_at_once(world: World) -> None:
    """The engine sends up to `--parallel` creates at once, each waiting minutes for its job: all of
    them wait together, more than asyncio's default executor has threads (min(32, cores + 4))."""
    n = 40
    world.emulator.configure(export_quota=n)
    clock = _TogetherClock(world, parties=n)
    plugin = ForecastProvider(Tuning(Backoff(minimum=2.0), clock=clock))
    requests = [
        CreateRequest(
            urn("ForecastExportJob", f"job{i}"),
            wire(checked(plugin, "ForecastExportJob", declared(world, "ForecastExportJob", name=f"job{i}"))),
            0,
            False,
        )
        for i in range(n)
    ]

    async def create_all() -> list[CreateResponse]:
        return await asyncio.gather(*(plugin.create(request) for request in requests))

    created = run(create_all())
    assert not clock.barrier.broken and len(clock.sleepers) == n
    assert [plain(c.properties)[0]["status"] for c in created] == ["ACTIVE"] * n
    assert sorted(job["Status"] for job in world.jobs()) == ["ACTIVE"] * n
