"""Where a run's CPU and memory go: the bench's child processes, read from /proc.

`ProcessProbe` samples every descendant of this process a few times a second while a `pulumi`
operation runs, and sorts them into the provider processes (`python -m pulumi.dynamic`, the
plugin `pulumi-resource-aws-forecast`) and the engine (the CLI, its language host and the
program). A process's last sample stands for its total, so a process loses at most one interval
of CPU at its very end.
`EmulatorProcess` is the Forecast emulator run as `python -m forecast_emulator serve` in a
subprocess, so its CPU time is its own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from forecast_emulator import RemoteEmulator

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds in user and system mode) of `pid`, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name may hold spaces and parens
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def _peak_rss_mib(pid: int) -> float:
    try:
        found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0.0
    return int(found.group(1)) / 1024 if found else 0.0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    found = _stat(pid)
    return found[1] if found else 0.0


@dataclass
class Usage:
    """CPU seconds and peak RSS of the processes a run started, by role."""

    provider_cpu: float = 0.0
    provider_peak_rss_mib: float = 0.0
    provider_processes: int = 0
    engine_cpu: float = 0.0
    cpu: dict[int, float] = field(default_factory=dict)


class ProcessProbe:
    """Samples the descendants of this process, except `exclude`, until stopped."""

    def __init__(self, exclude: set[int], interval: float = 0.1) -> None:
        self.exclude, self.interval = exclude, interval
        self._stop = threading.Event()
        self._cpu: dict[int, float] = {}
        self._rss: dict[int, float] = {}
        self._role: dict[int, str] = {}
        self._thread = threading.Thread(target=self._run, name="bench-probe", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._sample()
            if self._stop.wait(self.interval):
                self._sample()
                return

    def _sample(self) -> None:
        parents: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                found = _stat(int(entry))
                if found is not None:
                    parents[int(entry)], cpu[int(entry)] = found
        me = os.getpid()
        for pid, used in cpu.items():
            if pid in self.exclude or not self._ours(pid, parents, me):
                continue
            if pid not in self._role:
                command = _cmdline(pid)
                provider = "pulumi.dynamic" in command or "pulumi-resource-aws-forecast" in command
                self._role[pid] = "provider" if provider else "engine"
            self._cpu[pid] = used
            if self._role[pid] == "provider":
                self._rss[pid] = max(self._rss.get(pid, 0.0), _peak_rss_mib(pid))

    def _ours(self, pid: int, parents: dict[int, int], me: int) -> bool:
        """Whether `pid` descends from `me` other than through an excluded process."""
        current: int | None = pid
        for _ in range(32):
            current = parents.get(current) if current is not None else None
            if current is None or current <= 1 or current in self.exclude:
                return False
            if current == me:
                return True
        return False

    def usage(self) -> Usage:
        providers = [pid for pid, role in self._role.items() if role == "provider"]
        return Usage(
            provider_cpu=sum(self._cpu[pid] for pid in providers),
            provider_peak_rss_mib=max((self._rss.get(pid, 0.0) for pid in providers), default=0.0),
            provider_processes=len(providers),
            engine_cpu=sum(used for pid, used in self._cpu.items() if self._role[pid] == "engine"),
            cpu=dict(self._cpu),
        )


class EmulatorProcess:
    """`python -m forecast_emulator serve` on a free port, steered through `RemoteEmulator`."""

    def __init__(self, **settings: float) -> None:
        command = [sys.executable, "-m", "forecast_emulator", "serve", "--port", "0"]
        for name, value in settings.items():
            command += [f"--{name.replace('_', '-')}", str(value)]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        found = re.search(r"listening on (http://\S+)", line)
        if found is None:
            self.process.kill()
            raise RuntimeError(f"the emulator did not start: {line}{self.process.stderr.read()}")
        # Keep draining its stderr, so a chatty emulator never blocks on a full pipe.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        self.endpoint_url = found.group(1)
        self.remote = RemoteEmulator(self.endpoint_url, timeout=60)
        self.pid = self.process.pid

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
