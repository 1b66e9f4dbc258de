"""Realism: read-after-create eventual consistency, IAM propagation, the role's trust and permissions."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from forecast_emulator.cli import _parser
from forecast_emulator.faults import Faults
from forecast_emulator.settings import Settings
from tests.emulator.support import ACCOUNT, JOB_SECONDS, create_export, destination, error_of

FORECAST_TRUST: dict[str, Any] = {
    "Effect": "Allow",
    "Principal": {"Service": "forecast.amazonaws.com"},
    "Action": "sts:AssumeRole",
}
WINDOW = 600.0


def _statement(actions: list[str], resources: list[str], effect: str = "Allow") -> dict[str, Any]:
    return {"Effect": effect, "Action": actions, "Resource": resources}


def _role(
    emu: Emulator,
    name: str,
    statements: list[dict[str, Any]],
    trust: list[dict[str, Any]] | None = None,
) -> str:
    """A role trusting Forecast (or `trust`) with one inline policy of `statements` (none if empty)."""
    iam = emu.client("iam")
    arn: str = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": trust or [FORECAST_TRUST]}
        ),
    )["Role"]["Arn"]
    if statements:
        iam.put_role_policy(
            RoleName=name,
            PolicyName="access",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}),
        )
    return arn


def _s3_statements(bucket: str) -> list[dict[str, Any]]:
    return [
        _statement(
            ["s3:Get*", "s3:List*", "s3:PutObject"], [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
        )
    ]


def _export(
    forecast: ForecastServiceClient, parents: Seeded, name: str, role_arn: str, kms_key_arn: str | None = None
) -> str:
    s3_config: Any = {"Path": f"s3://{parents.bucket}/{name}/", "RoleArn": role_arn}
    if kms_key_arn is not None:
        s3_config["KMSKeyArn"] = kms_key_arn
    return forecast.create_forecast_export_job(
        ForecastExportJobName=name, ForecastArn=parents.forecast_arn, Destination={"S3Config": s3_config}
    )["ForecastExportJobArn"]


def _outcome(
    forecast: ForecastServiceClient, s3: S3Client, parents: Seeded, arn: str
) -> tuple[str, str, int]:
    """(Status, Message, number of files under the job's folder) of a job whose time is up."""
    described = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    folder = described["ForecastExportJobName"] + "/"
    files = s3.list_objects_v2(Bucket=parents.bucket, Prefix=folder).get("KeyCount", 0)
    return described["Status"], described.get("Message", ""), files


def _denied(role: str, action: str, resource: str) -> str:
    return f"AccessDenied: the role {role} is not allowed to perform {action} on {resource}"


# --- Settings --------------------------------------------------------------------------------------


def test_defaults_and_flags() -> None:
    defaults = Settings()
    assert (defaults.consistency_seconds, defaults.iam_propagation_seconds, defaults.check_role_policies) == (
        0.0,
        0.0,
        True,
    )
    args = _parser().parse_args(
        ["serve", "--consistency-seconds", "5", "--iam-propagation-seconds", "10", "--no-check-role-policies"]
    )
    assert (args.consistency_seconds, args.iam_propagation_seconds, args.check_role_policies) == (
        5,
        10,
        False,
    )
    with pytest.raises(ValueError, match="check_role_policies must be true or false"):
        Settings().replace({"check_role_policies": 1})
    with pytest.raises(ValueError, match="consistency_seconds must be a number >= 0"):
        Settings().replace({"consistency_seconds": -1})


def test_draws_are_fixed_by_the_seed_and_the_key() -> None:
    arn = "arn:aws:forecast:us-east-1:123456789012:forecast-export-job/f/j"
    assert Faults(0).fraction(arn) == Faults(0).fraction(arn)
    assert Faults(0).fraction(arn) != Faults(1).fraction(arn)
    assert Faults(0).fraction(arn) != Faults(0).fraction(arn + "2")
    assert 0 <= Faults(None).fraction(arn) < 1


# --- Read-after-create eventual consistency --------------------------------------------------------


def test_a_new_resource_is_not_found_until_its_window_ends(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(consistency_seconds=WINDOW)
    arn = create_export(forecast, parents, "unseen", Tags=[{"Key": "team", "Value": "a"}])
    window = WINDOW * Faults(0).fraction(arn)  # the emulator's seed is 0
    assert window > 10  # true for this ARN with seed 0: the checks below happen inside the window

    not_found = ("ResourceNotFoundException", f"No forecast export job found with the arn: {arn}")
    assert error_of(lambda: forecast.describe_forecast_export_job(ForecastExportJobArn=arn)) == not_found
    assert forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []
    any_resource = ("ResourceNotFoundException", f"No resource found with the arn: {arn}")
    assert error_of(lambda: forecast.list_tags_for_resource(ResourceArn=arn)) == any_resource
    assert (
        error_of(lambda: forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]))
        == any_resource
    )
    assert error_of(lambda: forecast.untag_resource(ResourceArn=arn, TagKeys=["team"])) == any_resource
    assert error_of(lambda: forecast.stop_resource(ResourceArn=arn)) == any_resource
    assert error_of(lambda: forecast.delete_forecast_export_job(ForecastExportJobArn=arn)) == not_found
    # It exists all the same: its name is taken.
    code, _ = error_of(lambda: create_export(forecast, parents, "unseen"))
    assert code == "ResourceAlreadyExistsException"

    emu.advance_clock(math.ceil(window))
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["ForecastExportJobArn"] == arn
    assert [
        job["ForecastExportJobArn"] for job in forecast.list_forecast_export_jobs()["ForecastExportJobs"]
    ] == [arn]
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "a"}]


def test_each_resource_has_its_own_window_and_the_window_is_seeded(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(consistency_seconds=WINDOW, export_quota=10)
    arns = [create_export(forecast, parents, f"job_{i}") for i in range(4)]
    windows = {arn: WINDOW * Faults(0).fraction(arn) for arn in arns}
    assert len(set(windows.values())) == 4
    seen: list[str] = []
    for step in range(1, 11):  # ten steps of a tenth of the window
        emu.advance_clock(WINDOW / 10)
        listed = {
            job["ForecastExportJobArn"] for job in forecast.list_forecast_export_jobs()["ForecastExportJobs"]
        }
        assert listed == {arn for arn, window in windows.items() if window <= step * WINDOW / 10}
        seen = sorted(listed)
    assert seen == sorted(arns)


def test_consistency_off_by_default(emu: Emulator, parents: Seeded, forecast: ForecastServiceClient) -> None:
    arn = create_export(forecast, parents, "seen")
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"] == "CREATE_PENDING"


def test_upstream_resources_too_and_children_can_still_name_them(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(consistency_seconds=WINDOW)
    group = forecast.create_dataset_group(
        DatasetGroupName="fresh_group", Domain="RETAIL", DatasetArns=[parents.dataset_arn]
    )["DatasetGroupArn"]
    assert (
        error_of(lambda: forecast.describe_dataset_group(DatasetGroupArn=group))[0]
        == "ResourceNotFoundException"
    )
    assert group not in {g["DatasetGroupArn"] for g in forecast.list_dataset_groups()["DatasetGroups"]}
    # Creating from a parent is not a read of it: an ACTIVE parent is found (upstream_seconds is 0).
    forecast.create_auto_predictor(
        PredictorName="fresh_predictor",
        ForecastHorizon=7,
        ForecastFrequency="D",
        DataConfig={"DatasetGroupArn": group},
    )
    emu.advance_clock(WINDOW)
    assert forecast.describe_dataset_group(DatasetGroupArn=group)["Status"] == "ACTIVE"


# --- IAM propagation -------------------------------------------------------------------------------


def test_a_young_role_is_refused_at_create_until_it_has_propagated(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.advance_clock(1000)  # roles are aged by the emulator's clock, whatever it was when they were made
    emu.configure(iam_propagation_seconds=30)
    role = _role(emu, "Young", _s3_statements(parents.bucket))
    refused = (
        "InvalidInputException",
        f"Amazon Forecast could not assume the IAM role {role}: the role cannot be assumed yet, as changes "
        "to IAM take time to propagate. Try again in a few seconds.",
    )
    assert error_of(lambda: _export(forecast, parents, "too_soon", role)) == refused
    assert (
        error_of(
            lambda: forecast.create_dataset_import_job(
                DatasetImportJobName="too_soon",
                DatasetArn=parents.dataset_arn,
                DataSource={"S3Config": {"Path": f"s3://{parents.bucket}/demo/training/", "RoleArn": role}},
            )
        )
        == refused
    )
    assert forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []  # nothing was created

    emu.advance_clock(29)
    assert error_of(lambda: _export(forecast, parents, "too_soon", role)) == refused
    emu.advance_clock(1)
    arn = _export(forecast, parents, "in_time", role)
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, arn)[:2] == ("ACTIVE", "")


def test_roles_that_do_not_exist_are_left_to_the_job(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(iam_propagation_seconds=30)
    missing = f"arn:aws:iam::{ACCOUNT}:role/Missing"
    arn = _export(forecast, parents, "no_role", missing)
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, arn) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {missing}: the role does not exist.",
        0,
    )


def test_seeding_waits_for_the_role_to_propagate() -> None:
    with Emulator(
        job_seconds=0, upstream_seconds=0, iam_propagation_seconds=0.3, consistency_seconds=0.3
    ) as emu:
        emu.reset()
        seeded = emu.seed()
        forecast = emu.client("forecast")
        assert forecast.describe_forecast(ForecastArn=seeded.forecast_arn)["Status"] == "ACTIVE"


# --- Permissions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "denied_action", "on_objects"),
    [
        (["s3:ListBucket", "s3:GetBucketLocation"], "s3:PutObject", True),
        (["s3:GetBucketLocation", "s3:PutObject"], "s3:ListBucket", False),
        (["s3:ListBucket", "s3:PutObject"], "s3:GetBucketLocation", False),
    ],
)
def test_each_missing_s3_permission_fails_the_job_and_writes_nothing(
    emu: Emulator,
    parents: Seeded,
    forecast: ForecastServiceClient,
    s3: S3Client,
    actions: list[str],
    denied_action: str,
    on_objects: bool,
) -> None:
    bucket = f"arn:aws:s3:::{parents.bucket}"
    role = _role(emu, "Partial", [_statement(actions, [bucket, f"{bucket}/*"])])
    arn = _export(forecast, parents, "partial", role)
    emu.advance_clock(JOB_SECONDS)
    resource = f"{bucket}/partial/*" if on_objects else bucket
    assert _outcome(forecast, s3, parents, arn) == (
        "CREATE_FAILED",
        _denied(role, denied_action, resource),
        0,
    )


def test_put_object_must_cover_the_export_folder_and_deny_wins(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(export_quota=10)
    bucket = f"arn:aws:s3:::{parents.bucket}"
    other_prefix = _role(
        emu,
        "OtherPrefix",
        [
            _statement(["s3:ListBucket", "s3:GetBucketLocation"], [bucket]),
            _statement(["s3:PutObject"], [f"{bucket}/elsewhere/*"]),
        ],
    )
    denying = _role(
        emu,
        "Denying",
        [
            _statement(["s3:*"], [bucket, f"{bucket}/*"]),
            _statement(["s3:PutObject"], [f"{bucket}/secret/*"], "Deny"),
        ],
    )
    wildcards = _role(emu, "Wildcards", [_statement(["s3:*"], ["*"])])
    jobs = {
        "elsewhere_not": _export(forecast, parents, "elsewhere_not", other_prefix),
        "secret": _export(forecast, parents, "secret", denying),
        "public": _export(forecast, parents, "public", denying),
        "anything": _export(forecast, parents, "anything", wildcards),
    }
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, jobs["elsewhere_not"]) == (
        "CREATE_FAILED",
        _denied(other_prefix, "s3:PutObject", f"{bucket}/elsewhere_not/*"),
        0,
    )
    assert _outcome(forecast, s3, parents, jobs["secret"]) == (
        "CREATE_FAILED",
        _denied(denying, "s3:PutObject", f"{bucket}/secret/*"),
        0,
    )
    assert _outcome(forecast, s3, parents, jobs["public"])[:2] == ("ACTIVE", "")
    assert _outcome(forecast, s3, parents, jobs["anything"])[:2] == ("ACTIVE", "")


def test_attached_managed_policies_count(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    iam = emu.client("iam")
    role = _role(emu, "Managed", [])
    policy = iam.create_policy(
        PolicyName="ForecastExports",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": _s3_statements(parents.bucket)}),
    )["Policy"]["Arn"]
    bare = _export(forecast, parents, "bare", role)
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, bare)[:2] == (
        "CREATE_FAILED",
        _denied(role, "s3:ListBucket", f"arn:aws:s3:::{parents.bucket}"),
    )
    iam.attach_role_policy(RoleName="Managed", PolicyArn=policy)
    arn = _export(forecast, parents, "managed", role)
    emu.advance_clock(JOB_SECONDS)
    status, message, files = _outcome(forecast, s3, parents, arn)
    assert (status, message) == ("ACTIVE", "") and files > 0


def test_a_kms_key_needs_generate_data_key_and_decrypt(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(export_quota=10)
    key = emu.client("kms").create_key(Description="exports")["KeyMetadata"]["Arn"]
    s3_only = _role(emu, "S3Only", _s3_statements(parents.bucket))
    generate_only = _role(
        emu, "GenerateOnly", [*_s3_statements(parents.bucket), _statement(["kms:GenerateDataKey"], [key])]
    )
    both = _role(
        emu,
        "Both",
        [*_s3_statements(parents.bucket), _statement(["kms:GenerateDataKey", "kms:Decrypt"], [key])],
    )
    jobs = [
        _export(forecast, parents, name, role, key)
        for name, role in (("k1", s3_only), ("k2", generate_only), ("k3", both))
    ]
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, jobs[0]) == (
        "CREATE_FAILED",
        _denied(s3_only, "kms:GenerateDataKey", key),
        0,
    )
    assert _outcome(forecast, s3, parents, jobs[1]) == (
        "CREATE_FAILED",
        _denied(generate_only, "kms:Decrypt", key),
        0,
    )
    assert _outcome(forecast, s3, parents, jobs[2])[:2] == ("ACTIVE", "")


def test_the_seeded_role_has_what_exports_need(
    emu: Emulator, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    parents = emu.seed(kms_key=True)
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="seeded",
        ForecastArn=parents.forecast_arn,
        Destination=destination(parents, "seeded/", kms_key_arn=parents.kms_key_arn),
    )["ForecastExportJobArn"]
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, arn)[:2] == ("ACTIVE", "")


def test_policies_are_not_evaluated_when_switched_off(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(check_role_policies=False)
    conditional = dict(FORECAST_TRUST, Condition={"StringEquals": {"aws:SourceAccount": "999999999999"}})
    role = _role(emu, "Powerless", [], trust=[conditional])
    arn = _export(forecast, parents, "unchecked", role)
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, arn)[:2] == ("ACTIVE", "")


# --- Trust -----------------------------------------------------------------------------------------


def _job_arn(parents: Seeded, name: str) -> str:
    forecast_name = parents.forecast_arn.rsplit("/", 1)[-1]
    return f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast-export-job/{forecast_name}/{name}"


@pytest.mark.parametrize(
    ("condition", "assumable"),
    [
        ({"StringEquals": {"aws:SourceAccount": ACCOUNT}}, True),
        ({"StringEquals": {"aws:SourceAccount": "999999999999"}}, False),
        ({"StringEquals": {"aws:SourceAccount": ["999999999999", ACCOUNT]}}, True),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:forecast:us-east-1:{ACCOUNT}:*"}}, True),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:forecast:eu-west-1:{ACCOUNT}:*"}}, False),
        (
            {
                "ArnLike": {
                    "aws:SourceArn": f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast-export-job/*/trusted"
                }
            },
            True,
        ),
        ({"StringLike": {"aws:SourceArn": f"arn:aws:forecast:*:{ACCOUNT}:dataset-import-job/*"}}, False),
        ({"ArnEquals": {"aws:SourceArn": "JOB"}}, True),
        ({"ArnEquals": {"aws:SourceArn": "JOB-other"}}, False),
        ({"StringNotEquals": {"aws:SourceAccount": ACCOUNT}}, False),
        (
            {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": "arn:aws:forecast:*"},
            },
            True,
        ),
        ({"StringEquals": {"sts:ExternalId": "secret"}}, False),  # Forecast sends no external id
        ({"StringEqualsIfExists": {"sts:ExternalId": "secret"}}, True),
    ],
)
def test_trust_conditions_on_the_source_account_and_arn(
    emu: Emulator,
    parents: Seeded,
    forecast: ForecastServiceClient,
    s3: S3Client,
    condition: dict[str, Any],
    assumable: bool,
) -> None:
    job = _job_arn(parents, "trusted")
    condition = json.loads(json.dumps(condition).replace('"JOB', f'"{job}'))
    role = _role(
        emu, "Conditional", _s3_statements(parents.bucket), trust=[dict(FORECAST_TRUST, Condition=condition)]
    )
    arn = _export(forecast, parents, "trusted", role)
    assert arn == job
    emu.advance_clock(JOB_SECONDS)
    if assumable:
        assert _outcome(forecast, s3, parents, arn)[:2] == ("ACTIVE", "")
    else:
        assert _outcome(forecast, s3, parents, arn) == (
            "CREATE_FAILED",
            f"Amazon Forecast could not assume the IAM role {role}: the conditions of its trust policy "
            f"do not allow forecast.amazonaws.com to call sts:AssumeRole with aws:SourceAccount {ACCOUNT} "
            f"and aws:SourceArn {job}.",
            0,
        )


def test_trust_must_name_forecast_and_a_deny_wins(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(export_quota=10)
    ec2_only = _role(
        emu,
        "Ec2Only",
        _s3_statements(parents.bucket),
        trust=[dict(FORECAST_TRUST, Principal={"Service": ["ec2.amazonaws.com", "sagemaker.amazonaws.com"]})],
    )
    denied = _role(
        emu,
        "DeniedTrust",
        _s3_statements(parents.bucket),
        trust=[
            FORECAST_TRUST,
            dict(
                FORECAST_TRUST,
                Effect="Deny",
                Condition={"StringLike": {"aws:SourceArn": "*:forecast-export-job/*"}},
            ),
        ],
    )
    listed = _role(
        emu,
        "Listed",
        _s3_statements(parents.bucket),
        trust=[dict(FORECAST_TRUST, Principal={"Service": ["ec2.amazonaws.com", "forecast.amazonaws.com"]})],
    )
    jobs = [_export(forecast, parents, f"t{i}", role) for i, role in enumerate((ec2_only, denied, listed))]
    emu.advance_clock(JOB_SECONDS)
    assert _outcome(forecast, s3, parents, jobs[0]) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {ec2_only}: its trust policy does not allow the "
        "service principal forecast.amazonaws.com to call sts:AssumeRole.",
        0,
    )
    assert _outcome(forecast, s3, parents, jobs[1]) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {denied}: its trust policy denies the service "
        "principal forecast.amazonaws.com sts:AssumeRole.",
        0,
    )
    assert _outcome(forecast, s3, parents, jobs[2])[:2] == ("ACTIVE", "")
