"""Progress while jobs run: the plugin's status messages, as the engine receives them.

A small engine in the test (gRPC `Engine` service, its `Log` call only) records what the plugin
sends; the emulator's clock moves instead of anyone waiting, as in the other provider tests.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2  # type: ignore[import-untyped]
from pulumi.provider.experimental.provider import CreateRequest, DeleteRequest
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from pulumi_aws_forecast._plugin import ForecastProvider
from pulumi_aws_forecast._plugin_values import wire
from pulumi_aws_forecast._progress import interval
from pulumi_aws_forecast._wait import Backoff, Tuning
from tests.provider.conftest import World
from tests.provider.test_plugin import checked, declared, urn


class _Engine(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self.logs: list[engine_pb2.LogRequest] = []

    def Log(self, request: engine_pb2.LogRequest, context: Any) -> empty_pb2.Empty:
        self.logs.append(request)
        return empty_pb2.Empty()


@pytest.fixture
def engine() -> Iterator[tuple[_Engine, str]]:
    servicer = _Engine()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    engine_pb2_grpc.add_EngineServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield servicer, f"127.0.0.1:{port}"
    finally:
        server.stop(None)


def _fill_the_quota(world: World) -> None:
    """Three forecast export jobs in progress, made outside the stack: the account's quota (3)."""
    for n in range(3):
        world.forecast.create_forecast_export_job(
            ForecastExportJobName=f"busy_{n}",
            ForecastArn=world.seeded.forecast_arn,
            Destination={"S3Config": {"Path": world.path(f"busy{n}/"), "RoleArn": world.seeded.role_arn}},
        )


def _plugin(world: World, address: str) -> ForecastProvider:
    plugin = ForecastProvider(Tuning(Backoff(minimum=2.0), clock=world.clock))
    plugin.connect_engine(address)
    return plugin


def _seconds(text: str) -> int:
    """`12s`, `4m05s`, `1h02m` -> seconds."""
    found = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    assert found and text, text
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + seconds


_STATUS = re.compile(
    r"(CREATE_PENDING|CREATE_IN_PROGRESS|ACTIVE) for (\w+)(, about (\d+) min left \(Forecast's estimate\))?"
)


def test_a_running_job_shows_its_state_time_and_estimate_as_status_messages(
    world: World, engine: tuple[_Engine, str], caplog: pytest.LogCaptureFixture
) -> None:
    fake, address = engine
    world.emulator.configure(job_seconds=300)
    kind = "WhatIfForecastExport"  # the one export kind whose Describe gives an estimate
    plugin = _plugin(world, address)
    inputs = checked(plugin, kind, declared(world, kind))
    with caplog.at_level(logging.INFO, logger="pulumi_aws_forecast"):
        asyncio.run(plugin.create(CreateRequest(urn(kind), wire(inputs), 0, False)))

    assert fake.logs, "no status message reached the engine"
    assert all(log.ephemeral and log.urn == urn(kind) for log in fake.logs)
    assert {log.severity for log in fake.logs} == {engine_pb2.INFO}
    seen = [_STATUS.fullmatch(log.message) for log in fake.logs]
    assert all(seen), [log.message for log in fake.logs]
    states = [(m.group(1), _seconds(m.group(2)), m.group(4)) for m in seen if m]
    # The states in order, how long the job has run, and Forecast's minutes left while it runs.
    assert [s for s, _, _ in states][-1] == "ACTIVE"
    assert "CREATE_IN_PROGRESS" in {s for s, _, _ in states}
    times = [t for _, t, _ in states]
    assert times == sorted(times) and times[-1] >= 300
    # Forecast's estimate while the job runs (the emulator's: the minutes left of its 5), none once ACTIVE.
    assert states[0] == ("CREATE_PENDING", 0, "5")
    estimates = [int(m) for s, _, m in states if s != "ACTIVE" and m is not None]
    assert len(estimates) == len(states) - 1 and estimates == sorted(estimates, reverse=True)
    assert estimates[-1] == 1 and states[-1][2] is None
    # Rate-limited: the same state at most once per interval (5 s, then 10 % of the time, at most
    # 30 s), so far fewer messages than looks at the job.
    for (state, at, _), (next_state, next_at, _) in itertools.pairwise(states):
        assert next_state != state or next_at - at >= interval(next_at) - 1, states  # whole seconds shown
    describes = world.emulator.counters()["DescribeWhatIfForecastExport"]
    assert len(fake.logs) < describes / 2, (len(fake.logs), describes)
    # Not diagnostics: nothing of it went to the log's handlers (stderr, in the plugin).
    assert not [r for r in caplog.records if hasattr(r, "progress")]


def test_a_job_without_an_estimate_shows_its_state_and_time_and_a_delete_its_own(
    world: World, engine: tuple[_Engine, str]
) -> None:
    fake, address = engine
    kind = "ForecastExportJob"  # Describe gives no estimate for it
    plugin = _plugin(world, address)
    inputs = checked(plugin, kind, declared(world, kind))
    asyncio.run(plugin.create(CreateRequest(urn(kind), wire(inputs), 0, False)))
    messages = [log.message for log in fake.logs]
    assert all(_STATUS.fullmatch(m) and "estimate" not in m for m in messages), messages
    assert re.fullmatch(r"ACTIVE for 1m0\ds", messages[-1]), messages

    # Deleting a job still running stops it first: the delete's line says how that goes.
    fake.logs.clear()
    running = world.forecast.create_forecast_export_job(
        ForecastExportJobName="running",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path(), "RoleArn": world.seeded.role_arn}},
    )["ForecastExportJobArn"]
    state = wire({**inputs, "name": "running", "arn": running})
    asyncio.run(plugin.delete(DeleteRequest(urn(kind, "running"), running, state, 0)))
    assert all(log.ephemeral and log.urn == urn(kind, "running") for log in fake.logs)
    states = [log.message.split(" ")[0] for log in fake.logs]
    assert states[0] in {"CREATE_STOPPING", "CREATE_STOPPED"} and states[-1] == "gone", states
    assert "DELETE_IN_PROGRESS" in states, states
    assert running not in {job["ForecastExportJobArn"] for job in world.jobs(kind)}


def test_the_quota_wait_says_what_it_waits_for_on_the_resources_line(
    world: World, engine: tuple[_Engine, str], caplog: pytest.LogCaptureFixture
) -> None:
    fake, address = engine
    kind = "ForecastExportJob"
    plugin = _plugin(world, address)
    inputs = checked(plugin, kind, declared(world, kind))
    _fill_the_quota(world)
    with caplog.at_level(logging.INFO, logger="pulumi_aws_forecast"):
        asyncio.run(plugin.create(CreateRequest(urn(kind), wire(inputs), 0, False)))
    waits = [log.message for log in fake.logs if log.message.startswith("waiting")]
    assert waits, [log.message for log in fake.logs]
    assert all(log.ephemeral and log.urn == urn(kind) for log in fake.logs)
    assert re.fullmatch(
        r"waiting for a free slot, the account is at its limit of export jobs in progress \(0s\); "
        r"next try in \d+s",
        waits[0],
    ), waits
    # The retries' warnings became status messages: none is a diagnostic (stderr) any more.
    assert not [r for r in caplog.records if "free slot" in r.getMessage()]


def test_the_iam_wait_says_what_it_waits_for_on_the_resources_line(
    world: World, engine: tuple[_Engine, str]
) -> None:
    fake, address = engine
    world.emulator.configure(iam_propagation_seconds=30)
    role = world.make_role("Fresh", ["s3:Get*", "s3:List*", "s3:PutObject"])
    kind = "ForecastExportJob"
    plugin = _plugin(world, address)
    destination = {"s3Config": {"path": world.path(), "roleArn": role}}
    inputs = checked(plugin, kind, declared(world, kind, destination=destination))
    asyncio.run(plugin.create(CreateRequest(urn(kind), wire(inputs), 0, False)))
    waits = [log.message for log in fake.logs if log.message.startswith("waiting")]
    assert waits and all(
        re.fullmatch(
            rf"waiting for IAM role {re.escape(role)} to become usable by Forecast \(\w+\); next try in \w+",
            w,
        )
        for w in waits
    ), waits
    assert fake.logs[-1].message.startswith("ACTIVE for ")


def test_without_an_engine_the_quota_wait_is_a_warning_as_before_and_the_looks_are_silent(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    kind = "ForecastExportJob"
    plugin = ForecastProvider(Tuning(Backoff(minimum=2.0), clock=world.clock))
    inputs = checked(plugin, kind, declared(world, kind))
    _fill_the_quota(world)
    with caplog.at_level(logging.INFO, logger="pulumi_aws_forecast"):
        asyncio.run(plugin.create(CreateRequest(urn(kind), wire(inputs), 0, False)))
    shown = [r.getMessage() for r in caplog.records]
    assert [m for m in shown if "waiting for a free slot" in m], shown
    assert not [m for m in shown if " is CREATE_" in m], shown
