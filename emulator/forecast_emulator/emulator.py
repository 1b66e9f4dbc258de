"""The Python API: an emulator for a test, or the controls of one running elsewhere.

    with Emulator(job_seconds=0.5) as emu:
        forecast = emu.client("forecast")
        parents = emu.seed()
        ...
        emu.configure(export_quota=1)
        emu.fail_jobs("broken_", "Injected failure")
        assert emu.counters()["DescribeForecastExportJob"] == 3

`Emulator` runs the emulator in this process, on a free port, in a background
thread. `RemoteEmulator(endpoint_url)` steers one started with
`forecast-emulator serve` through its `/_emulator/` control endpoints. Both
offer the same controls, declared once in `controls.py`: `Emulator` runs them
on its core, `RemoteEmulator` sends their HTTP requests.

moto's state (S3, IAM, KMS) belongs to the process: two `Emulator`s in one
process share buckets and roles, and `reset()` clears them for both.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from forecast_emulator import controls
from forecast_emulator.controls import PREFIX, Control
from forecast_emulator.seed import Seeded, client, seed
from forecast_emulator.server import EmulatorCore, Server
from forecast_emulator.settings import DEFAULT_ACCOUNT_ID, DEFAULT_SEED, Settings


class _Controls:
    """The controls as Python methods, each running one `controls.Control` through `_run`."""

    endpoint_url: str

    def _run(self, control: Control, body: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def client(self, service: str, region_name: str = "us-east-1", **options: Any) -> Any:
        """A boto3 client for `service` pointed at the emulator, with placeholder credentials.

        `options` go to boto3 (`config=botocore.config.Config(...)`, ...)."""
        return client(service, self.endpoint_url, region_name, **options)

    def seed(self, **options: Any) -> Seeded:
        """A bucket, a role and ACTIVE upstream resources; see `forecast_emulator.seed.seed`."""
        return seed(self.endpoint_url, **options)

    def health(self) -> dict[str, Any]:
        """`{"status": "ok", "accountId": ..., "seed": ..., "settings": {...}}`."""
        return self._run(controls.HEALTH, {})

    @property
    def settings(self) -> Settings:
        return Settings().replace(self._run(controls.SETTINGS, {}))

    def configure(self, **changes: Any) -> Settings:
        """Change settings (`job_seconds`, `export_quota`, `throttle_rps`, ...); returns them all."""
        return Settings().replace(self._run(controls.CONFIGURE, changes))

    def counters(self) -> dict[str, int]:
        """Requests received so far, per Forecast operation, and per service for S3, IAM, STS, KMS."""
        counters: dict[str, int] = self._run(controls.COUNTERS, {})["counters"]
        return counters

    def callers(self) -> dict[str, dict[str, int]]:
        """Forecast requests so far per operation, per access key id that signed them (reset with
        the counters): which credentials, such as an assumed role's, made each call."""
        callers: dict[str, dict[str, int]] = self._run(controls.COUNTERS, {})["callers"]
        return callers

    def reset_counters(self) -> None:
        self._run(controls.RESET_COUNTERS, {})

    def fail_jobs(self, pattern: str, message: str, *, times: int | None = None) -> None:
        """Resources created from now on whose name matches `pattern` end CREATE_FAILED with `message`."""
        self._run(controls.FAIL_JOBS, {"pattern": pattern, "message": message, "times": times})

    def clear_failures(self) -> None:
        self._run(controls.CLEAR_FAILURES, {})

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock forward: jobs progress as if `seconds` had passed."""
        self._run(controls.ADVANCE_CLOCK, {"advance": seconds})

    def reset(self) -> None:
        """Forget all resources, S3/IAM/KMS state, counters and injected failures (settings stay)."""
        self._run(controls.RESET, {})


class Emulator(_Controls):
    """The emulator in this process, on `host`:`port` (0: a free port), as a context manager.

    `seed` fixes which requests injected faults hit (None: a new random choice each run)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        state: str | Path | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        log_requests: bool = False,
        seed: int | None = DEFAULT_SEED,
        **settings: Any,
    ) -> None:
        self.account_id = account_id
        self.core = EmulatorCore(
            state_path=state, account_id=account_id, settings=Settings().replace(settings), seed=seed
        )
        self._server = Server(self.core, host, port, log_requests=log_requests)
        self.endpoint_url = self._server.endpoint_url

    def start(self) -> Self:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()
        self.core.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def _run(self, control: Control, body: Mapping[str, Any]) -> dict[str, Any]:
        return control.run(self.core, body)


class RemoteEmulator(_Controls):
    """The controls of an emulator running elsewhere (`forecast-emulator serve`), over HTTP."""

    def __init__(self, endpoint_url: str = "http://127.0.0.1:4566", timeout: float = 10.0) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.timeout = timeout

    def _run(self, control: Control, body: Mapping[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._call(control.method, control.path, dict(body) or None)
        return result

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """`method` `/_emulator/<path>` with `body` as JSON; the JSON answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.endpoint_url}{PREFIX}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read() or b"{}")
