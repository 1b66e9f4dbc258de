"""One e2e test's Forecast world: its parents, bucket and role, clients, and stacks wired to them.

Everything per kind comes from the catalogue (`pulumi_aws_forecast.catalog`): the export kinds,
the parent each takes, the List/Describe/Delete calls and their members.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from forecast_emulator import Emulator
from forecast_emulator.seed import Seeded
from pulumi_aws_forecast.catalog import EXPORT_KINDS, ResourceKind, snake
from pulumi_aws_forecast.catalog import KINDS as CATALOGUE
from tests.conftest import StackFactory
from tests.e2e import acceptance
from tests.e2e.program import PROGRAM
from tests.harness import PulumiStack

#: The export kinds, as the README lists them.
KINDS = tuple(kind.noun for kind in EXPORT_KINDS)
JOB_SECONDS = 1.0
#: AWS as it really behaves, on for the whole suite (issue 10): a new job may be invisible to
#: Describe/List/ListTags for up to this long after its Create returned ...
CONSISTENCY_SECONDS = 5.0
#: ... and a role cannot be assumed by Forecast until this long after it was created.
IAM_PROPAGATION_SECONDS = 10.0
REALISM: dict[str, Any] = {
    "consistency_seconds": CONSISTENCY_SECONDS,
    "iam_propagation_seconds": IAM_PROPAGATION_SECONDS,
}


def seed(emulator: Emulator, *, bucket: str, prefix: str, role_name: str) -> Seeded:
    """A bucket, a role and ACTIVE parents of every export kind, made the way a user's are: long
    before the stack that exports them. They are seeded with realism off, then the emulator's clock
    ages the new role past IAM's propagation; the emulator is left with realism on."""
    emulator.configure(
        job_seconds=JOB_SECONDS,
        export_quota=3,
        throttle_rps=0,
        error_rate=0,
        consistency_seconds=0,
        iam_propagation_seconds=0,
    )
    emulator.clear_failures()
    seeded = emulator.seed(bucket=bucket, prefix=prefix, role_name=role_name)
    emulator.configure(**REALISM)
    emulator.advance_clock(IAM_PROPAGATION_SECONDS)
    return seeded


def seeded_parent(kind: ResourceKind) -> str:
    """The `Seeded` field holding a parent of `kind`: forecast_arn, ..., what_if_forecast_arn."""
    return kind.parent_property.removesuffix("s")


@dataclass
class World:
    """One test's Forecast parents, bucket and role (in the emulator, or an AWS account), and stacks."""

    target: Emulator | None  # None: the AWS account in the environment (make acceptance)
    seeded: Seeded | acceptance.Account
    make_stack: StackFactory
    prefix: str

    @property
    def emulator(self) -> Emulator:
        """The emulator's controls, for tests marked `emulator` (never run against AWS)."""
        assert self.target is not None, "this test steers the emulator: mark it @pytest.mark.emulator"
        return self.target

    def reset_calls(self) -> None:
        if self.target is not None:
            self.target.reset_counters()

    def calls(self) -> dict[str, int] | None:
        """Forecast API calls since reset_calls(), per operation; None on AWS (not observable)."""
        return self.target.counters() if self.target is not None else None

    def client(self, service: str) -> Any:
        if self.target is not None:
            return self.target.client(service, region_name=self.seeded.region)
        return boto3.client(service, region_name=self.seeded.region)  # type: ignore[call-overload]

    @property
    def env(self) -> dict[str, str]:
        if self.target is None:
            return {"AWS_DEFAULT_REGION": self.seeded.region}
        return {
            "AWS_ENDPOINT_URL": self.target.endpoint_url,
            "AWS_ACCESS_KEY_ID": "AKIAEMULATOREXAMPLE1",
            "AWS_SECRET_ACCESS_KEY": "emulator-secret-key-example",
            "AWS_DEFAULT_REGION": self.seeded.region,
            "PULUMI_AWS_FORECAST_POLL_MIN_SECONDS": "0.1",
        }

    def parent(self, kind: str) -> str | list[str]:
        """The parent input of `kind` in this world (a list for what-if forecast exports)."""
        field = seeded_parent(CATALOGUE[kind])
        arn: str = getattr(self.seeded, field)
        if not arn:
            pytest.skip(f"no {field} for {kind} in this acceptance run (see tests/e2e/acceptance.py)")
        return [arn] if CATALOGUE[kind].parent_is_list else arn

    def path(self, suffix: str = "") -> str:
        return f"s3://{self.seeded.bucket}/{self.prefix}/out/{suffix}"

    def stack(
        self, kind: str = "ForecastExportJob", *, stack_name: str = "test", **config: Any
    ) -> PulumiStack:
        settings = {
            "kind": kind,
            "parentArn": self.parent(kind),
            "path": self.path(),
            "roleArn": self.seeded.role_arn,
            **config,
        }
        return self.make_stack(
            PROGRAM, stack=stack_name, env=self.env, config={k: text(v) for k, v in settings.items()}
        )

    @property
    def forecast(self) -> Any:
        return self.client("forecast")

    @property
    def s3(self) -> Any:
        return self.client("s3")

    def jobs(self, kind: str) -> list[dict[str, Any]]:
        """The export jobs of `kind` under this world's parent, as ListXxx returns them."""
        spec = CATALOGUE[kind]
        paginator = self.forecast.get_paginator(snake(spec.list_operation))
        parent = self.parent(kind)
        if isinstance(parent, list):  # summaries carry the list; the List filter takes one ARN
            pages = paginator.paginate()
            return [job for page in pages for job in page[spec.plural] if job[spec.parent_member] == parent]
        key = spec.parent_filter  # the filter on the parent (ForecastArn, ..., ResourceArn)
        pages = paginator.paginate(Filters=[{"Key": key, "Condition": "IS", "Value": parent}])
        return [job for page in pages for job in page[spec.plural]]

    def describe(self, kind: str, arn: str) -> dict[str, Any]:
        """Describe<Kind>, looking again while a new job is not visible yet."""
        spec = CATALOGUE[kind]
        describe = getattr(self.forecast, snake(spec.describe_operation))
        return dict(self.eventually(lambda: describe(**{spec.arn_member: arn})))

    def eventually(self, read: Callable[[], Any]) -> Any:
        """`read()`, again while it answers ResourceNotFound within the consistency window."""
        deadline = time.monotonic() + CONSISTENCY_SECONDS + 5
        while True:
            try:
                return read()
            except self.forecast.exceptions.ResourceNotFoundException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def jobs_named(self, kind: str, name: str) -> list[dict[str, Any]]:
        """The export jobs of `kind` called `name`, whatever their parents."""
        spec = CATALOGUE[kind]
        pages = self.forecast.get_paginator(snake(spec.list_operation)).paginate()
        return [job for page in pages for job in page[spec.plural] if job[spec.name_member] == name]

    def delete(self, kind: str, arn: str) -> None:
        """Delete a job behind the stack's back."""
        spec = CATALOGUE[kind]
        getattr(self.forecast, snake(spec.delete_operation))(**{spec.arn_member: arn})

    def what_if_forecast(self, name: str) -> str:
        """Another ACTIVE what-if forecast in this world's what-if analysis (emulator only)."""
        assert isinstance(self.seeded, Seeded), "mark the test @pytest.mark.emulator"
        arn = str(
            self.forecast.create_what_if_forecast(
                WhatIfForecastName=f"{self.prefix}_{name}", WhatIfAnalysisArn=self.seeded.what_if_analysis_arn
            )["WhatIfForecastArn"]
        )
        deadline = time.monotonic() + 30
        describe = self.forecast.describe_what_if_forecast
        while self.eventually(lambda: describe(WhatIfForecastArn=arn))["Status"] != "ACTIVE":
            assert time.monotonic() < deadline, f"{arn} did not become ACTIVE"
            time.sleep(0.05)
        return arn

    def tags(self, arn: str) -> dict[str, str]:
        listed = self.eventually(lambda: self.forecast.list_tags_for_resource(ResourceArn=arn))
        return {t["Key"]: t["Value"] for t in listed["Tags"]}

    def s3_keys(self, prefix: str = "") -> list[str]:
        listed = self.s3.list_objects_v2(Bucket=self.seeded.bucket, Prefix=f"{self.prefix}/out/{prefix}")
        return sorted(obj["Key"] for obj in listed.get("Contents", []))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def text(value: Any) -> str:
    """A stack config value: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def destroy_and_check(world: World, *stacks: PulumiStack) -> None:
    """The destroy check: after `pulumi destroy`, the emulator has no export job of ours."""
    for stack in stacks:
        stack.destroy()
        assert stack.resources() == []
    for kind in KINDS:
        assert world.jobs(kind) == [], f"{kind} jobs left behind"
