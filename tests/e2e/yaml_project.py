"""A Pulumi YAML project on the `aws-forecast` provider plugin, driven through the real CLI.

The CLI runs `pulumi-resource-aws-forecast` (the console script `pip install` puts in the
virtualenv's bin) from the directory `plugins.providers` names, and the YAML language host that
`make bootstrap` links into .venv/bin (or finds in the cache it builds it into); tests that need
it skip when it has not been built.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.harness import OFFLINE_ENV, PULUMI, VENV

#: The directory `plugins.providers` names: where `pip install` put the plugin's executable.
PLUGIN_DIR = VENV / "bin"
_HOST = "pulumi-language-yaml"


def _yaml_host() -> Path | None:
    if (VENV / "bin" / _HOST).exists():
        return VENV / "bin" / _HOST
    built = sorted(Path.home().glob(f".cache/pulumi-aws-forecast/{_HOST}-*/{_HOST}"))
    return built[-1] if built else None


YAML_HOST = _yaml_host()
requires_yaml_host = pytest.mark.skipif(YAML_HOST is None, reason=f"{_HOST} is not built (make bootstrap)")


class YamlProject:
    """A folder with a Pulumi.yaml, its own file:// backend and PULUMI_HOME under `root`."""

    def __init__(self, folder: Path, root: Path, aws_env: Mapping[str, str]) -> None:
        assert YAML_HOST is not None, "mark the test with requires_yaml_host"
        self.folder = folder
        (root / "state").mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            **OFFLINE_ENV,
            "PATH": os.pathsep.join([str(YAML_HOST.parent), str(VENV / "bin"), os.environ.get("PATH", "")]),
            "PULUMI_HOME": str(root / "home"),
            "PULUMI_BACKEND_URL": (root / "state").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "yaml-project",
            **aws_env,
        }

    def write(self, program: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "Pulumi.yaml").write_text(program)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`pulumi <args>` in the project, as a user runs it; what it printed and its exit code."""
        return subprocess.run(
            [str(PULUMI), *args, "--non-interactive", "--color", "never"],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def ok(self, *args: str) -> str:
        """`pulumi <args>`, which must succeed; what it printed."""
        done = self.run(*args)
        assert done.returncode == 0, f"pulumi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.ok("stack", "output", "--json", "--show-secrets")))

    def resources(self, *stack: str) -> dict[str, dict[str, Any]]:
        """The stack's resources of the plugin by name (state entries: id, inputs, outputs)."""
        deployment = json.loads(self.ok("stack", "export", *stack))["deployment"]
        return {
            r["urn"].rsplit("::", 1)[-1]: r
            for r in deployment.get("resources", [])
            if r["type"].startswith("aws-forecast:forecast:")
        }

    def destroy_leftovers(self, stack: str) -> None:
        """Destroy what a failed test left deployed in `stack` (imported jobs stay: protected)."""
        if not (self.folder / "Pulumi.yaml").exists() or self.run("stack", "select", stack).returncode:
            return
        if any(not r.get("protect") for r in self.resources().values()):
            self.run("destroy", "--yes", "--skip-preview")
