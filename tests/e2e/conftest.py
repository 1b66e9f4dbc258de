"""End-to-end fixtures: the emulator, and a seeded Forecast world per test (tests/e2e/world.py)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from forecast_emulator import Emulator
from tests.conftest import StackFactory
from tests.e2e import acceptance
from tests.e2e.world import IAM_PROPAGATION_SECONDS, JOB_SECONDS, REALISM, World

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
    # The world's parents are made the way a user's are: long before the stack that exports them.
    # Seed them with realism off, then let the emulator's clock age the new role past IAM's
    # propagation; every test then runs with realism on.
    emulator.configure(
        job_seconds=JOB_SECONDS,
        export_quota=3,
        throttle_rps=0,
        error_rate=0,
        consistency_seconds=0,
        iam_propagation_seconds=0,
    )
    emulator.clear_failures()
    seeded = emulator.seed(bucket=f"exports-{n}", prefix=f"w{n}", role_name=f"ForecastExports{n}")
    emulator.configure(**REALISM)
    emulator.advance_clock(IAM_PROPAGATION_SECONDS)
    yield World(emulator, seeded, pulumi_stack, prefix=f"w{n}")
