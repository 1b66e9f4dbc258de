"""The examples, run as a user runs them: the README's `make demo` driver, the GitOps script and
the YAML stack."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from forecast_emulator import Emulator
from forecast_emulator.seed import Seeded
from pulumi_aws_forecast.catalog import KINDS as CATALOGUE
from tests.e2e.world import KINDS, World
from tests.e2e.yaml_project import YamlProject, requires_yaml_host
from tests.harness import OFFLINE_ENV, REPO, VENV

# Steers the emulator (its clock, settings, faults or processes): not part of `make acceptance`.
pytestmark = pytest.mark.emulator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_demo_deploys_both_jobs_and_lists_their_files(tmp_path: Path) -> None:
    stack = f"demotest{os.getpid()}"
    env = {
        **os.environ,
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "FORECAST_EMULATOR_PORT": str(free_port()),
        "DEMO_DIR": str(tmp_path / "demo"),
        "DEMO_JOB_SECONDS": "1",
        "DEMO_STACK": stack,
        "PULUMI_HOME": str(tmp_path / "home"),
    }
    demo = [sys.executable, "-m", "examples.quickstart.demo"]
    try:
        up = subprocess.run(demo, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        assert up.returncode == 0, up.stdout + up.stderr
        out = up.stdout
        assert "Files the export jobs wrote to s3://forecast-exports/ (parts with rows):" in out
        assert "s3://forecast-exports/forecasts/daily/daily_" in out
        assert "s3://forecast-exports/backtests/forecasted-values/" in out
        assert "s3://forecast-exports/backtests/accuracy-metrics-values/" in out
        assert "s3://forecast-exports/explainability/impacts_" in out
        assert "_SUCCESS" not in out and "_part0.csv" not in out  # markers and header-only parts skipped
        assert "s3://forecast-exports/what-if/scenarios_" in out
        assert "forecast_export_status" in out and "ACTIVE" in out
        assert "pulumi preview --diff" in out
        assert (tmp_path / "demo" / "env.sh").read_text().count("export ") >= 5
    finally:
        down = subprocess.run(
            [*demo, "--down"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )
        (REPO / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)
    assert down.returncode == 0, down.stdout + down.stderr
    assert "Stopped the Forecast emulator" in down.stdout


def test_the_gitops_script_drives_one_stack_per_environment(tmp_path: Path) -> None:
    with Emulator(job_seconds=1.0, upstream_seconds=0.05) as emu:
        seeded = emu.seed(bucket="gitops-exports", prefix="gitops")
        project = tmp_path / "project"
        project.mkdir()
        # The quickstart program, in a project folder of the test's own (stack files land there).
        (project / "Pulumi.yaml").write_text(
            f"name: forecast-quickstart\nruntime:\n  name: python\n  options:\n    virtualenv: {VENV}\n"
        )
        program = REPO / "examples" / "quickstart" / "__main__.py"
        (project / "__main__.py").write_text(f"import runpy\nrunpy.run_path({str(program)!r})\n")
        environments = tmp_path / "environments.json"
        settings = quickstart_settings(seeded)
        # staging as a team configures an environment: a role to assume, in the only allowed account
        # (structured values, which the script sets as `pulumi config set --path` does).
        staging = {
            **settings,
            "aws:assumeRoles": [{"roleArn": seeded.role_arn, "sessionName": "gitops-staging"}],
            "aws:allowedAccountIds": [seeded.account_id],
        }
        environments.write_text(json.dumps({"dev": settings, "staging": staging}))
        env = {
            **os.environ,
            **OFFLINE_ENV,
            "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "PULUMI_HOME": str(tmp_path / "home"),
            "PULUMI_BACKEND_URL": (tmp_path / "state").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "gitops",
            "AWS_ENDPOINT_URL": emu.endpoint_url,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "PULUMI_AWS_FORECAST_POLL_MIN_SECONDS": "0.2",
        }
        (tmp_path / "state").mkdir()
        script = [sys.executable, str(REPO / "examples" / "gitops" / "deploy.py")]
        common = ["--config", str(environments), "--work-dir", str(project)]

        def deploy(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*script, *args, *common], env=env, capture_output=True, text=True, timeout=600
            )

        preview = deploy("preview")
        assert preview.returncode == 0, preview.stdout + preview.stderr
        assert "         dev: preview: 5 create" in preview.stdout
        assert "     staging: preview: 5 create" in preview.stdout

        up = deploy("up")
        assert up.returncode == 0, up.stdout + up.stderr
        assert "         dev: up: 5 create" in up.stdout and "     staging: up: 5 create" in up.stdout
        forecast = emu.client("forecast")
        jobs = forecast.list_forecast_export_jobs()["ForecastExportJobs"]
        owners = sorted(
            {
                t["Key"]: t["Value"]
                for t in forecast.list_tags_for_resource(ResourceArn=j["ForecastExportJobArn"])["Tags"]
            }["pulumi-aws-forecast:owner"]
            for j in jobs
        )
        assert owners == ["forecast-quickstart/dev/daily", "forecast-quickstart/staging/daily"]
        # dev's jobs were created with the environment's keys, staging's with the assumed role's.
        signers = emu.callers()["CreateForecastExportJob"]
        assert len(signers) == 2 and signers["test"] == 1, signers

        unknown = deploy("preview", "--env", "qa")
        assert unknown.returncode == 2 and "unknown environment(s) qa" in unknown.stderr

        down = deploy("destroy")
        assert down.returncode == 0, down.stdout + down.stderr
        assert forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []


def quickstart_settings(seeded: Seeded) -> dict[str, str]:
    """The quickstart's stack configuration (Python and YAML alike): the seeded parents."""
    return {
        "bucket": seeded.bucket,
        "roleArn": seeded.role_arn,
        "forecastArn": seeded.forecast_arn,
        "predictorArn": seeded.predictor_arn,
        "explainabilityArn": seeded.explainability_arn,
        "whatIfForecastArn": seeded.what_if_forecast_arn,
    }


@requires_yaml_host
def test_the_yaml_example_deploys_the_quickstart_and_destroys_it(world: World, tmp_path: Path) -> None:
    seeded = world.seeded
    assert isinstance(seeded, Seeded)
    project = YamlProject(REPO / "examples" / "yaml", tmp_path, world.env)
    stack = f"yamltest{os.getpid()}"
    settings = quickstart_settings(seeded)
    try:
        project.ok("stack", "init", stack)
        project.ok("config", "set-all", *(f"--plaintext={key}={value}" for key, value in settings.items()))
        project.ok("up", "--yes", "--skip-preview")
        outputs = project.outputs()
        assert outputs["forecastExportPath"] == f"s3://{seeded.bucket}/forecasts/daily/"
        assert outputs["backtestExportPath"] == f"s3://{seeded.bucket}/backtests/"
        arns = {kind: [job[CATALOGUE[kind].arn_member] for job in world.jobs(kind)] for kind in KINDS}
        assert arns == {
            "ForecastExportJob": [outputs["forecastExportArn"]],
            "PredictorBacktestExportJob": [outputs["backtestExportArn"]],
            "ExplainabilityExport": [outputs["explainabilityExportArn"]],
            "WhatIfForecastExport": [outputs["whatIfExportArn"]],
        }
        statuses = {key: value for key, value in outputs.items() if key.endswith("Status")}
        assert set(statuses.values()) == {"ACTIVE"} and len(statuses) == 4
        assert (
            world.describe("PredictorBacktestExportJob", outputs["backtestExportArn"])["Format"] == "PARQUET"
        )

        project.ok("destroy", "--yes", "--skip-preview")
        assert all(world.jobs(kind) == [] for kind in KINDS)
    finally:
        if world.jobs("ForecastExportJob"):  # a failed run: leave nothing deployed
            project.run("destroy", "--yes", "--skip-preview")
        (project.folder / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)
