"""`make acceptance` without an account to run against says what is missing and fails."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e import acceptance
from tests.harness import REPO


def test_without_the_environment_it_names_every_missing_variable_and_exits_2() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FORECAST_ACCEPTANCE"))}
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.acceptance"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    for name in acceptance.REQUIRED:
        assert name in done.stderr
    assert "AWS credentials" in done.stderr


def test_with_the_environment_the_account_comes_from_the_forecast_arn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in {
        "FORECAST_ACCEPTANCE_FORECAST_ARN": "arn:aws:forecast:eu-west-1:210987654321:forecast/demand",
        "FORECAST_ACCEPTANCE_PREDICTOR_ARN": "arn:aws:forecast:eu-west-1:210987654321:predictor/demand",
        "FORECAST_ACCEPTANCE_BUCKET": "exports",
        "FORECAST_ACCEPTANCE_ROLE_ARN": "arn:aws:iam::210987654321:role/ForecastExports",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("FORECAST_ACCEPTANCE_EXPLAINABILITY_ARN", raising=False)
    account = acceptance.account()
    assert (account.region, account.account_id) == ("eu-west-1", "210987654321")
    assert account.explainability_arn == ""  # optional: its tests skip
