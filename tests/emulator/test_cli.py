"""The real AWS CLI against the emulator, and `forecast-emulator serve` across a restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from forecast_emulator import Emulator, RemoteEmulator, Seeded
from tests.emulator.support import JOB_SECONDS

BIN = Path(sys.executable).parent


def _aws(emu: Emulator, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AWS_ENDPOINT_URL": emu.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
    }
    return subprocess.run([str(BIN / "aws"), *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_aws_cli(emu: Emulator, parents: Seeded, tmp_path: Path) -> None:
    destination = f"S3Config={{Path=s3://{parents.bucket}/cli/,RoleArn={parents.role_arn}}}"
    created = _aws(
        emu,
        tmp_path,
        *("forecast", "create-forecast-export-job", "--forecast-export-job-name", "from_cli"),
        *(
            "--forecast-arn",
            parents.forecast_arn,
            "--destination",
            destination,
            "--tags",
            "Key=team,Value=demand",
        ),
    )
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["ForecastExportJobArn"]
    assert arn.endswith(":forecast-export-job/demo_forecast/from_cli")

    rejected = _aws(
        emu,
        tmp_path,
        *("forecast", "create-forecast-export-job", "--forecast-export-job-name", "from-cli"),
        *("--forecast-arn", parents.forecast_arn, "--destination", destination),
    )
    assert rejected.returncode == 255
    assert rejected.stderr.strip() == (
        "An error occurred (ValidationException) when calling the CreateForecastExportJob operation: "
        "1 validation error detected: Value 'from-cli' at 'forecastExportJobName' "
        "failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9_]*"
    )

    emu.advance_clock(JOB_SECONDS)
    listed = _aws(
        emu,
        tmp_path,
        "forecast",
        "list-forecast-export-jobs",
        "--filters",
        "Key=Status,Value=ACTIVE,Condition=IS",
    )
    assert [job["ForecastExportJobName"] for job in json.loads(listed.stdout)["ForecastExportJobs"]] == [
        "from_cli"
    ]
    files = _aws(emu, tmp_path, "s3", "ls", f"s3://{parents.bucket}/cli/")
    assert files.returncode == 0 and "from_cli_" in files.stdout and "_part0.csv" in files.stdout
    tags = _aws(emu, tmp_path, "forecast", "list-tags-for-resource", "--resource-arn", arn)
    assert json.loads(tags.stdout)["Tags"] == [{"Key": "team", "Value": "demand"}]


class _Served:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "forecast-emulator"), "serve", "--port", "0", *args],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        assert "listening on http://" in line, line
        self.url = line.split("listening on ", 1)[1].split()[0]
        self.remote = RemoteEmulator(self.url)

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        _, rest = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, rest
        return rest


@pytest.fixture
def served() -> Iterator[list[_Served]]:
    started: list[_Served] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def test_a_restart_keeps_state(tmp_path: Path, served: list[_Served]) -> None:
    state = str(tmp_path / "state.sqlite")
    first = _Served("--state", state, "--job-seconds", "3600", "--upstream-seconds", "0")
    served.append(first)
    parents = first.remote.seed()
    forecast = first.remote.client("forecast")
    done = forecast.create_forecast_export_job(
        ForecastExportJobName="done",
        ForecastArn=parents.forecast_arn,
        Destination={"S3Config": {"Path": f"s3://{parents.bucket}/done/", "RoleArn": parents.role_arn}},
        Tags=[{"Key": "kept", "Value": "yes"}],
    )["ForecastExportJobArn"]
    first.remote.configure(job_seconds=0)
    before = forecast.describe_forecast_export_job(ForecastExportJobArn=done)
    assert before["Status"] == "ACTIVE"
    first.remote.configure(job_seconds=3600)
    running = forecast.create_forecast_export_job(
        ForecastExportJobName="running",
        ForecastArn=parents.forecast_arn,
        Destination={"S3Config": {"Path": f"s3://{parents.bucket}/running/", "RoleArn": parents.role_arn}},
    )["ForecastExportJobArn"]
    assert "Forecast emulator stopped" in first.stop()

    second = _Served("--state", state, "--job-seconds", "0")
    served.append(second)
    forecast = second.remote.client("forecast")
    after = forecast.describe_forecast_export_job(ForecastExportJobArn=done)
    assert after["Status"] == "ACTIVE"
    assert after["CreationTime"] == before["CreationTime"]
    assert after["LastModificationTime"] == before["LastModificationTime"]
    assert forecast.list_tags_for_resource(ResourceArn=done)["Tags"] == [{"Key": "kept", "Value": "yes"}]
    # The job that was running finishes after the restart: its bucket and role came back with the state.
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=running)["Status"] == "ACTIVE"
    s3 = second.remote.client("s3")
    keys = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=parents.bucket)["Contents"])
    assert sorted({key.split("/")[0] for key in keys}) == ["demo", "done", "running"]
    assert [key for key in keys if key.endswith("/_SUCCESS")] == ["done/_SUCCESS", "running/_SUCCESS"]
    assert second.remote.seed() == parents  # seeding again finds everything in place
    second.stop()


def test_the_new_export_kinds_through_the_aws_cli(emu: Emulator, parents: Seeded, tmp_path: Path) -> None:
    destination = f"S3Config={{Path=s3://{parents.bucket}/cli-what-if/,RoleArn={parents.role_arn}}}"
    created = _aws(
        emu,
        tmp_path,
        *("forecast", "create-what-if-forecast-export", "--what-if-forecast-export-name", "from_cli"),
        *("--what-if-forecast-arns", parents.what_if_forecast_arn, "--destination", destination),
        *("--format", "PARQUET"),
    )
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["WhatIfForecastExportArn"]
    assert arn.endswith(":what-if-forecast-export/from_cli")
    explained = _aws(
        emu,
        tmp_path,
        *("forecast", "create-explainability-export", "--explainability-export-name", "from_cli"),
        *("--explainability-arn", parents.explainability_arn, "--destination", destination),
    )
    assert explained.returncode == 0, explained.stderr
    missing = _aws(
        emu,
        tmp_path,
        *("forecast", "describe-explainability", "--explainability-arn"),
        parents.explainability_arn + "_gone",
    )
    assert missing.returncode == 255
    assert missing.stderr.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the DescribeExplainability operation: "
        f"No explainability found with the arn: {parents.explainability_arn}_gone"
    )

    emu.advance_clock(JOB_SECONDS)
    listed = _aws(
        emu,
        tmp_path,
        *("forecast", "list-what-if-forecast-exports", "--filters"),
        f"Key=WhatIfForecastExportArn,Value={parents.what_if_forecast_arn},Condition=IS",
    )
    assert listed.returncode == 0, listed.stderr
    [summary] = json.loads(listed.stdout)["WhatIfForecastExports"]
    assert (summary["WhatIfForecastExportArn"], summary["Status"]) == (arn, "ACTIVE")
    analyses = _aws(emu, tmp_path, "forecast", "list-what-if-analyses")
    assert [a["WhatIfAnalysisName"] for a in json.loads(analyses.stdout)["WhatIfAnalyses"]] == [
        "demo_what_if_analysis"
    ]
    files = _aws(emu, tmp_path, "s3", "ls", "--recursive", f"s3://{parents.bucket}/cli-what-if/")
    assert files.returncode == 0
    assert "cli-what-if/from_cli_" in files.stdout and "_part0.parquet" in files.stdout
    assert "_part0.csv" in files.stdout and "cli-what-if/_SUCCESS" in files.stdout
