"""The bench's mechanics: stacks of the four programs against one emulator, timed through the CLI.

`Bench` makes throwaway stacks (tests/harness.py's `PulumiStack`, the real pulumi CLI) of our
program (tests/e2e/program.py: the dynamic resources), the same jobs through the provider plugin
(plugin_program.py), the naive dynamic provider
(naive_program.py) or N no-op dynamic resources (noop_program.py), pointed at the emulator (or at
a `RecordingProxy` in front of it),
and times `pulumi up`, `preview`, `refresh` and `destroy` on them. What the scenarios do with the
numbers is in scenarios.py.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pulumi import automation as auto

from bench.probe import EmulatorProcess, ProcessProbe, Usage
from forecast_emulator import RemoteEmulator, Seeded
from tests.e2e.program import PROGRAM as OURS
from tests.harness import PulumiStack

HERE = Path(__file__).resolve().parent
NAIVE = (HERE / "naive_program.py").read_text()
NOOP = (HERE / "noop_program.py").read_text()
PLUGIN = (HERE / "plugin_program.py").read_text()
PROGRAMS = {"ours": OURS, "plugin": PLUGIN, "naive": NAIVE, "no-op": NOOP}


@dataclass
class Run:
    """One `pulumi up`."""

    seconds: float
    failures: int
    describes: int
    #: Requests the emulator counted during `pulumi up`, by operation (and by service for S3, IAM...).
    requests: dict[str, int] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    emulator_cpu: float = 0.0
    #: Per job: seconds from its ACTIVE time to the engine reporting it created.
    delays: list[float] = field(default_factory=list)
    #: Per job: seconds from the start of `pulumi up` to the engine reporting it created.
    noticed: list[float] = field(default_factory=list)
    #: The first few errors `pulumi up` reported, if it failed, each prefixed "program, N = n: ".
    errors: list[str] = field(default_factory=list)
    #: time.time() when `pulumi up` started and ended.
    started_at: float = 0.0
    ended_at: float = 0.0


@dataclass
class Timings:
    """Alternated runs of one CLI operation on two stacks, and the AWS calls of the first's runs."""

    seconds: list[list[float]]
    #: Forecast requests per run of the first stack's operation, by operation (totals over its runs).
    requests: dict[str, int]

    def medians(self) -> list[float]:
        return [statistics.median(runs) for runs in self.seconds]


class Bench:
    """Stacks against one emulator subprocess, seeded once; every stack has its own S3 prefix."""

    def __init__(self, emulator: EmulatorProcess, seeded: Seeded, root: Path, job_seconds: float) -> None:
        self.proc, self.seeded, self.root, self.T = emulator, seeded, root, job_seconds
        self.emu: RemoteEmulator = emulator.remote
        self.count = 0

    def stack(self, program: str, endpoint: str | None = None, **config: str) -> PulumiStack:
        self.count += 1
        env = {
            "AWS_ENDPOINT_URL": endpoint or self.emu.endpoint_url,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": self.seeded.region,
        }
        settings = {
            "parentArn": self.seeded.forecast_arn,
            "path": f"s3://{self.seeded.bucket}/bench{self.count}/",
            "roleArn": self.seeded.role_arn,
            **config,
        }
        return PulumiStack(self.root / f"stack{self.count}", program, env=env, config=settings)

    def up(
        self,
        program: str,
        n: int,
        quota: int,
        job_seconds: float | None = None,
        endpoint: str | None = None,
    ) -> Run:
        """`pulumi up --parallel n` of n resources of `program` (jobs of `job_seconds`, default T,
        under `quota`), measured; then the stack is destroyed."""
        T = self.T if job_seconds is None else job_seconds
        self.emu.configure(job_seconds=T, export_quota=quota)
        stack = self.stack(program, endpoint, count=str(n))
        self.emu.reset_counters()
        run = Run(0.0, 0, 0)
        start = time.perf_counter()
        run.started_at = time.time()

        def on_event(event: auto.EngineEvent) -> None:
            outputs = event.res_outputs_event
            if (
                outputs is None
                or outputs.metadata.new is None
                or "ForecastExportJob" not in outputs.metadata.type
            ):
                return
            seen = time.time()
            run.noticed.append(seen - run.started_at)
            found = outputs.metadata.new.outputs or {}
            modified = found.get("last_modification_time") or found.get("lastModificationTime")  # plugin
            if modified:  # the emulator's clock is this machine's: the bench never moves it
                run.delays.append(seen - datetime.fromisoformat(str(modified)).timestamp())

        emulator_cpu = self.proc.cpu_seconds()
        with ProcessProbe(exclude={self.proc.pid}) as probe:
            try:
                stack.up(parallel=n, on_event=on_event)
            except auto.CommandError as error:
                found = re.search(r"(\d+) errored", str(error))
                run.failures = int(found.group(1)) if found else n
                name = program_name(program)
                run.errors = [f"{name}, N = {n}: {line}" for line in _errors(str(error))]
        run.seconds = time.perf_counter() - start
        run.ended_at = time.time()
        run.emulator_cpu = self.proc.cpu_seconds() - emulator_cpu
        run.usage = probe.usage()
        run.requests = self.emu.counters()
        run.describes = run.requests.get("DescribeForecastExportJob", 0)
        self.emu.configure(job_seconds=0.5, export_quota=max(quota, n))
        stack.destroy(parallel=n)
        return run

    def deployed(self, programs: list[str], n: int) -> list[PulumiStack]:
        """A stack of n resources of each program, up (jobs of 0.5 s, quota n)."""
        self.emu.configure(job_seconds=0.5, export_quota=n)
        stacks = [self.stack(program, count=str(n)) for program in programs]
        for stack in stacks:
            stack.up(parallel=n)
        return stacks

    def alternated(
        self, stacks: list[PulumiStack], runs: int, operation: Callable[[PulumiStack], object]
    ) -> Timings:
        """`operation` on each stack in turn, `runs` times, so a slow spell of the machine hits them
        alike; the emulator's Forecast requests of the first stack's runs are counted."""
        seconds: list[list[float]] = [[] for _ in stacks]
        requests: dict[str, int] = {}
        for _ in range(runs):
            for index, stack in enumerate(stacks):
                self.emu.reset_counters()
                start = time.perf_counter()
                operation(stack)
                seconds[index].append(time.perf_counter() - start)
                if index == 0:
                    for name, count in self.emu.counters().items():
                        if name[:1].isupper():  # Forecast operations; S3, IAM... are by service
                            requests[name] = requests.get(name, 0) + count
        return Timings(seconds, requests)

    def destroy(self, stacks: list[PulumiStack], n: int) -> None:
        self.emu.configure(job_seconds=0.5, export_quota=n)
        for stack in stacks:
            stack.destroy(parallel=n)


def program_name(program: str) -> str:
    return next((name for name, source in PROGRAMS.items() if source == program), "program")


def _errors(text: str, limit: int = 3) -> list[str]:
    """The first distinct `error:` lines of a failed pulumi command's output."""
    found: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if "error:" in line and line not in found:
            found.append(line[:300])
    return found[:limit]
