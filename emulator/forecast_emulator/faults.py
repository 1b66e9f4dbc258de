"""Request counters and fault injection.

- Counters: every request the emulator receives, per Forecast operation
  (`DescribeForecastExportJob`) or, for the services moto serves, per signing
  service (`s3`, `iam`, `sts`, `kms`). Throttled and failed requests count too:
  they are API calls a client made.
- Throttling: above `throttle_rps` requests per second for one Forecast
  operation (a token bucket holding one second's worth), ThrottlingException.
- Transient errors: a share `error_rate` of Forecast requests get HTTP 500,
  chosen by a random generator seeded with `seed` (the same seed and the same
  sequence of requests fail the same requests; `reset()` starts it over).
- Draws per resource: `fraction(key)` is a number in [0, 1) fixed by the seed
  and the key (a resource's ARN), whatever the order of requests: how long a
  new resource stays invisible under `consistency_seconds` is one.
- Failing jobs: `fail_jobs(pattern, message)` makes resources whose name
  matches `pattern` (a regular expression matched at the start of the name, so
  a plain prefix works) end CREATE_FAILED with `message`, optionally only for
  the next `times` of them.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

from forecast_emulator.exceptions import ForecastError, InternalFailure, ThrottlingException
from forecast_emulator.settings import Settings


@dataclass
class _FailRule:
    pattern: re.Pattern[str]
    message: str
    times: int | None


class Faults:
    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        #: Forecast requests per (operation, access key id that signed them).
        self._callers: Counter[tuple[str, str]] = Counter()
        self._buckets: dict[str, tuple[float, float]] = {}  # operation -> (tokens, last refill)
        self._rules: list[_FailRule] = []
        self._seed = seed
        self._random = random.Random(seed)
        #: What `fraction` hashes with the key: the seed, or random bytes when there is none.
        self._salt = str(seed) if seed is not None else os.urandom(16).hex()

    # --- counters -------------------------------------------------------------------------------

    def count(self, operation: str) -> None:
        with self._lock:
            self._counts[operation] += 1

    def counters(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def called_by(self, operation: str, access_key_id: str) -> None:
        with self._lock:
            self._callers[(operation, access_key_id)] += 1

    def callers(self) -> dict[str, dict[str, int]]:
        """Forecast requests per operation, per access key id that signed them."""
        with self._lock:
            found: dict[str, dict[str, int]] = {}
            for (operation, key), count in self._callers.items():
                found.setdefault(operation, {})[key] = count
            return found

    def reset_counters(self) -> None:
        with self._lock:
            self._counts.clear()
            self._callers.clear()

    # --- throttling and transient errors ----------------------------------------------------------

    def injected_error(self, operation: str, settings: Settings) -> ForecastError | None:
        """The fault this request meets, if any: throttling first, then a transient error."""
        with self._lock:
            if settings.throttle_rps > 0 and not self._take_token(operation, settings.throttle_rps):
                return ThrottlingException("Rate exceeded")
            if settings.error_rate > 0 and self._random.random() < settings.error_rate:
                return InternalFailure("An internal error occurred (injected by the Forecast emulator).")
        return None

    def _take_token(self, operation: str, rate: float) -> bool:
        now = time.monotonic()
        capacity = max(1.0, rate)
        tokens, last = self._buckets.get(operation, (capacity, now))
        tokens = min(capacity, tokens + (now - last) * rate)
        if tokens < 1:
            self._buckets[operation] = (tokens, now)
            return False
        self._buckets[operation] = (tokens - 1, now)
        return True

    def fraction(self, key: str) -> float:
        """A number in [0, 1) fixed by the seed and `key` (the same seed gives a key the same number)."""
        digest = hashlib.sha256(f"{self._salt}\0{key}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    # --- failing jobs ---------------------------------------------------------------------------

    def fail_jobs(self, pattern: str, message: str, times: int | None = None) -> None:
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1, not {times}")
        compiled = re.compile(pattern)
        with self._lock:
            self._rules.append(_FailRule(compiled, message, times))

    def clear_failures(self) -> None:
        with self._lock:
            self._rules.clear()

    def planned_failure(self, name: str) -> str | None:
        """The message a new resource called `name` will fail with (uses up one of `times`)."""
        with self._lock:
            for rule in self._rules:
                if rule.pattern.match(name):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times == 0:
                            self._rules.remove(rule)
                    return rule.message
        return None

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._callers.clear()
            self._buckets.clear()
            self._rules.clear()
            self._random.seed(self._seed)
