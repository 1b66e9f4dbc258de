"""The e2e tests against a real AWS account (terraform's TF_ACC pattern): what they need from it.

    make acceptance      # checks the environment below, then runs tests/e2e -m "not emulator"

The same test code runs against the emulator (the default) and against AWS: only the target
differs. Against AWS, the tests export from parents you already have (Forecast creates no
forecast in minutes), to a bucket and with a role you already have, under a fresh prefix per
test, and destroy every job they create.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

#: Set by `make acceptance`: the e2e fixtures target the AWS account in the environment.
SWITCH = "FORECAST_ACCEPTANCE"

#: Environment variable -> what it names. The first four are required.
VARIABLES = {
    "FORECAST_ACCEPTANCE_FORECAST_ARN": "an ACTIVE forecast to export (ForecastExportJob)",
    "FORECAST_ACCEPTANCE_PREDICTOR_ARN": "an ACTIVE predictor to export backtests of",
    "FORECAST_ACCEPTANCE_BUCKET": "an S3 bucket in the same region that the tests may write under",
    "FORECAST_ACCEPTANCE_ROLE_ARN": "a role Forecast may assume to write to the bucket",
    "FORECAST_ACCEPTANCE_EXPLAINABILITY_ARN": "optional: an ACTIVE explainability (ExplainabilityExport)",
    "FORECAST_ACCEPTANCE_WHAT_IF_FORECAST_ARN": "optional: an ACTIVE what-if forecast (WhatIfForecastExport)",
}
REQUIRED = tuple(VARIABLES)[:4]


@dataclass(frozen=True)
class Account:
    """The parents, bucket and role the acceptance run uses, in the shape the e2e World expects."""

    region: str
    account_id: str
    bucket: str
    role_arn: str
    forecast_arn: str
    predictor_arn: str
    explainability_arn: str
    what_if_forecast_arn: str


def enabled() -> bool:
    return os.environ.get(SWITCH) == "1"


def missing() -> list[str]:
    """Required variables not set, and credentials not found, as lines to print."""
    lines = [f"{name}: {VARIABLES[name]}" for name in REQUIRED if not os.environ.get(name)]
    import boto3

    if boto3.Session().get_credentials() is None:
        lines.append(
            "AWS credentials: none found in the standard chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...)"
        )
    return lines


def account() -> Account:
    forecast = os.environ["FORECAST_ACCEPTANCE_FORECAST_ARN"]
    parts = forecast.split(":")
    return Account(
        region=parts[3],
        account_id=parts[4],
        bucket=os.environ["FORECAST_ACCEPTANCE_BUCKET"],
        role_arn=os.environ["FORECAST_ACCEPTANCE_ROLE_ARN"],
        forecast_arn=forecast,
        predictor_arn=os.environ["FORECAST_ACCEPTANCE_PREDICTOR_ARN"],
        explainability_arn=os.environ.get("FORECAST_ACCEPTANCE_EXPLAINABILITY_ARN", ""),
        what_if_forecast_arn=os.environ.get("FORECAST_ACCEPTANCE_WHAT_IF_FORECAST_ARN", ""),
    )


def main() -> int:
    lines = missing()
    if lines:
        print("make acceptance runs the e2e tests against a real AWS account; it needs:", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
        print("See the README, section 'Acceptance tests on AWS'.", file=sys.stderr)
        return 2
    print(f"acceptance run against account {account().account_id} in {account().region}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
