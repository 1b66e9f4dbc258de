"""Forecast operations: one handler per operation family, for every kind.

`ForecastResponses.handle(operation, params, region)` is the whole request
path: validate the request with the shared rules (`pulumi_aws_forecast.rules`,
botocore's model plus its corrections), then run the family's handler with
the kind the operation belongs to (`kinds.py`):

    Create<Kind>     create()     parent ACTIVE, unique ARN, export quota, tags
    Describe<Kind>   describe()   the members of the model's output shape
    List<Kind>s      list()       Filters (IS / IS_NOT), MaxResults, NextToken
    Delete<Kind>     delete()     allowed statuses, no running children
    StopResource     stop()
    TagResource, UntagResource, ListTagsForResource
    UpdateDatasetGroup

Handlers run under the state lock, after `State.advance()`, so what they see
is current.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.model import ListShape, OperationNotFoundError, StructureShape

from forecast_emulator.aws import partition_of
from forecast_emulator.exceptions import (
    InvalidInputException,
    InvalidNextTokenException,
    LimitExceededException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    ResourceNotFoundException,
    UnknownOperationException,
)
from forecast_emulator.faults import Faults
from forecast_emulator.kinds import (
    ACTIVE,
    BY_ARN_TYPE,
    BY_KEY,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPING,
    CREATING,
    DELETABLE,
    DELETE_PENDING,
    KINDS,
    RUNNING,
    CreateOperation,
    Kind,
)
from forecast_emulator.models import Resource, State, Tags
from pulumi_aws_forecast.rules import (
    MAX_TAGS_PER_RESOURCE,
    aws_message,
    operation_model,
    parse_arn,
    validate_request,
)

Json = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request: its parameters and where it was sent."""

    operation: str
    params: Mapping[str, Any]
    account: str
    region: str
    now: float


Handler = Callable[[Call], Json]


class ForecastResponses:
    def __init__(self, state: State, faults: Faults, account: str) -> None:
        self.state = state
        self.faults = faults
        self.account = account
        self.handlers: dict[str, Handler] = {
            "StopResource": self.stop,
            "TagResource": self.tag_resource,
            "UntagResource": self.untag_resource,
            "ListTagsForResource": self.list_tags_for_resource,
            "UpdateDatasetGroup": self.update_dataset_group,
        }
        for kind in KINDS:
            for create in kind.creates:
                self.handlers[create.name] = functools.partial(self.create, kind, create)
            for describe in kind.describes:
                self.handlers[describe] = functools.partial(self.describe, kind)
            self.handlers[kind.list_op] = functools.partial(self.list, kind)
            self.handlers[kind.delete_op] = functools.partial(self.delete, kind)

    def handle(self, operation: str, params: Mapping[str, Any], region: str) -> Json:
        handler = self.handlers.get(operation)
        if handler is None:
            try:
                operation_model(operation)
            except OperationNotFoundError:
                raise UnknownOperationException(f"Amazon Forecast has no operation {operation}.") from None
            raise UnknownOperationException(f"The Forecast emulator does not implement {operation}.")
        violations = validate_request(operation, params)
        if violations:
            raise InvalidInputException(aws_message(violations))
        with self.state.lock:
            self.state.advance()
            return handler(Call(operation, params, self.account, region, self.state.now()))

    # --- Create / Describe / List / Delete ------------------------------------------------------

    def create(self, kind: Kind, create: CreateOperation, call: Call) -> Json:
        params = call.params
        name = str(params[kind.name_field])
        doc = _document(kind, create, params)
        parent = None
        if kind.parent_field is not None and kind.parent_kind is not None:
            parent = self._find(call, str(doc[kind.parent_field]), BY_KEY[kind.parent_kind])
            if parent.status != ACTIVE:
                raise ResourceInUseException(
                    f"The {parent.spec.label} {parent.arn} must be ACTIVE to create a {kind.label} "
                    f"from it; its status is {parent.status}."
                )
            for field, source in kind.inherit.items():
                if doc.get(field) is None and parent.doc.get(source) is not None:
                    doc[field] = copy.deepcopy(parent.doc[source])
        for field, value in kind.defaults.items():
            if doc.get(field) is None:
                doc[field] = copy.deepcopy(value)
        if kind.dataset_list_field is not None:
            self._require_datasets(call, doc[kind.dataset_list_field])

        arn = self._arn(kind, call, name, parent)
        if self.state.store.get(arn) is not None:
            raise ResourceAlreadyExistsException(f"A {kind.label} already exists with the arn: {arn}")
        if kind.is_export:
            quota = self.state.settings.export_quota
            if self.state.store.count(kind.key, call.account, call.region, RUNNING) >= quota:
                raise LimitExceededException(
                    f"You have reached the limit of {quota} {kind.label}s in progress at the same time "
                    f"in this account and region. Wait for one to finish, or stop one, and try again."
                )
        self.state.store.insert(
            Resource(
                arn=arn,
                kind=kind.key,
                name=name,
                account=call.account,
                region=call.region,
                parent_arn=parent.arn if parent else None,
                status=CREATE_PENDING,
                created=call.now,
                phase_started=call.now,
                modified=call.now,
                doc=doc,
                tags=_merge_tags([], params.get("Tags") or []),
                fail_message=self.faults.planned_failure(name),
            )
        )
        return {kind.arn_field: arn}

    def describe(self, kind: Kind, call: Call) -> Json:
        resource = self._find(call, str(call.params[kind.arn_field]), kind)
        return _view(resource, _output_members(call.operation), call.now, self.state)

    def list(self, kind: Kind, call: Call) -> Json:
        params = call.params
        filters: Sequence[Mapping[str, str]] = params.get("Filters") or []
        for spec in filters:
            if spec["Key"] not in kind.filters:
                raise InvalidInputException(
                    f"Invalid filter key '{spec['Key']}' for {call.operation}; "
                    f"valid keys are {' and '.join(kind.filters)}."
                )
        query = hashlib.sha256(json.dumps([call.operation, filters], sort_keys=True).encode()).hexdigest()[
            :16
        ]
        resources = [
            r for r in self.state.store.of_kind(kind.key, call.account, call.region) if _matches(r, filters)
        ]
        if params.get("NextToken") is not None:
            after = _read_token(str(params["NextToken"]), query)
            resources = [r for r in resources if (r.created, r.arn) < after]
        limit = int(params.get("MaxResults") or 100)
        page = resources[:limit]
        members = _summary_members(call.operation, kind.list_key)
        result: Json = {kind.list_key: [_view(r, members, call.now, self.state) for r in page]}
        if len(resources) > limit:
            result["NextToken"] = _make_token(page[-1], query)
        return result

    def delete(self, kind: Kind, call: Call) -> Json:
        resource = self._find(call, str(call.params[kind.arn_field]), kind)
        if resource.status not in DELETABLE:
            allowed = ", ".join(sorted(DELETABLE))
            raise ResourceInUseException(
                f"The {kind.label} {resource.arn} cannot be deleted while its status is {resource.status}; "
                f"it can be deleted when its status is one of {allowed}."
            )
        for child in self.state.store.children(resource.arn, RUNNING):
            raise ResourceInUseException(
                f"The {kind.label} {resource.arn} cannot be deleted while its {child.spec.label} "
                f"{child.arn} is {child.status}."
            )
        resource.status, resource.phase_started = DELETE_PENDING, call.now
        self.state.store.save(resource)
        return {}

    # --- StopResource ---------------------------------------------------------------------------

    def stop(self, call: Call) -> Json:
        resource = self._find(call, str(call.params["ResourceArn"]))
        kind = resource.spec
        if not kind.stoppable:
            raise InvalidInputException(f"StopResource does not apply to a {kind.label} ({resource.arn}).")
        if resource.status not in CREATING:
            raise InvalidInputException(
                f"The {kind.label} {resource.arn} cannot be stopped: its status is {resource.status}. "
                f"Only a resource in {CREATE_PENDING} or {CREATE_IN_PROGRESS} can be stopped."
            )
        resource.status, resource.phase_started = CREATE_STOPPING, call.now
        self.state.store.save(resource)
        return {}

    # --- Tags -----------------------------------------------------------------------------------

    def tag_resource(self, call: Call) -> Json:
        resource = self._find(call, str(call.params["ResourceArn"]))
        merged = _merge_tags(resource.tags, call.params["Tags"])
        if len(merged) > MAX_TAGS_PER_RESOURCE:
            raise LimitExceededException(
                f"The {resource.spec.label} {resource.arn} would have {len(merged)} tags; "
                f"a resource can have at most {MAX_TAGS_PER_RESOURCE} tags."
            )
        resource.tags = merged
        self.state.store.save(resource)
        return {}

    def untag_resource(self, call: Call) -> Json:
        resource = self._find(call, str(call.params["ResourceArn"]))
        removed = set(call.params["TagKeys"])
        resource.tags = [tag for tag in resource.tags if tag["Key"] not in removed]
        self.state.store.save(resource)
        return {}

    def list_tags_for_resource(self, call: Call) -> Json:
        resource = self._find(call, str(call.params["ResourceArn"]))
        return {"Tags": copy.deepcopy(resource.tags)}

    # --- UpdateDatasetGroup ---------------------------------------------------------------------

    def update_dataset_group(self, call: Call) -> Json:
        kind = BY_KEY["dataset_group"]
        group = self._find(call, str(call.params["DatasetGroupArn"]), kind)
        if group.status != ACTIVE:
            raise ResourceInUseException(
                f"The {kind.label} {group.arn} can only be updated when ACTIVE; its status is {group.status}."
            )
        self._require_datasets(call, call.params["DatasetArns"])
        group.doc["DatasetArns"] = list(call.params["DatasetArns"])
        group.modified = call.now
        self.state.store.save(group)
        return {}

    # --- Helpers --------------------------------------------------------------------------------

    def _find(self, call: Call, arn: str, kind: Kind | None = None) -> Resource:
        """The resource `arn` names, in this account and region, of `kind` if given."""
        parts = parse_arn(arn)
        resource = None
        if parts is not None and parts["region"] == call.region and parts["account"] == call.account:
            found_kind = BY_ARN_TYPE.get(parts["resource"].split("/", 1)[0])
            if found_kind is not None and (kind is None or found_kind is kind):
                resource = self.state.store.get(arn)
        if resource is None:
            label = kind.label if kind is not None else "resource"
            raise ResourceNotFoundException(f"No {label} found with the arn: {arn}")
        return resource

    def _require_datasets(self, call: Call, arns: Sequence[str]) -> None:
        dataset = BY_KEY["dataset"]
        missing = []
        for arn in arns:
            try:
                self._find(call, arn, dataset)
            except ResourceNotFoundException:
                missing.append(arn)
        if missing:
            raise InvalidInputException(f"Dataset arns: [{', '.join(missing)}] are not found")

    @staticmethod
    def _arn(kind: Kind, call: Call, name: str, parent: Resource | None) -> str:
        path = f"{parent.name}/{name}" if kind.arn_has_parent_name and parent is not None else name
        return f"arn:{partition_of(call.region)}:forecast:{call.region}:{call.account}:{kind.arn_type}/{path}"


# --- Views ----------------------------------------------------------------------------------------


def _view(resource: Resource, members: Sequence[str], now: float, state: State) -> Json:
    """The resource as a response shape with `members` shows it."""
    kind = resource.spec
    full: Json = dict(resource.doc)
    full[kind.arn_field] = resource.arn
    full[kind.name_field] = resource.name
    full["Status"] = resource.status
    if resource.message is not None:
        full["Message"] = resource.message
    full["CreationTime"] = resource.created
    full["LastModificationTime"] = resource.last_modified(now)
    if resource.status in CREATING:
        full["EstimatedTimeRemainingInMinutes"] = max(
            0, math.ceil((state.creation_ends(resource) - now) / 60)
        )
    return {member: full[member] for member in members if member in full}


@functools.cache
def _input_members(operation: str) -> tuple[str, ...]:
    shape = operation_model(operation).input_shape
    return tuple(shape.members) if shape is not None else ()


@functools.cache
def _output_members(operation: str) -> tuple[str, ...]:
    shape = operation_model(operation).output_shape
    return tuple(shape.members) if shape is not None else ()


@functools.cache
def _summary_members(operation: str, list_key: str) -> tuple[str, ...]:
    shape = operation_model(operation).output_shape
    assert shape is not None
    summaries = shape.members[list_key]
    assert isinstance(summaries, ListShape) and isinstance(summaries.member, StructureShape)
    return tuple(summaries.member.members)


def _document(kind: Kind, create: CreateOperation, params: Mapping[str, Any]) -> Json:
    """The new resource's document: the request's members (tags aside), its aliases and extras."""
    for member in create.unsupported:
        if params.get(member) is not None:
            raise InvalidInputException(f"The Forecast emulator does not support {member} in {create.name}.")
    missing = [member for member in create.requires if params.get(member) is None]
    if missing:
        raise InvalidInputException(f"{create.name} needs {', '.join(missing)} to create a new {kind.label}.")
    members = _input_members(create.name)
    doc = {key: copy.deepcopy(value) for key, value in params.items() if key in members and key != "Tags"}
    for field, path in create.aliases.items():
        value = _dig(params, path)
        if value is not None:
            doc[field] = copy.deepcopy(value)
    doc.update(create.extras)
    return doc


def _matches(resource: Resource, filters: Sequence[Mapping[str, str]]) -> bool:
    for spec in filters:
        value = resource.status if spec["Key"] == "Status" else resource.doc.get(spec["Key"])
        if (value == spec["Value"]) != (spec["Condition"] == "IS"):
            return False
    return True


def _merge_tags(tags: Tags, new: Sequence[Mapping[str, str]]) -> Tags:
    """`tags` with `new` applied: a key already present takes the new value, in place."""
    merged = {tag["Key"]: tag.get("Value", "") for tag in tags}
    for tag in new:
        merged[tag["Key"]] = tag.get("Value", "")
    return [{"Key": key, "Value": value} for key, value in merged.items()]


def _dig(params: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = params
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


# --- Pagination tokens: where the previous page ended, tied to the query ------------------------


def _make_token(last: Resource, query: str) -> str:
    raw = json.dumps({"after": [last.created, last.arn], "query": query}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _read_token(token: str, query: str) -> tuple[float, str]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        created, arn = decoded["after"]
        if decoded["query"] != query:
            raise ValueError("token from another query")
        return float(created), str(arn)
    except (ValueError, KeyError, TypeError):
        raise InvalidNextTokenException("The NextToken is not valid. Tokens expire after 24 hours.") from None
