"""`make bench`: how the provider scales, as ratios against baselines measured in the same run.

    python -m bench [--only SCENARIO,...] [--job-seconds 20] [--sizes 1,8,32] [--preview-size 100]
                    [--big 128] [--write bench/RESULTS.md] [--json FILE] [--baseline FILE]

Everything runs through the real pulumi CLI against a Forecast emulator started as a subprocess
(`python -m forecast_emulator serve`), so its CPU time is its own. Scenarios (--only picks some):

makespan  (a) `pulumi up --parallel N` for N jobs of duration T, quota raised to N: this provider,
          a naive dynamic provider (bench/naive_program.py: fixed 2 s polling, the SDK's 4-thread
          provider pool) and N no-op dynamic resources (the engine's own overhead);
quota     (b) the same with Forecast's default quota of 3 jobs in progress;
detection (c) Describe calls per job and the delay between ACTIVE and noticing it, for the runs in
          (a) (when run) and for a 10-minute job, simulated by advancing the emulator's clock;
preview   (d) `pulumi preview` of 100 jobs against 100 no-op dynamic resources, for a new stack
          and for a deployed one with no changes: the median of --preview-runs runs of each,
          alternated, with pulumi_aws_forecast byte-compiled first as pip does when it installs a
          wheel (the no-op side's libraries, pulumi and dill, are compiled already);
big       (e) N = --big jobs (quota raised) at T = --job-seconds beside N no-op dynamic resources;
big-fast  (e) the same at T = 0.2 s;
table     (f) the emulator's own time per request with 100, 1,000 and 10,000 jobs in its table;
server    (g) Describe round trips through boto3 and HTTP, from one thread and from 32.

(e) comes with a breakdown of each run: the dynamic-provider process's CPU time and peak RSS, the
engine's CPU time, the emulator's CPU time, requests per job by operation, and the spread of the
delay between a job's ACTIVE time (its LastModificationTime) and the moment the engine reported the
resource created (the Automation API's event stream, read every 0.1 s).
--json writes the measurements; --baseline reads such a file (bench/before.json: the code before
issue 14) and shows its numbers in the same tables, marked "before".
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import platform
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pulumi import automation as auto

import pulumi_aws_forecast
from bench import table
from bench.probe import EmulatorProcess, ProcessProbe, Usage
from forecast_emulator import RemoteEmulator, Seeded
from pulumi_aws_forecast import _aws
from pulumi_aws_forecast.catalog import CREATING, KINDS
from tests.e2e.program import PROGRAM as OURS
from tests.harness import PulumiStack, cli_version

HERE = Path(__file__).resolve().parent
NAIVE = (HERE / "naive_program.py").read_text()
NOOP = (HERE / "noop_program.py").read_text()
SCENARIOS = ("makespan", "quota", "detection", "preview", "big", "big-fast", "table", "server")


@dataclass
class Run:
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
    #: The first few errors `pulumi up` reported, if it failed.
    errors: list[str] = field(default_factory=list)


class Bench:
    def __init__(self, emulator: EmulatorProcess, seeded: Seeded, root: Path, job_seconds: float) -> None:
        self.proc, self.seeded, self.root, self.T = emulator, seeded, root, job_seconds
        self.emu: RemoteEmulator = emulator.remote
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

    def up(self, program: str, n: int, quota: int, job_seconds: float | None = None) -> Run:
        T = self.T if job_seconds is None else job_seconds
        self.emu.configure(job_seconds=T, export_quota=quota)
        stack = self.stack(program, count=str(n))
        offset = self.proc.clock_offset()
        self.emu.reset_counters()
        run = Run(0.0, 0, 0)
        start = time.perf_counter()
        wall_start = time.time()

        def on_event(event: auto.EngineEvent) -> None:
            outputs = event.res_outputs_event
            if (
                outputs is None
                or outputs.metadata.new is None
                or "ForecastExportJob" not in outputs.metadata.type
            ):
                return
            seen = time.time()
            run.noticed.append(seen - wall_start)
            modified = (outputs.metadata.new.outputs or {}).get("last_modification_time")
            if modified:
                active = datetime.fromisoformat(str(modified)).timestamp() - offset
                run.delays.append(seen - active)

        emulator_cpu = self.proc.cpu_seconds()
        with ProcessProbe(exclude={self.proc.pid}) as probe:
            try:
                stack.up(parallel=n, on_event=on_event)
            except auto.CommandError as error:
                found = re.search(r"(\d+) errored", str(error))
                run.failures = int(found.group(1)) if found else n
                run.errors = _errors(str(error))
                errors_seen.extend(f"{program_name(program)}, N = {n}: {line}" for line in run.errors)
        run.seconds = time.perf_counter() - start
        run.emulator_cpu = self.proc.cpu_seconds() - emulator_cpu
        run.usage = probe.usage()
        run.requests = self.emu.counters()
        run.describes = run.requests.get("DescribeForecastExportJob", 0)
        self.emu.configure(job_seconds=0.5, export_quota=max(quota, n))
        stack.destroy(parallel=n)
        return run

    def previews(
        self, programs: list[str], n: int, deployed: bool, runs: int
    ) -> list[tuple[list[float], int]]:
        """Per program: the seconds of `runs` runs of `pulumi preview` of n resources, and the AWS
        calls they made. The programs take turns, so a slow spell of the machine hits them alike."""
        self.emu.configure(job_seconds=0.5, export_quota=n)
        stacks = [self.stack(program, count=str(n)) for program in programs]
        if deployed:
            for stack in stacks:
                stack.up(parallel=n)
        seconds: list[list[float]] = [[] for _ in programs]
        calls = [0 for _ in programs]
        for _ in range(runs):
            for index, stack in enumerate(stacks):
                self.emu.reset_counters()
                start = time.perf_counter()
                stack.preview(parallel=n)
                seconds[index].append(time.perf_counter() - start)
                calls[index] += sum(v for k, v in self.emu.counters().items() if k[:1].isupper())
        if deployed:
            for stack in stacks:
                stack.destroy(parallel=n)
        return list(zip(seconds, calls, strict=True))

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


#: Errors of failed runs, printed after the table they belong to.
errors_seen: list[str] = []


def program_name(program: str) -> str:
    return {OURS: "ours", NAIVE: "naive", NOOP: "no-op"}.get(program, "program")


def _errors(text: str, limit: int = 3) -> list[str]:
    """The first distinct `error:` lines of a failed pulumi command's output."""
    found: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if "error:" in line and line not in found:
            found.append(line[:300])
    return found[:limit]


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def _spread(values: list[float]) -> str:
    """min / median / p90 / max."""
    if not values:
        return "-"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
    return f"{ordered[0]:.1f} / {statistics.median(ordered):.1f} / {p90:.1f} / {ordered[-1]:.1f} s"


def _per_job(requests: dict[str, int], n: int) -> str:
    """Requests per job by operation, most frequent first."""
    shown = sorted(requests.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{op} {count / n:.2g}" for op, count in shown if count) or "-"


def _run_record(run: Run, n: int, T: float) -> dict[str, Any]:
    return {"n": n, "T": T, **asdict(run)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        default=",".join(SCENARIOS),
        help=f"scenarios to run, of {','.join(SCENARIOS)} (default: all)",
    )
    parser.add_argument("--job-seconds", type=float, default=20.0, help="T, the emulator's job duration")
    parser.add_argument("--sizes", default="1,8,32", help="numbers of jobs for (a) and (b)")
    parser.add_argument("--preview-size", type=int, default=100)
    parser.add_argument("--preview-runs", type=int, default=5, help="runs of each preview in (d)")
    parser.add_argument("--big", type=int, default=128, help="number of jobs for (e)")
    parser.add_argument("--table-sizes", default="100,1000,10000", help="table sizes for (f)")
    parser.add_argument("--write", type=Path, help="also write the printout to this file")
    parser.add_argument("--json", type=Path, help="also write the measurements to this file, as JSON")
    parser.add_argument(
        "--baseline", type=Path, help="measurements (--json) to show beside these as 'before'"
    )
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(only) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    sizes = [int(n) for n in args.sizes.split(",")]
    T = args.job_seconds
    lines: list[str] = []
    measured: dict[str, Any] = {}
    before: dict[str, Any] = json.loads(args.baseline.read_text()) if args.baseline else {}

    def out(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    def write() -> None:  # after every table, so an interrupted run keeps what it measured
        if errors_seen:
            out("Errors reported by failed runs:")
            out("")
            for line in errors_seen:
                out(f"- {line}")
            out("")
            errors_seen.clear()
        if args.write:
            args.write.write_text("\n".join(lines) + "\n")
        if args.json:
            args.json.write_text(json.dumps(measured, indent=1) + "\n")

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        EmulatorProcess(upstream_seconds=0.1, delete_seconds=0.5) as proc,
    ):
        seeded = proc.remote.seed(bucket="bench", prefix="bench")
        bench = Bench(proc, seeded, Path(tmp), T)
        out("# Benchmarks")
        out()
        out(f"Machine: {_machine()}; pulumi {cli_version()}; emulator job duration T = {T:g} s.")
        out("Ratios are against numbers measured in the same run.")
        if before:
            out(f"Rows marked 'before' are from {args.baseline} ({before.get('label', 'baseline')}).")
        out()
        describes: dict[tuple[str, int], float] = {}

        if "makespan" in only:
            out("## (a) Makespan, quota raised to N")
            out()
            out(
                "| N | no-op stack (overhead) | ours | ours / T | (ours - overhead) / T | naive | naive / T "
                "| naive / ours | target: ours <= 1.2 T + overhead |"
            )
            out("|---|---|---|---|---|---|---|---|---|")
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
            write()

        if "quota" in only:
            out("## (b) Makespan under Forecast's default quota (3 jobs in progress)")
            out()
            out(
                "| N | ceil(N/3) T | no-op stack (overhead) | ours | (ours - overhead) / (ceil(N/3) T) "
                "| ours failures | naive | naive failures "
                "| target: ours - overhead <= 1.1 ceil(N/3) T, 0 failures |"
            )
            out("|---|---|---|---|---|---|---|---|---|")
            for n in [n for n in sizes if n > 3]:
                waves = math.ceil(n / 3) * T
                noop = bench.up(NOOP, n, quota=n)
                ours = bench.up(OURS, n, quota=3)
                naive = bench.up(NAIVE, n, quota=3)
                ok = ours.failures == 0 and ours.seconds - noop.seconds <= 1.1 * waves
                measured.setdefault("quota", []).append(
                    {"n": n, "noop": noop.seconds, "ours": ours.seconds, "waves": waves}
                )
                out(
                    f"| {n} | {waves:.0f} s | {noop.seconds:.1f} s | {ours.seconds:.1f} s "
                    f"| {(ours.seconds - noop.seconds) / waves:.2f} | {ours.failures} "
                    f"| {naive.seconds:.1f} s | {naive.failures} | {'met' if ok else 'MISSED'} |"
                )
            for row in before.get("quota", []):
                out(
                    f"| {row['n']} (before) | {row['waves']:.0f} s | {row['noop']:.1f} s "
                    f"| {row['ours']:.1f} s "
                    f"| {(row['ours'] - row['noop']) / row['waves']:.2f} | - | - | - | - |"
                )
            out()
            write()

        if "detection" in only:
            out("## (c) Describe calls per job and detection delay")
            out()
            out(
                "| job | ours: Describe calls | ours: delay | naive (2 s fixed): Describe calls "
                "| naive: delay | target: delay <= max(2 s, 10% of T) |"
            )
            out("|---|---|---|---|---|---|")
            for n in sizes if describes else []:
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
            write()

        if "preview" in only:
            out(f"## (d) `pulumi preview` of {args.preview_size} resources")
            out()
            out(
                f"Median of {args.preview_runs} runs of each, alternated (all runs: min to max); "
                "pulumi_aws_forecast byte-compiled first, as pip compiles an installed wheel."
            )
            out()
            out(
                "| stack | ours | no-op dynamic resources | ours / no-op | ours, all runs "
                "| no-op, all runs | AWS calls by ours | target: <= 1.25 |"
            )
            out("|---|---|---|---|---|---|---|---|")
            compileall.compile_dir(Path(pulumi_aws_forecast.__file__).parent, quiet=1)
            for deployed in (False, True):
                (ours_runs, ours_calls), (noop_runs, _) = bench.previews(
                    [OURS, NOOP], args.preview_size, deployed, args.preview_runs
                )
                ours_s, noop_s = statistics.median(ours_runs), statistics.median(noop_runs)
                ratio = ours_s / noop_s
                case = "deployed, no changes" if deployed else "new (all creates)"
                measured.setdefault("preview", []).append(
                    {
                        "case": case,
                        "ours": ours_s,
                        "noop": noop_s,
                        "ours_runs": ours_runs,
                        "noop_runs": noop_runs,
                    }
                )
                out(
                    f"| {case} | {ours_s:.2f} s | {noop_s:.2f} s | {ratio:.2f} "
                    f"| {min(ours_runs):.2f} to {max(ours_runs):.2f} s "
                    f"| {min(noop_runs):.2f} to {max(noop_runs):.2f} s | {ours_calls} "
                    f"| {'met' if ratio <= 1.25 else 'MISSED'} |"
                )
            for row in before.get("preview", []):
                out(
                    f"| {row['case']} (before, one run) | {row['ours']:.2f} s | {row['noop']:.2f} s "
                    f"| {row['ours'] / row['noop']:.2f} | - | - | - | - |"
                )
            out()
            write()

        big = [(name, t) for name, t in (("big", T), ("big-fast", 0.2)) if name in only]
        if big:
            n = args.big
            runs: dict[str, dict[str, Any]] = {}
            for name, job_seconds in big:
                noop = bench.up(NOOP, n, quota=n, job_seconds=job_seconds)
                ours = bench.up(OURS, n, quota=n, job_seconds=job_seconds)
                runs[f"{name}/noop"] = _run_record(noop, n, job_seconds)
                runs[f"{name}/ours"] = _run_record(ours, n, job_seconds)
            measured["big"] = runs
            _big_tables(out, n, runs, before.get("big", {}))
            write()

        if "table" in only:
            table_sizes = [int(size) for size in args.table_sizes.split(",")]
            rows = table.per_request(table_sizes)
            measured["table"] = [[size, values] for size, values in rows]
            out("## (f) The emulator's time per request as its table grows")
            out()
            out(
                "Median milliseconds per request through the emulator's WSGI app (no HTTP), with n export "
                "jobs of one forecast in its table, half ACTIVE and half being created. 'After a write': "
                "the first request after a change, which settles due transitions."
            )
            out()
            operations = list(rows[0][1])
            out(f"| jobs in the table | {' | '.join(operations)} |")
            out("|---|" + "---|" * len(operations))
            for label, source in (("", rows), (" (before)", before.get("table", []))):
                for size, values in source:
                    cells = " | ".join(f"{values.get(op, math.nan):.2f}" for op in operations)
                    out(f"| {size}{label} | {cells} |")
            out()
            write()

        if "server" in only:
            out("## (g) The emulator's HTTP server: Describe round trips through boto3")
            out()
            bench.emu.configure(job_seconds=3600, export_quota=1000)
            client = bench.emu.client("forecast", region_name=seeded.region)
            arn = client.create_forecast_export_job(
                ForecastExportJobName="roundtrip",
                ForecastArn=seeded.forecast_arn,
                Destination={"S3Config": {"Path": f"s3://{seeded.bucket}/rt/", "RoleArn": seeded.role_arn}},
            )["ForecastExportJobArn"]
            single, many = table.round_trip(bench.emu.endpoint_url, client, arn, threads=32, calls=400)
            cpu = proc.cpu_seconds()
            single, many = table.round_trip(bench.emu.endpoint_url, client, arn, threads=32, calls=400)
            cpu = (proc.cpu_seconds() - cpu) / 800 * 1000
            measured["server"] = {"single_ms": single, "per_second": many, "cpu_ms": cpu}
            out(
                "| | one thread: median ms per call | 32 threads: calls per second "
                "| emulator CPU ms per call |"
            )
            out("|---|---|---|---|")
            for label, row in (("now", measured["server"]), ("before", before.get("server"))):
                if row:
                    out(
                        f"| {label} | {row['single_ms']:.2f} | {row['per_second']:.0f} "
                        f"| {row['cpu_ms']:.2f} |"
                    )
            out()
            write()

    out(f"The whole run took {(time.perf_counter() - started) / 60:.1f} minutes.")
    write()


def _big_tables(
    out: Callable[[str], None], n: int, runs: dict[str, dict[str, Any]], before: dict[str, dict[str, Any]]
) -> None:
    out(f"## (e) N = {n} jobs, quota raised to N, beside N no-op dynamic resources")
    out("")
    out(
        "| T | run | no-op stack (overhead) | ours | (ours - overhead) / T | ours - overhead | failures "
        "| target |"
    )
    out("|---|---|---|---|---|---|---|---|")
    for label, source in (("now", runs), ("before", before)):
        for name in ("big", "big-fast"):
            if f"{name}/ours" not in source:
                continue
            noop, ours = source[f"{name}/noop"], source[f"{name}/ours"]
            T, extra = ours["T"], ours["seconds"] - noop["seconds"]
            if name == "big":
                ok, target = extra / T <= 1.2, "(ours - overhead) / T <= 1.2"
            else:
                ok, target = extra <= 5.0, "ours <= overhead + 5 s"
            met = "met" if ok and ours["failures"] == 0 else "MISSED"
            out(
                f"| {T:g} s | {label} | {noop['seconds']:.1f} s | {ours['seconds']:.1f} s | {extra / T:.2f} "
                f"| {extra:.1f} s | {ours['failures']} | {target}: {met} |"
            )
    out("")
    out("### Breakdown")
    out("")
    out(
        "CPU seconds are the process's user + system time during `pulumi up`; 'engine' is the CLI, its "
        "language host and the program. Delay: from a job's ACTIVE time (LastModificationTime) to the "
        "engine reporting the resource created, min / median / p90 / max. Noticed: seconds after the "
        "start of `pulumi up`, first / last."
    )
    out("")
    out(
        "| T | run | makespan | provider CPU (per job) | provider peak RSS | engine CPU | emulator CPU "
        "| delay | noticed | requests per job |"
    )
    out("|---|---|---|---|---|---|---|---|---|---|")
    for label, source in (("now", runs), ("before", before)):
        for key, run in source.items():
            name, program = key.split("/")
            usage = run["usage"]
            noticed = run["noticed"]
            seen = f"{min(noticed):.1f} / {max(noticed):.1f} s" if noticed else "-"
            out(
                f"| {run['T']:g} s | {program}, {label} | {run['seconds']:.1f} s "
                f"| {usage['provider_cpu']:.1f} s ({usage['provider_cpu'] / n * 1000:.0f} ms) "
                f"| {usage['provider_peak_rss_mib']:.0f} MiB | {usage['engine_cpu']:.1f} s "
                f"| {run['emulator_cpu']:.2f} s | {_spread(run['delays'])} | {seen} "
                f"| {_per_job(run['requests'], n)} |"
            )
    out("")


if __name__ == "__main__":
    main()
