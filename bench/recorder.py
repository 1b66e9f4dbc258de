"""What the provider asked the emulator, and when: a recording HTTP proxy in front of the emulator.

`RecordingProxy` forwards every request to the emulator unchanged and keeps, for each Forecast
request (`X-Amz-Target: AmazonForecast.<Operation>`), the operation, the request and the response
as JSON, and when the response came back. Pointing a stack's `AWS_ENDPOINT_URL` at it shows the
provider's waiting from outside, through the public API only: `job_times` reads from the
recorded exchanges when each export job was created, when it became ACTIVE (its
LastModificationTime), and when a response first told the provider so (a List page of its sweep,
or a Describe).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

#: Headers that belong to one connection and are not forwarded.
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"})
_TARGET_PREFIX = "AmazonForecast."


@dataclass(frozen=True)
class Exchange:
    """One Forecast request and its response, as the proxy saw them."""

    sent: float  # time.time() when the request reached the proxy
    answered: float  # time.time() when the emulator's response had been read
    operation: str
    request: dict[str, Any]
    response: dict[str, Any]
    status: int


class RecordingProxy:
    """A threaded HTTP/1.1 proxy on a free local port in front of `upstream` (an emulator's URL)."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"not an http://host:port URL: {upstream}")
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        host, port = parts.hostname, parts.port
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                sent = time.time()
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                status, reason, answer_headers, data = proxy._send(
                    host, port, self.command, self.path, body, headers
                )
                answered = time.time()
                target = self.headers.get("X-Amz-Target", "")
                if target.startswith(_TARGET_PREFIX):
                    proxy._record(sent, answered, target[len(_TARGET_PREFIX) :], body, data, status)
                self.send_response(status, reason)
                for name, value in answer_headers:
                    if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-proxy", daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def _send(
        self, host: str, port: int, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        """The emulator's answer, through this thread's own keep-alive connection to it."""
        for attempt in (1, 2):
            connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
            if connection is None:
                connection = self._local.connection = http.client.HTTPConnection(host, port, timeout=120)
            try:
                connection.request(method, path, body=body, headers=headers)
                answer = connection.getresponse()
                return answer.status, answer.reason, answer.getheaders(), answer.read()
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _record(
        self, sent: float, answered: float, operation: str, body: bytes, data: bytes, status: int
    ) -> None:
        exchange = Exchange(sent, answered, operation, _json(body), _json(data), status)
        with self._lock:
            self.exchanges.append(exchange)

    def recorded(self, until: float = float("inf")) -> list[Exchange]:
        """The exchanges answered up to `until` (time.time()), in the order they were answered."""
        with self._lock:
            return sorted((e for e in self.exchanges if e.answered <= until), key=lambda e: e.answered)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _json(data: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(data or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


@dataclass
class JobTimes:
    """One export job's wait, from the exchanges (times are time.time(); the emulator's clock is this
    machine's, as the bench never moves it)."""

    arn: str
    created: float  # the Create's response reached the provider: its wait starts
    active: float | None = None  # the job's LastModificationTime once ACTIVE
    noticed: float | None = None  # the first response that reported it ACTIVE
    describes: int = 0  # Describe calls that named it
    lists_before_notice: int = 0  # List pages answered while it waited, until it was noticed
    noticed_by: str = ""  # the operation of that first response


def job_times(exchanges: list[Exchange], noun: str = "ForecastExportJob") -> dict[str, JobTimes]:
    """Per job created in `exchanges`: when it was created, became ACTIVE and was noticed so."""
    arn_key, list_key = f"{noun}Arn", f"{noun}s"
    jobs: dict[str, JobTimes] = {}

    def saw(arn: str, record: dict[str, Any], exchange: Exchange) -> None:
        job = jobs.get(arn)
        if job is None or job.noticed is not None or record.get("Status") != "ACTIVE":
            return
        job.noticed, job.noticed_by = exchange.answered, exchange.operation
        job.active = float(record["LastModificationTime"])

    for exchange in exchanges:
        if exchange.status != 200:
            continue
        if exchange.operation == f"Create{noun}":
            arn = str(exchange.response[arn_key])
            jobs[arn] = JobTimes(arn, created=exchange.answered)
        elif exchange.operation == f"Describe{noun}":
            arn = str(exchange.request.get(arn_key))
            if arn in jobs:
                jobs[arn].describes += 1
                saw(arn, exchange.response, exchange)
        elif exchange.operation == f"List{noun}s":
            for job in jobs.values():
                if job.noticed is None:
                    job.lists_before_notice += 1
            for summary in exchange.response.get(list_key, []):
                saw(str(summary.get(arn_key)), summary, exchange)
    return jobs
