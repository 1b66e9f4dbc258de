"""The role evaluator on its own: trust policies (ours) and permission policies (moto's), no emulator."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from forecast_emulator.trust import access_denied, allows, trust_problem

ACCOUNT = "123456789012"
JOB = f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast-export-job/demo_forecast/trusted"
CONTEXT = {"aws:sourceaccount": ACCOUNT, "aws:sourcearn": JOB}
FORECAST = {"Effect": "Allow", "Principal": {"Service": "forecast.amazonaws.com"}, "Action": "sts:AssumeRole"}

NOT_ALLOWED = (
    "its trust policy does not allow the service principal forecast.amazonaws.com to call sts:AssumeRole."
)
DENIED = "its trust policy denies the service principal forecast.amazonaws.com sts:AssumeRole."
CONDITIONS_FAIL = (
    "the conditions of its trust policy do not allow forecast.amazonaws.com to call sts:AssumeRole "
    f"with aws:SourceAccount {ACCOUNT} and aws:SourceArn {JOB}."
)


def _trust(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# --- Who and what the trust policy names ----------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        (FORECAST, None),
        (dict(FORECAST, Principal={"Service": ["ec2.amazonaws.com", "forecast.amazonaws.com"]}), None),
        (
            dict(FORECAST, Principal={"Service": ["ec2.amazonaws.com", "sagemaker.amazonaws.com"]}),
            NOT_ALLOWED,
        ),
        (dict(FORECAST, Principal="*"), None),
        (dict(FORECAST, Principal={"AWS": "*"}), None),
        (dict(FORECAST, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}), NOT_ALLOWED),
        (dict(FORECAST, Action="sts:*"), None),
        (dict(FORECAST, Action="STS:assumerole"), None),  # actions are case-insensitive
        (dict(FORECAST, Action="sts:AssumeRol?"), None),
        (dict(FORECAST, Action=["sts:TagSession", "sts:AssumeRoleWithWebIdentity"]), NOT_ALLOWED),
        ({"Effect": "Allow", "Principal": FORECAST["Principal"], "NotAction": "iam:*"}, None),
        ({"Effect": "Allow", "Principal": FORECAST["Principal"], "NotAction": "sts:*"}, NOT_ALLOWED),
        (dict(FORECAST, Effect="Deny"), DENIED),
    ],
)
def test_the_trust_policy_must_let_forecast_assume_the_role(
    statement: dict[str, Any], problem: str | None
) -> None:
    assert trust_problem(_trust(statement), CONTEXT) == problem
    assert trust_problem(_trust(statement), None) == problem  # no conditions here: the same answer


def test_a_deny_wins_over_an_allow_when_its_conditions_hold() -> None:
    deny = dict(
        FORECAST, Effect="Deny", Condition={"StringLike": {"aws:SourceArn": "*:forecast-export-job/*"}}
    )
    assert trust_problem(_trust(FORECAST, deny), CONTEXT) == DENIED
    elsewhere = dict(deny, Condition={"StringLike": {"aws:SourceArn": "*:dataset-import-job/*"}})
    assert trust_problem(_trust(FORECAST, elsewhere), CONTEXT) is None


def test_without_a_context_conditions_are_not_evaluated() -> None:
    """`check_role_policies` off: only whether the policy names Forecast counts, so a conditional
    Allow allows and a conditional Deny denies."""
    conditional = dict(FORECAST, Condition={"StringEquals": {"aws:SourceAccount": "999999999999"}})
    assert trust_problem(_trust(conditional), CONTEXT) == CONDITIONS_FAIL
    assert trust_problem(_trust(conditional), None) is None
    deny = dict(conditional, Effect="Deny")
    assert trust_problem(_trust(FORECAST, deny), None) == DENIED


def test_the_document_as_iam_keeps_it() -> None:
    """moto keeps the JSON text, URL-encoded when it came from a query-string API; a lone
    statement may be an object instead of a list."""
    document = _trust(FORECAST)
    assert trust_problem(json.dumps(document), CONTEXT) is None
    assert trust_problem(urllib.parse.quote(json.dumps(document)), CONTEXT) is None
    assert trust_problem({"Version": "2012-10-17", "Statement": FORECAST}, CONTEXT) is None
    assert trust_problem({"Version": "2012-10-17", "Statement": []}, CONTEXT) == NOT_ALLOWED


# --- Conditions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"StringEquals": {"aws:SourceAccount": ACCOUNT}}, True),
        ({"StringEquals": {"aws:SourceAccount": "999999999999"}}, False),
        ({"StringEquals": {"aws:SourceAccount": ["999999999999", ACCOUNT]}}, True),
        ({"StringEquals": {"AWS:SOURCEACCOUNT": ACCOUNT}}, True),  # keys are case-insensitive
        ({"StringNotEquals": {"aws:SourceAccount": ACCOUNT}}, False),
        ({"StringNotEquals": {"aws:SourceAccount": "999999999999"}}, True),
        ({"StringEqualsIgnoreCase": {"aws:SourceArn": JOB.upper()}}, True),
        ({"StringNotEqualsIgnoreCase": {"aws:SourceArn": JOB.upper()}}, False),
        ({"StringLike": {"aws:SourceArn": "arn:aws:forecast:*:forecast-export-job/*"}}, True),
        ({"StringLike": {"aws:SourceArn": f"arn:aws:forecast:*:{ACCOUNT}:dataset-import-job/*"}}, False),
        ({"StringLike": {"aws:SourceAccount": "12345678901?"}}, True),
        ({"StringNotLike": {"aws:SourceArn": "*:dataset-import-job/*"}}, True),
        ({"ArnEquals": {"aws:SourceArn": JOB}}, True),
        ({"ArnEquals": {"aws:SourceArn": JOB + "-other"}}, False),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:forecast:us-east-1:{ACCOUNT}:*"}}, True),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:forecast:eu-west-1:{ACCOUNT}:*"}}, False),
        ({"ArnNotEquals": {"aws:SourceArn": JOB}}, False),
        ({"ArnNotLike": {"aws:SourceArn": f"arn:aws:forecast:eu-west-1:{ACCOUNT}:*"}}, True),
        # Every operator of a block, and every key of an operator, must hold.
        (
            {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": "arn:aws:forecast:*"},
            },
            True,
        ),
        (
            {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:*"}},
            False,
        ),
        # A key Forecast does not send: positive operators fail, IfExists and negated ones hold.
        ({"StringEquals": {"sts:ExternalId": "secret"}}, False),
        ({"StringEqualsIfExists": {"sts:ExternalId": "secret"}}, True),
        ({"StringNotEquals": {"sts:ExternalId": "secret"}}, True),
        ({"StringEqualsIfExists": {"aws:SourceAccount": "999999999999"}}, False),
        # Operators the evaluator does not know are treated as met.
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, True),
        ({"Bool": {"aws:SecureTransport": "true"}}, True),
    ],
)
def test_conditions_on_what_forecast_sends(condition: dict[str, Any], holds: bool) -> None:
    problem = trust_problem(_trust(dict(FORECAST, Condition=condition)), CONTEXT)
    assert problem == (None if holds else CONDITIONS_FAIL)


# --- Permission policies: moto's evaluation -------------------------------------------------------


def _policy(*statements: dict[str, Any]) -> str:
    """A policy document as moto keeps an inline policy: JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


BUCKET = "arn:aws:s3:::exports"


def test_permissions_need_an_allow_and_a_deny_wins() -> None:
    guide = _policy({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "s3:PutObject"], "Resource": "*"})
    assert allows([guide], "s3:ListBucket", BUCKET)
    assert allows([guide], "s3:PutObject", f"{BUCKET}/out/part0.csv")
    assert not allows([guide], "s3:DeleteObject", f"{BUCKET}/out/part0.csv")
    assert not allows([], "s3:ListBucket", BUCKET)
    folder = _policy({"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{BUCKET}/out/*"})
    assert allows([folder], "s3:PutObject", f"{BUCKET}/out/part0.csv")
    assert not allows([folder], "s3:PutObject", f"{BUCKET}/elsewhere/part0.csv")
    deny = _policy({"Effect": "Deny", "Action": "s3:PutObject", "Resource": f"{BUCKET}/out/secret*"})
    assert allows([guide, deny], "s3:PutObject", f"{BUCKET}/out/part0.csv")
    assert not allows([guide, deny], "s3:PutObject", f"{BUCKET}/out/secret.csv")


def test_the_access_denied_message() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/R"
    assert access_denied(role, "s3:PutObject", f"{BUCKET}/out/*") == (
        f"AccessDenied: the role {role} is not allowed to perform s3:PutObject on {BUCKET}/out/*"
    )
