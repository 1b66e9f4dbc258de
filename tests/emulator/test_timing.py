"""`timing="aws"`: AWS's recorded minutes instead of the test-friendly seconds."""

from __future__ import annotations

import pytest

from forecast_emulator import Emulator
from forecast_emulator.cli import _parser, _settings
from forecast_emulator.settings import Settings
from forecast_emulator.timing import AWS_SECONDS, aws_creation_seconds
from pulumi_aws_forecast.catalog import EXPORT_KINDS
from tests.emulator.support import FORECAST_EXPORT, create_job, describe, forecast_client


def test_exports_take_two_to_fifteen_minutes_after_a_short_pending() -> None:
    with Emulator(upstream_seconds=0) as emu:
        emu.reset()
        parents = emu.seed()  # in the test timing: seeding waits by the wall clock
        emu.configure(timing="aws")
        forecast = forecast_client(emu)
        arn = create_job(forecast, FORECAST_EXPORT, parents, "slow")
        seconds = aws_creation_seconds(FORECAST_EXPORT.noun, arn)
        assert 2 * 60 <= seconds <= 15 * 60
        assert describe(forecast, FORECAST_EXPORT, arn)["Status"] == "CREATE_PENDING"
        emu.advance_clock(10)  # CREATE_PENDING lasts at most 10 s
        assert describe(forecast, FORECAST_EXPORT, arn)["Status"] == "CREATE_IN_PROGRESS"
        emu.advance_clock(seconds - 10 - 1)
        assert describe(forecast, FORECAST_EXPORT, arn)["Status"] == "CREATE_IN_PROGRESS"
        emu.advance_clock(2)
        assert describe(forecast, FORECAST_EXPORT, arn)["Status"] == "ACTIVE"


def test_datasets_are_active_at_once_and_exports_spread_over_the_recorded_range() -> None:
    assert AWS_SECONDS["Dataset"] == AWS_SECONDS["DatasetGroup"] == (0.0, 0.0)
    durations = [
        aws_creation_seconds(kind.noun, f"arn:aws:forecast:us-east-1:1:x/job_{i}")
        for kind in EXPORT_KINDS
        for i in range(50)
    ]
    assert 2 * 60 <= min(durations) < 4 * 60 and 13 * 60 < max(durations) <= 15 * 60


def test_timing_is_a_flag_and_checked() -> None:
    assert _settings(_parser().parse_args(["serve", "--timing", "aws"])) == Settings(timing="aws")
    with pytest.raises(ValueError, match="timing must be one of test, aws, not 'fast'"):
        Settings(timing="fast")
