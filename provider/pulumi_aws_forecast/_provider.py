"""The Pulumi dynamic provider of every export resource: a thin front door over the lifecycle.

check and diff (preview; no AWS calls) are `_plan.py`'s; create, read, update and delete are
`_lifecycle.py`'s. This module only turns Pulumi's requests into their plain arguments and their
plain results into Pulumi's (`CheckResult`, `DiffResult`, ...).

`JobProvider` is what Pulumi pickles into each resource's state: it holds only plain data (the
kind's key, the owner string, timeouts) and its class is importable, so the pickle is a small
reference that survives upgrades of this package. What configure() sets (the stack's `aws:`
configuration, `_aws_config.AwsConfig`: credentials, account guards, endpoints, default and
ignored tags) and the tuning of the waits are resolved in the provider process and never pickled.

While a create or delete waits, the resource's line in `pulumi up` shows its progress: the engine
is reached as the plugin reaches it (`_progress.py`), with the URN read from pulumi's servicer
behind a version guard (`_compat.dynamic_engine_target`).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from . import _plan, _progress, _tuning
from ._aws_config import AwsConfig
from ._compat import dynamic_engine_target
from ._concurrency import widen_provider_pool
from ._lifecycle import ExportLifecycle, Timeouts, log_to_stderr, parse_duration
from ._plan import OWNER_TAG
from .catalog import KINDS, ResourceKind

__all__ = ["OWNER_TAG", "JobProvider", "Timeouts", "parse_duration"]

#: The Create request check() validates (tests/properties compares it with the emulator's verdict).
_request = _plan.request


@functools.cache
def _read_returns_inputs() -> bool:
    """Whether this Pulumi SDK takes `ReadResult(inputs=...)` (3.216.0 and later).

    With it, refresh records what AWS has as the inputs the next preview compares against, and
    previews show every change property by property. Without it, changes still happen correctly;
    previews show updates and replacements with less detail.
    """
    return "inputs" in inspect.signature(ReadResult.__init__).parameters


@dataclass
class JobProvider(ResourceProvider):
    """The dynamic provider behind every export resource; `kind_key` is its kind's noun in the catalogue
    (the field keeps its name: deployed states hold it)."""

    kind_key: str
    owner: str
    timeouts: Timeouts = field(default_factory=Timeouts)
    serialize_as_secret_always = False

    def __post_init__(self) -> None:
        self._config = AwsConfig.from_mapping({})
        self._tuning: _tuning.Tuning | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Only the plain fields are pickled: nothing configured or cached at run time.
        return {"kind_key": self.kind_key, "owner": self.owner, "timeouts": self.timeouts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def kind(self) -> ResourceKind:
        return KINDS[self.kind_key]

    @property
    def plan(self) -> _plan.Planner:
        return _plan.Planner(self.kind, self.owner, self._config.default_tags, self._config)

    def lifecycle(self) -> ExportLifecycle:
        if self._tuning is None:  # once per provider object: from the environment
            self._tuning = _tuning.Tuning.from_environment()
        return ExportLifecycle(self.plan, self.timeouts, self._tuning)

    # Configure: the stack's configuration, as pulumi-aws users already set it.
    def configure(self, req: ConfigureRequest) -> None:
        log_to_stderr()
        _progress.install()  # progress records to the engine's status messages, never to stderr
        widen_provider_pool()  # let many creates wait at once: see _concurrency.py
        self._config = AwsConfig.from_mapping(req.config)

    def tags_all(self, tags: dict[str, str]) -> dict[str, str]:
        return self.plan.tags_all(tags)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = self.plan.check(_olds, news)
        return CheckResult(checked.inputs, [CheckFailure(f.prop, f.reason) for f in checked.failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        found = self.plan.diff(olds, news)
        if not found.changes:
            return DiffResult(changes=False, replaces=[], stables=[], delete_before_replace=False)
        # Where every change shows between the old and new inputs (read() records what refresh
        # finds as inputs, so drift does too), "unknown" makes the engine compute the detailed diff
        # (preview --diff, and diffReasons/detailedDiff in --json) from them; it keeps our replaces.
        # A replacement for the job's status is not an input change: say so outright.
        detailed = _read_returns_inputs() and "status" not in found.replaces
        return DiffResult(
            changes=None if detailed else True,
            replaces=found.replaces,
            stables=[],
            delete_before_replace=found.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        lifecycle = self.lifecycle()
        with _reporting(lifecycle):
            arn, outputs = lifecycle.create(props)
        return CreateResult(arn, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = self.lifecycle().read(id_, props)
        if not found.id:
            return ReadResult("", {})
        if not _read_returns_inputs():
            return ReadResult(found.id, found.outputs)
        # What AWS has becomes the inputs the next preview compares against, so drift shows there.
        return ReadResult(found.id, found.outputs, found.inputs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self.lifecycle().update(id_, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        lifecycle = self.lifecycle()
        with _reporting(lifecycle):
            lifecycle.delete(id_, props)


@contextlib.contextmanager
def _reporting(lifecycle: ExportLifecycle) -> Iterator[None]:
    """The lifecycle's progress on the line of the resource the engine's current call is for."""
    address, urn = dynamic_engine_target() or (None, None)
    with _progress.reporting(urn, address, lifecycle.clock.now):
        yield
