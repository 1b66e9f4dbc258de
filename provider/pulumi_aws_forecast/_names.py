"""The names users write: the description's snake_case and the plugin schema's camelCase.

The Python resources take the names of `_schema.py`'s description (`destination.s3_config.role_arn`,
`adopt=True`); the plugin's schema, and so YAML and every generated SDK, the camelCase of the same
names (`destination.s3Config.roleArn`, `adopt: true`). This module renames values and paths between
the two, and words messages in either (`Spelling`), so no message names a property by hand.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.output import Unknown

from ._schema import inputs, outputs
from .catalog import ResourceKind

#: The description's names as a tree: a name -> the names under it (None: a leaf, or a map of the
#: user's keys).
Tree = Mapping[str, "Tree | None"]


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
    for item in inputs(kind):
        node = tree
        for part in item.path[:-1]:
            node = node.setdefault(part, {})
        node.setdefault(item.path[-1], None)
    for output in outputs(kind):
        tree.setdefault(output.name, None)
    return tree


def _rename(value: Any, tree: Tree, to_snake: bool) -> Any:
    """`value` with the names `tree` knows renamed, at the depth it knows them; the keys of maps
    (`tags`) are the user's and stay, and so do names it does not know (`__autonamed`)."""
    if not isinstance(value, Mapping) or isinstance(value, Unknown):
        return value
    known = {(camel(name) if to_snake else name): name for name in tree}
    renamed: dict[str, Any] = {}
    for key, item in value.items():
        name = known.get(key)
        if name is None:
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
    """A property path as the description names it (`destination.s3_config.path`,
    `what_if_forecast_arns[2]`, `tags["a.b"]`) as the schema names it (`destination.s3Config.path`,
    `whatIfForecastArns[2]`); what the description does not know stays as it is."""
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


@dataclass(frozen=True)
class Spelling:
    """How the users of one front door write properties, for the messages they read.

    The Python resources take the description's names as keyword arguments (`forecast_arn`,
    `adopt=True`) and the stack's `aws:defaultTags`; the plugin's users write the schema's
    camelCase, in YAML and every SDK (`forecastArn`, `adopt: true`), and the provider's own
    `aws-forecast:defaultTags`. Messages name properties through a Spelling, never by hand.
    """

    camel_case: bool
    default_tags: str  # the configuration key of the default tags

    def path(self, kind: ResourceKind, path: str) -> str:
        """A property path, `destination.s3_config.role_arn`, as these users write it."""
        return camel_path(kind, path) if self.camel_case else path

    def value(self, kind: ResourceKind, prop: str, value: Any) -> str:
        """A top-level property's value as JSON, the names of its members as these users write them."""
        below = names(kind).get(prop)
        if self.camel_case and below:
            value = _rename(value, below, to_snake=False)
        return json.dumps(value)

    def setting(self, kind: ResourceKind, prop: str, value: bool | str) -> str:
        """A setting to write in the declaration: `adopt=True`, or `adopt: true`."""
        if self.camel_case:
            return f"{self.path(kind, prop)}: {json.dumps(value)}"
        return f"{prop}={value!r}"


#: The Python resources' spelling.
PYTHON = Spelling(camel_case=False, default_tags="aws:defaultTags")
