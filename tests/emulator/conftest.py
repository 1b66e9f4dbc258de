"""A fresh emulator per test: its own port, empty state (moto's included), jobs that wait for the clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from tests.emulator.support import JOB_SECONDS, SETTLE_SECONDS, forecast_client, s3_client


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(
        job_seconds=JOB_SECONDS,
        upstream_seconds=0,
        stop_seconds=SETTLE_SECONDS,
        delete_seconds=SETTLE_SECONDS,
    ) as emulator:
        emulator.reset()  # moto's S3/IAM/KMS state belongs to the process: start from nothing
        yield emulator


@pytest.fixture
def parents(emu: Emulator) -> Seeded:
    """A bucket, a role and an ACTIVE dataset group, predictor and forecast."""
    return emu.seed()


@pytest.fixture
def forecast(emu: Emulator) -> ForecastServiceClient:
    """A Forecast client that does not retry, so each call is one request."""
    return forecast_client(emu, retries={"total_max_attempts": 1, "mode": "standard"})


@pytest.fixture
def raw_forecast(emu: Emulator) -> ForecastServiceClient:
    """A Forecast client without botocore's own parameter checks: requests reach the emulator as written."""
    return forecast_client(
        emu, parameter_validation=False, retries={"total_max_attempts": 1, "mode": "standard"}
    )


@pytest.fixture
def s3(emu: Emulator) -> S3Client:
    return s3_client(emu)
