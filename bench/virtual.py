"""AWS's timescale on a virtual clock: N export jobs of T minutes under the quota of 3, created at once
through the provider's real lifecycle (`ExportLifecycle`: its quota wait, its polls, its backoff)
against an in-process emulator whose clock moves only when every job's thread is asleep.

`VirtualClock` is the provider tier's moved clock (tests/provider/conftest.py) for many threads: a
thread's sleep parks it until the virtual time it asked for; when every thread is parked, the clock
(and the emulator's) jumps to the earliest wake-up. So two hours of waiting take seconds, and the
provider cannot tell. The emulator's clock also runs in real time (the run's own minute or so):
makespans are read on it, the world's time. Its `sweeps` is off (a sweep is a real-time
thread): each job is described on its own, the path what-if forecast exports always take.
"""

from __future__ import annotations

import heapq
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from forecast_emulator import Emulator
from pulumi_aws_forecast._lifecycle import ExportLifecycle, Timeouts
from pulumi_aws_forecast._plan import Planner
from pulumi_aws_forecast._tuning import Clock, Tuning
from pulumi_aws_forecast.catalog import KINDS, ResourceKind

KIND = KINDS["ForecastExportJob"]
OWNER = "bench/virtual/job"


class VirtualClock(Clock):
    """Virtual time shared by `threads` threads: it advances only when all of them sleep."""

    sweeps = False

    def __init__(self, emulator: Emulator, threads: int) -> None:
        self.emulator, self.t, self.awake = emulator, 0.0, threads
        self._cond = threading.Condition()
        self._sleepers: list[tuple[float, int, list[bool]]] = []
        self._seq = 0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        with self._cond:
            woken = [False]
            self._seq += 1
            heapq.heappush(self._sleepers, (self.t + max(seconds, 0.0), self._seq, woken))
            self.awake -= 1
            self._advance_if_idle()
            while not woken[0]:
                self._cond.wait()

    def sleep_until_freed(self, region: str, kind: ResourceKind, seconds: float) -> None:
        self.sleep(seconds)  # as a create in another process waits: its backoff, no early wake-up

    def done(self) -> None:
        """A thread stops taking part (its job is over)."""
        with self._cond:
            self.awake -= 1
            self._advance_if_idle()

    def _advance_if_idle(self) -> None:
        if self.awake or not self._sleepers:
            return
        wake = self._sleepers[0][0]
        if wake > self.t:
            self.emulator.advance_clock(wake - self.t)
            self.t = wake
        while self._sleepers and self._sleepers[0][0] <= self.t:
            _, _, woken = heapq.heappop(self._sleepers)
            woken[0] = True
            self.awake += 1
        self._cond.notify_all()


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(n: int, job_seconds: float, quota: int = 3) -> dict[str, Any]:
    """Create `n` jobs of `job_seconds` at once under `quota`; makespan and calls per job."""
    with Emulator(job_seconds=job_seconds, upstream_seconds=0, stop_seconds=10, delete_seconds=10) as emu:
        emu.configure(
            job_seconds=job_seconds, export_quota=quota, consistency_seconds=0, iam_propagation_seconds=0
        )
        seeded = emu.seed()
        emu.reset_counters()
        environment = {
            "AWS_ENDPOINT_URL": emu.endpoint_url,
            "AWS_ACCESS_KEY_ID": "AKIAEMULATOREXAMPLE1",
            "AWS_SECRET_ACCESS_KEY": "emulator-secret-key-example",
            "AWS_DEFAULT_REGION": seeded.region,
        }
        clock = VirtualClock(emu, n)
        planner = Planner(KIND, OWNER, {})
        lifecycle = ExportLifecycle(planner, Timeouts(create=24 * 3600.0), Tuning(clock=clock))
        ended: list[float] = []
        errors: list[str] = []

        def one(index: int) -> None:
            try:
                news = {
                    "forecast_arn": seeded.forecast_arn,
                    "name": f"virtual_{index:03d}",
                    "destination": {
                        "s3_config": {"path": f"s3://{seeded.bucket}/v/{index}/", "role_arn": seeded.role_arn}
                    },
                }
                checked = planner.check({}, news)
                lifecycle.create(checked.inputs)
                # The emulator's time: the virtual time plus the real time the run has taken so far.
                ended.append(clock.now() + time.monotonic() - started)
            except Exception as error:  # recorded, the run goes on
                errors.append(f"{type(error).__name__}: {error}")
            finally:
                clock.done()

        started = time.monotonic()
        with _environment(environment):
            threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        counters = emu.counters()
    waves = math.ceil(n / quota) * job_seconds
    makespan = max(ended, default=0.0)
    per_job = {
        op: round(count / n, 2)
        for op, count in sorted(counters.items())
        if op.startswith(("Create", "Describe", "List")) and "Export" in op
    }
    return {
        "n": n,
        "T": job_seconds,
        "quota": quota,
        "makespan": makespan,
        "waves": waves,
        "ratio": makespan / waves,
        "failures": len(errors),
        "errors": errors[:5],
        "calls_per_job": per_job,
    }


if __name__ == "__main__":
    import json
    import logging

    logging.getLogger("pulumi_aws_forecast").setLevel(logging.ERROR)
    print(json.dumps(run(32, 600.0), indent=2))
