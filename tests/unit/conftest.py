"""Fixtures shared by the unit tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest


@pytest.fixture
def event_loop_for_mocks() -> Iterator[asyncio.AbstractEventLoop]:
    """A current event loop for Pulumi's mocks, which run on the thread's current loop.

    A test that ran before (anything using `asyncio.run`, such as the plugin's handlers) leaves the
    main thread without one, and `asyncio.get_event_loop()` then raises instead of making one.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
