"""The provider plugin's property values: Pulumi's wire values ⇄ the lifecycle's plain properties.

The plugin receives `PropertyValue` maps whose names are the schema's camelCase
(`destination.s3Config.roleArn`); the planner and the lifecycle take plain Python values under the
description's snake_case names (`destination.s3_config.role_arn`). This module translates both
ways, and nothing else:

- names: only the properties the description (`_schema.py`) knows are renamed, at the depth it
  knows them; the keys of maps (`tags`, `tagsAll`) are the user's and stay as they are, and so do
  names the description does not know (`__autonamed`, which the planner keeps in the inputs);
- unknowns: a value not known yet at preview arrives as the engine's unknown sentinel string (or a
  computed value) and becomes `pulumi.output.Unknown`, as the planner expects, and back;
- secrets: `plain()` reports which top-level properties held a secret, and `wire()` marks those
  (and what is derived from them: `tagsAll` from `tags`) secret again in what goes back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime.rpc import UNKNOWN

from . import _schema
from .catalog import ResourceKind

#: The description's names as a tree: a name -> the names under it (None: a leaf, or a map of the
#: user's keys).
Tree = Mapping[str, "Tree | None"]

#: Outputs derived from an input: secret when it is.
_DERIVED = {"tags": ("tags_all",)}


def camel(snake: str) -> str:
    """`what_if_forecast_arns` -> `whatIfForecastArns`, `s3_config` -> `s3Config`; `__autonamed` stays."""
    if snake.startswith("_"):
        return snake
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@functools.cache
def names(kind: ResourceKind) -> Tree:
    """Every property of `kind` the description knows (inputs and outputs), snake_case, as a tree."""
    tree: dict[str, Any] = {}
    for item in _schema.inputs(kind):
        node = tree
        for part in item.path[:-1]:
            node = node.setdefault(part, {})
        node.setdefault(item.path[-1], None)
    for output in _schema.outputs(kind):
        tree.setdefault(output.name, None)
    return tree


def _rename(value: Any, tree: Tree, to_snake: bool) -> Any:
    if not isinstance(value, Mapping) or isinstance(value, Unknown):
        return value
    known = {(camel(name) if to_snake else name): name for name in tree}
    renamed: dict[str, Any] = {}
    for key, item in value.items():
        name = known.get(key)
        if name is None:  # not the description's: kept as it is
            renamed[key] = item
            continue
        below = tree[name]
        renamed[name if to_snake else camel(name)] = _rename(item, below, to_snake) if below else item
    return renamed


def to_snake(kind: ResourceKind, props: Mapping[str, Any]) -> dict[str, Any]:
    """camelCase properties (plain values) under the description's snake_case names."""
    return dict(_rename(props, names(kind), to_snake=True))


def to_camel(kind: ResourceKind, props: Mapping[str, Any]) -> dict[str, Any]:
    """snake_case properties (plain values) under the schema's camelCase names."""
    return dict(_rename(props, names(kind), to_snake=False))


_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<rest>(\[.*\])?)$")


def camel_path(kind: ResourceKind, path: str) -> str:
    """A property path the planner names (`destination.s3_config.path`, `what_if_forecast_arns[2]`,
    `tags["team"]`) as the schema names it (`destination.s3Config.path`, `whatIfForecastArns[2]`)."""
    if "[" in path:  # a map key or an index ends the part to rename: `tags["a.b"]`
        head, bracket, rest = path.partition("[")
        return camel_path(kind, head) + bracket + rest
    tree: Tree | None = names(kind)
    parts: list[str] = []
    for part in path.split("."):
        found = _SEGMENT.match(part)
        if tree is None or found is None or found["name"] not in tree:
            parts.append(part)
            tree = None
            continue
        parts.append(camel(found["name"]) + found["rest"])
        tree = tree[found["name"]]
    return ".".join(parts)


# --- Wire values ---------------------------------------------------------------------------------


def plain(props: Mapping[str, PropertyValue]) -> tuple[dict[str, Any], frozenset[str]]:
    """(the values as plain Python, the top-level names that held a secret)."""
    values = {key: _plain(value) for key, value in props.items()}
    secrets = frozenset(key for key, value in props.items() if value.contains_secret())
    return values, secrets


def _plain(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, Computed) or inner == UNKNOWN:
        return Unknown()  # type: ignore[no-untyped-call]
    if isinstance(inner, str | bool | type(None)):
        return inner
    if isinstance(inner, float):
        return int(inner) if inner.is_integer() else inner
    if isinstance(inner, Mapping):
        return {key: _plain(item) for key, item in inner.items()}
    if isinstance(inner, Iterable):
        return [_plain(item) for item in inner]
    return inner  # assets, archives, resource references: no property of ours takes them


def wire(props: Mapping[str, Any], secrets: Iterable[str] = ()) -> dict[str, PropertyValue]:
    """Plain values as wire values; the top-level names in `secrets` (and what derives from them) secret.

    `secrets` holds the names as they are in `props` (camelCase on the way out)."""
    hidden = set(secrets)
    for source, derived in _DERIVED.items():
        if camel(source) in hidden or source in hidden:
            hidden.update(camel(name) for name in derived)
            hidden.update(derived)
    return {key: _wire(value).with_secret(key in hidden) for key, value in props.items()}


def _wire(value: Any) -> PropertyValue:
    if isinstance(value, Unknown):
        return PropertyValue(UNKNOWN)  # what the engine reads as unknown (the SDK cannot send Computed)
    if value is None or isinstance(value, str | bool | float):
        return PropertyValue(value)
    if isinstance(value, int):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(key): _wire(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([_wire(item) for item in value])
    return PropertyValue(str(value))  # datetimes and the like: as text
