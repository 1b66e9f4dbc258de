"""What every export kind does alike, written once and run for each export kind of the catalogue:
names and the quota of exports in progress, StopResource, deletes, and the guard that keeps a
parent while an export of it runs.

Time is moved with the emulator's clock (`advance_clock`), never by sleeping.
"""

from __future__ import annotations

import pytest
from mypy_boto3_forecast import ForecastServiceClient

from forecast_emulator import Emulator, Seeded
from forecast_emulator.kinds import STOP_RESOURCE_KINDS
from forecast_emulator.quotas import quota_name
from pulumi_aws_forecast.catalog import EXPORT_KINDS, KINDS, ResourceKind
from tests.emulator.support import (
    JOB_SECONDS,
    SETTLE_SECONDS,
    create_job,
    delete,
    describe,
    error_of,
    parent_arn,
    status,
)


def held_by(
    parent: ResourceKind, parent_of: str, kind: ResourceKind, arn: str, status: str
) -> tuple[str, str]:
    """The refusal to delete `parent_of` alone while its child `arn` exists."""
    return (
        "ResourceInUseException",
        f"The {parent.label} {parent_of} cannot be deleted while it has child resources: its "
        f"{kind.label} {arn} is {status}. Delete the child resources first, or the whole tree with "
        "DeleteResourceTree.",
    )


every_export_kind = pytest.mark.parametrize("kind", EXPORT_KINDS, ids=lambda kind: kind.noun)
#: The export kinds StopResource applies to (not what-if forecast exports).
stoppable_export_kind = pytest.mark.parametrize(
    "kind", [kind for kind in EXPORT_KINDS if kind.noun in STOP_RESOURCE_KINDS], ids=lambda kind: kind.noun
)


@every_export_kind
def test_names_are_taken_and_at_most_three_of_a_kind_run_at_once(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, kind: ResourceKind
) -> None:
    arns = [create_job(forecast, kind, parents, f"job_{i}") for i in range(3)]
    assert error_of(lambda: create_job(forecast, kind, parents, "job_1", path="elsewhere/")) == (
        "ResourceAlreadyExistsException",
        f"{kind.a_label.capitalize()} already exists with the arn: {arns[1]}",
    )
    # The wording of AWS's solution's tests (IFA source/tests/test_helpers.py): "concurrently".
    assert error_of(lambda: create_job(forecast, kind, parents, "fourth")) == (
        "LimitExceededException",
        f"Quota limit of 3 concurrently creating {quota_name(kind)} has been reached",
    )
    # Each export kind has a quota of its own.
    for other in EXPORT_KINDS:
        if other != kind:
            create_job(forecast, other, parents, "other_kind")

    if kind.noun in STOP_RESOURCE_KINDS:
        forecast.stop_resource(ResourceArn=arns[0])  # a stopping job still counts
        assert error_of(lambda: create_job(forecast, kind, parents, "fourth"))[0] == "LimitExceededException"
        emu.advance_clock(SETTLE_SECONDS)  # CREATE_STOPPED: no longer in progress
    else:  # what-if exports cannot be stopped: they all finish, and two more take their places
        emu.advance_clock(JOB_SECONDS)
        create_job(forecast, kind, parents, "again_1")
        create_job(forecast, kind, parents, "again_2")
    create_job(forecast, kind, parents, "fourth")

    emu.configure(export_quota=5)
    create_job(forecast, kind, parents, "fifth")
    create_job(forecast, kind, parents, "sixth")
    assert error_of(lambda: create_job(forecast, kind, parents, "seventh"))[0] == "LimitExceededException"
    emu.configure(job_seconds=0)  # they all finish
    create_job(forecast, kind, parents, "seventh")


@every_export_kind
def test_the_count_quota_refuses_for_good_until_jobs_are_deleted(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, kind: ResourceKind
) -> None:
    emu.configure(total_quota=2, job_seconds=0)
    emu.fail_jobs("failed", "Injected failure", times=1)
    first = create_job(forecast, kind, parents, "first")
    failed = create_job(forecast, kind, parents, "failed")
    # Finished jobs count, failed ones too.
    assert (status(forecast, kind, first), status(forecast, kind, failed)) == ("ACTIVE", "CREATE_FAILED")
    refused = (
        "LimitExceededException",
        f"Quota limit of 2 of total number of {quota_name(kind)} has been reached",
    )
    assert error_of(lambda: create_job(forecast, kind, parents, "third")) == refused
    emu.configure(export_quota=0)  # both quotas reached: the count quota is the one reported
    assert error_of(lambda: create_job(forecast, kind, parents, "third")) == refused
    emu.configure(export_quota=3)
    delete(forecast, kind, failed)
    assert error_of(lambda: create_job(forecast, kind, parents, "third")) == refused  # still deleting
    emu.advance_clock(SETTLE_SECONDS)
    create_job(forecast, kind, parents, "third")


def test_quota_names_follow_the_recorded_forecast_exports() -> None:
    assert [quota_name(kind) for kind in EXPORT_KINDS] == [
        "forecast exports",
        "predictor backtest exports",
        "explainability exports",
        "what-if forecast exports",
    ]


def test_a_what_if_export_cannot_be_stopped(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    kind = KINDS["WhatIfForecastExport"]
    arn = create_job(forecast, kind, parents, "unstoppable")
    code, message = error_of(lambda: forecast.stop_resource(ResourceArn=arn))
    assert (
        code,
        message.startswith(f"StopResource does not apply to a what-if forecast export ({arn})"),
    ) == (
        "InvalidInputException",
        True,
    )
    assert status(forecast, kind, arn) == "CREATE_PENDING"


@stoppable_export_kind
def test_a_running_export_holds_its_parent_and_is_stopped_for_good(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, kind: ResourceKind
) -> None:
    parent, parent_of = KINDS[kind.parent_nouns[0]], parent_arn(kind, parents)
    arn = create_job(forecast, kind, parents, "held")
    assert error_of(lambda: delete(forecast, kind, arn)) == (
        "ResourceInUseException",
        f"The {kind.label} {arn} cannot be deleted while its status is CREATE_PENDING; "
        "it can be deleted when its status is one of ACTIVE, CREATE_FAILED, CREATE_STOPPED.",
    )
    assert error_of(lambda: delete(forecast, parent, parent_of)) == held_by(
        parent, parent_of, kind, arn, "CREATE_PENDING"
    )

    forecast.stop_resource(ResourceArn=arn)
    assert status(forecast, kind, arn) == "CREATE_STOPPING"
    assert error_of(lambda: delete(forecast, parent, parent_of)) == held_by(
        parent, parent_of, kind, arn, "CREATE_STOPPING"
    )
    assert error_of(lambda: forecast.delete_resource_tree(ResourceArn=parent_of)) == (
        "ResourceInUseException",
        f"The {parent.label} {parent_of} cannot be deleted while its {kind.label} {arn} is CREATE_STOPPING.",
    )
    emu.advance_clock(SETTLE_SECONDS)
    stopped = describe(forecast, kind, arn)
    assert stopped["Status"] == "CREATE_STOPPED"
    emu.advance_clock(2 * JOB_SECONDS)  # long past when it would have finished
    later = describe(forecast, kind, arn)
    assert later["Status"] == "CREATE_STOPPED"
    assert later["LastModificationTime"] == stopped["LastModificationTime"]
    assert error_of(lambda: forecast.stop_resource(ResourceArn=arn)) == (
        "InvalidInputException",
        f"The {kind.label} {arn} cannot be stopped: its status is CREATE_STOPPED. "
        "Only a resource in CREATE_PENDING or CREATE_IN_PROGRESS can be stopped.",
    )

    delete(forecast, kind, arn)  # a stopped job can be deleted
    assert status(forecast, kind, arn) == "DELETE_PENDING"
    emu.advance_clock(SETTLE_SECONDS)
    assert error_of(lambda: describe(forecast, kind, arn)) == (
        "ResourceNotFoundException",
        f"No {kind.label} found with the arn: {arn}",
    )
    # Nothing of it runs now; its other children (the seeded ones) go with it in its tree.
    forecast.delete_resource_tree(ResourceArn=parent_of)
    assert status(forecast, parent, parent_of) == "DELETE_PENDING"


@every_export_kind
def test_a_finished_export_is_deleted_and_keeps_its_name_until_it_is_gone(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, kind: ResourceKind
) -> None:
    arn = create_job(forecast, kind, parents, "deleted")
    emu.advance_clock(JOB_SECONDS)
    assert status(forecast, kind, arn) == "ACTIVE"
    delete(forecast, kind, arn)
    assert status(forecast, kind, arn) == "DELETE_PENDING"
    delete(forecast, kind, arn)  # asking again while it is being deleted is accepted
    emu.advance_clock(0.2 * SETTLE_SECONDS)
    assert status(forecast, kind, arn) == "DELETE_IN_PROGRESS"
    # The name is still taken until the job is gone.
    assert error_of(lambda: create_job(forecast, kind, parents, "deleted")) == (
        "ResourceAlreadyExistsException",
        f"{kind.a_label.capitalize()} already exists with the arn: {arn}",
    )

    emu.advance_clock(SETTLE_SECONDS)
    assert error_of(lambda: describe(forecast, kind, arn)) == (
        "ResourceNotFoundException",
        f"No {kind.label} found with the arn: {arn}",
    )
    assert error_of(lambda: delete(forecast, kind, arn))[0] == "ResourceNotFoundException"
    assert create_job(forecast, kind, parents, "deleted") == arn

    # A finished export holds its parent too: "If a resource has child resources, you must delete
    # the entire resource tree" (developer guide, delete-resource.md).
    emu.advance_clock(JOB_SECONDS)
    parent, parent_of = KINDS[kind.parent_nouns[0]], parent_arn(kind, parents)
    code, message = error_of(lambda: delete(forecast, parent, parent_of))
    assert code == "ResourceInUseException"
    assert message.startswith(
        f"The {parent.label} {parent_of} cannot be deleted while it has child resources"
    )
    forecast.delete_resource_tree(ResourceArn=parent_of)
    assert (status(forecast, parent, parent_of), status(forecast, kind, arn)) == ("DELETE_PENDING",) * 2
    emu.advance_clock(SETTLE_SECONDS)
    assert error_of(lambda: describe(forecast, kind, arn))[0] == "ResourceNotFoundException"
    assert error_of(lambda: describe(forecast, parent, parent_of))[0] == "ResourceNotFoundException"
