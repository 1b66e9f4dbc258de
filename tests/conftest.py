"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import PulumiStack, pulumi_command

StackFactory = Callable[..., PulumiStack]


@pytest.fixture(scope="session")
def pulumi_cli() -> str:
    """The Pulumi CLI in .venv/bin. Fails (never skips) when it is missing."""
    return pulumi_command().command


@pytest.fixture
def pulumi_stack(pulumi_cli: str, tmp_path: Path) -> Iterator[StackFactory]:
    """Make throwaway stacks; whatever a test leaves deployed is destroyed afterwards."""
    made: list[PulumiStack] = []

    def make(program: str, **kwargs: Any) -> PulumiStack:
        stack = PulumiStack(tmp_path / f"stack{len(made)}", program, **kwargs)
        made.append(stack)
        return stack

    yield make
    for stack in made:
        if stack.resources():
            stack.destroy()


#: The longest tests (a release build and a user's install; the property search), started first so
#: that on several workers (`make test`) none of them starts last and holds the run up alone.
_FIRST = ("tests/e2e/test_user_install.py", "tests/properties/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(_FIRST))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """On pytest-xdist's workers with `--dist loadgroup` (make test), a test marked `xdist_group`
    carries its group in its id, or it could run on another worker than the rest of its group (two
    release builds in one source tree collide): fail it before its fixtures run, saying why."""
    grouped = item.config.getoption("loadgroup", default=False) and item.get_closest_marker("xdist_group")
    if grouped and "@" not in item.nodeid:
        pytest.fail(
            "pytest-xdist did not group this test (xdist_group): this pytest and pytest-xdist do "
            "not work together; see the pytest range in pyproject.toml",
            pytrace=False,
        )
