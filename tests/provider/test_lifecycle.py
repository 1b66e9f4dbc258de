"""The export lifecycle against the emulator: create, adopt, wait, retry, fail, read, delete.

Each test calls `ExportLifecycle` as the dynamic provider does, with the checked inputs the
engine would pass, and asserts what the user reads (the exact messages) and what AWS is left with.
"""

from __future__ import annotations

import logging
import re

import pytest

from pulumi_aws_forecast._aws import ForecastError, Timeout
from pulumi_aws_forecast._lifecycle import Timeouts
from pulumi_aws_forecast._plan import OWNER_TAG
from pulumi_aws_forecast.catalog import EXPORT_KINDS
from tests.provider.conftest import OWNER, World

KINDS = [kind.noun for kind in EXPORT_KINDS]


@pytest.mark.parametrize("kind", KINDS)
def test_create_waits_until_active_and_delete_leaves_nothing(world: World, kind: str) -> None:
    props = world.props(kind, tags={"team": "demand"})
    arn, outputs = world.lifecycle(kind, default_tags={"env": "dev"}).create(props)
    assert outputs["arn"] == arn and outputs["status"] == "ACTIVE"
    assert outputs["name"] == props["name"] and arn.endswith("/" + props["name"])
    assert outputs["tags_all"] == {"env": "dev", "team": "demand", OWNER_TAG: OWNER}
    assert world.tags(arn) == outputs["tags_all"]
    assert outputs["creation_time"] and outputs["last_modification_time"]
    assert world.clock.slept >= 60  # the job's minute passed on the emulator's clock, not ours

    world.lifecycle(kind).delete(arn, outputs)
    assert world.jobs(kind) == []


def test_a_job_not_visible_yet_after_create_is_waited_for(world: World) -> None:
    world.emulator.configure(consistency_seconds=100)
    arn, outputs = world.lifecycle().create(world.props())
    assert outputs["status"] == "ACTIVE"
    counters = world.emulator.counters()
    assert counters["DescribeForecastExportJob"] > 2  # it looked again while the job was not there
    assert world.lifecycle().read(arn, outputs).id == arn  # a refresh right after: still there
    world.lifecycle().delete(arn, outputs)
    assert world.jobs() == []


def test_the_quota_is_waited_out(world: World, caplog: pytest.LogCaptureFixture) -> None:
    world.emulator.configure(export_quota=1)
    running = world.forecast.create_forecast_export_job(
        ForecastExportJobName="running",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path("running/"), "RoleArn": world.seeded.role_arn}},
    )["ForecastExportJobArn"]
    with caplog.at_level(logging.WARNING, logger="pulumi_aws_forecast"):
        _, outputs = world.lifecycle().create(world.props(name="waits"))
    assert outputs["status"] == "ACTIVE"
    waits = [r.getMessage() for r in caplog.records if "waiting for a free slot" in r.getMessage()]
    assert waits and waits[0].startswith(
        "ForecastExportJob 'waits': waiting for a free slot, the account is at its limit of export jobs "
        "in progress ("
    ), waits
    assert world.emulator.counters()["CreateForecastExportJob"] > 2  # refused, then retried
    assert world.forecast.describe_forecast_export_job(ForecastExportJobArn=running)["Status"] == "ACTIVE"


def test_the_quota_wait_ends_at_the_create_timeout(world: World) -> None:
    world.emulator.configure(export_quota=1, job_seconds=3600)
    world.forecast.create_forecast_export_job(
        ForecastExportJobName="running",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path("running/"), "RoleArn": world.seeded.role_arn}},
    )
    with pytest.raises(Timeout) as timed_out:
        world.lifecycle(timeouts=Timeouts(create=120)).create(world.props(name="waits"))
    assert str(timed_out.value).startswith(
        "ForecastExportJob 'waits': the account was still at its limit of export jobs in progress when "
        "the create timeout ran out ("
    )
    assert [j["ForecastExportJobName"] for j in world.jobs()] == ["running"]


def test_a_role_seconds_old_is_retried_until_iam_propagates_it(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.emulator.configure(iam_propagation_seconds=30)
    role = world.make_role("Fresh", ["s3:Get*", "s3:List*", "s3:PutObject"])
    props = world.props(destination={"s3_config": {"path": world.path(), "role_arn": role}})
    with caplog.at_level(logging.WARNING, logger="pulumi_aws_forecast"):
        _, outputs = world.lifecycle().create(props)
    assert outputs["status"] == "ACTIVE"
    assert any(f"waiting for IAM role {role} to become usable" in r.getMessage() for r in caplog.records)
    assert world.emulator.counters()["CreateForecastExportJob"] > 1


def test_a_role_that_never_becomes_usable_fails_clearly_after_the_iam_window(world: World) -> None:
    world.emulator.configure(iam_propagation_seconds=3600)
    role = world.make_role("Never", ["s3:Get*", "s3:List*", "s3:PutObject"])
    props = world.props(destination={"s3_config": {"path": world.path(), "role_arn": role}})
    with pytest.raises(ForecastError) as failed:
        world.lifecycle(iam_propagation_seconds=30).create(props)
    text = str(failed.value)
    assert re.match(
        rf"ForecastExportJob '{props['name']}': Amazon Forecast could not use the IAM role "
        rf"{re.escape(role)} for 3\ds: ",
        text,
    ), text
    assert "trusts forecast.amazonaws.com" in text and text.endswith("and run `pulumi up` again.")
    assert 30 <= world.clock.elapsed < 40  # the IAM window, not the create timeout
    assert world.jobs() == []


@pytest.mark.parametrize("actions", [["s3:Get*", "s3:List*"], ["s3:GetBucketLocation", "s3:PutObject"]])
def test_access_denied_says_what_the_role_needs_and_leaves_nothing(world: World, actions: list[str]) -> None:
    role = world.make_role("Partial", actions)
    props = world.props(destination={"s3_config": {"path": world.path(), "role_arn": role}})
    with pytest.raises(ForecastError) as failed:
        world.lifecycle().create(props)
    text = str(failed.value)
    bucket = world.seeded.bucket
    assert text.endswith(
        f"Amazon Forecast writes s3://{bucket}/out/ as the role Partial ({role}), whose policy needs "
        f"s3:GetBucketLocation and s3:ListBucket on arn:aws:s3:::{bucket}, s3:PutObject on "
        f"arn:aws:s3:::{bucket}/out/*. The failed job was deleted: fix the cause and run `pulumi up` again."
    ), text
    assert text.startswith(f"ForecastExportJob '{props['name']}' failed (CREATE_FAILED): ")
    assert world.jobs() == []
    assert "Contents" not in world.emulator.client("s3").list_objects_v2(
        Bucket=world.seeded.bucket, Prefix="out/"
    )


def test_trust_conditions_that_exclude_the_caller_fail_clearly(world: World) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "forecast.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "999999999999"}},
            }
        ],
    }
    role = world.make_role("Elsewhere", ["s3:Get*", "s3:List*", "s3:PutObject"], trust)
    props = world.props(destination={"s3_config": {"path": world.path(), "role_arn": role}})
    with pytest.raises(ForecastError) as failed:
        world.lifecycle().create(props)
    text = str(failed.value)
    assert f"could not assume the IAM role {role}" in text, text
    assert re.search(r"aws:SourceAccount \d{12}", text)
    assert world.jobs() == []


def test_the_permission_hint_comes_from_the_job_not_the_wording_of_the_failure(world: World) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    path = world.path("daily")
    world.emulator.fail_jobs("^denied", "AccessDeniedException: Access Denied")
    destination = {"s3_config": {"path": path, "role_arn": world.seeded.role_arn, "kms_key_arn": key}}
    with pytest.raises(ForecastError) as failed:
        world.lifecycle().create(world.props(name="denied", destination=destination))
    role, bucket = world.seeded.role_arn, world.seeded.bucket
    assert str(failed.value) == (
        "ForecastExportJob 'denied' failed (CREATE_FAILED): AccessDeniedException: Access Denied. "
        f"Amazon Forecast writes {path} as the role {role.rsplit('/', 1)[-1]} ({role}), whose policy needs "
        f"s3:GetBucketLocation and s3:ListBucket on arn:aws:s3:::{bucket}, s3:PutObject on "
        f"arn:aws:s3:::{bucket}/out/daily*, and kms:GenerateDataKey and kms:Decrypt on {key}. "
        "The failed job was deleted: fix the cause and run `pulumi up` again."
    )
    assert world.jobs() == []


def test_a_failed_job_is_deleted_and_its_message_shown(world: World) -> None:
    world.emulator.fail_jobs("^jobnamed", "Injected: the role cannot write to the bucket")
    with pytest.raises(ForecastError) as failed:
        world.lifecycle().create(world.props(name="jobnamed"))
    assert str(failed.value) == (
        "ForecastExportJob 'jobnamed' failed (CREATE_FAILED): Injected: the role cannot write to the "
        "bucket. The failed job was deleted: fix the cause and run `pulumi up` again."
    )
    assert world.jobs() == []
    world.emulator.clear_failures()
    assert world.lifecycle().create(world.props(name="jobnamed"))[1]["status"] == "ACTIVE"


def test_a_create_past_its_timeout_is_stopped_and_deleted(world: World) -> None:
    world.emulator.configure(job_seconds=3600)
    with pytest.raises(Timeout) as failed:
        world.lifecycle(timeouts=Timeouts(create=30)).create(world.props(name="slow"))
    assert str(failed.value) == (
        "ForecastExportJob 'slow' was not ACTIVE within the create timeout of 30s; it was stopped and "
        "deleted. Raise customTimeouts.create if such jobs need longer."
    )
    assert world.emulator.counters()["StopResource"] == 1
    assert world.jobs() == []


def test_delete_stops_a_running_job_first(world: World) -> None:
    arn = world.forecast.create_forecast_export_job(
        ForecastExportJobName="running",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path(), "RoleArn": world.seeded.role_arn}},
    )["ForecastExportJobArn"]
    world.lifecycle().delete(arn, world.props(name="running"))
    counters = world.emulator.counters()
    assert counters["StopResource"] == 1 and counters["DeleteForecastExportJob"] == 1
    assert world.jobs() == []
    world.lifecycle().delete(arn, world.props(name="running"))  # gone already is fine


@pytest.mark.parametrize("kind", KINDS)
def test_adopt_only_when_asked_and_only_with_the_same_settings(world: World, kind: str) -> None:
    lifecycle = world.lifecycle(kind)
    existing, _ = world.lifecycle(kind, owner="other/stack/job").create(world.props(kind, name="by_hand"))
    # Never silently: the name clash is an error naming the owner, and the job is untouched.
    with pytest.raises(ForecastError) as refused:
        lifecycle.create(world.props(kind, name="by_hand"))
    assert f"{kind} 'by_hand' already exists under " in str(refused.value)
    assert "It is managed by 'other/stack/job'. Choose another name, or set adopt=True" in str(refused.value)
    assert world.tags(existing) == {OWNER_TAG: "other/stack/job"}
    # Another stack's job: only by naming its owner.
    with pytest.raises(ForecastError) as taken:
        lifecycle.create(world.props(kind, name="by_hand", adopt=True))
    assert str(taken.value) == (
        f"{kind} 'by_hand' is managed by 'other/stack/job', not by this resource. To take it over, set "
        "adopt=True and adopt_from='other/stack/job'."
    )
    # Settings that differ: refused, naming the difference.
    with pytest.raises(ForecastError) as mismatch:
        lifecycle.create(
            world.props(kind, name="by_hand", adopt=True, adopt_from="other/stack/job", format="PARQUET")
        )
    assert str(mismatch.value) == (
        f"refusing to adopt {kind} 'by_hand': its settings differ from the declared ones: format is "
        '"CSV" on AWS but "PARQUET" here. Change the declaration to match, or choose another name.'
    )
    # Matching settings: the same job comes under management, with the declared tags.
    arn, outputs = lifecycle.create(
        world.props(kind, name="by_hand", adopt=True, adopt_from="other/stack/job")
    )
    assert arn == existing and outputs["status"] == "ACTIVE"
    assert world.tags(existing) == {OWNER_TAG: OWNER}
    assert len(world.jobs(kind)) == 1


def test_read_reports_drift_and_disappearance(world: World) -> None:
    lifecycle = world.lifecycle(default_tags={"env": "dev"})
    arn, outputs = lifecycle.create(world.props(tags={"team": "demand"}))
    world.forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "hijacked"}])
    world.forecast.untag_resource(ResourceArn=arn, TagKeys=[OWNER_TAG])
    found = lifecycle.read(arn, outputs)
    assert found.id == arn
    assert found.outputs["tags_all"] == {"env": "dev", "team": "hijacked"}
    assert found.inputs["tags"] == {"team": "hijacked"}  # the default tag is not the resource's own
    assert found.inputs["format"] == "CSV" and "arn" not in found.inputs

    assert lifecycle.update(arn, outputs)["tags_all"] == {"env": "dev", "team": "demand", OWNER_TAG: OWNER}
    assert world.tags(arn) == {"env": "dev", "team": "demand", OWNER_TAG: OWNER}

    world.forecast.delete_forecast_export_job(ForecastExportJobArn=arn)
    assert lifecycle.read(arn, outputs).id == ""  # deleting: gone, for refresh
    world.clock.sleep(30)
    assert lifecycle.read(arn, outputs).id == ""
    # The next `up` creates it again.
    again, recreated = lifecycle.create(world.props(tags={"team": "demand"}))
    assert (again, recreated["status"]) == (arn, "ACTIVE")
    assert world.tags(arn) == {"env": "dev", "team": "demand", OWNER_TAG: OWNER}


def test_a_job_made_by_hand_is_never_taken_silently(world: World) -> None:
    existing = world.forecast.create_forecast_export_job(
        ForecastExportJobName="by_hand",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path(), "RoleArn": world.seeded.role_arn}},
        Tags=[{"Key": "made_by", "Value": "hand"}],
    )["ForecastExportJobArn"]
    with pytest.raises(ForecastError) as refused:
        world.lifecycle().create(world.props(name="by_hand"))
    assert str(refused.value) == (
        f"ForecastExportJob 'by_hand' already exists under {world.seeded.forecast_arn}. Choose another "
        "name, or set adopt=True to bring the existing job under this stack's management."
    )
    assert world.tags(existing) == {"made_by": "hand"}
    arn, _ = world.lifecycle().create(world.props(name="by_hand", adopt=True))
    assert arn == existing and world.tags(existing) == {OWNER_TAG: OWNER}


def test_a_long_job_is_noticed_within_ten_seconds(world: World) -> None:
    # AWS's exports take 2 to 15 minutes: the poll interval stops growing at 10 s.
    world.emulator.configure(job_seconds=900)
    _, outputs = world.lifecycle().create(world.props(name="long"))
    assert outputs["status"] == "ACTIVE"
    assert 900 <= world.clock.elapsed <= 910, world.clock.elapsed
