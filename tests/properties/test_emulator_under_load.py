"""32 concurrent clients against the emulator for a bounded time: no 5xx it did not inject,
and a consistent state afterwards."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from forecast_emulator import Emulator

CLIENTS = 32


def test_thirty_two_clients() -> None:
    run_load(seconds=8.0)


@pytest.mark.soak
def test_thirty_two_clients_for_two_minutes() -> None:
    run_load(seconds=120.0)


def run_load(seconds: float) -> None:
    with Emulator(job_seconds=0.5, upstream_seconds=0.05, delete_seconds=0.2, export_quota=CLIENTS) as emu:
        seeded = emu.seed(bucket="load-tests", prefix="load")
        errors: Counter[str] = Counter()
        calls: Counter[str] = Counter()
        created: dict[int, list[str]] = {}
        deleted: dict[int, set[str]] = {}
        lock = threading.Lock()
        deadline = time.monotonic() + seconds

        def worker(n: int) -> None:
            forecast = emu.client("forecast", config=Config(retries={"max_attempts": 1}))
            mine: list[str] = []
            gone: set[str] = set()
            i = 0
            while time.monotonic() < deadline:
                i += 1
                try:
                    arn = forecast.create_forecast_export_job(
                        ForecastExportJobName=f"load_{n}_{i}",
                        ForecastArn=seeded.forecast_arn,
                        Destination={
                            "S3Config": {"Path": f"s3://{seeded.bucket}/{n}/", "RoleArn": seeded.role_arn}
                        },
                        Tags=[{"Key": "client", "Value": str(n)}],
                    )["ForecastExportJobArn"]
                    mine.append(arn)
                    forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
                    forecast.list_forecast_export_jobs(MaxResults=10)
                    forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "round", "Value": str(i)}])
                    if i % 2 == 0 and len(mine) > 1:
                        previous = mine[-2]
                        status = forecast.describe_forecast_export_job(ForecastExportJobArn=previous)[
                            "Status"
                        ]
                        if status in ("ACTIVE", "CREATE_FAILED"):
                            forecast.delete_forecast_export_job(ForecastExportJobArn=previous)
                            gone.add(previous)
                    with lock:
                        calls["rounds"] += 1
                except ClientError as error:
                    status = error.response["ResponseMetadata"]["HTTPStatusCode"]
                    with lock:
                        errors[f"{status} {error.response['Error']['Code']}"] += 1
            with lock:
                created[n], deleted[n] = mine, gone

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        # No server errors at all (none were injected); refusals, if any, are the service's own 4xx.
        assert not [e for e in errors if e.startswith("5")], errors
        assert calls["rounds"] > CLIENTS  # every client got work done
        # The state is consistent: every job created and not deleted is listed exactly once,
        # with its tags; the deleted ones are going or gone.
        forecast = emu.client("forecast")
        pages = forecast.get_paginator("list_forecast_export_jobs").paginate()
        listed = [job["ForecastExportJobArn"] for page in pages for job in page["ForecastExportJobs"]]
        assert len(listed) == len(set(listed))
        for n, arns in created.items():
            for arn in arns:
                if arn in deleted[n]:
                    continue
                assert arn in listed
                tags = {
                    t["Key"]: t["Value"] for t in forecast.list_tags_for_resource(ResourceArn=arn)["Tags"]
                }
                assert tags["client"] == str(n) and "round" in tags
        print(
            f"FIGURE load: {calls['rounds']} rounds by {CLIENTS} clients in {seconds:g} s; "
            f"refusals: {dict(errors)}"
        )
