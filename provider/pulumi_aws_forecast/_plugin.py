"""The `aws-forecast` provider plugin: a thin front door over the lifecycle, for every Pulumi language.

`ForecastProvider` serves the four export resources (`aws-forecast:forecast:<Noun>`) with
`pulumi.provider.experimental` (Python SDK 3.171.0 and later). Like the dynamic provider
(`_provider.py`), it only turns requests into plain arguments and plain results into responses:
check and diff are the planner's (`_plan.py`, no AWS call), create, read, update and delete the
lifecycle's (`_lifecycle.py`), run in a worker thread so that the server's event loop keeps serving
while jobs run: threads of the provider's own pool, as many as the engine's `--parallel` may need
(`_concurrency.worker_limit()`), not asyncio's default executor, whose few threads (6 on two
cores) would let only that many jobs wait at once. Names are translated by `_names.py` (the
schema's camelCase ⇄ its snake_case), values by `_plugin_values.py`; the planner and the lifecycle
word their messages in the schema's names (`_SPELLING`): `forecastArn`, `adopt: true`,
`aws-forecast:defaultTags`.

Differences from the dynamic provider, by construction of the interface:
- the owner of a job (its owner tag, the seed of its autoname) is `<project>/<stack>/<name>` from
  the resource's URN, as the dynamic resources compute it from the program;
- timeouts are the engine's (`customTimeouts` arrive with each request);
- Diff receives the old state, not the old inputs: the state echoes every input, so the planner
  compares the same values; the detailed diff is computed here, property by property;
- `pulumi import` calls Read with only the id: a job that does not exist is an error then, not an
  empty resource;
- while a create or delete waits, the resource's line shows its progress: the engine's address is
  the plugin's argument and each request carries its URN (`_progress.py`).

The provider's configuration is pulumi-aws's keys without a namespace (`region`, `profile`,
`assumeRoles`, `defaultTags`, ...), parsed by `_aws_config.AwsConfig`.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pulumi.output import Unknown
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)

from . import _plan, _plugin_schema, _progress, _schema, _tuning
from ._aws import ForecastError
from ._aws_config import AwsConfig, AwsConfigError
from ._concurrency import worker_limit
from ._lifecycle import ExportLifecycle, Timeouts
from ._names import Spelling, camel, to_camel, to_snake
from ._plugin_schema import MODULE, PACKAGE
from ._plugin_values import plain as plain_values
from ._plugin_values import wire
from ._schema import contains_unknown, plain
from .catalog import EXPORT_KINDS, ResourceKind
from .rules import parse_arn

#: Resource tokens -> kinds.
TOKENS: Mapping[str, ResourceKind] = {f"{PACKAGE}:{MODULE}:{kind.noun}": kind for kind in EXPORT_KINDS}
#: How the plugin's users write properties (in YAML and every SDK), for the messages they read.
_SPELLING = Spelling(camel_case=True, default_tags=f"{PACKAGE}:defaultTags")
#: Provider inputs the engine adds that are not configuration.
_NOT_CONFIG = frozenset({"version", "pluginDownloadURL"})

T = TypeVar("T")


def owner_of(urn: str) -> str:
    """`<project>/<stack>/<name>` of `urn:pulumi:<stack>::<project>::<type>::<name>`, the owner the
    dynamic resources record for the same declaration."""
    parts = urn.split("::")
    if len(parts) < 4:
        raise ForecastError(f"not a resource URN: {urn!r}")
    stack = parts[0].rsplit(":", 1)[-1]
    return f"{parts[1]}/{stack}/{parts[-1]}"


def kind_of(urn: str) -> ResourceKind:
    token = urn.split("::")[-2] if urn.count("::") >= 3 else urn
    token = token.rsplit("$", 1)[-1]  # a child resource's type is qualified by its parents' types
    kind = TOKENS.get(token)
    if kind is None:
        raise ForecastError(f"{PACKAGE} has no resource type {token!r}; it serves {', '.join(TOKENS)}")
    return kind


def _timeouts(seconds: float, field: str) -> Timeouts:
    """The default timeouts, with the one the engine passed (customTimeouts; 0 when not set)."""
    timeouts = Timeouts()
    if seconds and seconds > 0:
        setattr(timeouts, field, float(seconds))
    return timeouts


def _key(parent: str, key: str) -> str:
    """A property path to a map key, as the engine writes them: `tags.team`, `tags["cost-center"]`."""
    return (
        f"{parent}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{parent}[{json.dumps(key)}]"
    )


class ForecastProvider(Provider):
    """The `aws-forecast` provider: the four export resources over the one lifecycle."""

    def __init__(self, tuning: _tuning.Tuning | None = None) -> None:
        self._tuning = tuning
        self._config = AwsConfig(prefix="")
        self._engine: str | _progress.Send | None = None
        self._pool: ThreadPoolExecutor | None = None

    def connect_engine(self, engine: str | _progress.Send) -> None:
        """Send the progress of waits to the engine at this address (or through this function)."""
        self._engine = engine

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker thread of the provider's pool, which starts a thread per
        call while fewer than `worker_limit()` run, so every create the engine sends waits at once."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(worker_limit(), thread_name_prefix="aws-forecast")
        call = functools.partial(function, *args)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    @property
    def config(self) -> AwsConfig:
        return self._config

    def _planner(self, urn: str) -> _plan.Planner:
        return _plan.Planner(
            kind_of(urn), owner_of(urn), self._config.default_tags, self._config, spelling=_SPELLING
        )

    def _lifecycle(self, urn: str, timeouts: Timeouts) -> ExportLifecycle:
        if self._tuning is None:  # once per provider process: from the environment
            self._tuning = _tuning.Tuning.from_environment()
        return ExportLifecycle(self._planner(urn), timeouts, self._tuning)

    async def _waiting(self, urn: str, lifecycle: ExportLifecycle, call: Callable[[], T]) -> T:
        """`call()` in a worker thread, its progress on `urn`'s line."""

        def reported() -> T:
            with _progress.reporting(urn, self._engine, lifecycle.clock.now):
                return call()

        return await self._in_thread(reported)

    # Schema and configuration.
    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=_plugin_schema.schema_text())

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        values, _ = plain_values(request.new_inputs)
        try:
            _parse_config(values)
        except AwsConfigError as error:
            return CheckResponse(inputs=request.new_inputs, failures=[CheckFailure("", str(error))])
        return CheckResponse(inputs=request.new_inputs)

    async def diff_config(self, request: DiffRequest) -> DiffResponse:
        olds, _ = plain_values(request.old_state)
        news, _ = plain_values(request.new_inputs)
        changed = sorted(
            key
            for key in (set(olds) | set(news)) - _NOT_CONFIG
            if plain(olds.get(key)) != plain(news.get(key))
        )
        # A new configuration reconfigures the provider; the jobs stay (their region is their parent's).
        return DiffResponse(changes=bool(changed), diffs=changed)

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        values, _ = plain_values(request.args)
        if values:
            self._config = _parse_config(values)
        else:  # an engine that sends only the variables: `aws-forecast:<key>` strings
            self._config = AwsConfig.from_mapping(request.variables, prefix=f"{PACKAGE}:")
        return ConfigureResponse(accept_secrets=True, supports_preview=True)

    # Check and diff: the planner's, at preview, without AWS.
    async def check(self, request: CheckRequest) -> CheckResponse:
        kind = kind_of(request.urn)
        olds, _ = plain_values(request.old_inputs)
        news, secrets = plain_values(request.new_inputs)
        checked = self._planner(request.urn).check(to_snake(kind, olds), to_snake(kind, news))
        failures = [CheckFailure(f.prop, f.reason) for f in checked.failures]
        return CheckResponse(inputs=wire(to_camel(kind, checked.inputs), secrets), failures=failures)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        kind = kind_of(request.urn)
        olds = to_snake(kind, plain_values(request.old_state)[0])
        news = to_snake(kind, plain_values(request.new_inputs)[0])
        found = self._planner(request.urn).diff(olds, news)
        if not found.changes:
            return DiffResponse(changes=False)
        detailed = _detailed_diff(kind, olds, news, found.replaces)
        return DiffResponse(
            changes=True,
            replaces=[camel(prop) for prop in found.replaces],
            delete_before_replace=found.delete_before_replace,
            diffs=sorted({path.split(".")[0].split("[")[0] for path in detailed}),
            detailed_diff=detailed,
        )

    # Create, read, update, delete: the lifecycle's, in a worker thread.
    async def create(self, request: CreateRequest) -> CreateResponse:
        kind = kind_of(request.urn)
        props, secrets = plain_values(request.properties)
        if request.preview:  # what `up` will know only once the job exists
            unknown = {camel(name): Unknown() for name in _schema.OUTPUT_NAMES if name != "tags_all"}  # type: ignore[no-untyped-call]
            return CreateResponse(properties=wire({**props, **unknown}, secrets))
        lifecycle = self._lifecycle(request.urn, _timeouts(request.timeout, "create"))
        arn, outputs = await self._waiting(
            request.urn, lifecycle, lambda: lifecycle.create(to_snake(kind, props))
        )
        return CreateResponse(resource_id=arn, properties=wire(to_camel(kind, outputs), secrets))

    async def read(self, request: ReadRequest) -> ReadResponse:
        kind = kind_of(request.urn)
        state, secrets = plain_values(request.properties)
        importing = not state
        if importing:
            _check_import_id(kind, request.resource_id)
        lifecycle = self._lifecycle(request.urn, Timeouts())
        found = await self._in_thread(lifecycle.read, request.resource_id, to_snake(kind, state))
        if not found.id:
            if importing:
                raise ForecastError(
                    f"cannot import {kind.noun} {request.resource_id}: there is no such "
                    f"{kind.label} (Forecast's {kind.describe_operation} does not find it). "
                    "Check the ARN, and the account and region the provider uses."
                )
            return ReadResponse(resource_id="")  # gone: refresh drops it
        return ReadResponse(
            resource_id=found.id,
            properties=wire(to_camel(kind, found.outputs), secrets),
            inputs=wire(to_camel(kind, found.inputs), secrets),
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        kind = kind_of(request.urn)
        olds, _ = plain_values(request.olds)
        news, secrets = plain_values(request.news)
        if request.preview:
            return UpdateResponse(properties=wire({**olds, **news}, secrets))
        lifecycle = self._lifecycle(request.urn, _timeouts(request.timeout, "update"))
        outputs = await self._in_thread(lifecycle.update, request.resource_id, to_snake(kind, news))
        return UpdateResponse(properties=wire(to_camel(kind, outputs), secrets))

    async def delete(self, request: DeleteRequest) -> None:
        kind = kind_of(request.urn)
        state, _ = plain_values(request.properties)
        lifecycle = self._lifecycle(request.urn, _timeouts(request.timeout, "delete"))
        await self._waiting(
            request.urn, lifecycle, lambda: lifecycle.delete(request.resource_id, to_snake(kind, state))
        )


def _parse_config(values: Mapping[str, Any]) -> AwsConfig:
    """The provider's inputs (pulumi-aws's keys, no namespace); values not known yet are left out."""
    known = {key: value for key, value in values.items() if not contains_unknown(value)}
    return AwsConfig.from_mapping(known, prefix="")


def _check_import_id(kind: ResourceKind, resource_id: str) -> None:
    parts = parse_arn(resource_id)
    if parts is None or not parts["resource"].startswith(kind.arn_type + "/"):
        raise ForecastError(
            f"cannot import {kind.noun} {resource_id!r}: the id to import is the job's ARN, "
            f"arn:<partition>:forecast:<region>:<account>:{kind.arn_type}/..."
        )


def _detailed_diff(
    kind: ResourceKind, olds: Mapping[str, Any], news: Mapping[str, Any], replaces: list[str]
) -> dict[str, PropertyDiff]:
    """Each changed property, as `pulumi preview --diff` shows it: replacing or in place."""
    detailed: dict[str, PropertyDiff] = {}

    def change(path: str, old: Any, new: Any, replace: bool, input_diff: bool = True) -> None:
        if not contains_unknown(new) and plain(old) == plain(new):
            return
        if old is None:
            diff_kind = PropertyDiffKind.ADD_REPLACE if replace else PropertyDiffKind.ADD
        elif new is None:
            diff_kind = PropertyDiffKind.DELETE_REPLACE if replace else PropertyDiffKind.DELETE
        else:
            diff_kind = PropertyDiffKind.UPDATE_REPLACE if replace else PropertyDiffKind.UPDATE
        detailed[path] = PropertyDiff(diff_kind, input_diff)

    for item in _schema.inputs(kind):
        if item.change != "replace":
            continue
        path = ".".join(camel(part) for part in item.path)
        change(path, _schema.get(olds, item.path), _schema.get(news, item.path), item.top in replaces)
    for name in ("tags", "tags_all"):
        old, new = olds.get(name) or {}, news.get(name) or {}
        if contains_unknown(new) or not isinstance(old, Mapping) or not isinstance(new, Mapping):
            change(camel(name), old, new, replace=False)
            continue
        for key in sorted(set(old) | set(new)):
            change(_key(camel(name), str(key)), old.get(key), new.get(key), replace=False)
    if "status" in replaces:  # a failed or stopped job that refresh found: not an input
        detailed["status"] = PropertyDiff(PropertyDiffKind.UPDATE_REPLACE, False)
    return detailed
