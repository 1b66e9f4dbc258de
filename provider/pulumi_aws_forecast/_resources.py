"""What every export resource shares; the resources themselves are generated (`_generated.py`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Self

import pulumi
from pulumi.dynamic import Resource

from . import _schema
from ._provider import JobProvider, Timeouts, parse_duration
from .catalog import KINDS


def _plain(value: Any) -> Any:
    """Args classes as plain dicts (Inputs inside stay Inputs)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _timeouts(opts: pulumi.ResourceOptions | None) -> Timeouts:
    """customTimeouts are not enforced for dynamic resources by the engine: the provider honours them."""
    timeouts = Timeouts()
    custom = opts.custom_timeouts if opts else None
    for field in ("create", "update", "delete"):
        text = getattr(custom, field, None) if custom else None
        if text:
            setattr(timeouts, field, parse_duration(text))
    return timeouts


def _owner(resource_name: str) -> str:
    return f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"


def resource_args_opts(
    noun: str, args_type: type, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Mapping[str, Any], pulumi.ResourceOptions | None]:
    """A resource's inputs and options from the three call shapes, as pulumi-aws's SDK takes them:
    `X(name, XArgs(...), opts)`, `X(name, {...}, opts)` (an `XArgsDict`) and `X(name, opts=..., **inputs)`."""
    rest = list(args)
    opts = kwargs.pop("opts", None)
    inputs: Mapping[str, Any] = kwargs
    if rest and not isinstance(rest[0], pulumi.ResourceOptions):
        first = rest.pop(0)
        if kwargs:
            raise TypeError(
                f"{noun}() takes its inputs either as {args_type.__name__} or as keyword arguments, not both"
            )
        if isinstance(first, args_type) and dataclasses.is_dataclass(first):
            inputs = {f.name: getattr(first, f.name) for f in dataclasses.fields(first)}
        elif isinstance(first, Mapping):
            inputs = dict(first)
        else:
            raise TypeError(
                f"{noun}() argument 'args' must be {args_type.__name__} or a dict, not {type(first).__name__}"
            )
    if rest:
        if len(rest) > 1 or opts is not None or not isinstance(rest[0], pulumi.ResourceOptions):
            raise TypeError(f"{noun}() takes a resource name, its Args and pulumi.ResourceOptions")
        opts = rest[0]
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"{noun}() argument 'opts' must be pulumi.ResourceOptions, not {type(opts).__name__}")
    return inputs, opts


class ExportJob(Resource):
    """An export job: created, waited on until ACTIVE, tags updated in place, replaced for anything else."""

    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    status: pulumi.Output[str]
    message: pulumi.Output[str | None]
    creation_time: pulumi.Output[str]
    last_modification_time: pulumi.Output[str]
    destination: pulumi.Output[dict[str, Any]]
    format: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str]]
    tags_all: pulumi.Output[dict[str, str]]

    def __init__(
        self,
        noun: str,
        resource_name: str,
        args: Mapping[str, Any],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        kind = KINDS[noun]
        tops = _schema.tops(kind)
        # What a signature with every keyword spelt out would refuse (for callers without a type checker).
        unexpected = sorted(set(args) - set(tops))
        if unexpected:
            raise TypeError(f"{noun}() got an unexpected keyword argument {unexpected[0]!r}")
        required = dict.fromkeys(i.top for i in _schema.inputs(kind) if i.required)
        missing = [top for top in required if top not in args]
        if missing:
            raise TypeError(f"{noun}() missing required keyword argument: {missing[0]!r}")
        props: dict[str, Any] = {
            **{top: _plain(args.get(top)) for top in tops},
            # Output-only properties must be present to exist as outputs.
            **dict.fromkeys(_schema.OUTPUT_NAMES),
        }
        provider = JobProvider(noun, _owner(resource_name), _timeouts(opts))
        super().__init__(provider, resource_name, props, opts)

    @classmethod
    def get(
        cls, resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> Self:
        """An existing job, referenced by its ARN (`id`) and read, not managed: no create, update or
        delete; its properties are what AWS has (the provider's read, as `refresh` does)."""
        kind = KINDS[cls.__name__]
        job = cls.__new__(cls)
        props: dict[str, Any] = {
            **dict.fromkeys(_schema.tops(kind)),
            **dict.fromkeys(_schema.OUTPUT_NAMES),
        }
        provider = JobProvider(kind.noun, _owner(resource_name), _timeouts(opts))
        reading = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        Resource.__init__(job, provider, resource_name, props, reading)
        return job
