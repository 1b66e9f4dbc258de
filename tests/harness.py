"""Drive throwaway Pulumi stacks through the real CLI, as users do.

A `PulumiStack` is a project folder with a `Pulumi.yaml` (python runtime, the
repository's `.venv`) and a `__main__.py`, a `file://` backend and a
`PULUMI_HOME` of its own in a temporary folder, and a passphrase. Every
operation runs the `pulumi` binary in `.venv/bin` through the Automation API
and returns what the user would see: the printed text, the change summary, the
stack outputs, and the exported state.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import textwrap
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".venv"
PULUMI = VENV / "bin" / "pulumi"

# The settings every run gets: offline, non-interactive, no update check.
OFFLINE_ENV = {
    "PULUMI_SKIP_UPDATE_CHECK": "true",
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    "PULUMI_SKIP_CONFIRMATIONS": "true",
    "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "false",
}


class PulumiUnavailable(RuntimeError):
    """The Pulumi CLI is not installed in .venv/bin: run `make bootstrap`."""


def pulumi_command() -> auto.PulumiCommand:
    if not PULUMI.exists():
        raise PulumiUnavailable(f"{PULUMI} does not exist: run `make bootstrap` first")
    return auto.PulumiCommand(root=str(VENV))


def cli_version() -> str:
    """What `pulumi version` prints."""
    return f"v{pulumi_command().version or 'unknown'}"


@dataclass
class Result:
    """What one CLI operation printed and reported."""

    output: str
    changes: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)


def _changes(summary: Mapping[Any, int] | None) -> dict[str, int]:
    """A change summary keyed by plain operation names ("create", "same", ...)."""
    return {str(getattr(op, "value", op)): count for op, count in (summary or {}).items()}


class PulumiStack:
    def __init__(
        self,
        root: Path,
        program: str,
        *,
        project: str = "e2e",
        stack: str = "test",
        env: Mapping[str, str] | None = None,
        config: Mapping[str, str] | None = None,
        venv: Path | None = None,
    ) -> None:
        """`venv`: the virtualenv the program and its dynamic providers run in (default: the
        repository's .venv). Any other one gets the clone's provider/ on PYTHONPATH."""
        self.root = root
        program_venv = venv or VENV
        python_path = {} if program_venv == VENV else {"PYTHONPATH": str(REPO / "provider")}
        self.project_dir = root / "project"
        self.project_dir.mkdir(parents=True, exist_ok=True)
        (root / "state").mkdir(exist_ok=True)
        (root / "home").mkdir(exist_ok=True)
        self.env: dict[str, str] = {
            **OFFLINE_ENV,
            "PULUMI_BACKEND_URL": (root / "state").as_uri(),
            "PULUMI_HOME": str(root / "home"),
            "PULUMI_CONFIG_PASSPHRASE": "e2e-passphrase",
            "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            **python_path,
            **(env or {}),
        }
        (self.project_dir / "Pulumi.yaml").write_text(
            textwrap.dedent(
                f"""\
                name: {project}
                runtime:
                  name: python
                  options:
                    virtualenv: {program_venv}
                """
            )
        )
        self.write_program(program)
        workspace = auto.LocalWorkspace(
            work_dir=str(self.project_dir), pulumi_command=pulumi_command(), env_vars=self.env
        )
        self.stack = auto.Stack.create(stack, workspace)
        for key, value in (config or {}).items():
            self.set_config(key, value)

    def write_program(self, source: str) -> None:
        (self.project_dir / "__main__.py").write_text(textwrap.dedent(source))

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.stack.set_config(key, auto.ConfigValue(value=value, secret=secret), path=False)

    def up(self, **kwargs: Any) -> Result:
        lines: list[str] = []
        result = self.stack.up(on_output=lines.append, color="never", **kwargs)
        return Result(
            output="\n".join(lines),
            changes=_changes(result.summary.resource_changes),
            outputs={k: v.value for k, v in result.outputs.items()},
        )

    def preview(self, **kwargs: Any) -> Result:
        lines: list[str] = []
        result = self.stack.preview(on_output=lines.append, color="never", **kwargs)
        return Result(output="\n".join(lines), changes=_changes(result.change_summary))

    def refresh(self, **kwargs: Any) -> Result:
        lines: list[str] = []
        result = self.stack.refresh(on_output=lines.append, color="never", **kwargs)
        return Result(output="\n".join(lines), changes=_changes(result.summary.resource_changes))

    def destroy(self, **kwargs: Any) -> Result:
        lines: list[str] = []
        result = self.stack.destroy(on_output=lines.append, color="never", **kwargs)
        return Result(output="\n".join(lines), changes=_changes(result.summary.resource_changes))

    def cli(self, *args: str) -> str:
        """Run the `pulumi` CLI on this stack as a user or a CI job would; what it printed."""
        done = subprocess.run(
            [str(PULUMI), *args, "--stack", self.stack.name, "--color", "never"],
            cwd=self.project_dir,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pulumi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def preview_json(self) -> dict[str, Any]:
        """`pulumi preview --json`, parsed: what PR bots read."""
        parsed: dict[str, Any] = json.loads(self.cli("preview", "--json"))
        return parsed

    def outputs(self) -> dict[str, Any]:
        return {k: v.value for k, v in self.stack.outputs().items()}

    def export_state(self) -> dict[str, Any]:
        deployment = self.stack.export_stack()
        return dict(deployment.deployment or {})

    def resources(self, type_suffix: str = "") -> list[dict[str, Any]]:
        """The state's resources whose type ends with `type_suffix`."""
        found = self.export_state().get("resources", [])
        return [r for r in found if str(r.get("type", "")).endswith(type_suffix)]

    def state_text(self) -> str:
        return json.dumps(self.export_state())


def poll(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Wait for an observable condition (not for time to pass); fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def kill_everything_under(folder: Path, process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the run as a crash would: the CLI's process group, and every process working in
    `folder` (the language host and the provider process run in their own process groups)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = (proc / "cwd").resolve()
        except OSError:
            continue
        if cwd.is_relative_to(folder.resolve()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(proc.name), signal.SIGKILL)
