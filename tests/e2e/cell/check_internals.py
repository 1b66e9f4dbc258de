"""Run with a matrix cell's Python (provider/ on PYTHONPATH): do the three guarded mechanisms of
pulumi_aws_forecast._compat and .model work with this cell's pulumi, grpcio and botocore? Prints JSON."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import grpc

from pulumi_aws_forecast import _aws, _compat, model
from pulumi_aws_forecast._aws_config import AwsConfig

warnings: list[str] = []


class Collect(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        warnings.append(record.getMessage())


logging.getLogger("pulumi_aws_forecast").addHandler(Collect())


def grpc_pool() -> dict[str, Any]:
    """A server built as pulumi.dynamic.__main__ builds it, then widened: do 8 tasks run at once?"""
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.origin is not None
    with open(spec.origin) as f:
        source = f.read()
    shaped = "grpc.server(" in source and "ThreadPoolExecutor(" in source and "max_workers=4" in source
    pool = ThreadPoolExecutor(max_workers=4)
    server = grpc.server(pool)
    server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        limit = _compat.widen_grpc_pools(64)
        barrier = threading.Barrier(8, timeout=10)
        together = all(f.result() for f in [pool.submit(lambda: barrier.wait() >= 0) for _ in range(8)])
    except threading.BrokenBarrierError:
        together = False
    finally:
        server.stop(None)
        pool.shutdown(wait=False, cancel_futures=True)
    return {"sdk_shape": shaped, "limit": limit, "eight_at_once": together}


class Refuse(BaseHTTPRequestHandler):
    requests = 0

    def do_POST(self) -> None:
        Refuse.requests += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"__type": "LimitExceededException", "message": "quota test"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


def quota_hook() -> dict[str, Any]:
    """A Create refused with LimitExceededException raises QuotaReached at once, unretried."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{server.server_address[1]}",
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="x",
    )
    start = time.monotonic()
    try:
        # No sts:GetCallerIdentity first: this server answers only as Forecast would.
        unchecked = AwsConfig.from_mapping({"aws:skipCredentialsValidation": "true"})
        forecast = _aws.client("us-east-1", unchecked)
        forecast.create_forecast_export_job(
            ForecastExportJobName="q",
            ForecastArn="arn:aws:forecast:us-east-1:123456789012:forecast/f",
            Destination={"S3Config": {"Path": "s3://b/x", "RoleArn": "arn:aws:iam::123456789012:role/r"}},
        )
        raised = "nothing"
    except _aws.QuotaReached as quota:
        raised = f"QuotaReached: {quota.message}"
    except Exception as other:
        raised = f"{type(other).__name__}: {other}"
    finally:
        server.shutdown()
        server.server_close()
    return {"raised": raised, "requests": Refuse.requests, "seconds": round(time.monotonic() - start, 2)}


def model_data() -> bool:
    """The Forecast model read from botocore's data folder is the one botocore's loader returns."""
    from botocore.loaders import create_loader

    loaded: dict[str, Any] = create_loader().load_service_model("forecast", "service-2")
    return model.botocore_service_data("forecast") == loaded


print(
    json.dumps(
        {"grpc": grpc_pool(), "botocore": quota_hook(), "model_data": model_data(), "warnings": warnings}
    )
)
