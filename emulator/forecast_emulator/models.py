"""Amazon Forecast's backend, as a moto service's: one method per operation, and every rule.

`ForecastBackend` holds every business rule: parents, unique ARNs, quotas,
allowed deletes, tags, StopResource, list filters and pages, IAM propagation,
and how a creation ends (`_finish_creation`: an injected failure, or an export
that writes its files or fails, saying why). Around it: `responses.py` parses
and serialises, `store.py` keeps the resources, `lifecycle.py` moves them
through their phases and calls `_finish_creation` back, `moto_bridge.py` tells
what moto holds (role, bucket, key) and writes files, `trust.py` evaluates the
role's policies.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from forecast_emulator import auto_predictor, moto_bridge, series
from forecast_emulator.exceptions import (
    InvalidInputException,
    InvalidNextTokenException,
    LimitExceededException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from forecast_emulator.exporting import write_check, write_export
from forecast_emulator.faults import Faults
from forecast_emulator.kinds import BEHAVIOUR, OWN_ARN, STOP_RESOURCE_KINDS, Behaviour, resource_id
from forecast_emulator.lifecycle import State
from forecast_emulator.quotas import require_room
from forecast_emulator.settings import Settings
from forecast_emulator.store import Resource, Store, Tags, make_token, read_token
from forecast_emulator.trees import EXISTING, descendants, has_tree
from forecast_emulator.trust import CANNOT_ASSUME
from pulumi_aws_forecast.catalog import (
    ACTIVE,
    BY_ARN_TYPE,
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    CREATING,
    DELETABLE,
    DELETE_PENDING,
    DELETING,
    KINDS,
    RUNNING,
    ResourceKind,
    snake,
)
from pulumi_aws_forecast.model import operation_model
from pulumi_aws_forecast.rules import MAX_TAGS_PER_RESOURCE, parse_arn

Json = dict[str, Any]
Params = Mapping[str, Any]

#: Every status a resource can be in while it exists and is not being deleted.
_LIVE = RUNNING | {ACTIVE, CREATE_FAILED, CREATE_STOPPED}


@dataclass(frozen=True)
class Page:
    """One page of a List operation."""

    resources: list[Resource]
    next_token: str | None


class ForecastBackend:
    """Amazon Forecast for one account: its resources, and every rule about them.

    One public method per API operation, named after it in snake_case
    (`create_forecast_export_job` for CreateForecastExportJob), taking the
    request's parameters (validated by `responses.py`) and region, returning a
    `Resource`, a `Page`, tags or None. Per-kind methods are one line: what
    differs between kinds is data (`pulumi_aws_forecast.catalog`,
    `kinds.BEHAVIOUR`), applied by the shared rules below. Callers hold
    `transaction()` around a call. The backend makes its lifecycle engine
    (`state`), which calls `_finish_creation` back when a creation ends.
    """

    def __init__(self, store: Store, settings: Settings, faults: Faults, account: str) -> None:
        self.state = State(store, settings, self._finish_creation, self._start_creation)
        self.faults = faults
        self.account = account

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock the state and apply every transition due by now."""
        with self.state.lock:
            self.state.advance()
            yield

    def now(self) -> float:
        return self.state.now()

    def estimated_minutes(self, resource: Resource) -> int:
        """EstimatedTimeRemainingInMinutes of a resource being created."""
        return max(0, math.ceil((self.state.creation_ends(resource) - self.now()) / 60))

    # --- Upstream resources: the parents of exports, and theirs ------------------------------------

    def create_dataset_group(self, params: Params, region: str) -> Resource:
        """CreateDatasetGroup."""
        return self._create(KINDS["DatasetGroup"], params, region)

    def describe_dataset_group(self, params: Params, region: str) -> Resource:
        """DescribeDatasetGroup."""
        return self._describe(KINDS["DatasetGroup"], params, region)

    def list_dataset_groups(self, params: Params, region: str) -> Page:
        """ListDatasetGroups."""
        return self._list(KINDS["DatasetGroup"], params, region)

    def delete_dataset_group(self, params: Params, region: str) -> None:
        """DeleteDatasetGroup."""
        self._delete(KINDS["DatasetGroup"], params, region)

    def update_dataset_group(self, params: Params, region: str) -> None:
        """UpdateDatasetGroup: replace the dataset group's datasets (at once)."""
        kind = KINDS["DatasetGroup"]
        group = self._find(str(params[kind.arn_member]), region, kind)
        if group.status != ACTIVE:
            raise ResourceInUseException(
                f"The {kind.label} {group.arn} can only be updated when ACTIVE; its status is {group.status}."
            )
        self._require_datasets(params["DatasetArns"], region)
        group.doc["DatasetArns"] = list(params["DatasetArns"])
        group.modified = self.now()
        self.state.store.save(group)

    def create_dataset(self, params: Params, region: str) -> Resource:
        """CreateDataset."""
        return self._create(KINDS["Dataset"], params, region)

    def describe_dataset(self, params: Params, region: str) -> Resource:
        """DescribeDataset."""
        return self._describe(KINDS["Dataset"], params, region)

    def list_datasets(self, params: Params, region: str) -> Page:
        """ListDatasets."""
        return self._list(KINDS["Dataset"], params, region)

    def delete_dataset(self, params: Params, region: str) -> None:
        """DeleteDataset."""
        self._delete(KINDS["Dataset"], params, region)

    def create_dataset_import_job(self, params: Params, region: str) -> Resource:
        """CreateDatasetImportJob: reads its S3 path at once; the job keeps the series (`series.py`)."""
        dataset = self._find(str(params["DatasetArn"]), region, KINDS["Dataset"], settled_only=False)
        data = series.read_import(dataset, params, self.account, region)
        resource = self._create(KINDS["DatasetImportJob"], params, region)
        resource.doc[series.FIELD] = data.to_doc()
        self.state.store.save(resource)
        return resource

    def describe_dataset_import_job(self, params: Params, region: str) -> Resource:
        """DescribeDatasetImportJob."""
        return self._describe(KINDS["DatasetImportJob"], params, region)

    def list_dataset_import_jobs(self, params: Params, region: str) -> Page:
        """ListDatasetImportJobs."""
        return self._list(KINDS["DatasetImportJob"], params, region)

    def delete_dataset_import_job(self, params: Params, region: str) -> None:
        """DeleteDatasetImportJob."""
        self._delete(KINDS["DatasetImportJob"], params, region)

    def create_predictor(self, params: Params, region: str) -> Resource:
        """CreatePredictor (a legacy predictor)."""
        return self._create(KINDS["Predictor"], params, region)

    def create_auto_predictor(self, params: Params, region: str) -> Resource:
        """CreateAutoPredictor, with retraining and ExplainPredictor (`auto_predictor.py`)."""
        return auto_predictor.create(self, params, region)

    def describe_predictor(self, params: Params, region: str) -> Resource:
        """DescribePredictor: legacy predictors only (AWS's solution expects InvalidInputException
        for an AutoPredictor; the message is ours)."""
        predictor = self._describe(KINDS["Predictor"], params, region)
        if predictor.doc.get("IsAutoPredictor"):
            raise InvalidInputException(
                f"DescribePredictor is only valid for legacy predictors created with CreatePredictor; "
                f"{predictor.arn} was created with CreateAutoPredictor. Use DescribeAutoPredictor."
            )
        return predictor

    def describe_auto_predictor(self, params: Params, region: str) -> Resource:
        """DescribeAutoPredictor, with ExplainabilityInfo's current status (`auto_predictor.py`)."""
        return auto_predictor.describe(self, params, region)

    def list_predictors(self, params: Params, region: str) -> Page:
        """ListPredictors."""
        return self._list(KINDS["Predictor"], params, region)

    def delete_predictor(self, params: Params, region: str) -> None:
        """DeletePredictor."""
        self._delete(KINDS["Predictor"], params, region)

    def create_forecast(self, params: Params, region: str) -> Resource:
        """CreateForecast."""
        return self._create(KINDS["Forecast"], params, region)

    def describe_forecast(self, params: Params, region: str) -> Resource:
        """DescribeForecast."""
        return self._describe(KINDS["Forecast"], params, region)

    def list_forecasts(self, params: Params, region: str) -> Page:
        """ListForecasts."""
        return self._list(KINDS["Forecast"], params, region)

    def delete_forecast(self, params: Params, region: str) -> None:
        """DeleteForecast."""
        self._delete(KINDS["Forecast"], params, region)

    def create_explainability(self, params: Params, region: str) -> Resource:
        """CreateExplainability (of a predictor or a forecast)."""
        return self._create(KINDS["Explainability"], params, region)

    def describe_explainability(self, params: Params, region: str) -> Resource:
        """DescribeExplainability."""
        return self._describe(KINDS["Explainability"], params, region)

    def list_explainabilities(self, params: Params, region: str) -> Page:
        """ListExplainabilities."""
        return self._list(KINDS["Explainability"], params, region)

    def delete_explainability(self, params: Params, region: str) -> None:
        """DeleteExplainability."""
        self._delete(KINDS["Explainability"], params, region)

    def create_what_if_analysis(self, params: Params, region: str) -> Resource:
        """CreateWhatIfAnalysis."""
        return self._create(KINDS["WhatIfAnalysis"], params, region)

    def describe_what_if_analysis(self, params: Params, region: str) -> Resource:
        """DescribeWhatIfAnalysis."""
        return self._describe(KINDS["WhatIfAnalysis"], params, region)

    def list_what_if_analyses(self, params: Params, region: str) -> Page:
        """ListWhatIfAnalyses."""
        return self._list(KINDS["WhatIfAnalysis"], params, region)

    def delete_what_if_analysis(self, params: Params, region: str) -> None:
        """DeleteWhatIfAnalysis."""
        self._delete(KINDS["WhatIfAnalysis"], params, region)

    def create_what_if_forecast(self, params: Params, region: str) -> Resource:
        """CreateWhatIfForecast."""
        return self._create(KINDS["WhatIfForecast"], params, region)

    def describe_what_if_forecast(self, params: Params, region: str) -> Resource:
        """DescribeWhatIfForecast."""
        return self._describe(KINDS["WhatIfForecast"], params, region)

    def list_what_if_forecasts(self, params: Params, region: str) -> Page:
        """ListWhatIfForecasts."""
        return self._list(KINDS["WhatIfForecast"], params, region)

    def delete_what_if_forecast(self, params: Params, region: str) -> None:
        """DeleteWhatIfForecast."""
        self._delete(KINDS["WhatIfForecast"], params, region)

    # --- Export jobs -------------------------------------------------------------------------------

    def create_forecast_export_job(self, params: Params, region: str) -> Resource:
        """CreateForecastExportJob."""
        return self._create(KINDS["ForecastExportJob"], params, region)

    def describe_forecast_export_job(self, params: Params, region: str) -> Resource:
        """DescribeForecastExportJob."""
        return self._describe(KINDS["ForecastExportJob"], params, region)

    def list_forecast_export_jobs(self, params: Params, region: str) -> Page:
        """ListForecastExportJobs."""
        return self._list(KINDS["ForecastExportJob"], params, region)

    def delete_forecast_export_job(self, params: Params, region: str) -> None:
        """DeleteForecastExportJob."""
        self._delete(KINDS["ForecastExportJob"], params, region)

    def create_predictor_backtest_export_job(self, params: Params, region: str) -> Resource:
        """CreatePredictorBacktestExportJob."""
        return self._create(KINDS["PredictorBacktestExportJob"], params, region)

    def describe_predictor_backtest_export_job(self, params: Params, region: str) -> Resource:
        """DescribePredictorBacktestExportJob."""
        return self._describe(KINDS["PredictorBacktestExportJob"], params, region)

    def list_predictor_backtest_export_jobs(self, params: Params, region: str) -> Page:
        """ListPredictorBacktestExportJobs."""
        return self._list(KINDS["PredictorBacktestExportJob"], params, region)

    def delete_predictor_backtest_export_job(self, params: Params, region: str) -> None:
        """DeletePredictorBacktestExportJob."""
        self._delete(KINDS["PredictorBacktestExportJob"], params, region)

    def create_explainability_export(self, params: Params, region: str) -> Resource:
        """CreateExplainabilityExport."""
        return self._create(KINDS["ExplainabilityExport"], params, region)

    def describe_explainability_export(self, params: Params, region: str) -> Resource:
        """DescribeExplainabilityExport."""
        return self._describe(KINDS["ExplainabilityExport"], params, region)

    def list_explainability_exports(self, params: Params, region: str) -> Page:
        """ListExplainabilityExports."""
        return self._list(KINDS["ExplainabilityExport"], params, region)

    def delete_explainability_export(self, params: Params, region: str) -> None:
        """DeleteExplainabilityExport."""
        self._delete(KINDS["ExplainabilityExport"], params, region)

    def create_what_if_forecast_export(self, params: Params, region: str) -> Resource:
        """CreateWhatIfForecastExport (of 1 to 50 what-if forecasts)."""
        return self._create(KINDS["WhatIfForecastExport"], params, region)

    def describe_what_if_forecast_export(self, params: Params, region: str) -> Resource:
        """DescribeWhatIfForecastExport."""
        return self._describe(KINDS["WhatIfForecastExport"], params, region)

    def list_what_if_forecast_exports(self, params: Params, region: str) -> Page:
        """ListWhatIfForecastExports."""
        return self._list(KINDS["WhatIfForecastExport"], params, region)

    def delete_what_if_forecast_export(self, params: Params, region: str) -> None:
        """DeleteWhatIfForecastExport."""
        self._delete(KINDS["WhatIfForecastExport"], params, region)

    # --- Any resource ------------------------------------------------------------------------------

    def stop_resource(self, params: Params, region: str) -> None:
        """StopResource: CREATE_STOPPING, then CREATE_STOPPED for good."""
        resource = self._find(str(params["ResourceArn"]), region)
        kind = resource.spec
        if kind.noun not in STOP_RESOURCE_KINDS:
            *others, last = (snake(KINDS[noun].plural).replace("_", " ") for noun in STOP_RESOURCE_KINDS)
            stoppable = f"{', '.join(others)} and {last}"
            raise InvalidInputException(
                f"StopResource does not apply to {kind.a_label} ({resource.arn}); it stops {stoppable}."
            )
        if resource.status not in CREATING:
            raise InvalidInputException(
                f"The {kind.label} {resource.arn} cannot be stopped: its status is {resource.status}. "
                f"Only a resource in {CREATE_PENDING} or {CREATE_IN_PROGRESS} can be stopped."
            )
        resource.status, resource.phase_started = CREATE_STOPPING, self.now()
        self.state.store.save(resource)

    def delete_resource_tree(self, params: Params, region: str) -> None:
        """DeleteResourceTree: the resource and every descendant, all deleted from now on.

        Refused while any of them is being created or stopped; a resource already being deleted is
        left to finish (asking again is not an error)."""
        resource = self._find(str(params["ResourceArn"]), region)
        kind = resource.spec
        if not has_tree(kind):
            raise InvalidInputException(
                f"DeleteResourceTree does not apply to {kind.a_label} ({resource.arn}), which has no "
                f"child resources; delete it with {kind.delete_operation}."
            )
        if resource.status in DELETING:
            return
        if resource.status not in DELETABLE:
            raise ResourceInUseException(
                f"The {kind.label} {resource.arn} cannot be deleted while its status is {resource.status}."
            )
        tree = descendants(self.state.store, resource, EXISTING)
        for member in tree:
            if member.status in RUNNING:
                raise ResourceInUseException(
                    f"The {kind.label} {resource.arn} cannot be deleted while its {member.spec.label} "
                    f"{member.arn} is {member.status}."
                )
        now = self.now()
        for arn in [resource.arn, *(member.arn for member in tree if member.status not in DELETING)]:
            found = self.state.store.get(arn)
            assert found is not None
            found.status, found.phase_started = DELETE_PENDING, now
            self.state.store.save(found)

    def tag_resource(self, params: Params, region: str) -> None:
        """TagResource: add tags, replacing the values of keys already there."""
        resource = self._find(str(params["ResourceArn"]), region)
        merged = _merge_tags(resource.tags, params["Tags"])
        if len(merged) > MAX_TAGS_PER_RESOURCE:
            raise LimitExceededException(
                f"The {resource.spec.label} {resource.arn} would have {len(merged)} tags; "
                f"a resource can have at most {MAX_TAGS_PER_RESOURCE} tags."
            )
        resource.tags = merged
        self.state.store.save(resource)

    def untag_resource(self, params: Params, region: str) -> None:
        """UntagResource."""
        resource = self._find(str(params["ResourceArn"]), region)
        removed = set(params["TagKeys"])
        resource.tags = [tag for tag in resource.tags if tag["Key"] not in removed]
        self.state.store.save(resource)

    def list_tags_for_resource(self, params: Params, region: str) -> Tags:
        """ListTagsForResource."""
        return copy.deepcopy(self._find(str(params["ResourceArn"]), region).tags)

    # --- When creation ends (called by the lifecycle engine) ---------------------------------------

    def _start_creation(self, resource: Resource, at: float) -> None:
        """`resource`'s work starts: an export checks its destination, leaving `_CHECK` there."""
        if resource.behaviour.writer is not None:
            write_check(resource, self.state.settings.check_role_policies)

    def _finish_creation(self, resource: Resource, at: float) -> None:
        """`resource` is done being created at `at`: it stays ACTIVE, or ends CREATE_FAILED saying why.

        An injected failure (`fail_jobs`) wins; an export then does with its destination what
        Forecast does and writes its files, named with the moment `at`, or fails and writes none."""
        failure = resource.fail_message
        writer = resource.behaviour.writer
        if failure is None and writer is not None:
            check_policies = self.state.settings.check_role_policies
            failure = write_export(
                resource,
                writer,
                at,
                self.state.store.get,
                check_policies,
                series.of(self.state.store, resource),
            )
        if failure is not None:
            resource.status, resource.message = CREATE_FAILED, failure

    # --- The shared rules --------------------------------------------------------------------------

    def _create(
        self, kind: ResourceKind, params: Params, region: str, operation: str | None = None
    ) -> Resource:
        """Parents exist and are ACTIVE, the kind's own rules, a unique ARN, the export quota, tags."""
        behaviour = BEHAVIOUR[kind.noun]
        name = str(params[kind.name_member])
        doc = _document(kind, behaviour, operation or kind.create_operation, params)
        parents = self._parents(kind, behaviour, doc, params, region)
        if parents:
            for target, source in behaviour.inherit.items():
                if doc.get(target) is None and parents[0].doc.get(source) is not None:
                    doc[target] = copy.deepcopy(parents[0].doc[source])
        for target, value in behaviour.defaults.items():
            if doc.get(target) is None:
                doc[target] = copy.deepcopy(value)
        if behaviour.dataset_list_field is not None:
            self._require_datasets(doc[behaviour.dataset_list_field], region)

        parent_name = parents[0].name if parents else None
        now = self.now()
        arn_name = name
        if behaviour.variant(operation or kind.create_operation).arn_has_id:
            arn_name = f"{name}_{resource_id(name, self.account, region, now)}"
        arn = kind.arn(moto_bridge.partition_of(region), region, self.account, arn_name, parent_name)
        existing = self.state.store.get(arn)
        if existing is None and not kind.arn_has_parent_name:  # names are unique, whatever the ARN
            existing = self.state.store.named(kind.noun, self.account, region, name)
        if existing is not None:
            raise ResourceAlreadyExistsException(
                f"{kind.a_label.capitalize()} already exists with the arn: {existing.arn}"
            )
        for parent in parents:
            if parent.kind in behaviour.one_per_parent:
                for sibling in self.state.store.children(parent.arn, _LIVE):
                    if sibling.kind == kind.noun:
                        raise ResourceAlreadyExistsException(
                            f"The {parent.spec.label} {parent.arn} already has {kind.a_label}, "
                            f"{sibling.arn}; it can have only one."
                        )
        require_room(self.state.store, self.state.settings, kind, self.account, region)
        self._require_assumable_role(doc, region)
        resource = Resource(
            arn=arn,
            kind=kind.noun,
            name=name,
            account=self.account,
            region=region,
            parent_arn=parents[0].arn if parents else None,
            status=CREATE_PENDING,
            created=now,
            phase_started=now,
            modified=now,
            doc=doc,
            tags=_merge_tags([], params.get("Tags") or []),
            fail_message=self.faults.planned_failure(name),
        )
        self.state.store.insert(resource)
        return resource

    def _require_assumable_role(self, doc: Json, region: str) -> None:
        """IAM propagation: a role created less than `iam_propagation_seconds` ago cannot be assumed yet.

        Forecast assumes the role of a new import or export while creating it, so the Create is
        refused (see emulator/README.md, "Realism"). Roles that do not exist are left to the job."""
        seconds = self.state.settings.iam_propagation_seconds
        s3_config = (doc.get("Destination") or doc.get("DataSource") or {}).get("S3Config") or {}
        role_arn = s3_config.get("RoleArn")
        if seconds <= 0 or not role_arn:
            return
        role = moto_bridge.role(self.account, region, str(role_arn))
        if role is None or self.now() - self.state.emulator_time(role.created) >= seconds:
            return
        raise InvalidInputException(
            f"{CANNOT_ASSUME} {role_arn}: the role cannot be assumed yet, as changes to IAM take "
            "time to propagate. Try again in a few seconds."
        )

    def _parents(
        self, kind: ResourceKind, behaviour: Behaviour, doc: Json, params: Params, region: str
    ) -> list[Resource]:
        """The resources the new one is made from: each must exist, be ACTIVE, and suit the kind."""
        if kind.parent_member is None:
            return []
        value = doc[kind.parent_member]
        parents = [
            self._find(str(arn), region, *(KINDS[noun] for noun in kind.parent_nouns), settled_only=False)
            for arn in (value if isinstance(value, list) else [value])
        ]
        for parent in parents:
            if parent.status != ACTIVE:
                raise ResourceInUseException(
                    f"The {parent.spec.label} {parent.arn} must be ACTIVE to create {kind.a_label} "
                    f"from it; its status is {parent.status}."
                )
            if behaviour.auto_predictor_only and not (
                parent.doc.get("IsAutoPredictor") or parent.doc.get("CreatedUsingAutoPredictor")
            ):
                raise InvalidInputException(
                    f"{kind.a_label.capitalize()} needs a {parent.spec.label} created with "
                    f"CreateAutoPredictor; {parent.arn} was not."
                )
            for path, required in behaviour.parent_requires.get(parent.kind, {}).items():
                if _dig(params, path) != required:
                    raise InvalidInputException(
                        f"{kind.a_label.capitalize()} of {parent.spec.a_label} needs "
                        f"{'.'.join(path)} set to {required}."
                    )
        return parents

    def _describe(self, kind: ResourceKind, params: Params, region: str) -> Resource:
        return self._find(str(params[kind.arn_member]), region, kind)

    def _list(self, kind: ResourceKind, params: Params, region: str) -> Page:
        """Newest first; Filters (IS / IS_NOT), MaxResults, NextToken tied to the filters."""
        filters: Sequence[Mapping[str, str]] = params.get("Filters") or []
        for spec in filters:
            if spec["Key"] not in kind.filters:
                raise InvalidInputException(
                    f"Invalid filter key '{spec['Key']}' for {kind.list_operation}; "
                    f"valid keys are {' and '.join(kind.filters)}."
                )
        query = json.dumps([kind.list_operation, filters], sort_keys=True)
        query = hashlib.sha256(query.encode()).hexdigest()[:16]
        behaviour = BEHAVIOUR[kind.noun]
        token = params.get("NextToken")
        after = read_token(str(token), query) if token is not None else None
        if token is not None and after is None:
            raise InvalidNextTokenException("The NextToken is not valid. Tokens expire after 24 hours.")
        limit = int(params.get("MaxResults") or 100)
        matching = (
            r
            for r in self.state.store.of_kind(kind.noun, self.account, region, after)
            if _matches(r, behaviour, filters) and self._visible(r)
        )
        resources = list(itertools.islice(matching, limit + 1))  # one more: is there a next page?
        page = resources[:limit]
        return Page(page, make_token(page[-1], query) if len(resources) > limit else None)

    def _delete(self, kind: ResourceKind, params: Params, region: str) -> None:
        """Only settled resources without children ("If a resource has child resources, you must
        delete the entire resource tree", developer guide, delete-resource.md). Asking again while
        it is being deleted is accepted and changes nothing: AWS's samples call Delete until NotFound."""
        resource = self._find(str(params[kind.arn_member]), region, kind)
        if resource.status in DELETING:
            return
        if resource.status not in DELETABLE:
            allowed = ", ".join(sorted(DELETABLE))
            raise ResourceInUseException(
                f"The {kind.label} {resource.arn} cannot be deleted while its status is {resource.status}; "
                f"it can be deleted when its status is one of {allowed}."
            )
        children = self.state.store.children(resource.arn, EXISTING)
        for child in sorted(children, key=lambda child: child.status not in RUNNING)[:1]:  # busy first
            raise ResourceInUseException(
                f"The {kind.label} {resource.arn} cannot be deleted while it has child resources: "
                f"its {child.spec.label} {child.arn} is {child.status}. Delete the child resources "
                "first, or the whole tree with DeleteResourceTree."
            )
        resource.status, resource.phase_started = DELETE_PENDING, self.now()
        self.state.store.save(resource)

    def _find(self, arn: str, region: str, *kinds: ResourceKind, settled_only: bool = True) -> Resource:
        """The resource `arn` names, in this account and region, of one of `kinds` if any are given.

        With `settled_only` (the operations on the resource itself), one created too recently to be
        seen under `consistency_seconds` is not found either; parents are looked up without it."""
        parts = parse_arn(arn)
        resource = None
        if parts is not None and parts["region"] == region and parts["account"] == self.account:
            found_kind = BY_ARN_TYPE.get(parts["resource"].split("/", 1)[0])
            if found_kind is not None and (not kinds or found_kind in kinds):
                resource = self.state.store.get(arn)
        if resource is not None and settled_only and not self._visible(resource):
            resource = None
        if resource is None:
            label = " or ".join(kind.label for kind in kinds) if kinds else "resource"
            raise ResourceNotFoundException(f"No {label} found with the arn: {arn}")
        return resource

    def _visible(self, resource: Resource) -> bool:
        """Whether reads see `resource` yet: read-after-create eventual consistency.

        Each resource stays unseen for a share of `consistency_seconds` after its creation, drawn
        from [0, 1) by `Faults.fraction` (fixed by the seed and its ARN)."""
        window = self.state.settings.consistency_seconds
        if window <= 0:
            return True
        return self.now() >= resource.created + window * self.faults.fraction(resource.arn)

    def _require_datasets(self, arns: Sequence[str], region: str) -> None:
        missing = []
        for arn in arns:
            try:
                self._find(arn, region, KINDS["Dataset"], settled_only=False)
            except ResourceNotFoundException:
                missing.append(arn)
        if missing:
            raise InvalidInputException(f"Dataset arns: [{', '.join(missing)}] are not found")


def _document(kind: ResourceKind, behaviour: Behaviour, operation: str, params: Params) -> Json:
    """The new resource's document: the request's members (tags aside), its aliases and extras."""
    variant = behaviour.variant(operation)
    for member in variant.unsupported:
        if params.get(member) is not None:
            raise InvalidInputException(f"The Forecast emulator does not support {member} in {operation}.")
    missing = [member for member in variant.requires if params.get(member) is None]
    if missing:
        raise InvalidInputException(f"{operation} needs {', '.join(missing)} to create a new {kind.label}.")
    shape = operation_model(operation).input_shape
    members = set(shape.members) if shape is not None else set()
    doc = {key: copy.deepcopy(value) for key, value in params.items() if key in members and key != "Tags"}
    for target, path in variant.aliases.items():
        value = _dig(params, path)
        if value is not None:
            doc[target] = copy.deepcopy(value)
    doc.update(variant.extras)
    return doc


def _filter_values(resource: Resource, behaviour: Behaviour, key: str) -> list[Any]:
    """What a filter on `key` compares with: the status, document members, or the resource's ARN."""
    if key == "Status":
        return [resource.status]
    values: list[Any] = []
    for source in behaviour.filter_fields.get(key, (key,)):
        value = resource.arn if source == OWN_ARN else resource.doc.get(source)
        values.extend(value if isinstance(value, list) else [value])
    return values


def _matches(resource: Resource, behaviour: Behaviour, filters: Sequence[Mapping[str, str]]) -> bool:
    for spec in filters:
        found = spec["Value"] in _filter_values(resource, behaviour, spec["Key"])
        if found != (spec["Condition"] == "IS"):
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
