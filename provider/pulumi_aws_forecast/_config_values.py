"""The parsers of single `aws:` values, for `_aws_config.AwsConfig.from_mapping`.

Each takes the key (for messages) and a value as the CLI hands it over to a dynamic provider
(strings, JSON text for lists and objects) or already parsed, and returns it checked, or raises
AwsConfigError naming the key and the rule. No AWS call, no botocore import; secrets never shown.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any


class AwsConfigError(ValueError):
    """A configuration value that breaks pulumi-aws's rules; the message names the key and the rule."""


_ACCOUNT_ID = re.compile(r"^\d{12}$")
_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_GO_DURATION_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
#: Aliases pulumi-aws accepts in `aws:endpoints` for the services we call (first wins).
_ENDPOINT_ALIASES = {"forecast": ("forecast", "forecastservice"), "sts": ("sts",)}
_USED_ENDPOINTS = frozenset(name for names in _ENDPOINT_ALIASES.values() for name in names)


# --- Values as the CLI hands them over, or already parsed ---------------------------------------


def _structured(key: str, value: Any, kind: type, example: str) -> Any:
    """A list or object: JSON text (what the CLI hands a dynamic provider) or the value itself."""
    if isinstance(value, str):
        text = value
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, list | dict):  # not JSON, or a JSON scalar: a plain `config set`
            raise AwsConfigError(
                f"{key} must be {_kind_name(kind)} (JSON text such as {example}); got a plain string "
                f"{json.dumps(text)}"
            )
    if kind is list and isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, kind):
        raise AwsConfigError(f"{key} must be {_kind_name(kind)} such as {example}; got {_shown(value)}")
    return value


def _kind_name(kind: type) -> str:
    return "a list" if kind is list else "an object"


def _shown(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return type(value).__name__


def _string(key: str, value: Any, *, secret: bool = False) -> str:
    if isinstance(value, str):
        return value
    if secret:  # never show a secret, even a mistyped one
        raise AwsConfigError(f"{key} must be a string; got a {type(value).__name__}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value)
    raise AwsConfigError(f"{key} must be a string; got {_shown(value)}")


def _number_text(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _optional_string(key: str, value: Any, *, secret: bool = False) -> str | None:
    if value is None:
        return None
    text = _string(key, value, secret=secret)
    return text or None  # pulumi-aws treats an empty setting as unset


def _bool(key: str, value: Any) -> bool:
    """true/false as YAML, JSON or Go's strconv.ParseBool (which the pulumi-aws bridge uses) spell it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text in ("1", "t", "T", "true", "True", "TRUE"):
            return True
        if text in ("0", "f", "F", "false", "False", "FALSE"):
            return False
    raise AwsConfigError(f"{key} must be true or false; got {_shown(value)}")


def _int(key: str, value: Any, *, minimum: int = 0) -> int:
    """A whole number: 3, "3", or 3.0 (integers may arrive as floats)."""
    number: float | int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip()) if value.strip() else None
        except ValueError:
            number = None
    if number is None or not float(number).is_integer():
        raise AwsConfigError(f"{key} must be a whole number; got {_shown(value)}")
    if number < minimum:
        raise AwsConfigError(f"{key} must be at least {minimum}; got {_number_text(number)}")
    return int(number)


def _strings(key: str, value: Any, example: str) -> tuple[str, ...]:
    items = _structured(key, value, list, example)
    return tuple(_string(f"{key}[{i}]", item) for i, item in enumerate(items))


def _string_map(key: str, value: Any, example: str) -> Mapping[str, str]:
    items = _structured(key, value, dict, example)
    result: dict[str, str] = {}
    for name, item in items.items():
        if isinstance(item, bool):
            result[str(name)] = "true" if item else "false"
        else:
            result[str(name)] = _string(f"{key}[{json.dumps(str(name))}]", item)
    return MappingProxyType(result)


def _fields(key: str, value: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise AwsConfigError(
            f"{key} has no field {', '.join(json.dumps(u) for u in unknown)}; "
            f"its fields are {', '.join(allowed)}"
        )


def _account_ids(key: str, value: Any) -> tuple[str, ...]:
    items = _structured(key, value, list, '["123456789012"]')
    ids: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, int) and not isinstance(item, bool):
            # An unquoted ID in YAML (or `config set --path`) arrives as a number, losing leading zeros.
            item = f"{item:012d}"
        text = _string(f"{key}[{i}]", item).strip()
        if not _ACCOUNT_ID.match(text):
            raise AwsConfigError(f"{key}[{i}] must be a 12-digit AWS account ID; got {_shown(item)}")
        ids.append(text)
    return tuple(ids)


def _go_duration_seconds(key: str, value: Any) -> int:
    """A Go duration ("1h", "15m", "1h30m", "3600s"), as pulumi-aws's `duration`, in whole seconds."""
    text = _string(key, value).strip()
    parts = _GO_DURATION_PART.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise AwsConfigError(
            f'{key} must be a duration such as "1h" or "15m" (units ns, us, ms, s, m, h); got {_shown(value)}'
        )
    return int(sum(float(number) * _GO_DURATION_UNITS[unit] for number, unit in parts))


# --- Settings with a form of their own ----------------------------------------------------------


def _paths(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(os.path.expanduser(p) for p in _strings(key, value, '["~/.aws/credentials"]') if p)


def _endpoints(key: str, value: Any) -> Mapping[str, str]:
    """`aws:endpoints`: a list of objects of service -> URL (pulumi-aws's form); one object is taken too.

    Only the entries we use are checked (forecast, its alias forecastservice, sts): the others
    are pulumi-aws's business, and a stack it accepts must not fail here.
    """
    if value is None:
        return MappingProxyType({})
    if isinstance(value, str) and value.lstrip().startswith("{"):
        value = [_structured(key, value, dict, '[{"forecast": "http://localhost:4566"}]')]
    items = _structured(
        key, [value] if isinstance(value, dict) else value, list, '[{"forecast": "http://..."}]'
    )
    result: dict[str, str] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise AwsConfigError(f'{key}[{i}] must be an object such as {{"forecast": "http://..."}}')
        for service, url in item.items():
            if service not in _USED_ENDPOINTS:
                if isinstance(url, str) and url:
                    result.setdefault(str(service), url)
                continue
            url = _optional_string(f"{key}[{i}].{service}", url)
            if url is None:
                continue
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]", url):
                raise AwsConfigError(
                    f"{key}[{i}].{service} must be a URL such as http://localhost:4566; got {_shown(url)}"
                )
            result.setdefault(str(service), url)
    return MappingProxyType(result)


def _default_tags(key: str, value: Any) -> Mapping[str, str]:
    if value is None:
        return MappingProxyType({})
    block = _structured(key, value, dict, '{"tags": {"team": "data"}}')
    _fields(key, block, ("tags",))
    return _string_map(f"{key}.tags", block.get("tags") or {}, '{"team": "data"}')


def _ignore_tags(key: str, value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    block = _structured(key, value, dict, '{"keys": ["owner"], "keyPrefixes": ["aws:"]}')
    _fields(key, block, ("keys", "keyPrefixes"))
    keys = _strings(f"{key}.keys", block.get("keys") or [], '["owner"]')
    prefixes = _strings(f"{key}.keyPrefixes", block.get("keyPrefixes") or [], '["ops:"]')
    return tuple(k for k in keys if k), tuple(p for p in prefixes if p)
