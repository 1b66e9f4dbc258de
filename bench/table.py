"""The emulator's own time per request as its table grows, and its HTTP server's round trip.

`per_request` fills an in-process emulator's table with n export jobs of one forecast (half ACTIVE,
half still being created, as in a big deployment) and times requests through the WSGI app, without
HTTP: the emulator's cost per request, from the request's JSON to the response's.
`round_trip` times Describe calls through boto3 and HTTP against a running emulator, from one
thread and from many, which is what the HTTP server (connections, keep-alive, threads) costs.
"""

from __future__ import annotations

import copy
import io
import json
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from forecast_emulator import Emulator
from forecast_emulator.server import EmulatorCore

_AUTH = (
    "AWS4-HMAC-SHA256 Credential=bench/20250101/{region}/forecast/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0"
)


def _call(core: EmulatorCore, region: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(params).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/x-amz-json-1.1",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_AMZ_TARGET": f"AmazonForecast.{operation}",
        "HTTP_AUTHORIZATION": _AUTH.format(region=region),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
    }
    status: list[str] = []
    chunks = core(environ, lambda s, headers, exc_info=None: status.append(s))
    data = b"".join(chunks)
    if not status[0].startswith("200"):
        raise RuntimeError(f"{operation}: {status[0]} {data[:300]!r}")
    result: dict[str, Any] = json.loads(data)
    return result


def _timed(repeat: int, action: Callable[[int], None], setup: Callable[[int], None] | None = None) -> float:
    """Median milliseconds of `action(i)` over `repeat` calls; `setup(i)` runs untimed before each."""
    samples = []
    for i in range(repeat):
        if setup is not None:
            setup(i)
        start = time.perf_counter()
        action(i)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def per_request(sizes: list[int], repeat: int = 60) -> list[tuple[int, dict[str, float]]]:
    """For each table size: median milliseconds per request, by request."""
    return [(n, _per_request(n, repeat)) for n in sizes]


def _per_request(n: int, repeat: int) -> dict[str, float]:
    with Emulator(job_seconds=3600, export_quota=10**9, total_quota=10**9) as emu:
        seeded = emu.seed(bucket="table", prefix="table")
        core, region = emu.core, seeded.region
        destination = {"S3Config": {"Path": f"s3://{seeded.bucket}/t/", "RoleArn": seeded.role_arn}}

        def create_job(name: str) -> str:
            request = {"ForecastExportJobName": name, "ForecastArn": seeded.forecast_arn}
            arn: str = _call(
                core, region, "CreateForecastExportJob", {**request, "Destination": destination}
            )["ForecastExportJobArn"]
            return arn

        first = create_job("t0")
        prefix = first[: -len("t0")]
        _clone_job(core, first, [(f"t{i}", f"{prefix}t{i}", i) for i in range(1, n)])
        arns = [f"{prefix}t{i}" for i in range(n)]

        def describe(i: int) -> None:
            _call(core, region, "DescribeForecastExportJob", {"ForecastExportJobArn": arns[i * 7919 % n]})

        def tag(i: int) -> None:
            tags = [{"Key": "k", "Value": str(i)}]
            _call(core, region, "TagResource", {"ResourceArn": arns[i * 7919 % n], "Tags": tags})

        def list_page(filters: list[dict[str, str]]) -> Callable[[int], None]:
            def action(i: int) -> None:
                _call(core, region, "ListForecastExportJobs", {"Filters": filters, "MaxResults": 100})

            return action

        def create(i: int) -> None:
            create_job(f"new{n}_{i}")

        by_parent = [{"Key": "ForecastArn", "Value": seeded.forecast_arn, "Condition": "IS"}]
        return {
            "Describe": _timed(repeat, describe),
            "Describe after a write": _timed(repeat, describe, setup=tag),
            "List, 1 page of 100": _timed(max(5, repeat // 4), list_page([])),
            "List by ForecastArn, 1 page": _timed(max(5, repeat // 4), list_page(by_parent)),
            "TagResource": _timed(repeat, tag),
            "Create": _timed(repeat, create),
        }


def _clone_job(core: EmulatorCore, template_arn: str, copies: list[tuple[str, str, int]]) -> None:
    """Copies of the job `template_arn` straight into the emulator's store, as (name, arn, i): the
    i-th is created i ms after the template, and ACTIVE when i is odd. Creating thousands of jobs
    through the API would take minutes; this is the bench's one use of the emulator's internals
    (its core's state lock and store), so a reshaped store changes only this function."""
    with core.state.lock:
        template = core.state.store.get(template_arn)
        assert template is not None
        for name, arn, i in copies:
            job = copy.deepcopy(template)
            job.name, job.arn = name, arn
            job.created = job.phase_started = job.modified = template.created + i * 1e-3
            job.status = "ACTIVE" if i % 2 else job.status
            core.state.store.insert(job)


def round_trip(endpoint_url: str, client: Any, arn: str, threads: int, calls: int) -> tuple[float, float]:
    """(median ms per Describe from one thread, Describes per second from `threads` threads)."""
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        client.describe_forecast_export_job(ForecastExportJobArn=arn)
        samples.append(time.perf_counter() - start)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(calls // threads + 1):
                client.describe_forecast_export_job(ForecastExportJobArn=arn)
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - start
    if errors:
        raise errors[0]
    return statistics.median(samples) * 1000, threads * (calls // threads + 1) / seconds
