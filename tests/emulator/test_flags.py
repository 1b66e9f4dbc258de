"""`forecast-emulator serve`'s settings flags, derived from `Settings`: every field, its default, its type."""

from __future__ import annotations

import dataclasses

import pytest

from forecast_emulator.cli import _parser, _settings
from forecast_emulator.settings import Settings


def test_every_setting_is_a_flag_with_the_fields_default() -> None:
    args = _parser().parse_args(["serve"])
    assert _settings(args) == Settings()
    assert {field.name for field in dataclasses.fields(Settings)} <= set(vars(args))


def test_the_flags_set_every_setting() -> None:
    args = _parser().parse_args(
        [
            *("serve", "--job-seconds", "2.5", "--upstream-seconds", "0", "--stop-seconds", "3"),
            *("--delete-seconds", "4", "--export-quota", "7", "--throttle-rps", "20"),
            *("--error-rate", "0.25", "--latency-seconds", "0.1", "--consistency-seconds", "5"),
            *("--iam-propagation-seconds", "10", "--no-check-role-policies"),
        ]
    )
    assert _settings(args) == Settings(
        job_seconds=2.5,
        upstream_seconds=0,
        stop_seconds=3,
        delete_seconds=4,
        export_quota=7,
        throttle_rps=20,
        error_rate=0.25,
        latency_seconds=0.1,
        consistency_seconds=5,
        iam_propagation_seconds=10,
        check_role_policies=False,
    )
    assert isinstance(_settings(args).export_quota, int)


def test_a_quota_is_a_whole_number_and_a_rate_at_most_one() -> None:
    with pytest.raises(SystemExit):  # argparse: "invalid int value"
        _parser().parse_args(["serve", "--export-quota", "2.5"])
    with pytest.raises(ValueError, match="error_rate must be between 0 and 1"):
        _settings(_parser().parse_args(["serve", "--error-rate", "2"]))
