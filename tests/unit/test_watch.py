"""Waiting for many jobs at once: one List sweep serves every waiter; slots wake quota waiters."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pulumi_aws_forecast import _tuning, _wait, _watch
from pulumi_aws_forecast.catalog import KINDS

KIND = KINDS["ForecastExportJob"]
PARENT = "arn:aws:forecast:us-east-1:123456789012:forecast/demand"


class FakeList:
    """ListForecastExportJobs over a dict of statuses, counting calls; pages of `page` jobs."""

    def __init__(self, statuses: dict[str, str], page: int = 100) -> None:
        self.statuses = statuses
        self.page = page
        self.calls: list[dict[str, Any]] = []
        self.fail = 0

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(request)
        if self.fail:
            self.fail -= 1
            raise RuntimeError("AccessDeniedException: not allowed to list")
        start = int(request.get("NextToken", 0))
        arns = sorted(self.statuses)[start : start + self.page]
        result: dict[str, Any] = {
            "ForecastExportJobs": [{"ForecastExportJobArn": a, "Status": self.statuses[a]} for a in arns]
        }
        if start + self.page < len(self.statuses):
            result["NextToken"] = str(start + self.page)
        return result


def sweep(lister: FakeList) -> _watch.Sweep:
    found = _watch.Sweeps().get("us-east-1", KIND, PARENT, lister)
    assert found is not None
    return found


def test_one_list_sweep_serves_every_waiter() -> None:
    arns = [f"arn:job/{i:03d}" for i in range(150)]
    lister = FakeList(dict.fromkeys(arns, "CREATE_IN_PROGRESS"), page=100)
    s = sweep(lister)
    seen: dict[str, str] = {}
    results: dict[str, tuple[dict[str, Any] | None, bool]] = {}

    def wait(arn: str) -> None:
        results[arn] = s.wait(arn, lambda _elapsed: 0.5, timeout=10)

    threads = [threading.Thread(target=wait, args=(a,)) for a in arns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for arn, (summary, found) in results.items():
        assert found and summary is not None
        seen[arn] = summary["Status"]
    assert set(seen.values()) == {"CREATE_IN_PROGRESS"}
    # 150 waiters: a handful of sweeps of two pages each, not 150 Describes.
    assert s.sweeps <= 3 and len(lister.calls) == 2 * s.sweeps
    assert lister.calls[0]["Filters"] == [{"Key": "ForecastArn", "Condition": "IS", "Value": PARENT}]
    for arn in arns:
        s.forget(arn)


def test_a_waiter_wakes_when_its_job_changes() -> None:
    lister = FakeList({"arn:job/a": "CREATE_IN_PROGRESS"})
    s = sweep(lister)
    assert s.wait("arn:job/a", lambda _e: 0.01, timeout=10)[0] == {
        "ForecastExportJobArn": "arn:job/a",
        "Status": "CREATE_IN_PROGRESS",
    }
    lister.statuses["arn:job/a"] = "ACTIVE"
    summary, seen = s.wait("arn:job/a", lambda _e: 0.01, timeout=10)
    assert seen and summary is not None and summary["Status"] == "ACTIVE"
    s.forget("arn:job/a")


def test_a_job_not_listed_yet_is_reported_unseen() -> None:
    s = sweep(FakeList({}))
    summary, seen = s.wait("arn:job/new", lambda _e: 0.01, timeout=10)
    assert (summary, seen) == (None, False)
    s.forget("arn:job/new")


def test_a_list_that_keeps_failing_breaks_the_sweep_and_waiters_describe_instead() -> None:
    lister = FakeList({"arn:job/a": "CREATE_IN_PROGRESS"})
    lister.fail = 10
    s = sweep(lister)
    with pytest.raises(_watch.SweepBroken, match="not allowed to list"):
        s.wait("arn:job/a", lambda _e: 0.01, timeout=10)
    assert len(lister.calls) == 3  # _FAILURES_TO_GIVE_UP


def test_kinds_with_a_list_of_parents_have_no_sweep() -> None:
    assert _watch.Sweeps().get("us-east-1", KINDS["WhatIfForecastExport"], PARENT, FakeList({})) is None


def test_a_freed_slot_wakes_a_waiting_create() -> None:
    slots = _watch.Slots()
    woke: list[bool] = []
    ready = threading.Event()

    def wait() -> None:
        ready.set()
        woke.append(slots.wait("us-east-1", KIND, timeout=30))

    thread = threading.Thread(target=wait)
    thread.start()
    ready.wait()
    # Free slots until the waiter has noticed (it may not be waiting yet at the first).
    while thread.is_alive():
        slots.freed("us-east-1", KIND)
        thread.join(timeout=0.05)
    assert woke == [True]
    assert slots.wait("us-east-1", KIND, timeout=0) is False  # nothing freed since


class FakeClock(_tuning.Clock):
    sweeps = False

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.naps: list[float] = []

    def now(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.elapsed += seconds


def test_retry_retries_what_it_is_told_and_gives_up_at_its_deadline() -> None:
    clock = FakeClock()
    tuning = _tuning.Tuning(_tuning.Backoff(minimum=2.0), clock=clock)
    refusals = iter([ValueError("later"), ValueError("later")])

    def attempt() -> str:
        error = next(refusals, None)
        if error is not None:
            raise error
        return "done"

    announced: list[float] = []
    retryable = lambda e: isinstance(e, ValueError)  # noqa: E731
    found = _wait.retry(
        attempt, retryable=retryable, until=60, tuning=tuning, announce=lambda _e, d: announced.append(d)
    )
    assert found == "done" and announced == clock.naps == [2.0, 2.0]

    def refuse() -> str:
        raise ValueError("still later")

    with pytest.raises(_wait.GaveUp) as gave_up:
        _wait.retry(refuse, retryable=retryable, until=clock.now() + 7, tuning=tuning)
    assert str(gave_up.value.error) == "still later" and gave_up.value.waited == 7

    def broken() -> str:
        raise KeyError("x")

    with pytest.raises(KeyError):  # not retryable: raised at once
        _wait.retry(broken, retryable=retryable, until=1e9, tuning=tuning)


def test_the_tuning_reads_the_environment_once() -> None:
    tuning = _tuning.Tuning.from_environment(
        {"PULUMI_AWS_FORECAST_POLL_MIN_SECONDS": "0.1", "PULUMI_AWS_FORECAST_IAM_PROPAGATION_SECONDS": "3"}
    )
    assert (tuning.backoff.minimum, tuning.iam_propagation_seconds) == (0.1, 3.0)
    assert _tuning.Tuning.from_environment({}) == _tuning.Tuning()
