"""`make demo`: the quickstart stack, deployed to a local Forecast emulator.

    python -m examples.quickstart.demo          # start the emulator, seed it, pulumi up, show the result
    python -m examples.quickstart.demo --down   # pulumi destroy, stop the emulator

The emulator keeps running after the demo (its Forecast state in .demo/emulator.sqlite), so
you can keep using the stack with the real pulumi CLI: `source .demo/env.sh` sets the
environment (endpoint, placeholder credentials, local backend, passphrase).

Environment: FORECAST_EMULATOR_PORT (default 4566), DEMO_DIR (default .demo),
DEMO_JOB_SECONDS (how long the emulator's export jobs take, default 5) and DEMO_STACK
(default dev).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from forecast_emulator import RemoteEmulator
from forecast_emulator.seed import client

REPO = Path(__file__).resolve().parents[2]


class Demo:
    def __init__(self) -> None:
        self.port = int(os.environ.get("FORECAST_EMULATOR_PORT", "4566"))
        self.stack = os.environ.get("DEMO_STACK", "dev")
        self.dir = Path(os.environ.get("DEMO_DIR", REPO / ".demo")).resolve()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.emulator = RemoteEmulator(self.endpoint, timeout=2.0)
        self.pulumi = shutil.which("pulumi", path=str(REPO / ".venv" / "bin")) or "pulumi"
        self.env = {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
            "PULUMI_BACKEND_URL": (self.dir / "state").as_uri(),
            # A local demo stack only: real stacks keep their passphrase out of files.
            "PULUMI_CONFIG_PASSPHRASE": "quickstart",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        }

    # --- the emulator ---------------------------------------------------------------------------
    def running(self) -> bool:
        try:
            self.emulator.health()
        except OSError:
            return False
        return True

    def start_emulator(self) -> None:
        if self.running():
            say(f"Using the Forecast emulator already running at {self.endpoint}")
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(REPO / ".venv" / "bin" / "forecast-emulator"),
            "serve",
            "--port",
            str(self.port),
            "--state",
            str(self.dir / "emulator.sqlite"),
            "--job-seconds",
            os.environ.get("DEMO_JOB_SECONDS", "5"),
        ]
        with open(self.dir / "emulator.log", "ab") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
            )
        (self.dir / "emulator.pid").write_text(str(process.pid))
        deadline = time.monotonic() + 30
        while not self.running():
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"The emulator did not start; see {self.dir / 'emulator.log'}")
            time.sleep(0.2)
        say(f"Started the Forecast emulator at {self.endpoint} (log: {self.dir / 'emulator.log'})")

    def stop_emulator(self) -> None:
        pid_file = self.dir / "emulator.pid"
        if not pid_file.exists():
            return
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.killpg(int(pid_file.read_text()), signal.SIGTERM)
        pid_file.unlink()
        say("Stopped the Forecast emulator")

    # --- pulumi ---------------------------------------------------------------------------------
    def run(self, *args: str, capture: bool = False) -> str:
        print(f"$ pulumi {shlex.join(args)}", flush=True)
        result = subprocess.run(
            [self.pulumi, *args],
            cwd=REPO,
            env={**os.environ, **self.env},
            text=True,
            stdout=subprocess.PIPE if capture else None,
            check=False,
        )
        if result.returncode != 0:
            sys.exit(f"pulumi {args[0]} failed (exit code {result.returncode})")
        return result.stdout or ""

    def write_env_file(self) -> Path:
        path = self.dir / "env.sh"
        lines = [f"export {k}={shlex.quote(v)}" for k, v in self.env.items()]
        lines.append(f'export PATH={shlex.quote(str(REPO / ".venv" / "bin"))}:"$PATH"')
        path.write_text("\n".join(lines) + "\n")
        return path

    def up(self) -> None:
        self.start_emulator()
        say(
            "Seeding the emulator: a bucket, a role, a dataset group, dataset, import, predictor and forecast"
        )
        seeded = self.emulator.seed(bucket="forecast-exports", prefix="demo")
        (self.dir / "state").mkdir(parents=True, exist_ok=True)
        env_file = self.write_env_file()

        self.run("stack", "select", "--create", self.stack)
        for key, value in (
            ("bucket", seeded.bucket),
            ("roleArn", seeded.role_arn),
            ("forecastArn", seeded.forecast_arn),
            ("predictorArn", seeded.predictor_arn),
            ("explainabilityArn", seeded.explainability_arn),
            ("whatIfForecastArn", seeded.what_if_forecast_arn),
        ):
            self.run("config", "set", key, value)
        self.run("up", "--yes", "--stack", self.stack)
        self.run("stack", "output", "--stack", self.stack)

        s3 = client("s3", self.endpoint)
        prefixes = ("forecasts/", "backtests/", "explainability/", "what-if/")
        say(f"Files the export jobs wrote to s3://{seeded.bucket}/ (parts with rows):")
        for key, rows in export_parts(s3, seeded.bucket, prefixes):
            print(f"  s3://{seeded.bucket}/{key}  ({rows} rows)")

        relative = os.path.relpath(env_file, Path.cwd())
        say(
            "Next, with the real pulumi CLI:\n"
            f"  source {relative}                # endpoint, placeholder credentials, local backend\n"
            '  # edit examples/quickstart/__main__.py: change a tag value, or format="CSV" to "PARQUET"\n'
            "  pulumi preview --diff              # a tag updates in place; a format change replaces\n"
            "  pulumi refresh                     # compare the stack with what the emulator has\n"
            "  pulumi destroy --yes               # delete the export jobs\n"
            "  make demo-down                     # destroy the stack and stop the emulator"
        )

    def down(self) -> None:
        if self.running() and (self.dir / "state").exists():
            self.run("destroy", "--yes", "--stack", self.stack)
        self.stop_emulator()


def export_parts(s3: Any, bucket: str, prefixes: tuple[str, ...]) -> list[tuple[str, int]]:
    """(key, rows) of the export parts under `prefixes` that hold rows, read as AWS's own readers
    read exports: only `.csv`/`.parquet` objects that are not empty, so the `_CHECK` and `_SUCCESS`
    markers are skipped; parts that hold only the header line are left out too."""
    parts = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for listed in page.get("Contents", []):
            key = listed["Key"]
            if not key.startswith(prefixes) or not key.endswith((".csv", ".parquet")) or not listed["Size"]:
                continue
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            if key.endswith(".csv"):
                rows = len(body.decode().splitlines()) - 1  # the header line first
            else:
                import pyarrow.parquet as pq  # the emulator's dependency: installed with it

                rows = pq.ParquetFile(io.BytesIO(body)).metadata.num_rows
            if rows:
                parts.append((key, rows))
    return sorted(parts)


def say(text: str) -> None:
    print(f"\n== {text}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--down", action="store_true", help="destroy the stack and stop the emulator")
    args = parser.parse_args()
    demo = Demo()
    if args.down:
        demo.down()
    else:
        demo.up()


if __name__ == "__main__":
    main()
