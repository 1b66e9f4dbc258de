"""`make bench`: how the provider scales, as ratios against baselines measured in the same run.

    python -m bench [--job-seconds 20] [--sizes 1,8,32] [--preview-size 100] [--write bench/RESULTS.md]

Everything runs against an in-process Forecast emulator through the real pulumi CLI:

(a) makespan of `pulumi up --parallel N` for N jobs of duration T, quota raised to N: this
    provider, a naive dynamic provider (bench/naive_program.py: fixed 2 s polling, the SDK's
    4-thread provider pool) and N no-op dynamic resources (the engine's own overhead);
(b) the same with Forecast's default quota of 3 jobs in progress;
(c) Describe calls per job and the delay between ACTIVE and noticing it, for the runs in (a)
    and for a 10-minute job, simulated by advancing the emulator's clock;
(d) `pulumi preview` of 100 jobs against 100 no-op dynamic resources, for a new stack and for
    a deployed one with no changes.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pulumi import automation as auto

from forecast_emulator import Emulator, Seeded
from pulumi_aws_forecast import _aws
from pulumi_aws_forecast.catalog import CREATING, KINDS
from tests.e2e.program import PROGRAM as OURS
from tests.harness import PulumiStack, cli_version

HERE = Path(__file__).resolve().parent
NAIVE = (HERE / "naive_program.py").read_text()
NOOP = (HERE / "noop_program.py").read_text()


@dataclass
class Run:
    seconds: float
    failures: int
    describes: int


class Bench:
    def __init__(self, emulator: Emulator, seeded: Seeded, root: Path, job_seconds: float) -> None:
        self.emu, self.seeded, self.root, self.T = emulator, seeded, root, job_seconds
        self.count = 0

    def stack(self, program: str, **config: str) -> PulumiStack:
        self.count += 1
        env = {
            "AWS_ENDPOINT_URL": self.emu.endpoint_url,
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

    def up(self, program: str, n: int, quota: int) -> Run:
        self.emu.configure(job_seconds=self.T, export_quota=quota)
        stack = self.stack(program, count=str(n))
        self.emu.reset_counters()
        start = time.perf_counter()
        failures = 0
        try:
            stack.up(parallel=n)
        except auto.CommandError as error:
            found = re.search(r"(\d+) errored", str(error))
            failures = int(found.group(1)) if found else n
        seconds = time.perf_counter() - start
        describes = self.emu.counters().get("DescribeForecastExportJob", 0)
        self.emu.configure(job_seconds=0.5, export_quota=max(quota, n))
        stack.destroy(parallel=n)
        return Run(seconds, failures, describes)

    def preview(self, program: str, n: int, deployed: bool) -> tuple[float, int]:
        """Seconds for `pulumi preview` of n resources, and the AWS calls it made."""
        self.emu.configure(job_seconds=0.5, export_quota=n)
        stack = self.stack(program, count=str(n))
        if deployed:
            stack.up(parallel=n)
        self.emu.reset_counters()
        start = time.perf_counter()
        stack.preview(parallel=n)
        seconds = time.perf_counter() - start
        calls = sum(v for k, v in self.emu.counters().items() if k[:1].isupper())
        if deployed:
            stack.destroy(parallel=n)
        return seconds, calls

    def simulated_wait(self, job_seconds: float, backoff: _aws.Backoff) -> tuple[int, float]:
        """Describe calls and detection delay of the provider's waiter for one job of `job_seconds`.

        The waiter's sleeps advance the emulator's clock instead of waiting.
        """
        self.emu.configure(job_seconds=job_seconds, export_quota=10)
        forecast = self.emu.client("forecast", region_name=self.seeded.region)
        self.count += 1
        arn = forecast.create_forecast_export_job(
            ForecastExportJobName=f"simulated_{self.count}",
            ForecastArn=self.seeded.forecast_arn,
            Destination={
                "S3Config": {"Path": f"s3://{self.seeded.bucket}/sim/", "RoleArn": self.seeded.role_arn}
            },
        )["ForecastExportJobArn"]
        now = [0.0]

        def sleep(seconds: float) -> None:
            self.emu.advance_clock(seconds)
            now[0] += seconds

        self.emu.reset_counters()
        _aws.wait_for(
            lambda: _aws.job_status(forecast, KINDS["ForecastExportJob"], arn),
            target=frozenset({"ACTIVE"}),
            pending=CREATING,
            deadline=math.inf,
            what=arn,
            backoff=backoff,
            sleep=sleep,
            clock=lambda: now[0],
        )
        calls = self.emu.counters().get("DescribeForecastExportJob", 0)
        forecast.delete_forecast_export_job(ForecastExportJobArn=arn)
        return calls, now[0] - job_seconds


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--job-seconds", type=float, default=20.0, help="T, the emulator's job duration")
    parser.add_argument("--sizes", default="1,8,32", help="numbers of jobs for (a) and (b)")
    parser.add_argument("--preview-size", type=int, default=100)
    parser.add_argument("--write", type=Path, help="also write the printout to this file")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    T = args.job_seconds
    lines: list[str] = []

    def out(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory() as tmp, Emulator(upstream_seconds=0.1, delete_seconds=0.5) as emu:
        seeded = emu.seed(bucket="bench", prefix="bench")
        bench = Bench(emu, seeded, Path(tmp), T)
        pulumi_version = cli_version()
        out("# Benchmarks")
        out()
        out(f"Machine: {_machine()}; pulumi {pulumi_version}; emulator job duration T = {T:g} s.")
        out("Ratios are against numbers measured in the same run.")
        out()

        out("## (a) Makespan, quota raised to N")
        out()
        out(
            "| N | no-op stack (overhead) | ours | ours / T | (ours - overhead) / T | naive | naive / T "
            "| naive / ours | target: ours <= 1.2 T + overhead |"
        )
        out("|---|---|---|---|---|---|---|---|---|")
        describes: dict[tuple[str, int], float] = {}
        for n in sizes:
            noop = bench.up(NOOP, n, quota=n)
            ours = bench.up(OURS, n, quota=n)
            naive = bench.up(NAIVE, n, quota=n)
            describes[("ours", n)] = ours.describes / n
            describes[("naive", n)] = naive.describes / n
            ok = ours.failures == 0 and ours.seconds <= 1.2 * T + noop.seconds
            out(
                f"| {n} | {noop.seconds:.1f} s | {ours.seconds:.1f} s | {ours.seconds / T:.2f} "
                f"| {(ours.seconds - noop.seconds) / T:.2f} | {naive.seconds:.1f} s "
                f"| {naive.seconds / T:.2f} "
                f"| {naive.seconds / ours.seconds:.2f} | {'met' if ok else 'MISSED'} |"
            )
        out()

        out("## (b) Makespan under Forecast's default quota (3 jobs in progress)")
        out()
        out(
            "| N | ceil(N/3) T | ours | ours / (ceil(N/3) T) | ours failures | naive | naive failures "
            "| target: ours <= 1.2 ceil(N/3) T, 0 failures |"
        )
        out("|---|---|---|---|---|---|---|---|")
        for n in [n for n in sizes if n > 3]:
            waves = math.ceil(n / 3) * T
            ours = bench.up(OURS, n, quota=3)
            naive = bench.up(NAIVE, n, quota=3)
            ok = ours.failures == 0 and ours.seconds <= 1.2 * waves
            out(
                f"| {n} | {waves:.0f} s | {ours.seconds:.1f} s | {ours.seconds / waves:.2f} "
                f"| {ours.failures} "
                f"| {naive.seconds:.1f} s | {naive.failures} | {'met' if ok else 'MISSED'} |"
            )
        out()

        out("## (c) Describe calls per job and detection delay")
        out()
        out(
            "| job | ours: Describe calls | ours: delay | naive (2 s fixed): Describe calls | naive: delay "
            "| target: delay <= max(2 s, 10% of T) |"
        )
        out("|---|---|---|---|---|---|")
        for n in sizes:
            out(
                f"| N = {n}, T = {T:g} s, measured in (a) | {describes[('ours', n)]:.1f} | - "
                f"| {describes[('naive', n)]:.1f} | - | - |"
            )
        fixed = _aws.Backoff(minimum=2.0, fraction=0.0, maximum=2.0)
        for seconds in (T, 600.0):
            ours_calls, ours_delay = bench.simulated_wait(seconds, _aws.Backoff())
            naive_calls, naive_delay = bench.simulated_wait(seconds, fixed)
            ok = ours_delay <= max(2.0, 0.1 * seconds) + 1e-6
            out(
                f"| one job, T = {seconds:g} s, simulated | {ours_calls} | {ours_delay:.1f} s "
                f"| {naive_calls} | {naive_delay:.1f} s | {'met' if ok else 'MISSED'} |"
            )
        out()

        out(f"## (d) `pulumi preview` of {args.preview_size} resources")
        out()
        out("| stack | ours | no-op dynamic resources | ours / no-op | AWS calls by ours | target: <= 1.25 |")
        out("|---|---|---|---|---|---|")
        for deployed in (False, True):
            ours_s, ours_calls = bench.preview(OURS, args.preview_size, deployed)
            noop_s, _ = bench.preview(NOOP, args.preview_size, deployed)
            ratio = ours_s / noop_s
            out(
                f"| {'deployed, no changes' if deployed else 'new (all creates)'} | {ours_s:.1f} s "
                f"| {noop_s:.1f} s | {ratio:.2f} | {ours_calls} | {'met' if ratio <= 1.25 else 'MISSED'} |"
            )

    if args.write:
        args.write.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
