"""Drive one stack per environment from one place, with the Pulumi Automation API.

    python examples/gitops/deploy.py preview               # every environment, in file order
    python examples/gitops/deploy.py up --env dev          # one environment
    python examples/gitops/deploy.py up                    # dev, then prod; stops at the first failure
    python examples/gitops/deploy.py destroy --env dev

Options: --config FILE (environments and their stack config, default environments.json beside
this script), --work-dir DIR (the Pulumi project, default the repository root: the quickstart
program). The backend and its passphrase come from the environment as for the pulumi CLI
(PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, or a Pulumi Cloud login). AWS: each
environment's `aws:assumeRoles` (and `aws:allowedAccountIds`) in environments.json picks its
account, assumed from the standard chain's identity (an SSO profile on a laptop, the OIDC role
in CI), so the same script runs on both. Exit status: 0 when
every environment succeeded, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pulumi import automation as auto

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OPERATIONS = ("preview", "up", "refresh", "destroy")


def config_paths(settings: dict[str, Any]) -> dict[str, str]:
    """A stack's settings as `pulumi config set --path` keys, so that structured values such as
    `aws:assumeRoles` are stored as lists and objects, as when written in Pulumi.<stack>.yaml:
    {"aws:assumeRoles": [{"roleArn": "r"}]} -> {"aws:assumeRoles[0].roleArn": "r"}."""
    paths: dict[str, str] = {}

    def walk(path: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{path}.{key}", item)
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(f"{path}[{n}]", item)
        else:
            paths[path] = json.dumps(value) if isinstance(value, bool) else str(value)

    for key, value in settings.items():
        walk(key, value)
    return paths


def run(operation: str, stack: auto.Stack, env: str) -> str:
    """Run one operation on one stack, streaming its output prefixed with the environment."""

    def show(line: str) -> None:
        print(f"[{env}] {line}", flush=True)

    if operation == "preview":
        changes = stack.preview(on_output=show, diff=True, color="never").change_summary
        return (
            ", ".join(f"{count} {op}" for op, count in changes.items() if str(op) != "same") or "no changes"
        )
    if operation == "up":
        summary = stack.up(on_output=show, diff=True, color="never").summary
    elif operation == "refresh":
        summary = stack.refresh(on_output=show, color="never").summary
    else:
        summary = stack.destroy(on_output=show, color="never").summary
    changes = summary.resource_changes or {}
    return ", ".join(f"{count} {op}" for op, count in changes.items() if str(op) != "same") or "no changes"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("operation", choices=OPERATIONS)
    parser.add_argument("--env", action="append", help="an environment (repeatable); default: all, in order")
    parser.add_argument("--config", type=Path, default=HERE / "environments.json")
    parser.add_argument("--work-dir", type=Path, default=REPO)
    args = parser.parse_args(argv)

    environments: dict[str, dict[str, Any]] = json.loads(args.config.read_text())
    chosen = args.env or list(environments)
    unknown = [env for env in chosen if env not in environments]
    if unknown:
        parser.error(
            f"unknown environment(s) {', '.join(unknown)}; {args.config} has {', '.join(environments)}"
        )

    summary: list[tuple[str, str]] = []
    for env in chosen:
        stack = auto.create_or_select_stack(stack_name=env, work_dir=str(args.work_dir))
        stack.set_all_config(
            {key: auto.ConfigValue(value=value) for key, value in config_paths(environments[env]).items()},
            path=True,
        )
        try:
            summary.append((env, run(args.operation, stack, env)))
        except auto.CommandError as error:
            summary.append((env, f"FAILED: {str(error).strip().splitlines()[-1]}"))
            if args.operation in ("up", "destroy"):
                break  # never go on to the next environment after a failed change
    print()
    for env, outcome in summary:
        print(f"{env:>12}: {args.operation}: {outcome}")
    skipped = [env for env in chosen if env not in dict(summary)]
    for env in skipped:
        print(f"{env:>12}: skipped (an earlier environment failed)")
    return 0 if not skipped and not any(o.startswith("FAILED") for _, o in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
