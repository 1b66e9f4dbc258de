"""RESULTS.md from RESULTS.json: the document around the scenarios' sections, and cell formats.

The measurements file holds `run` (the last run's machine, CLI, baseline, note and length) and
`scenarios` (each scenario's record, stamped `measured` with when, where and at which T); each
scenario renders its own section from its record (scenarios.py), and `document` puts them in
the order of `SCENARIOS` between a header and a footer. Rendering needs no emulator and no CLI:
`python -m bench --render` redoes it from the files.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.scenarios import Scenario

Record = dict[str, Any]


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def spread(values: Sequence[float], unit: str = " s", digits: int = 1) -> str:
    """min / median / p90 / max."""
    if not values:
        return "-"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
    cells = (ordered[0], statistics.median(ordered), p90, ordered[-1])
    return " / ".join(f"{value:.{digits}f}" for value in cells) + unit


def per_job(requests: dict[str, int], n: int) -> str:
    """Requests per job by operation, most frequent first."""
    shown = sorted(requests.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{op} {count / n:.2g}" for op, count in shown if count) or "-"


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def errors(lines: Sequence[str]) -> list[str]:
    """The errors of a scenario's failed runs, as printed after its tables."""
    if not lines:
        return []
    return ["Errors reported by failed runs:", "", *(f"- {line}" for line in lines), ""]


def section(scenario: Scenario, record: Record, run: Record, baseline: Record) -> list[str]:
    """One scenario's heading, its measurement stamp where it is not the header's, and its body."""
    stamp = record.get("measured", {})
    lines = [f"## {scenario.title(record)}", ""]
    said = [f"Measured {stamp['at']}" if stamp.get("at") else "", _differs(stamp, run)]
    if stamp.get("note"):
        said.append(str(stamp["note"]))
    text = "; ".join(part for part in said if part)
    if text:
        lines += [f"_{text}._", ""]
    lines += scenario.render(scenario, record, baseline)
    lines.append("")
    lines += errors(record.get("errors", []))
    return lines


def _differs(stamp: Record, run: Record) -> str:
    """The stamp's machine and CLI where they are not the document header's."""
    parts = []
    if stamp.get("machine") and stamp.get("machine") != run.get("machine"):
        parts.append(f"on {stamp['machine']}")
    if stamp.get("pulumi") and stamp.get("pulumi") != run.get("pulumi"):
        parts.append(f"pulumi {stamp['pulumi']}")
    return ", ".join(parts)


def document(results: Record, baseline: Record, scenarios: Sequence[Scenario]) -> str:
    """RESULTS.md: the header, each recorded scenario's section in the declared order, the footer."""
    run = results.get("run", {})
    lines = ["# Benchmarks", ""]
    lines.append(
        f"Machine: {run.get('machine', '-')}; pulumi {run.get('pulumi', '-')}; emulator job duration "
        f"T = {run.get('T', math.nan):g} s (unless a section says otherwise)."
    )
    lines.append("Ratios are against numbers measured in the same run.")
    if baseline:
        lines.append(
            f"Rows marked 'before' are from {run.get('baseline', 'the baseline')} "
            f"({baseline.get('label', 'baseline')})."
        )
    if run.get("note"):
        lines.append(f"Last run: {run['note']}.")
    lines.append("")
    recorded = results.get("scenarios", {})
    for scenario in scenarios:
        if scenario.name in recorded:
            lines += section(scenario, recorded[scenario.name], run, baseline)
    if run.get("minutes") is not None:
        names = ", ".join(run.get("only", []))
        lines.append(f"The last run ({names}) took {run['minutes']:.1f} minutes.")
    return "\n".join(lines) + "\n"
