"""Faults, bad input, crashes: nothing lost, nothing orphaned, nothing taken.

Each scenario runs through the real pulumi CLI against the emulator's fault injection.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from pulumi import automation as auto

from tests.e2e.world import World, destroy_and_check
from tests.harness import PULUMI, kill_everything_under, poll

# Steers the emulator (its clock, settings, faults or processes): not part of `make acceptance`.
pytestmark = pytest.mark.emulator


def test_throttling(world: World) -> None:
    """Every Forecast operation limited to 2 requests per second: 16 jobs, a tag update, destroy."""
    throttled_lifecycle(world, 16)


@pytest.mark.soak
def test_throttling_with_thirty_two_jobs(world: World) -> None:
    throttled_lifecycle(world, 32)


def throttled_lifecycle(world: World, count: int) -> None:
    world.emulator.configure(job_seconds=2.0, export_quota=count, throttle_rps=2)
    world.emulator.reset_counters()
    stack = world.stack(count=count, tags={"phase": "one"})
    up = stack.up(parallel=count)
    assert up.changes == {"create": count + 1}
    # Nothing but throttling makes a create be sent twice here (no quota, no injected 500s).
    creates = world.emulator.counters()["CreateForecastExportJob"]
    assert creates > count
    print(f"FIGURE throttling at 2 rps: {count} jobs created with {creates} Create calls, 0 failures")
    stack.set_config("tags", json.dumps({"phase": "two"}))
    assert stack.up(parallel=count).changes == {"update": count, "same": 1}
    world.emulator.configure(throttle_rps=0)  # for this test's own checks
    for arn in up.outputs["arns"]:
        assert world.tags(arn)["phase"] == "two"
    world.emulator.configure(throttle_rps=2)
    assert stack.destroy(parallel=count).changes == {"delete": count + 1}
    world.emulator.configure(throttle_rps=0)
    destroy_and_check(world)


def test_transient_errors(world: World) -> None:
    """One Forecast request in ten answers HTTP 500: zero failures."""
    world.emulator.configure(job_seconds=1.0, export_quota=8, error_rate=0.1)
    world.emulator.reset_counters()
    stack = world.stack(count=8, tags={"a": "1"})
    assert stack.up(parallel=8).changes == {"create": 9}
    stack.set_config("tags", json.dumps({"a": "2"}))
    assert stack.up(parallel=8).changes == {"update": 8, "same": 1}
    destroy_and_check(world, stack)
    calls = sum(v for k, v in world.emulator.counters().items() if k[:1].isupper())
    print(
        f"FIGURE 10% transient 500s: 8 jobs created, updated, destroyed over {calls} Forecast calls, "
        "0 failures"
    )


def test_a_job_recreated_behind_our_back_with_other_settings(world: World) -> None:
    stack = world.stack(name="recreated")
    arn = stack.up().outputs["arn"]
    world.forecast.delete_forecast_export_job(ForecastExportJobArn=arn)
    poll(lambda: not world.jobs("ForecastExportJob"), 30, "the out-of-band delete")
    world.forecast.create_forecast_export_job(
        ForecastExportJobName="recreated",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path("elsewhere/"), "RoleArn": world.seeded.role_arn}},
        Format="PARQUET",
    )
    refresh = stack.refresh()
    assert refresh.changes.get("update") == 1
    up = stack.up()
    assert up.changes == {"replace": 1, "same": 1}
    [job] = world.jobs("ForecastExportJob")
    record = world.describe("ForecastExportJob", job["ForecastExportJobArn"])
    assert (record["Format"], record["Destination"]["S3Config"]["Path"]) == ("CSV", world.path())
    destroy_and_check(world, stack)


def test_crash_during_creates_then_documented_recovery(world: World) -> None:
    """SIGKILL the whole `pulumi up` (CLI, language host, provider) while creates wait.

    Recovery, as the README documents it: `pulumi cancel` (the killed run left its lock),
    `pulumi refresh --clear-pending-creates`, then `pulumi up`.
    """
    world.emulator.configure(job_seconds=8.0, export_quota=6)
    stack = world.stack(count=6)
    env = {**os.environ, **stack.env}
    process = subprocess.Popen(
        [
            str(PULUMI),
            "up",
            "--yes",
            "--skip-preview",
            "--parallel",
            "6",
            "--non-interactive",
            "--stack",
            "test",
        ],
        cwd=stack.project_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        poll(lambda: len(world.jobs("ForecastExportJob")) >= 3, 60, "creates to be under way")
    finally:
        kill_everything_under(stack.root, process)
    started = len(world.jobs("ForecastExportJob"))

    with pytest.raises(auto.ConcurrentUpdateError):
        stack.refresh()  # the lock of the killed run
    stack.stack.cancel()
    stack.refresh(clear_pending_creates=True)
    up = stack.up(parallel=6)
    arns = up.outputs["arns"]
    # Every declared job exists exactly once, each is in the state, and nothing else is in the emulator.
    jobs = world.jobs("ForecastExportJob")
    assert sorted(j["ForecastExportJobArn"] for j in jobs) == sorted(arns)
    assert len(set(arns)) == 6
    assert sorted(r["id"] for r in stack.resources("ForecastExportJob")) == sorted(arns)
    assert all(world.describe("ForecastExportJob", arn)["Status"] == "ACTIVE" for arn in arns)
    stack.preview(expect_no_changes=True)
    print(
        f"FIGURE crash: {started} jobs under way at SIGKILL; after recovery 6 jobs, each exactly once, "
        "0 orphans"
    )
    destroy_and_check(world, stack)


def test_no_credentials_in_state_or_output(world: World) -> None:
    stack = world.stack(tags={"a": "1"})
    key, secret = stack.env["AWS_ACCESS_KEY_ID"], stack.env["AWS_SECRET_ACCESS_KEY"]
    printed = [stack.up().output, stack.preview().output, stack.refresh().output]
    stack.set_config("tags", json.dumps({"a": "2"}))
    printed.append(stack.up().output)
    state = stack.state_text()
    for text in [*printed, state]:
        assert key not in text and secret not in text
    [resource] = stack.resources("ForecastExportJob")
    provider = resource["inputs"]["__provider"]
    assert isinstance(provider, str) and len(provider) < 1000  # a reference, not a captured client
    printed.append(stack.destroy().output)
    assert not any(key in text or secret in text for text in printed)
