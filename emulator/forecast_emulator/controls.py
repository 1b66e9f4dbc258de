"""The emulator's controls, declared once: each is a route under `/_emulator/` and what it does.

A `Control` takes a JSON object and returns one, acting on an `EmulatorCore`.
The same table is served three ways:

- over HTTP by `EmulatorCore` (`server.py`): `GET /_emulator/health`, ...;
- in process by `Emulator` (`emulator.py`), which runs the control on its core;
- remotely by `RemoteEmulator`, which sends the control's request.

`emulator._Controls` gives both Python classes the same typed methods
(`configure`, `advance_clock`, ...), each naming its control here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forecast_emulator import moto_bridge

if TYPE_CHECKING:
    from forecast_emulator.server import EmulatorCore

Json = dict[str, Any]
#: Where the controls' paths start.
PREFIX = "/_emulator/"


@dataclass(frozen=True)
class Control:
    """One control: its HTTP method and path under `/_emulator/`, and what it does to the emulator."""

    method: str
    path: str
    run: Callable[[EmulatorCore, Mapping[str, Any]], Json]


def _health(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    settings = core.state.settings.as_dict()
    return {"status": "ok", "accountId": core.account_id, "seed": core.seed, "settings": settings}


def _settings(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    return core.state.settings.as_dict()


def _configure(core: EmulatorCore, changes: Mapping[str, Any]) -> Json:
    """Change settings (400 if invalid); what is due under the old durations is settled first."""
    with core.state.lock:
        core.state.advance()
        core.state.settings = core.state.settings.replace(changes)
        return core.state.settings.as_dict()


def _counters(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    return {"counters": core.faults.counters(), "callers": core.faults.callers()}


def _reset_counters(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    core.faults.reset_counters()
    return {"counters": {}}


def _fail_jobs(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    core.faults.fail_jobs(str(body["pattern"]), str(body["message"]), body.get("times"))
    return {}


def _clear_failures(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    core.faults.clear_failures()
    return {}


def _advance_clock(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    core.state.advance_clock(float(body["advance"]))
    return {"now": core.state.now()}


def _reset(core: EmulatorCore, body: Mapping[str, Any]) -> Json:
    """Forget every resource, S3 object, IAM role and KMS key, counter and injected failure.

    Settings stay; injected faults start over from the seed."""
    with core.state.lock:
        core.state.reset()
        core.faults.reset()
        moto_bridge.reset()
    return {}


#: Every control, by (HTTP method, path under /_emulator/).
CONTROLS: dict[tuple[str, str], Control] = {}


def _declare(method: str, path: str, run: Callable[[EmulatorCore, Mapping[str, Any]], Json]) -> Control:
    control = CONTROLS[(method, path)] = Control(method, path, run)
    return control


HEALTH = _declare("GET", "health", _health)
COUNTERS = _declare("GET", "counters", _counters)
RESET_COUNTERS = _declare("DELETE", "counters", _reset_counters)
SETTINGS = _declare("GET", "config", _settings)
CONFIGURE = _declare("POST", "config", _configure)
FAIL_JOBS = _declare("POST", "fail-jobs", _fail_jobs)
CLEAR_FAILURES = _declare("DELETE", "fail-jobs", _clear_failures)
ADVANCE_CLOCK = _declare("POST", "clock", _advance_clock)
RESET = _declare("POST", "reset", _reset)
