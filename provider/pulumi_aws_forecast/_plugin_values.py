"""The provider plugin's property values: Pulumi's wire values ⇄ the lifecycle's plain properties.

The plugin receives `PropertyValue` maps whose names are the schema's camelCase
(`destination.s3Config.roleArn`); the planner and the lifecycle take plain Python values under the
description's snake_case names (`destination.s3_config.role_arn`). The names are translated by the
description itself (`_names.to_snake`, `_names.to_camel`); this module translates the values
both ways, and nothing else:

- unknowns: a value not known yet at preview arrives as the engine's unknown sentinel string (or a
  computed value) and becomes `pulumi.output.Unknown`, as the planner expects, and back;
- secrets: `plain()` reports which top-level properties held a secret, and `wire()` marks those
  (and what is derived from them: `tagsAll` from `tags`) secret again in what goes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime.rpc import UNKNOWN

from ._names import camel

#: Outputs derived from an input: secret when it is.
_DERIVED = {"tags": ("tags_all",)}


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
