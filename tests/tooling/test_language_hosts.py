"""The language hosts `make bootstrap` puts beside the CLI, through the real CLI, offline.

- Our Python host's RunPlugin: a plugin directory (PulumiPlugin.yaml, `runtime: python`) runs its
  `__main__.py` with the engine's arguments; its stdout, stderr and exit code reach the caller.
- pulumi-language-yaml: a `runtime: yaml` stack deploys with a file:// backend.
- Both with the plugin's schema: a YAML stack declares `aws-forecast:forecast:ForecastExportJob`
  through a plugin directory (`plugins.providers`) whose stand-in provider serves schema.json, and
  pulumi-yaml checks the properties' names and shapes against it.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

from tests.harness import OFFLINE_ENV, VENV
from tools.schema import SCHEMA

# A stand-in provider: serves the committed schema, creates by echoing its inputs plus outputs.
_STAND_IN = """
import sys
from pathlib import Path

from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest, CheckResponse, ConfigureRequest, ConfigureResponse, CreateRequest, CreateResponse,
    DeleteRequest, GetSchemaRequest, GetSchemaResponse, Provider,
)
from pulumi.provider.experimental.server import main


class StandIn(Provider):
    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=(Path(__file__).parent / "schema.json").read_text())

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        return CheckResponse(inputs=request.new_inputs)

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        return ConfigureResponse()

    async def check(self, request: CheckRequest) -> CheckResponse:
        return CheckResponse(inputs=request.new_inputs)

    async def create(self, request: CreateRequest) -> CreateResponse:
        arn = "arn:aws:forecast:us-east-1:123456789012:forecast-export-job/f/" + request.name
        outputs = {"arn": PropertyValue(arn), "status": PropertyValue("ACTIVE")}
        return CreateResponse(resource_id=arn, properties={**request.properties, **outputs})

    async def delete(self, request: DeleteRequest) -> None:
        return None


main(sys.argv[1:], "0.1.0", StandIn())
"""

_YAML_STACK = """
name: schema-smoke
runtime: yaml
plugins:
  providers:
    - name: aws-forecast
      path: ./plugin
resources:
  daily:
    type: aws-forecast:forecast:ForecastExportJob
    properties:
      forecastArn: arn:aws:forecast:us-east-1:123456789012:forecast/f
      destination:
        s3Config:
          path: s3://bucket/daily/
          ROLE_ARN: arn:aws:iam::123456789012:role/r
outputs:
  status: ${daily.status}
  path: ${daily.destination.s3Config.path}
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **OFFLINE_ENV,
        # The CLI finds language hosts on PATH: the ones `make bootstrap` linked into .venv/bin.
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_BACKEND_URL": (tmp_path / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "tooling-passphrase",
    }


def _run(pulumi_cli: str, tmp_path: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [pulumi_cli, *args],
        cwd=cwd,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_run_plugin_streams_output_and_exit_code(pulumi_cli: str, tmp_path: Path) -> None:
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "PulumiPlugin.yaml").write_text("runtime: python\n")
    (plugin / "__main__.py").write_text(
        textwrap.dedent(
            """
            import sys
            print("plugin says", " ".join(sys.argv[1:]))
            print("plugin complains", file=sys.stderr)
            sys.exit(int(sys.argv[-1]))
            """
        )
    )
    (tmp_path / "state").mkdir()

    run = ("plugin", "run", "--kind", "tool", str(plugin))
    failed = _run(pulumi_cli, tmp_path, *run, "a", "3", cwd=tmp_path)
    assert failed.returncode == 3, failed.stderr
    assert failed.stdout == "plugin says a 3\n"
    assert "plugin complains" in failed.stderr

    passed = _run(pulumi_cli, tmp_path, *run, "0", cwd=tmp_path)
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout == "plugin says 0\n"


def test_yaml_stack_deploys(pulumi_cli: str, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "state").mkdir()
    (project / "Pulumi.yaml").write_text(
        "name: yaml-smoke\nruntime: yaml\nvariables:\n  who: yaml\noutputs:\n  greeting: hello from ${who}\n"
    )
    init = _run(pulumi_cli, tmp_path, "stack", "init", "dev", "--non-interactive", cwd=project)
    assert init.returncode == 0, init.stderr
    up = _run(pulumi_cli, tmp_path, "up", "--yes", "--non-interactive", "--color", "never", cwd=project)
    assert up.returncode == 0, up.stdout + up.stderr
    output = _run(pulumi_cli, tmp_path, "stack", "output", "greeting", cwd=project)
    assert output.stdout.strip() == "hello from yaml"
    down = _run(pulumi_cli, tmp_path, "destroy", "--yes", "--non-interactive", cwd=project)
    assert down.returncode == 0, down.stderr


def test_yaml_stack_declares_a_resource_of_the_schema_through_a_plugin_directory(
    pulumi_cli: str, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    plugin = project / "plugin"
    plugin.mkdir(parents=True)
    (tmp_path / "state").mkdir()
    (plugin / "PulumiPlugin.yaml").write_text("runtime: python\n")
    (plugin / "__main__.py").write_text(_STAND_IN)
    (plugin / "schema.json").write_text(SCHEMA.read_text())
    # A misspelt property: pulumi-yaml names the schema's type it does not fit.
    (project / "Pulumi.yaml").write_text(_YAML_STACK.replace("ROLE_ARN", "roleArnn"))
    init = _run(pulumi_cli, tmp_path, "stack", "init", "dev", "--non-interactive", cwd=project)
    assert init.returncode == 0, init.stderr
    wrong = _run(pulumi_cli, tmp_path, "preview", "--non-interactive", "--color", "never", cwd=project)
    assert wrong.returncode != 0
    assert "to 'aws-forecast:forecast:S3Config'" in wrong.stdout + wrong.stderr

    (project / "Pulumi.yaml").write_text(_YAML_STACK.replace("ROLE_ARN", "roleArn"))
    up = _run(pulumi_cli, tmp_path, "up", "--yes", "--non-interactive", "--color", "never", cwd=project)
    assert up.returncode == 0, up.stdout + up.stderr
    outputs = _run(pulumi_cli, tmp_path, "stack", "output", "--json", cwd=project)
    assert json.loads(outputs.stdout) == {"status": "ACTIVE", "path": "s3://bucket/daily/"}
    down = _run(pulumi_cli, tmp_path, "destroy", "--yes", "--non-interactive", cwd=project)
    assert down.returncode == 0, down.stderr
