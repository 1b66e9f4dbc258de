"""End-to-end fixtures: the emulator, and a seeded Forecast world per test (tests/e2e/world.py)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from forecast_emulator import Emulator
from tests.conftest import StackFactory
from tests.e2e import acceptance
from tests.e2e.world import JOB_SECONDS, REALISM, World, seed

_worlds = itertools.count()


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator | None]:
    """The local emulator the e2e tests run against; None in an acceptance run against AWS."""
    if acceptance.enabled():
        yield None
        return
    with Emulator(
        job_seconds=JOB_SECONDS, upstream_seconds=0.1, stop_seconds=0.3, delete_seconds=0.3, **REALISM
    ) as emu:
        yield emu


@pytest.fixture
def world(emulator: Emulator | None, pulumi_stack: StackFactory) -> Iterator[World]:
    n = next(_worlds)
    if emulator is None:  # an acceptance run: the account's own parents, a fresh prefix per test
        yield World(None, acceptance.account(), pulumi_stack, prefix=f"acceptance-{int(time.time())}-{n}")
        return
    seeded = seed(emulator, bucket=f"exports-{n}", prefix=f"w{n}", role_name=f"ForecastExports{n}")
    yield World(emulator, seeded, pulumi_stack, prefix=f"w{n}")
