"""The provider plugin through the real CLI: a YAML stack deploys, updates tags in place and destroys.

The CLI runs `pulumi-resource-aws-forecast` (the console script `pip install` put in .venv/bin)
from the directory `plugins.providers` names, and the YAML language host from the cache the
tooling builds it into; the test is skipped when that host has not been built.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from forecast_emulator import Emulator
from pulumi_aws_forecast._plan import OWNER_TAG
from tests.e2e.world import IAM_PROPAGATION_SECONDS, REALISM
from tests.harness import OFFLINE_ENV, VENV

_YAML_HOSTS = sorted(
    Path.home().glob(".cache/pulumi-aws-forecast/pulumi-language-yaml-*/pulumi-language-yaml")
)

pytestmark = pytest.mark.skipif(not _YAML_HOSTS, reason="pulumi-language-yaml is not built (make bootstrap)")

_PROGRAM = """
name: plugin-yaml
runtime: yaml
plugins:
  providers:
    - name: aws-forecast
      path: {plugin_dir}
resources:
  daily:
    type: aws-forecast:forecast:ForecastExportJob
    properties:
      forecastArn: {forecast_arn}
      name: daily_yaml
      destination:
        s3Config:
          path: s3://{bucket}/yaml/
          roleArn: {role_arn}
      tags:
        team: {team}
outputs:
  arn: ${{daily.arn}}
  status: ${{daily.status}}
  tagsAll: ${{daily.tagsAll}}
"""


def _env(emulator: Emulator, region: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **OFFLINE_ENV,
        "PATH": os.pathsep.join([str(_YAML_HOSTS[-1].parent), str(VENV / "bin"), os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_BACKEND_URL": (tmp_path / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "plugin-yaml",
        "AWS_ENDPOINT_URL": emulator.endpoint_url,
        "AWS_ACCESS_KEY_ID": "AKIAEMULATOREXAMPLE1",
        "AWS_SECRET_ACCESS_KEY": "emulator-secret-key-example",
        "AWS_DEFAULT_REGION": region,
        "PULUMI_AWS_FORECAST_POLL_MIN_SECONDS": "0.2",
    }


def _run(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV / "bin" / "pulumi"), *args, "--non-interactive", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_yaml_stack_deploys_updates_tags_in_place_and_destroys(
    emulator: Emulator | None, tmp_path: Path
) -> None:
    if emulator is None:
        pytest.skip("runs against the emulator only")
    emulator.configure(consistency_seconds=0, iam_propagation_seconds=0, export_quota=3)
    seeded = emulator.seed(bucket="plugin-yaml", prefix="py", role_name="PluginYamlExports")
    emulator.configure(**REALISM)
    emulator.advance_clock(IAM_PROPAGATION_SECONDS)
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "state").mkdir()
    env = _env(emulator, seeded.region, tmp_path)

    def program(team: str) -> None:
        (project / "Pulumi.yaml").write_text(
            _PROGRAM.format(
                plugin_dir=VENV / "bin",
                forecast_arn=seeded.forecast_arn,
                bucket=seeded.bucket,
                role_arn=seeded.role_arn,
                team=team,
            )
        )

    def outputs() -> dict[str, Any]:
        shown = _run(project, env, "stack", "output", "--json")
        assert shown.returncode == 0, shown.stderr
        return dict(json.loads(shown.stdout))

    program("demand")
    assert _run(project, env, "stack", "init", "dev").returncode == 0
    event_log = tmp_path / "events.jsonl"
    debug_env = {
        **env,
        "PULUMI_DEBUG_COMMANDS": "true",
    }  # what enables --event-log (as the Automation API does)
    up = _run(project, debug_env, "up", "--yes", "--event-log", str(event_log))
    assert up.returncode == 0, up.stdout + up.stderr
    # While it waited, the resource's line said how the job was doing (the engine's status
    # messages, which the event log records as ephemeral diagnostics); none is a diagnostic.
    said = [
        e["diagnosticEvent"]
        for e in map(json.loads, event_log.read_text().splitlines())
        if "diagnosticEvent" in e
    ]
    status = [d for d in said if d.get("ephemeral") and d.get("urn", "").endswith("ForecastExportJob::daily")]
    assert status and status[-1]["message"].strip().startswith("ACTIVE for "), said
    assert not [d for d in said if not d.get("ephemeral") and " for " in d["message"]], said
    # The non-interactive output prints the resource's line again with each; the Diagnostics
    # section, printed at the end, has nothing of the resource.
    assert re.search(r"ForecastExportJob daily creating \(\d+s\) .*ACTIVE for \d+s", up.stdout), up.stdout
    assert "ForecastExportJob (daily):" not in up.stdout, up.stdout
    first = outputs()
    assert first["status"] == "ACTIVE"
    assert first["tagsAll"] == {"team": "demand", OWNER_TAG: "plugin-yaml/dev/daily"}

    program("supply")
    preview = _run(project, env, "preview", "--diff")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert "~ aws-forecast:forecast:ForecastExportJob: (update)" in preview.stdout, preview.stdout
    up = _run(project, env, "up", "--yes")
    assert up.returncode == 0, up.stdout + up.stderr
    assert outputs()["arn"] == first["arn"]  # updated in place: the same job
    forecast = emulator.client("forecast")
    tags = forecast.list_tags_for_resource(ResourceArn=first["arn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "supply", OWNER_TAG: "plugin-yaml/dev/daily"}

    down = _run(project, env, "destroy", "--yes")
    assert down.returncode == 0, down.stdout + down.stderr
    assert (
        forecast.list_forecast_export_jobs(
            Filters=[{"Key": "ForecastArn", "Value": seeded.forecast_arn, "Condition": "IS"}]
        )["ForecastExportJobs"]
        == []
    )


_EMPTY_PROGRAM = """
name: plugin-yaml
runtime: yaml
plugins:
  providers:
    - name: aws-forecast
      path: {plugin_dir}
"""


def test_pulumi_import_adopts_a_job_and_refuses_one_that_does_not_exist(
    emulator: Emulator | None, tmp_path: Path
) -> None:
    if emulator is None:
        pytest.skip("runs against the emulator only")
    emulator.configure(consistency_seconds=0, iam_propagation_seconds=0, export_quota=3)
    seeded = emulator.seed(bucket="plugin-import", prefix="pi", role_name="PluginImportExports")
    forecast = emulator.client("forecast")
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="by_hand",
        ForecastArn=seeded.forecast_arn,
        Destination={"S3Config": {"Path": f"s3://{seeded.bucket}/hand/", "RoleArn": seeded.role_arn}},
        Tags=[{"Key": "team", "Value": "demand"}],
    )["ForecastExportJobArn"]
    emulator.advance_clock(120)
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "state").mkdir()
    env = _env(emulator, seeded.region, tmp_path)
    (project / "Pulumi.yaml").write_text(_EMPTY_PROGRAM.format(plugin_dir=VENV / "bin"))
    assert _run(project, env, "stack", "init", "dev").returncode == 0

    missing = arn.replace("/by_hand", "/missing")
    refused = _run(
        project, env, "import", "aws-forecast:forecast:ForecastExportJob", "gone", missing, "--yes"
    )
    assert refused.returncode != 0
    assert (
        f"cannot import ForecastExportJob {missing}: there is no such forecast export job" in refused.stdout
    )
    assert "Unexpected" not in refused.stdout + refused.stderr

    imported = _run(project, env, "import", "aws-forecast:forecast:ForecastExportJob", "hand", arn, "--yes")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "forecastArn: " + seeded.forecast_arn in imported.stdout  # the code pulumi-yaml generates
    exported = _run(project, env, "stack", "export")
    resources = json.loads(exported.stdout)["deployment"]["resources"]
    [job] = [r for r in resources if r["type"] == "aws-forecast:forecast:ForecastExportJob"]
    assert job["id"] == arn and job["outputs"]["status"] == "ACTIVE"
    assert job["inputs"]["name"] == "by_hand" and job["inputs"]["tags"] == {"team": "demand"}
    # Imported resources are protected; the job stays on AWS whatever the stack does next.
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"] == "ACTIVE"


_EXPLICIT_PROVIDER = """
name: plugin-yaml
runtime: yaml
plugins:
  providers:
    - name: aws-forecast
      path: {plugin_dir}
resources:
  prod:
    type: pulumi:providers:aws-forecast
    properties:
      defaultTags:
        tags:
          env: prod
  daily:
    type: aws-forecast:forecast:ForecastExportJob
    properties:
      forecastArn: {forecast_arn}
      name: daily_prod
      destination:
        s3Config:
          path: s3://{bucket}/prod/
          roleArn: {role_arn}
    options:
      provider: ${{prod}}
outputs:
  tagsAll: ${{daily.tagsAll}}
"""


def test_an_explicit_provider_brings_its_own_default_tags(emulator: Emulator | None, tmp_path: Path) -> None:
    if emulator is None:
        pytest.skip("runs against the emulator only")
    emulator.configure(consistency_seconds=0, iam_propagation_seconds=0, export_quota=3)
    seeded = emulator.seed(bucket="plugin-explicit", prefix="pe", role_name="PluginExplicitExports")
    emulator.advance_clock(120)
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "state").mkdir()
    env = _env(emulator, seeded.region, tmp_path)
    (project / "Pulumi.yaml").write_text(
        _EXPLICIT_PROVIDER.format(
            plugin_dir=VENV / "bin",
            forecast_arn=seeded.forecast_arn,
            bucket=seeded.bucket,
            role_arn=seeded.role_arn,
        )
    )
    assert _run(project, env, "stack", "init", "dev").returncode == 0
    up = _run(project, env, "up", "--yes")
    assert up.returncode == 0, up.stdout + up.stderr
    shown = _run(project, env, "stack", "output", "--json")
    assert json.loads(shown.stdout)["tagsAll"] == {"env": "prod", OWNER_TAG: "plugin-yaml/dev/daily"}
    down = _run(project, env, "destroy", "--yes")
    assert down.returncode == 0, down.stdout + down.stderr
