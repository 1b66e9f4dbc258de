"""The versions of other libraries the compatibility matrix tests, and one warning per process outside them.

The provider relies on private internals of other libraries only behind guards (`_compat`, and
the reading of botocore's model in `model`): each runs its mechanism only with versions inside
`TESTED` (checked against tests/matrix.toml by the test suite) and otherwise logs one warning
line per process and degrades.
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import threading

log = logging.getLogger("pulumi_aws_forecast")

#: The versions the matrix runs, per distribution: (oldest, newest). A version is inside when it
#: is at least `oldest` and its major.minor is at most `newest`'s (patch releases of the newest
#: tested minor are in).
TESTED: dict[str, tuple[str, str]] = {
    "pulumi": ("3.139.0", "3.272.0"),
    "grpcio": ("1.66.2", "1.85.1"),
    "botocore": ("1.35.0", "1.44.5"),
}

_warned: set[str] = set()
_warned_lock = threading.Lock()


def _release(version: str) -> tuple[int, ...]:
    """The leading numeric components of a version string: "1.66.2rc1" -> (1, 66, 2)."""
    parts: list[int] = []
    for piece in version.split("."):
        match = re.match(r"\d+", piece)
        if match is None:
            break
        parts.append(int(match.group()))
        if match.end() != len(piece):
            break
    return tuple(parts)


def installed(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def untested(*distributions: str) -> list[str]:
    """The given distributions whose installed version is outside TESTED, as "name version"."""
    outside = []
    for name in distributions:
        oldest, newest = TESTED[name]
        version = installed(name)
        release = _release(version or "")
        if not release or release < _release(oldest) or release[:2] > _release(newest)[:2]:
            outside.append(f"{name} {version or '(not installed)'}")
    return outside


def warn_once(key: str, message: str) -> None:
    """Log `message` as a warning, once per process for each `key`."""
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    log.warning("pulumi-aws-forecast: %s", message)


def tested_range(*distributions: str) -> str:
    """The tested versions, as warnings state them: "botocore 1.35.0 to 1.44.x"."""
    return ", ".join(
        f"{n} {TESTED[n][0]} to {'.'.join(TESTED[n][1].split('.')[:2])}.x" for n in distributions
    )
