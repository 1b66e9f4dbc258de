"""Turn `pulumi preview --json` into the pull request comment reviewers approve.

    pulumi preview --stack dev --json > preview.json
    python examples/gitops/pr_comment.py preview.json --stack dev > comment.md
    gh pr comment "$PR" --body-file comment.md

One row per property that changes, with its value before and after and whether it forces a
replacement: default-tag changes (`tags_all`), drift that `up` will revert (after a refresh),
and settings that replace a job all show, because the provider lets the engine compute the
detailed diff from the inputs (see the README's "Previews" section).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

_MISSING = object()


def _lookup(values: Any, path: str) -> Any:
    """The value at a property path such as `tags_all.costCenter` or `what_if_forecast_arns[1]`."""
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(values, dict) and part in values:
            values = values[part]
        elif isinstance(values, list) and part.isdigit() and int(part) < len(values):
            values = values[int(part)]
        else:
            return _MISSING
    return values


def _shown(value: Any) -> str:
    if value is _MISSING or value is None:
        return "—"
    return f"`{json.dumps(value)}`".replace("|", "\\|")


def render(preview: dict[str, Any], stack: str) -> str:
    """The comment's Markdown for one stack's preview."""
    lines = [f"### `pulumi preview` of `{stack}`", ""]
    steps = [s for s in preview.get("steps", []) if s.get("op") not in ("same", "read")]
    if not steps:
        return "\n".join([*lines, "No changes.", ""])
    summary = preview.get("changeSummary") or {}
    lines += [", ".join(f"{n} to {op}" for op, n in summary.items() if op != "same"), ""]
    lines += ["| resource | action | property | before | after | |", "|---|---|---|---|---|---|"]
    for step in steps:
        name = f"`{step['urn'].rsplit('::', 1)[-1]}`"
        op = step["op"]
        replaces = set(step.get("replaceReasons") or [])
        olds = (step.get("oldState") or {}).get("inputs") or {}
        news = (step.get("newState") or {}).get("inputs") or {}
        paths = list(step.get("detailedDiff") or {}) or list(step.get("diffReasons") or [])
        if not paths:
            lines.append(f"| {name} | {op} | | | | {', '.join(sorted(replaces))} |")
        for path in sorted(paths):
            top = re.split(r"[.\[]", path, maxsplit=1)[0]
            forces = "forces replacement" if top in replaces else ""
            old, new = _lookup(olds, path), _lookup(news, path)
            lines.append(f"| {name} | {op} | `{path}` | {_shown(old)} | {_shown(new)} | {forces} |")
    return "\n".join([*lines, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("preview", type=Path, help="the output of `pulumi preview --json`")
    parser.add_argument("--stack", required=True)
    args = parser.parse_args(argv)
    sys.stdout.write(render(json.loads(args.preview.read_text()), args.stack))
    return 0


if __name__ == "__main__":
    sys.exit(main())
