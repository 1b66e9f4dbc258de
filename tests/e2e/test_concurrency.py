"""Many jobs at once: the provider process's 4-thread limit is lifted, and the quota is waited out.

These tests assert what happened (how many jobs were in progress together, how many
failed), not how long it took: the timings are in bench/.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from pulumi_aws_forecast import _concurrency
from tests.e2e.world import World, destroy_and_check

# Steers the emulator (its clock, settings, faults or processes): not part of `make acceptance`.
pytestmark = pytest.mark.emulator


def peak_overlap(world: World, arns: list[str]) -> int:
    """The most jobs that were in progress at the same moment, from their Describe records."""
    events: list[tuple[datetime, int]] = []
    for arn in arns:
        record = world.describe("ForecastExportJob", arn)
        assert record["Status"] == "ACTIVE"
        events += [(record["CreationTime"], 1), (record["LastModificationTime"], -1)]
    peak = current = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):
        current += step
        peak = max(peak, current)
    return peak


def test_eight_creates_wait_together(world: World) -> None:
    """With the pool at its hard-coded 4 workers, at most 4 of these could ever be in progress together.

    If this fails after a pulumi upgrade, the dynamic provider's server changed: see
    provider/pulumi_aws_forecast/_concurrency.py for what it relies on.
    """
    # 8 s: long enough that all eight are still in progress when the last Create arrives, even
    # on a loaded machine (the suite runs on several workers).
    world.emulator.configure(job_seconds=8.0, export_quota=8)
    stack = world.stack(count=8)
    up = stack.up(parallel=8)
    assert up.changes == {"create": 9}
    assert peak_overlap(world, up.outputs["arns"]) == 8
    destroy_and_check(world, stack)


def test_the_quota_is_waited_out_with_zero_failures(world: World) -> None:
    world.emulator.configure(job_seconds=1.0, export_quota=3)
    stack = world.stack(count=7)
    up = stack.up(parallel=7)
    assert up.changes == {"create": 8}
    arns = up.outputs["arns"]
    assert peak_overlap(world, arns) == 3
    assert "waiting for a free slot, the account is at its limit" in up.output
    creates = world.emulator.counters()["CreateForecastExportJob"]
    assert creates > 7  # some creates were refused, then retried
    print(
        f"FIGURE quota 3: 7 jobs, peak 3 in progress, {creates} Create calls "
        f"({creates - 7} refused), 0 failures"
    )
    destroy_and_check(world, stack)


def test_the_pool_is_left_alone_outside_the_provider_process() -> None:
    assert not _concurrency.in_dynamic_provider_process()
    assert _concurrency.widen_provider_pool() == 0


def test_the_pulumi_sdk_still_serves_dynamic_providers_on_a_grpc_thread_pool() -> None:
    """What _concurrency relies on, read from the installed SDK: fails loudly when it changes."""
    import importlib.util
    import inspect
    from concurrent.futures import ThreadPoolExecutor

    from grpc import _server

    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.origin is not None
    with open(spec.origin) as main:
        source = main.read()
    assert "grpc.server(" in source and "ThreadPoolExecutor(max_workers=" in source
    assert "thread_pool" in inspect.signature(_server._ServerState.__init__).parameters
    assert "_max_workers" in inspect.getsource(ThreadPoolExecutor._adjust_thread_count)
