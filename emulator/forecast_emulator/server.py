"""One endpoint for Forecast, S3, IAM, STS and KMS, and the emulator's controls.

`EmulatorCore` is a WSGI application:

- `X-Amz-Target: AmazonForecast.<Operation>` requests are ours (`responses.py`
  parses and serialises, `models.ForecastBackend` has one method per operation);
- paths under `/_emulator/` are the control surface (counters, settings,
  injected failures, the clock, reset), as JSON: the routes `controls.py`
  declares;
- everything else goes to moto's server-mode application, which routes S3,
  IAM, STS, KMS (and any other service moto knows) by the request's signature.

Every Forecast and moto request first advances Forecast state
(`lifecycle.State.advance`), so an S3 list sees an export's files as soon as
Describe would say ACTIVE.

`Server` runs it on cheroot's HTTP/1.1 server: keep-alive connections wait in a
selector and a pool of worker threads serves their requests, so a client keeps
its connections between requests.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from cheroot import wsgi as cheroot_wsgi
from werkzeug.wrappers import Request

from forecast_emulator import moto_bridge
from forecast_emulator.controls import CONTROLS, PREFIX
from forecast_emulator.exceptions import ForecastError, InternalFailure, SerializationException
from forecast_emulator.faults import Faults
from forecast_emulator.models import ForecastBackend
from forecast_emulator.responses import ForecastResponses
from forecast_emulator.settings import DEFAULT_ACCOUNT_ID, DEFAULT_SEED, Settings
from forecast_emulator.store import Store

log = logging.getLogger("forecast_emulator")

StartResponse = Callable[..., Any]
WSGIEnvironment = dict[str, Any]

TARGET_PREFIX = "AmazonForecast."
#: Forecast Query's operations (QueryForecast, QueryWhatIfForecast), served on the same endpoint.
RUNTIME_PREFIX = "AmazonForecastRuntime."
DEFAULT_REGION = "us-east-1"
# The credential scope of a SigV4 Authorization header: <key>/<date>/<region>/<service>/aws4_request
_SCOPE = re.compile(r"Credential=[^/\s,]+/\d{8}/([^/\s,]+)/([^/\s,]+)/aws4_request")
_ACCESS_KEY = re.compile(r"Credential=([^/\s,]+)/")


class EmulatorCore:
    """Forecast state, fault injection and moto behind one WSGI app, with the emulator's controls."""

    def __init__(
        self,
        *,
        state_path: str | Path | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        settings: Settings | None = None,
        seed: int | None = DEFAULT_SEED,
    ) -> None:
        self.account_id = account_id
        self.seed = seed
        self.state_path = state_path
        store = Store(state_path)
        if state_path is not None:
            moto_bridge.restore(store.db, account_id)
        self.faults = Faults(seed)
        self.backend = ForecastBackend(store, settings or Settings(), self.faults, account_id)
        #: The store, the live settings, the clock and the lifecycle engine (`lifecycle.State`).
        self.state = self.backend.state
        self.responses = ForecastResponses(self.backend)
        self.moto = _moto_app()

    def close(self) -> None:
        """Stop using the state file; with one, S3 buckets and objects and IAM roles are saved in it."""
        with self.state.lock:
            if self.state_path is not None:
                moto_bridge.snapshot(self.state.store.db, self.account_id)
            self.state.store.close()

    # --- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(PREFIX):
            return self._control(environ, start_response)
        region, service = _scope(environ)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(TARGET_PREFIX):
            return self._forecast(target[len(TARGET_PREFIX) :], environ, region, start_response)
        if target.startswith(RUNTIME_PREFIX):
            return self._forecast(target[len(RUNTIME_PREFIX) :], environ, region, start_response)
        self.faults.count(service or "s3")  # moto sends what it cannot attribute (SigV2 URLs) to S3 too
        self.state.advance()
        environ.setdefault("HTTP_X_MOTO_ACCOUNT_ID", self.account_id)
        result: Iterable[bytes] = self.moto(environ, start_response)
        return result

    def _forecast(
        self, operation: str, environ: WSGIEnvironment, region: str, start_response: StartResponse
    ) -> Iterable[bytes]:
        self.faults.count(operation)
        signed_by = _ACCESS_KEY.search(environ.get("HTTP_AUTHORIZATION", ""))
        self.faults.called_by(operation, signed_by.group(1) if signed_by else "")
        settings = self.state.settings
        if settings.latency_seconds > 0:
            time.sleep(settings.latency_seconds)
        try:
            injected = self.faults.injected_error(operation, settings)
            if injected is not None:
                raise injected
            try:
                params = json.loads(Request(environ).get_data() or b"{}")
            except ValueError as error:
                raise SerializationException(f"The request body is not valid JSON: {error}") from None
            if not isinstance(params, dict):
                raise SerializationException("The request body must be a JSON object.")
            return _json(start_response, 200, self.responses.handle(operation, params, region))
        except ForecastError as error:
            return _json(start_response, error.status, error.body())
        except Exception:
            log.error("%s failed:\n%s", operation, traceback.format_exc())
            failure = InternalFailure(f"The Forecast emulator failed on {operation}; see its log.")
            return _json(start_response, failure.status, failure.body())

    def _control(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            body = request.get_json(silent=True) if request.get_data() else {}
            if not isinstance(body, dict):
                raise ValueError("the request body must be a JSON object")
            control = CONTROLS.get((request.method, request.path[len(PREFIX) :].strip("/")))
            if control is None:
                return _json(start_response, 404, {"error": f"no control {request.method} {request.path}"})
            return _json(start_response, 200, control.run(self, body))
        except (ValueError, TypeError, KeyError, re.error) as error:
            return _json(start_response, 400, {"error": f"{type(error).__name__}: {error}"})


@functools.cache
def _moto_app() -> Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]:
    """moto's server-mode app. One per process, like moto's state; it builds a Flask app per service."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    moto_bridge.load_managed_policies()

    app: Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]] = DomainDispatcherApplication(
        create_backend_app
    )
    return app


def _scope(environ: WSGIEnvironment) -> tuple[str, str]:
    """(region, service) from the SigV4 signature, in the header or a presigned URL; else (us-east-1, "")."""
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match is None and "X-Amz-Credential" in environ.get("QUERY_STRING", ""):
        query = urllib.parse.unquote(environ["QUERY_STRING"]).replace("X-Amz-Credential=", "Credential=")
        match = _SCOPE.search(query)
    return (match.group(1), match.group(2)) if match else (DEFAULT_REGION, "")


def _json(start_response: StartResponse, status: int, body: Mapping[str, Any] | None) -> list[bytes]:
    """A JSON response; None: an empty body."""
    data = json.dumps(body).encode() if body is not None else b""
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}[status]
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Content-Length", str(len(data))),
            ("x-amzn-RequestId", str(uuid.uuid4())),
        ],
    )
    return [data]


# --- Serving --------------------------------------------------------------------------------------

_requests_log = logging.getLogger("forecast_emulator.requests")
#: Worker threads: requests are served in parallel up to this many (Forecast requests take one lock).
THREADS = 16
#: Seconds an idle keep-alive connection stays open; longer than any wait between a client's polls.
KEEP_ALIVE_SECONDS = 120


class _Gateway(cheroot_wsgi.Gateway_10):
    """cheroot's WSGI 1.0 gateway, telling moto the names of S3 metadata headers with underscores.

    moto's own (werkzeug) request handler does the same: WSGI folds `x-amz-meta-my_key` and
    `x-amz-meta-my-key` into one environ key, and moto keeps an object's metadata names from this map.
    """

    def get_environ(self) -> WSGIEnvironment:  # type: ignore[override]  # cheroot's stub says None
        from moto.core.request import (
            PRESERVED_HEADER_NAMES_ENVIRON_KEY,
            environ_key_for_header,
            should_preserve_original_header_name,
        )

        environ: WSGIEnvironment = super().get_environ()  # type: ignore[no-untyped-call]
        names: dict[str, str] = {}
        for raw in self.req.inheaders:
            name = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
            if should_preserve_original_header_name(name):
                # cheroot title-cases header names; S3 metadata names are lower case.
                names.setdefault(environ_key_for_header(name), name.lower())
        if names:
            environ[PRESERVED_HEADER_NAMES_ENVIRON_KEY] = names
        return environ


def _logged(app: Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]) -> Any:
    """`app`, logging each request to stderr the way werkzeug does: client, time, request line, status."""

    def logged(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: Any, exc_info: Any = None) -> Any:
            query = environ.get("QUERY_STRING")
            line = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}{'?' + query if query else ''}"
            stamp = time.strftime("%d/%b/%Y %H:%M:%S")
            _requests_log.info(
                '%s - - [%s] "%s %s" %s -',
                environ.get("REMOTE_ADDR", "-"),
                stamp,
                line,
                environ.get("SERVER_PROTOCOL"),
                status.split(" ", 1)[0],
            )
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged


class Server:
    """`EmulatorCore` on cheroot's threaded HTTP/1.1 server, in a background thread or the caller's.

    The port is bound when the server is made (0: a free one, see `endpoint_url`); a port in use
    prints why and exits with status 1, as werkzeug's server did."""

    def __init__(
        self, core: EmulatorCore, host: str = "127.0.0.1", port: int = 0, log_requests: bool = False
    ):
        self.core = core
        if log_requests and not _requests_log.handlers:
            _requests_log.addHandler(logging.StreamHandler())  # stderr, as werkzeug's request log
            _requests_log.setLevel(logging.INFO)
            _requests_log.propagate = False
        app = _logged(core) if log_requests else core
        self.http = cheroot_wsgi.Server(
            (host, port),
            app,
            numthreads=THREADS,
            request_queue_size=1024,
            timeout=KEEP_ALIVE_SECONDS,
            shutdown_timeout=1,
        )
        self.http.gateway = _Gateway
        self.http.keep_alive_conn_limit = 100_000  # every client connection may stay open
        self.http.server_name = "forecast-emulator"
        # The selector loop's timeout: how long stop() can take (cheroot's default is 0.5 s).
        self.http.expiration_interval = 0.05
        # Threads inherit their creator's daemon flag: cheroot's workers, started by prepare(), are
        # made in a daemon thread so that, as with werkzeug, a process never waits for an emulator
        # it did not stop.
        failure: list[OSError] = []

        def prepare() -> None:
            try:
                self.http.prepare()
            except OSError as error:
                failure.append(error)

        preparing = threading.Thread(target=prepare, name="forecast-emulator-prepare", daemon=True)
        preparing.start()
        preparing.join()
        if failure:
            display = f"[{host}]" if ":" in host else host
            print(f"Address {display}:{port} is not available: {failure[0]}", file=sys.stderr)
            sys.exit(1)
        self._thread: threading.Thread | None = None

    @property
    def endpoint_url(self) -> str:
        host, port = self.http.bind_addr[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def serve_forever(self) -> None:
        self.http.serve()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="forecast-emulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.http.stop()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
