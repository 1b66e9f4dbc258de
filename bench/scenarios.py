"""The bench's scenarios as data: what each measures, how it is judged, and how it reads.

A `Scenario` is a name (for `--only` and the key of its record in RESULTS.json), a heading, a
`run` that measures through a `Bench` and returns a JSON record, an optional `Target` (what
"met" means, judged per row of the record when rendering) and a `render` that turns the record
(and the baseline's, if any) into its markdown. `SCENARIOS` is the list, in the order they run
and appear in RESULTS.md.
"""

from __future__ import annotations

import argparse
import compileall
import logging
import math
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pulumi_aws_forecast
from bench import table
from bench.recorder import RecordingProxy, job_times
from bench.render import Record, met, per_job, spread
from bench.render import table as md_table
from bench.runner import NAIVE, NOOP, PLUGIN, Bench, Run
from tests.e2e.program import PROGRAM as OURS

Options = argparse.Namespace


@dataclass(frozen=True)
class Target:
    """What a row must show: `text` heads the table's last column, `met(row, record)` judges."""

    text: str
    met: Callable[[Record, Record], bool]


@dataclass(frozen=True)
class Scenario:
    name: str
    #: The section's heading, formatted with the record's fields.
    heading: str
    #: Measures, returns the record (JSON: numbers, strings, lists and dicts).
    run: Callable[[Bench, Options], Record]
    #: The section's body: (this scenario, its record, the baseline's whole file) -> markdown lines.
    render: Callable[[Scenario, Record, Record], list[str]]
    target: Target | None = None
    #: One line for `--help`.
    summary: str = ""

    def title(self, record: Record) -> str:
        return self.heading.format(**record)

    def judge(self, row: Record, record: Record) -> str:
        return met(self.target.met(row, record)) if self.target else "-"


def _sizes(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n.strip()]


# (a) Makespan, quota raised to N.


def _run_makespan(bench: Bench, args: Options) -> Record:
    rows, errors = [], []
    for n in _sizes(args.sizes):
        noop = bench.up(NOOP, n, quota=n)
        ours = bench.up(OURS, n, quota=n)
        naive = bench.up(NAIVE, n, quota=n)
        rows.append(_row(n, bench.T, noop=noop, ours=ours, naive=naive))
        errors += noop.errors + ours.errors + naive.errors
    return {"T": bench.T, "rows": rows, "errors": errors}


def _row(n: int, T: float, **runs: Run) -> Record:
    """A row of (a) or (b): each run's seconds, failures and Describe calls per job."""
    row: Record = {"n": n, "T": T}
    for name, run in runs.items():
        row[name] = run.seconds
        row[f"{name}_failures"] = run.failures
        row[f"{name}_describes_per_job"] = run.describes / n
    return row


def _render_makespan(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    rows = []
    for r in record["rows"]:
        T = r["T"]
        rows.append(
            (
                r["n"],
                f"{r['noop']:.1f} s",
                f"{r['ours']:.1f} s",
                f"{r['ours'] / T:.2f}",
                f"{(r['ours'] - r['noop']) / T:.2f}",
                f"{r['naive']:.1f} s",
                f"{r['naive'] / T:.2f}",
                f"{r['naive'] / r['ours']:.2f}",
                scenario.judge(r, record),
            )
        )
    header = ["N", "no-op stack (overhead)", "ours", "ours / T", "(ours - overhead) / T", "naive"]
    header += ["naive / T", "naive / ours", f"target: {_target_text(scenario)}"]
    return md_table(header, rows)


def _target_text(scenario: Scenario) -> str:
    return scenario.target.text if scenario.target else "-"


# (b) Makespan under Forecast's default quota.


def _run_quota(bench: Bench, args: Options) -> Record:
    rows, errors = [], []
    for n in [n for n in _sizes(args.sizes) if n > 3]:
        noop = bench.up(NOOP, n, quota=n)
        ours = bench.up(OURS, n, quota=3)
        naive = bench.up(NAIVE, n, quota=3)
        rows.append(
            {**_row(n, bench.T, noop=noop, ours=ours, naive=naive), "waves": math.ceil(n / 3) * bench.T}
        )
        errors += noop.errors + ours.errors + naive.errors
    return {"T": bench.T, "rows": rows, "errors": errors}


def _render_quota(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    rows = []
    for r in record["rows"]:
        rows.append(
            (
                r["n"],
                f"{r['waves']:.0f} s",
                f"{r['noop']:.1f} s",
                f"{r['ours']:.1f} s",
                f"{(r['ours'] - r['noop']) / r['waves']:.2f}",
                r["ours_failures"],
                f"{r['naive']:.1f} s",
                r["naive_failures"],
                scenario.judge(r, record),
            )
        )
    for r in baseline.get("quota", []):
        rows.append(
            (
                f"{r['n']} (before)",
                f"{r['waves']:.0f} s",
                f"{r['noop']:.1f} s",
                f"{r['ours']:.1f} s",
                f"{(r['ours'] - r['noop']) / r['waves']:.2f}",
                *("-" * 4),
            )
        )
    header = ["N", "ceil(N/3) T", "no-op stack (overhead)", "ours", "(ours - overhead) / (ceil(N/3) T)"]
    header += ["ours failures", "naive", "naive failures", f"target: {_target_text(scenario)}"]
    return md_table(header, rows)


# (b') AWS's timescale: 32 jobs of 10 minutes under the quota of 3, on a virtual clock.

AWS_N, AWS_T = 32, 600.0


def _run_aws_timescale(bench: Bench, args: Options) -> Record:
    from bench import virtual

    logging.getLogger("pulumi_aws_forecast").setLevel(logging.ERROR)  # 30 quota-wait lines a job
    return {"rows": [virtual.run(AWS_N, AWS_T)]}


def _render_aws_timescale(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    rows = []
    for r in record["rows"]:
        calls = r["calls_per_job"]
        rows.append(
            (
                r["n"],
                f"{r['T']:.0f} s",
                f"{r['waves']:.0f} s",
                f"{r['makespan']:.0f} s",
                f"{r['ratio']:.3f}",
                r["failures"],
                ", ".join(f"{op} {count:g}" for op, count in calls.items()),
                scenario.judge(r, record),
            )
        )
    intro = [
        "Through the provider's lifecycle (`ExportLifecycle`: its quota wait, polls and backoff) "
        "against an in-process emulator whose clock jumps when every job's thread sleeps "
        "(bench/virtual.py); the makespan is read on the emulator's clock; jobs are described one by "
        "one (a List sweep is a real-time thread). "
        "Calls are the emulator's counts over N; Create counts the refusals while at the quota.",
        "",
    ]
    header = ["N", "T", "ceil(N/3) T", "makespan", "makespan / (ceil(N/3) T)", "failures", "calls per job"]
    return intro + md_table([*header, f"target: {_target_text(scenario)}"], rows)


# (c) Detection: the provider's real waiting path, seen from the emulator's side.

#: The README's bound (Lifecycle): a state change is noticed within max(2 s, min(10 % of the time
#: waited, 10 s)).
_FLOOR, _FRACTION, _CAP = 2.0, 0.1, 10.0


def _run_detection(bench: Bench, args: Options) -> Record:
    seconds = [float(t) for t in args.detection_seconds.split(",")] if args.detection_seconds else []
    runs, errors = [], []
    for T in seconds or [bench.T, 3 * bench.T]:
        for n in _sizes(args.detection_sizes):
            with RecordingProxy(bench.emu.endpoint_url) as proxy:
                run = bench.up(OURS, n, quota=n, job_seconds=T, endpoint=proxy.url)
                times = job_times(proxy.recorded(until=run.ended_at))
            jobs = []
            for job in times.values():
                noticed, active = job.noticed, job.active
                jobs.append(
                    {
                        "waited": None if noticed is None else noticed - job.created,
                        "delay": None if noticed is None or active is None else noticed - active,
                        "describes": job.describes,
                        "list_pages_while_waiting": job.lists_before_notice,
                        "noticed_by": job.noticed_by,
                    }
                )
            requests = {op: count for op, count in run.requests.items() if op[:1].isupper()}
            runs.append(
                {
                    "n": n,
                    "T": T,
                    "seconds": run.seconds,
                    "failures": run.failures,
                    "requests": requests,
                    "jobs": jobs,
                    "engine_delays": run.delays,
                }
            )
            errors += run.errors
    return {"runs": runs, "errors": errors}


def _bound(job: Record) -> float:
    return max(_FLOOR, min(_FRACTION * float(job["waited"]), _CAP))


def _within(job: Record) -> bool:
    return job["delay"] is not None and job["delay"] <= _bound(job)


def _within_at_active(job: Record) -> bool:
    """The stricter reading: waited counted only to the job's ACTIVE time, not to its noticing."""
    if job["delay"] is None:
        return False
    return bool(job["delay"] <= max(_FLOOR, min(_FRACTION * (job["waited"] - job["delay"]), _CAP)))


def _render_detection(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    lines = [
        "`pulumi up --parallel N` of N jobs of duration T (quota raised to N), its AWS requests "
        "passing through a recording proxy. Per job: created = the Create's response; ACTIVE = its "
        "LastModificationTime; noticed = the first response (a page of the provider's List sweep, or "
        "a Describe) that reported it ACTIVE. Delay = noticed - ACTIVE, checked against the README's "
        "bound, max(2 s, min(10 % of the time waited so far, 10 s)) with waited = noticed - created "
        "(the stricter reading, waited = ACTIVE - created, is counted beside it). Calls per job "
        "are the emulator's counts for the whole `pulumi up` over N. 'Engine' is the delay to the "
        "engine reporting the resource created (the Automation API's events, read every 0.1 s), for "
        "comparison.",
        "",
    ]
    rows = []
    for r in record["runs"]:
        n, jobs = r["n"], r["jobs"]
        delays = [j["delay"] for j in jobs if j["delay"] is not None]
        bounds = [_bound(j) for j in jobs if j["waited"] is not None]
        excess = [j["delay"] - _bound(j) for j in jobs if j["delay"] is not None]
        within = sum(_within(j) for j in jobs)
        strict = sum(_within_at_active(j) for j in jobs)
        rows.append(
            (
                n,
                f"{r['T']:g} s",
                r["failures"],
                f"{r['requests'].get('ListForecastExportJobs', 0) / n:.2f}",
                f"{r['requests'].get('DescribeForecastExportJob', 0) / n:.2f}",
                spread(delays, digits=2),
                f"{min(bounds):.2f} to {max(bounds):.2f} s" if bounds else "-",
                f"{within} / {n}",
                f"{max(excess):+.2f} s" if excess else "-",
                f"{strict} / {n}",
                spread(r["engine_delays"]),
                scenario.judge(r, record),
            )
        )
    header = ["N", "T", "failures", "List pages per job", "Describe calls per job"]
    header += ["delay: min / median / p90 / max", "bound", "jobs within the bound"]
    header += ["largest delay - bound", "within, waited counted to ACTIVE", "engine: delay"]
    header.append(f"target: {_target_text(scenario)}")
    return lines + md_table(header, rows)


def _detection_met(run: Record, record: Record) -> bool:
    return run["failures"] == 0 and len(run["jobs"]) == run["n"] and all(_within(j) for j in run["jobs"])


# (d) Preview.


def _run_preview(bench: Bench, args: Options) -> Record:
    n, runs = args.preview_size, args.preview_runs
    compileall.compile_dir(Path(pulumi_aws_forecast.__file__).parent, quiet=1)
    rows = []
    for deployed in (False, True):
        stacks = (
            bench.deployed([OURS, NOOP], n)
            if deployed
            else [bench.stack(OURS, count=str(n)), bench.stack(NOOP, count=str(n))]
        )
        timings = bench.alternated(stacks, runs, lambda stack: stack.preview(parallel=n))
        if deployed:
            bench.destroy(stacks, n)
        (ours_runs, noop_runs), (ours, noop) = timings.seconds, timings.medians()
        rows.append(
            {
                "case": "deployed, no changes" if deployed else "new (all creates)",
                "ours": ours,
                "noop": noop,
                "ours_runs": ours_runs,
                "noop_runs": noop_runs,
                "ours_calls": sum(timings.requests.values()),
            }
        )
    return {"n": n, "runs": runs, "rows": rows}


def _render_preview(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    lines = [
        f"Median of {record['runs']} runs of each, alternated (all runs: min to max); "
        "pulumi_aws_forecast byte-compiled first, as pip compiles an installed wheel.",
        "",
    ]
    rows = []
    for r in record["rows"]:
        rows.append(
            (
                r["case"],
                f"{r['ours']:.2f} s",
                f"{r['noop']:.2f} s",
                f"{r['ours'] / r['noop']:.2f}",
                f"{min(r['ours_runs']):.2f} to {max(r['ours_runs']):.2f} s",
                f"{min(r['noop_runs']):.2f} to {max(r['noop_runs']):.2f} s",
                r["ours_calls"],
                scenario.judge(r, record),
            )
        )
    for r in baseline.get("preview", []):
        rows.append(
            (
                f"{r['case']} (before, one run)",
                f"{r['ours']:.2f} s",
                f"{r['noop']:.2f} s",
                f"{r['ours'] / r['noop']:.2f}",
                *("-" * 4),
            )
        )
    header = ["stack", "ours", "no-op dynamic resources", "ours / no-op", "ours, all runs"]
    header += ["no-op, all runs", "AWS calls by ours", f"target: {_target_text(scenario)}"]
    return lines + md_table(header, rows)


# (e) N = --big jobs beside N no-op resources, at T and at 0.2 s; (e') through both front doors.

#: The front doors a big run may measure, by record key: our program's dynamic resources ("ours",
#: the key (e) has always used) and the same jobs through the provider plugin.
FRONT_DOORS = {"ours": (OURS, "dynamic resources"), "plugin": (PLUGIN, "plugin")}


def _run_big(
    job_seconds: float | None, doors: tuple[str, ...] = ("ours",)
) -> Callable[[Bench, Options], Record]:
    """N no-op resources, then N jobs through each of `doors`, one after the other in one run."""

    def run(bench: Bench, args: Options) -> Record:
        n, T = args.big, bench.T if job_seconds is None else job_seconds
        runs = {"noop": bench.up(NOOP, n, quota=n, job_seconds=T)}
        for door in doors:
            runs[door] = bench.up(FRONT_DOORS[door][0], n, quota=n, job_seconds=T)
        record: Record = {"n": n, "T": T, **{name: _run_record(run, n, T) for name, run in runs.items()}}
        return {**record, "errors": [error for run in runs.values() for error in run.errors]}

    return run


def _run_record(run: Run, n: int, T: float) -> Record:
    record = {"n": n, "T": T, **asdict(run)}
    for name in ("started_at", "ended_at"):
        record.pop(name)
    return record


def _extra(runs: Record, door: str) -> float:
    """(ours - overhead) / T of one front door's run."""
    return float((runs[door]["seconds"] - runs["noop"]["seconds"]) / runs[door]["T"])


def _render_big(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    doors = [door for door in FRONT_DOORS if door in record]
    runs = [("now", record)]
    before = baseline.get("big", {})
    if f"{scenario.name}/ours" in before:
        runs.append(("before", {key: before.get(f"{scenario.name}/{key}") for key in ("noop", *doors)}))
    label = {door: "ours" if len(doors) == 1 else FRONT_DOORS[door][1] for door in doors}
    rows = []
    for name, found in runs:
        shown = [door for door in doors if found.get(door)]
        T = found[shown[0]]["T"]
        row = {door: found[door]["seconds"] for door in ("noop", *shown)}
        row.update(T=T, failures=sum(found[door]["failures"] for door in shown))
        cells: list[object] = [f"{T:g} s", name, f"{found['noop']['seconds']:.1f} s"]
        for door in doors:
            if door not in shown:
                cells += ["-"] * 3
                continue
            extra = found[door]["seconds"] - found["noop"]["seconds"]
            cells += [f"{found[door]['seconds']:.1f} s", f"{extra / T:.2f}", f"{extra:.1f} s"]
        if len(doors) == 2:
            both = len(shown) == 2
            cells.append(f"{_extra(found, doors[1]) / _extra(found, doors[0]):.2f}" if both else "-")
        rows.append((*cells, row["failures"], scenario.judge(row, record)))
    header = ["T", "run", "no-op stack (overhead)"]
    for door in doors:
        header += [label[door], f"({label[door]} - overhead) / T", f"{label[door]} - overhead"]
    if len(doors) == 2:
        header.append(f"({label[doors[1]]} - overhead) / ({label[doors[0]]} - overhead)")
    header += ["failures", f"target: {_target_text(scenario)}"]
    lines = md_table(header, rows)
    lines += [
        "",
        "Breakdown: CPU seconds are the process's user + system time during `pulumi up`; 'engine' is "
        "the CLI, its language host and the program. Delay: from a job's ACTIVE time "
        "(LastModificationTime) to the engine reporting the resource created, min / median / p90 / "
        "max. Noticed: seconds after the start of `pulumi up`, first / last.",
        "",
    ]
    breakdown = []
    for name, found in runs:
        for program in ("noop", *doors):
            run = found.get(program)
            if not run:
                continue
            usage, noticed = run["usage"], run["noticed"]
            breakdown.append(
                (
                    f"{label.get(program, program)}, {name}",
                    f"{run['seconds']:.1f} s",
                    f"{usage['provider_cpu']:.1f} s ({usage['provider_cpu'] / run['n'] * 1000:.0f} ms)",
                    f"{usage['provider_peak_rss_mib']:.0f} MiB",
                    f"{usage['engine_cpu']:.1f} s",
                    f"{run['emulator_cpu']:.2f} s",
                    spread(run["delays"]),
                    f"{min(noticed):.1f} / {max(noticed):.1f} s" if noticed else "-",
                    per_job(run["requests"], run["n"]),
                )
            )
    header = ["run", "makespan", "provider CPU (per job)", "provider peak RSS", "engine CPU"]
    header += ["emulator CPU", "delay", "noticed", "requests per job"]
    return lines + md_table(header, breakdown)


def _big_met(row: Record, record: Record) -> bool:
    return bool(row["failures"] == 0 and (row["ours"] - row["noop"]) / row["T"] <= 1.2)


def _big_fast_met(row: Record, record: Record) -> bool:
    return bool(row["failures"] == 0 and row["ours"] - row["noop"] <= 5.0)


def _front_doors_met(row: Record, record: Record) -> bool:
    """The plugin's (ours - overhead) / T no worse than the dynamic resources' in the same run."""
    return bool(row["failures"] == 0 and "plugin" in row and row["plugin"] <= row["ours"])


# (f) The emulator's time per request.


def _run_table(bench: Bench, args: Options) -> Record:
    rows = table.per_request(_sizes(args.table_sizes))
    return {"rows": [[size, values] for size, values in rows]}


def _render_table(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    lines = [
        "Median milliseconds per request through the emulator's WSGI app (no HTTP), with n export "
        "jobs of one forecast in its table, half ACTIVE and half being created. 'After a write': "
        "the first request after a change, which settles due transitions.",
        "",
    ]
    operations = list(record["rows"][0][1])
    rows = []
    for label, source in (("", record["rows"]), (" (before)", baseline.get("table", []))):
        for size, values in source:
            rows.append((f"{size}{label}", *(f"{values.get(op, math.nan):.2f}" for op in operations)))
    return lines + md_table(["jobs in the table", *operations], rows)


# (g) The emulator's HTTP server.


def _run_server(bench: Bench, args: Options) -> Record:
    seeded = bench.seeded
    bench.emu.configure(job_seconds=3600, export_quota=1000)
    client = bench.emu.client("forecast", region_name=seeded.region)
    arn = client.create_forecast_export_job(
        ForecastExportJobName="roundtrip",
        ForecastArn=seeded.forecast_arn,
        Destination={"S3Config": {"Path": f"s3://{seeded.bucket}/rt/", "RoleArn": seeded.role_arn}},
    )["ForecastExportJobArn"]
    table.round_trip(bench.emu.endpoint_url, client, arn, threads=32, calls=400)  # warm up
    cpu = bench.proc.cpu_seconds()
    single, many = table.round_trip(bench.emu.endpoint_url, client, arn, threads=32, calls=400)
    cpu = (bench.proc.cpu_seconds() - cpu) / 800 * 1000
    return {"single_ms": single, "per_second": many, "cpu_ms": cpu}


def _render_server(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    rows = []
    for label, row in (("now", record), ("before", baseline.get("server"))):
        if row:
            rows.append(
                (label, f"{row['single_ms']:.2f}", f"{row['per_second']:.0f}", f"{row['cpu_ms']:.2f}")
            )
    header = ["", "one thread: median ms per call", "32 threads: calls per second"]
    return md_table([*header, "emulator CPU ms per call"], rows)


# (h), (i) refresh and destroy of N = --big jobs beside N no-op resources.


def _run_refresh(bench: Bench, args: Options) -> Record:
    n = args.big
    stacks = bench.deployed([OURS, NOOP], n)
    timings = bench.alternated(stacks, args.teardown_runs, lambda stack: stack.refresh(parallel=n))
    bench.destroy(stacks, n)
    return _teardown_record(n, args.teardown_runs, timings.seconds, timings.requests)


def _run_destroy(bench: Bench, args: Options) -> Record:
    n, ours_runs, noop_runs = args.big, [], []
    requests: dict[str, int] = {}
    for _ in range(args.teardown_runs):
        stacks = bench.deployed([OURS, NOOP], n)
        timings = bench.alternated(stacks, 1, lambda stack: stack.destroy(parallel=n))
        ours_runs += timings.seconds[0]
        noop_runs += timings.seconds[1]
        for op, count in timings.requests.items():
            requests[op] = requests.get(op, 0) + count
    return {**_teardown_record(n, args.teardown_runs, [ours_runs, noop_runs], requests), "redeployed": True}


def _teardown_record(n: int, runs: int, seconds: list[list[float]], requests: dict[str, int]) -> Record:
    return {
        "n": n,
        "runs": runs,
        "ours": statistics.median(seconds[0]),
        "noop": statistics.median(seconds[1]),
        "ours_runs": seconds[0],
        "noop_runs": seconds[1],
        "requests": requests,
    }


def _render_teardown(scenario: Scenario, record: Record, baseline: Record) -> list[str]:
    n, runs = record["n"], record["runs"]
    again = " (again before each run)" if record.get("redeployed") else ""
    lines = [
        f"`pulumi {scenario.name} --parallel {n}` of a stack of {n} jobs (ours) and of one of {n} no-op "
        f"dynamic resources, deployed in the same run{again}: the median of {runs} runs of each, "
        f"alternated (all runs: min to max). Calls: the emulator's Forecast requests per job.",
        "",
    ]
    row = (
        f"`pulumi {scenario.name}`",
        n,
        f"{record['ours']:.2f} s",
        f"{record['noop']:.2f} s",
        f"{record['ours'] / record['noop']:.2f}",
        f"{min(record['ours_runs']):.2f} to {max(record['ours_runs']):.2f} s",
        f"{min(record['noop_runs']):.2f} to {max(record['noop_runs']):.2f} s",
        per_job(record["requests"], n * runs),
    )
    header = ["operation", "N", "ours", "no-op stack", "ours / no-op", "ours, all runs", "no-op, all runs"]
    return lines + md_table([*header, "calls per job by ours"], [row])


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "makespan",
        "(a) Makespan, quota raised to N",
        _run_makespan,
        _render_makespan,
        Target(
            "ours <= 1.2 T + overhead",
            lambda r, _: r["ours_failures"] == 0 and r["ours"] <= 1.2 * r["T"] + r["noop"],
        ),
        "`pulumi up --parallel N` of N jobs of duration T (--sizes), quota N: ours, the naive "
        "provider (bench/naive_program.py: 2 s Describe polling, the SDK's 4-thread pool), no-op",
    ),
    Scenario(
        "quota",
        "(b) Makespan under Forecast's default quota (3 jobs in progress)",
        _run_quota,
        _render_quota,
        Target(
            "ours - overhead <= 1.1 ceil(N/3) T, 0 failures",
            lambda r, _: r["ours_failures"] == 0 and r["ours"] - r["noop"] <= 1.1 * r["waves"],
        ),
        "the same with the default quota of 3 jobs in progress (N > 3 only)",
    ),
    Scenario(
        "aws-timescale",
        "(b') AWS's timescale: 32 jobs of 10 minutes under the quota of 3, on a virtual clock",
        _run_aws_timescale,
        _render_aws_timescale,
        Target(
            "makespan <= 1.02 ceil(N/3) T, 0 failures", lambda r, _: r["failures"] == 0 and r["ratio"] <= 1.02
        ),
        "32 jobs of T = 10 min under the quota of 3 through the provider's real waiting code on a "
        "virtual clock: makespan against ceil(N/3) T, Create/Describe/List calls per job",
    ),
    Scenario(
        "detection",
        "(c) Detection: List pages and Describe calls per job, ACTIVE-to-noticed delay",
        _run_detection,
        _render_detection,
        Target("every job within max(2 s, min(10 % of the time waited, 10 s)), 0 failures", _detection_met),
        "`pulumi up` of --detection-sizes jobs at --detection-seconds (default T and 3 T) through a "
        "recording proxy: List pages and Describe calls per job, each job's ACTIVE-to-noticed delay "
        "against the README's bound",
    ),
    Scenario(
        "preview",
        "(d) `pulumi preview` of {n} resources",
        _run_preview,
        _render_preview,
        Target("<= 1.25", lambda r, _: r["ours"] / r["noop"] <= 1.25),
        "`pulumi preview` of --preview-size jobs against as many no-op resources, new and deployed, "
        "median of --preview-runs alternated runs",
    ),
    Scenario(
        "big",
        "(e) N = {n} jobs at T = {T:g} s, quota raised to N, beside N no-op dynamic resources",
        _run_big(None),
        _render_big,
        Target("(ours - overhead) / T <= 1.2", _big_met),
        "N = --big jobs at T beside N no-op resources, with a CPU, memory and requests breakdown",
    ),
    Scenario(
        "big-fast",
        "(e) N = {n} jobs at T = {T:g} s, quota raised to N, beside N no-op dynamic resources",
        _run_big(0.2),
        _render_big,
        Target("ours <= overhead + 5 s", _big_fast_met),
        "the same at T = 0.2 s",
    ),
    Scenario(
        "front-doors",
        "(e') N = {n} jobs at T = {T:g} s through both front doors, the dynamic resources and the "
        "plugin, beside N no-op dynamic resources",
        _run_big(None, ("ours", "plugin")),
        _render_big,
        Target("plugin's (ours - overhead) / T <= the dynamic resources', 0 failures", _front_doors_met),
        "N = --big jobs at T through the dynamic resources and through the provider plugin (from a "
        "Python program), beside N no-op resources, in one run",
    ),
    Scenario(
        "table",
        "(f) The emulator's time per request as its table grows",
        _run_table,
        _render_table,
        None,
        "the emulator's own time per request with --table-sizes jobs in its table",
    ),
    Scenario(
        "server",
        "(g) The emulator's HTTP server: Describe round trips through boto3",
        _run_server,
        _render_server,
        None,
        "Describe round trips through boto3 and HTTP, from one thread and from 32",
    ),
    Scenario(
        "refresh",
        "(h) `pulumi refresh` of {n} jobs beside {n} no-op dynamic resources",
        _run_refresh,
        _render_teardown,
        None,
        "`pulumi refresh` of N = --big deployed jobs and of N no-op resources, median of "
        "--teardown-runs alternated runs, as a ratio",
    ),
    Scenario(
        "destroy",
        "(i) `pulumi destroy` of {n} jobs beside {n} no-op dynamic resources",
        _run_destroy,
        _render_teardown,
        None,
        "`pulumi destroy` of the same (each run deploys both stacks again first)",
    ),
)
