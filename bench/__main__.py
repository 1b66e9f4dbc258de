"""`make bench`: how the provider scales, as ratios against baselines measured in the same run.

    python -m bench [--only SCENARIO,...] [--job-seconds 20] [--sizes 1,8,32] [--big 128] ...
                    [--write bench/RESULTS.md] [--json bench/RESULTS.json] [--baseline FILE]
    python -m bench --render [--json bench/RESULTS.json] [--write bench/RESULTS.md]

Everything runs through the real pulumi CLI against a Forecast emulator started as a subprocess
(`python -m forecast_emulator serve`), so its CPU time is its own. The scenarios (--only picks
some; bench/scenarios.py declares each: what it runs, its target, how it reads):

{scenarios}

--json merges the measurements into FILE (a scenario not run keeps its last record, stamped with
when and where it was measured); --write writes RESULTS.md, rendered from them after every
scenario, so an interrupted run keeps what it measured. --render only renders: RESULTS.md from
RESULTS.json, no emulator and no CLI. --baseline reads a file of older measurements (bench/
before.json: the code before issue 14) and shows its numbers in the same tables, marked "before".
--note says something about this run (e.g. other work on the machine) in RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import render
from bench.probe import EmulatorProcess
from bench.runner import Bench
from bench.scenarios import SCENARIOS
from tests.harness import cli_version

HERE = Path(__file__).resolve().parent
NAMES = tuple(scenario.name for scenario in SCENARIOS)


def main() -> None:
    args = _arguments()
    results = _load(args.json)
    if args.render:
        baseline = _baseline(args.baseline or results.get("run", {}).get("baseline"))
        _save(args, results, baseline)
        return
    chosen = [next(s for s in SCENARIOS if s.name == name) for name in args.only]
    baseline = _baseline(args.baseline)
    stamp = {"machine": render.machine(), "pulumi": cli_version(), "T": args.job_seconds}
    results["run"] = {**stamp, "only": args.only, "note": args.note}
    if args.baseline:
        results["run"]["baseline"] = str(args.baseline)
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        EmulatorProcess(upstream_seconds=0.1, delete_seconds=0.5) as proc,
    ):
        bench = Bench(proc, proc.remote.seed(bucket="bench", prefix="bench"), Path(tmp), args.job_seconds)
        for scenario in chosen:
            at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
            record = {**scenario.run(bench, args), "measured": {**stamp, "at": at, "note": args.note}}
            results.setdefault("scenarios", {})[scenario.name] = record
            print("\n".join(render.section(scenario, record, results["run"], baseline)), flush=True)
            _save(args, results, baseline, quiet=True)
    results["run"]["minutes"] = (time.perf_counter() - started) / 60
    _save(args, results, baseline, quiet=True)


def _arguments() -> argparse.Namespace:
    listing = "\n".join(
        textwrap.fill(
            f"{s.heading.split()[0]} {s.summary}.",
            98,
            initial_indent=f"{s.name:<10}",
            subsequent_indent=" " * 14,
        )
        for s in SCENARIOS
    )
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").format(scenarios=listing),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--only", default=",".join(NAMES), help=f"scenarios to run, of {','.join(NAMES)}")
    parser.add_argument("--job-seconds", type=float, default=20.0, help="T, the emulator's job duration")
    parser.add_argument("--sizes", default="1,8,32", help="numbers of jobs for (a) and (b)")
    parser.add_argument("--detection-sizes", default="1,32", help="numbers of jobs for (c)")
    parser.add_argument("--detection-seconds", help="job durations for (c) (default: T and 3 T)")
    parser.add_argument("--preview-size", type=int, default=100)
    parser.add_argument("--preview-runs", type=int, default=5, help="runs of each preview in (d)")
    parser.add_argument("--big", type=int, default=128, help="number of jobs for (e), (h) and (i)")
    parser.add_argument("--teardown-runs", type=int, default=3, help="runs of each in (h) and (i)")
    parser.add_argument("--table-sizes", default="100,1000,10000", help="table sizes for (f)")
    parser.add_argument("--write", type=Path, help="write RESULTS.md (rendered) to this file")
    parser.add_argument("--json", type=Path, help="merge the measurements into this file, as JSON")
    parser.add_argument("--baseline", type=Path, help="measurements to show beside these as 'before'")
    parser.add_argument("--note", default="", help="a remark on this run, shown in RESULTS.md")
    parser.add_argument(
        "--render",
        action="store_true",
        help="only render --write (default bench/RESULTS.md) from --json (default bench/RESULTS.json)",
    )
    args = parser.parse_args()
    if args.render:
        args.json = args.json or HERE / "RESULTS.json"
        args.write = args.write or HERE / "RESULTS.md"
        if not args.json.exists():
            parser.error(f"{args.json} does not exist: nothing to render")
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(NAMES))
    if unknown:
        parser.error(f"unknown scenarios {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    return args


def _load(path: Path | None) -> dict[str, Any]:
    """The measurements recorded so far in `path` (RESULTS.json), or none."""
    if path is None or not path.exists():
        return {}
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded if "scenarios" in loaded else {}  # an older flat file is replaced, not merged


def _baseline(path: Path | str | None) -> dict[str, Any]:
    if not path:
        return {}
    found = Path(path)
    if not found.exists() and (HERE.parent / found).exists():
        found = HERE.parent / found  # a path stored relative to the repository
    baseline: dict[str, Any] = json.loads(found.read_text())
    return baseline


def _save(
    args: argparse.Namespace, results: dict[str, Any], baseline: dict[str, Any], quiet: bool = False
) -> None:
    text = render.document(results, baseline, SCENARIOS)
    if not quiet:
        print(text, end="")
    if args.write:
        args.write.write_text(text)
    if args.json and not args.render:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
