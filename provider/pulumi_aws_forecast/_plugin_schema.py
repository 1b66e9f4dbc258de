"""The package schema the plugin answers GetSchema with.

The full schema (descriptions, provider configuration types, language settings) is generated from
the resources' descriptions into `schema.json` beside this module by the development tooling, and
shipped in the wheel; the plugin serves that file. Until it is there (a checkout without it), a
minimal schema is built here from the same description: the resource tokens, their camelCase
inputs and outputs, and which inputs replace the job. This fallback is all the tooling replaces.
"""

from __future__ import annotations

import functools
import json
from importlib import metadata, resources
from typing import Any

from . import _schema
from ._aws_config import KEYS
from ._plugin_values import camel
from .catalog import EXPORT_KINDS, ResourceKind

PACKAGE = "aws-forecast"
MODULE = "forecast"

_TYPES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "str | None": {"type": "string"},
    "bool": {"type": "boolean"},
    "list[str]": {"type": "array", "items": {"type": "string"}},
    "dict[str, str]": {"type": "object", "additionalProperties": {"type": "string"}},
}


@functools.cache
def schema_text() -> str:
    """schema.json's text when the package has it, else the minimal schema."""
    shipped = resources.files(__package__).joinpath("schema.json")
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return json.dumps(minimal_schema(), indent=2)


def minimal_schema() -> dict[str, Any]:
    """Tokens, properties (camelCase) and replaceOnChanges, from `_schema.py` and the catalogue."""
    types: dict[str, Any] = {}
    resources_: dict[str, Any] = {}
    for kind in EXPORT_KINDS:
        inputs, required = _inputs(kind, types)
        outputs = {
            camel(o.name): {**_TYPES[o.python_type], "description": o.doc} for o in _schema.outputs(kind)
        }
        resources_[f"{PACKAGE}:{MODULE}:{kind.noun}"] = {
            "description": kind.summary,
            "inputProperties": inputs,
            "requiredInputs": required,
            "properties": {**inputs, **outputs},
            "required": [*required, "format", "name", *(k for k in outputs if k != "message")],
        }
    # The provider's configuration: pulumi-aws's keys (`_aws_config.py` parses and checks them).
    config = {key: {"$ref": "pulumi.json#/Any"} for key in KEYS}
    return {
        "name": PACKAGE,
        "version": version(),
        "config": {"variables": config},
        "provider": {"inputProperties": config},
        "types": types,
        "resources": resources_,
    }


def version() -> str:
    """The installed distribution's version: the plugin's and the schema's."""
    try:
        return metadata.version("pulumi-aws-forecast")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "0.0.0"


def _inputs(kind: ResourceKind, types: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The kind's top-level inputs; nested objects (`destination`, `s3Config`) go into `types`."""
    root: dict[str, Any] = {}
    for item in _schema.inputs(kind):
        node = root
        for part in item.path[:-1]:
            node = node.setdefault(part, {})
        node[item.path[-1]] = item

    def spec(name: str, value: Any, path: tuple[str, ...]) -> dict[str, Any]:
        if isinstance(value, _schema.Input):
            prop = {**_TYPES[value.python_type], "description": value.rule}
            if value.change == "replace":
                prop["replaceOnChanges"] = True
            return prop
        token = f"{PACKAGE}:{MODULE}:{''.join(camel(p)[:1].upper() + camel(p)[1:] for p in path)}"
        properties = {camel(child): spec(child, below, (*path, child)) for child, below in value.items()}
        types[token] = {
            "type": "object",
            "properties": properties,
            "required": [camel(c) for c, below in value.items() if _required(below)],
        }
        return {"$ref": f"#/types/{token}", "replaceOnChanges": True}

    inputs = {camel(name): spec(name, value, (name,)) for name, value in root.items()}
    required = [camel(name) for name, value in root.items() if _required(value)]
    return inputs, required


def _required(value: Any) -> bool:
    if isinstance(value, _schema.Input):
        return value.required
    return any(_required(below) for below in value.values())
