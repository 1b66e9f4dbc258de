"""Forecast requests in, JSON out: parse, validate, call the backend, serialise.

`ForecastResponses.handle(operation, params, region)` is the whole request
path, and holds no business rule:

1. validate the request with the shared rules (`pulumi_aws_forecast.rules`:
   botocore's model plus its corrections, the same the provider checks at
   preview) - `ValidationException` for what the service model expresses,
   `InvalidInputException` for the rest, worded as AWS words them
   (`validation.py`);
2. call the backend method named after the operation
   (`ForecastBackend.create_forecast_export_job` for CreateForecastExportJob),
   under the backend's transaction (locked, transitions applied);
3. serialise what it returns: a new resource's ARN for Create, the members
   of the model's output shape for Describe and List, no body for
   DeleteResourceTree (as AWS answered it), `{}` otherwise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from botocore.model import ListShape, OperationNotFoundError, StructureShape

from forecast_emulator import query
from forecast_emulator.exceptions import UnknownOperationException
from forecast_emulator.models import ForecastBackend, Page
from forecast_emulator.store import Resource
from forecast_emulator.validation import request_error
from pulumi_aws_forecast.catalog import CREATING, KINDS, ResourceKind, snake
from pulumi_aws_forecast.model import operation_model

Json = dict[str, Any]
Serialiser = Callable[[str, Any], Json | None]


def operations() -> dict[str, ResourceKind | None]:
    """Every operation the emulator serves, with the kind it belongs to (None: any resource)."""
    served: dict[str, ResourceKind | None] = {
        operation: None
        for operation in (
            "StopResource",
            "TagResource",
            "UntagResource",
            "ListTagsForResource",
            "DeleteResourceTree",
        )
    }
    served["UpdateDatasetGroup"] = KINDS["DatasetGroup"]
    for kind in KINDS.values():
        for operation in (
            kind.create_operation,
            *kind.extra_creates,
            kind.describe_operation,
            *kind.extra_describes,
            kind.list_operation,
            kind.delete_operation,
        ):
            served[operation] = kind
    return served


class ForecastResponses:
    def __init__(self, backend: ForecastBackend) -> None:
        self.backend = backend
        self.routes: dict[str, tuple[Callable[[Mapping[str, Any], str], Any], Serialiser]] = {
            operation: (getattr(backend, snake(operation)), self._serialiser(operation, kind))
            for operation, kind in operations().items()
        }

    def handle(self, operation: str, params: Mapping[str, Any], region: str) -> Json | None:
        reader = query.OPERATIONS.get(operation)
        if reader is not None:  # answers computed from a resource's series (`query.py`)
            error = None if operation in query.RUNTIME else request_error(operation, params)
            if error is not None:
                raise error
            with self.backend.transaction():
                return reader(self.backend, params, region)
        route = self.routes.get(operation)
        if route is None:
            try:
                operation_model(operation)
            except OperationNotFoundError:
                raise UnknownOperationException(f"Amazon Forecast has no operation {operation}.") from None
            raise UnknownOperationException(f"The Forecast emulator does not implement {operation}.")
        error = request_error(operation, params)
        if error is not None:
            raise error
        method, serialise = route
        with self.backend.transaction():
            return serialise(operation, method(params, region))

    # --- Serialising ----------------------------------------------------------------------------

    def _serialiser(self, operation: str, kind: ResourceKind | None) -> Serialiser:
        if operation == "ListTagsForResource":
            return lambda _, tags: {"Tags": tags}
        if operation == "DeleteResourceTree":  # AWS answered it with an empty body (content-length 0)
            return lambda _, result: None
        if kind is not None and operation.startswith("Create"):
            return lambda _, resource: {kind.arn_member: resource.arn}
        if kind is not None and operation.startswith("Describe"):
            return lambda op, resource: self._view(resource, _output_members(op))
        if kind is not None and operation == kind.list_operation:
            return functools.partial(self._page, kind)
        return lambda _, result: {}

    def _page(self, kind: ResourceKind, operation: str, page: Page) -> Json:
        members = _summary_members(operation, kind.plural)
        result: Json = {kind.plural: [self._view(resource, members) for resource in page.resources]}
        if page.next_token is not None:
            result["NextToken"] = page.next_token
        return result

    def _view(self, resource: Resource, members: Sequence[str]) -> Json:
        """The resource as a response shape with `members` shows it."""
        kind = resource.spec
        full: Json = dict(resource.doc)
        full[kind.arn_member] = resource.arn
        full[kind.name_member] = resource.name
        full["Status"] = resource.status
        if resource.message is not None:
            full["Message"] = resource.message
        full["CreationTime"] = resource.created
        full["LastModificationTime"] = resource.last_modified(self.backend.now())
        if resource.status in CREATING:
            full["EstimatedTimeRemainingInMinutes"] = self.backend.estimated_minutes(resource)
        return {member: full[member] for member in members if member in full}


@functools.cache
def _output_members(operation: str) -> tuple[str, ...]:
    shape = operation_model(operation).output_shape
    return tuple(shape.members) if shape is not None else ()


@functools.cache
def _summary_members(operation: str, plural: str) -> tuple[str, ...]:
    shape = operation_model(operation).output_shape
    assert shape is not None
    summaries = shape.members[plural]
    assert isinstance(summaries, ListShape) and isinstance(summaries.member, StructureShape)
    return tuple(summaries.member.members)
