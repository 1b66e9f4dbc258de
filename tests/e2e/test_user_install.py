"""What a user does: build both distributions, add the provider to an existing Pulumi project
outside the clone (its older pulumi SDK stays as it is), deploy with the emulator from its own wheel.

Everything runs outside the repository: the project's virtualenv, the emulator's virtualenv and
process, the stack's backend. Only the Pulumi CLI (the one `make` provides) comes from the clone.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.harness import OFFLINE_ENV, PULUMI, REPO

# Both tests share the built distributions: one worker runs them (make test's --dist loadgroup).
pytestmark = pytest.mark.xdist_group("user_install")

#: The project's SDK before and after installing ours: an older release inside our range.
USER_PULUMI = "3.250.0"

PROGRAM = """\
import pulumi
from pulumi_aws_forecast import ForecastExportJob, PredictorBacktestExportJob

config = pulumi.Config()
destination = {"s3_config": {"path": config.require("path"), "role_arn": config.require("roleArn")}}
daily = ForecastExportJob("daily", forecast_arn=config.require("forecastArn"), destination=destination)
backtest = PredictorBacktestExportJob(
    "backtest", predictor_arn=config.require("predictorArn"), destination=destination, format="PARQUET"
)
pulumi.export("statuses", [daily.status, backtest.status])
"""


def run(*cmd: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def pip(venv: Path, *args: str | Path) -> str:
    return run(venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "--quiet", *args)


def version_in(venv: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    return run(venv / "bin" / "python", "-c", code).strip()


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheel and sdist of both distributions, built as for a release, and checked by twine."""
    out = tmp_path_factory.mktemp("dist")
    python = sys.executable
    run(python, "-m", "build", "--outdir", out, REPO)
    run(python, "-m", "build", "--outdir", out, REPO / "emulator")
    run(python, "-m", "twine", "check", "--strict", *sorted(out.iterdir()))
    return out


def test_the_provider_wheel_holds_only_the_provider(dist: Path) -> None:
    [wheel] = dist.glob("pulumi_aws_forecast-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packages = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert packages == {"pulumi_aws_forecast"}
    assert "pulumi_aws_forecast/py.typed" in names
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    requires = [
        line.split(": ", 1)[1]
        for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist: ") and "extra ==" not in line
    ]
    assert sorted(requires) == ["boto3<2.0.0,>=1.35.0", "botocore<2.0.0,>=1.35.0", "pulumi<4.0.0,>=3.139.0"]
    [emulator] = dist.glob("forecast_emulator-*.whl")
    tops = {n.split("/")[0] for n in zipfile.ZipFile(emulator).namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"forecast_emulator"}
    assert {p.name.rsplit("-", 1)[0] for p in dist.glob("*.tar.gz")} == {
        "pulumi_aws_forecast",
        "forecast_emulator",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def emulator_endpoint(dist: Path, tmp_path: Path) -> Iterator[str]:
    """`forecast-emulator serve` from a virtualenv with only the emulator's wheel (and what it needs)."""
    venv = tmp_path / "emulator-venv"
    run(sys.executable, "-m", "venv", venv)
    # constraints.txt: the same third-party versions as .venv, so pip's cache serves them.
    [wheel] = dist.glob("forecast_emulator-*.whl")
    pip(venv, "install", "--find-links", dist, "-c", REPO / "constraints.txt", wheel)
    port = free_port()
    process = subprocess.Popen(
        [venv / "bin" / "forecast-emulator", "serve", "--port", str(port), "--job-seconds", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()  # "Forecast emulator listening on ..."
        assert "listening on" in line, line
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_pip_install_into_an_existing_project_changes_nothing_else_and_works(
    dist: Path, emulator_endpoint: str, tmp_path: Path
) -> None:
    assert not tmp_path.is_relative_to(REPO)
    # An existing Pulumi project on an older SDK.
    project = tmp_path / "project"
    project.mkdir()
    venv = project / "venv"
    run(sys.executable, "-m", "venv", venv)
    pip(venv, "install", f"pulumi=={USER_PULUMI}")
    before = {p: version_in(venv, p) for p in ("pulumi", "grpcio", "protobuf")}
    assert before["pulumi"] == USER_PULUMI

    [wheel] = dist.glob("pulumi_aws_forecast-*.whl")
    pip(venv, "install", wheel)
    assert {p: version_in(venv, p) for p in before} == before  # nothing else moved
    assert "forecast_emulator" not in run(venv / "bin" / "python", "-m", "pip", "list")

    # The user's program, stack and offline backend; the CLI from `make`, nothing else of the clone.
    emulator_cli = tmp_path / "emulator-venv" / "bin" / "forecast-emulator"
    seeded: dict[str, Any] = json.loads(run(emulator_cli, "seed", "--endpoint-url", emulator_endpoint))
    (project / "Pulumi.yaml").write_text(
        f"name: user-project\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (project / "__main__.py").write_text(PROGRAM)
    (tmp_path / "state").mkdir()
    cli_dir = Path(os.path.realpath(PULUMI)).parent
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p).resolve() != PULUMI.parent]
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        **OFFLINE_ENV,
        "PATH": os.pathsep.join([str(cli_dir), *path]),
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_BACKEND_URL": (tmp_path / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "user",
        "AWS_ENDPOINT_URL": emulator_endpoint,
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_REGION": seeded["region"],
        "PULUMI_AWS_FORECAST_POLL_MIN_SECONDS": "0.2",
    }
    pulumi = shutil.which("pulumi", path=env["PATH"])
    assert pulumi is not None and Path(pulumi).parent == cli_dir

    def cli(*args: str) -> str:
        return run(pulumi, *args, "--non-interactive", cwd=project, env=env)

    cli("stack", "init", "dev")
    for key, value in {
        "forecastArn": seeded["forecast_arn"],
        "predictorArn": seeded["predictor_arn"],
        "roleArn": seeded["role_arn"],
        "path": f"s3://{seeded['bucket']}/user/",
    }.items():
        cli("config", "set", key, value)
    up = cli("up", "--yes", "--skip-preview")
    assert "3 created" in up, up
    assert json.loads(cli("stack", "output", "statuses", "--json")) == ["ACTIVE", "ACTIVE"]
    assert version_in(venv, "pulumi") == USER_PULUMI

    forecast = boto3.client(
        "forecast",
        endpoint_url=emulator_endpoint,
        region_name=seeded["region"],
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    assert len(forecast.list_forecast_export_jobs()["ForecastExportJobs"]) == 1
    destroy = cli("destroy", "--yes", "--skip-preview")
    assert "3 deleted" in destroy, destroy
    assert forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []
    assert forecast.list_predictor_backtest_export_jobs()["PredictorBacktestExportJobs"] == []
