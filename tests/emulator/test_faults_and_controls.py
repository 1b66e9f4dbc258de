"""Fault injection, request counters, concurrency, and the HTTP control surface."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError
from mypy_boto3_forecast import ForecastServiceClient

from forecast_emulator import Emulator, RemoteEmulator, Seeded
from tests.emulator.support import create_export, error_of, export_status, forecast_client


def test_throttling_above_the_rate_per_operation(emu: Emulator, forecast: ForecastServiceClient) -> None:
    emu.configure(throttle_rps=0.01)  # one request, then one more every 100 s
    forecast.list_forecasts()
    assert error_of(forecast.list_forecasts) == ("ThrottlingException", "Rate exceeded")
    forecast.list_predictors()  # another operation has its own allowance

    emu.reset_counters()
    retrying = forecast_client(emu, retries={"total_max_attempts": 2, "mode": "standard"})
    with pytest.raises(ClientError) as raised:
        retrying.list_forecasts()
    # botocore saw a throttling error and retried it.
    assert raised.value.response["Error"]["Code"] == "ThrottlingException"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 1
    assert emu.counters() == {"ListForecasts": 2}


def test_transient_errors_are_http_500_and_retried(emu: Emulator) -> None:
    emu.configure(error_rate=1.0)
    retrying = forecast_client(emu, retries={"total_max_attempts": 2, "mode": "standard"})
    with pytest.raises(ClientError) as raised:
        retrying.list_forecasts()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert raised.value.response["Error"]["Code"] == "InternalFailure"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 1
    assert emu.counters()["ListForecasts"] == 2
    emu.configure(error_rate=0.0)
    assert retrying.list_forecasts()["Forecasts"] == []


def test_added_latency(emu: Emulator, forecast: ForecastServiceClient) -> None:
    emu.configure(latency_seconds=0.3)
    started = time.monotonic()
    forecast.list_forecasts()
    assert time.monotonic() - started >= 0.3


def test_counters_count_every_request_per_operation(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.reset_counters()
    arn = create_export(forecast, parents, "counted")
    for _ in range(3):
        export_status(forecast, arn)
    error_of(lambda: create_export(forecast, parents, "counted"))
    s3 = emu.client("s3")
    s3.list_objects_v2(Bucket=parents.bucket)
    presigned = s3.generate_presigned_url(
        "get_object", Params={"Bucket": parents.bucket, "Key": "demo/training/demand.csv"}
    )
    with urllib.request.urlopen(presigned) as response:
        assert response.read().startswith(b"item_001,")
    assert emu.counters() == {"CreateForecastExportJob": 2, "DescribeForecastExportJob": 3, "s3": 2}


def test_thirty_two_concurrent_clients(emu: Emulator, parents: Seeded) -> None:
    emu.configure(export_quota=1000, job_seconds=0.05)
    clients = [forecast_client(emu, retries={"total_max_attempts": 1, "mode": "standard"}) for _ in range(32)]

    def work(index: int) -> list[str]:
        client = clients[index]
        errors = []
        for attempt in range(5):
            try:
                arn = create_export(client, parents, f"job_{index}_{attempt}")
                export_status(client, arn)
                client.list_forecast_export_jobs(MaxResults=5)
                create_export(client, parents, "contended")
            except ClientError as error:
                errors.append(error.response["Error"]["Code"])
        return errors

    with ThreadPoolExecutor(32) as pool:
        errors = [code for result in pool.map(work, range(32)) for code in result]
    # Only the contended name fails, and only as ResourceAlreadyExistsException: exactly one creation won.
    assert errors == ["ResourceAlreadyExistsException"] * (32 * 5 - 1)
    listed = clients[0].get_paginator("list_forecast_export_jobs").paginate()
    assert sum(len(page["ForecastExportJobs"]) for page in listed) == 32 * 5 + 1


def test_the_http_control_surface(emu: Emulator, parents: Seeded, forecast: ForecastServiceClient) -> None:
    remote = RemoteEmulator(emu.endpoint_url)
    assert remote.health()["accountId"] == "123456789012"
    assert remote.configure(job_seconds=7, export_quota=2).job_seconds == 7
    assert emu.settings.export_quota == 2
    remote.fail_jobs("remote_", "Injected remotely")
    arn = create_export(forecast, parents, "remote_job")
    assert remote.counters()["CreateForecastExportJob"] == 1
    remote.advance_clock(7)
    described = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    assert (described["Status"], described["Message"]) == ("CREATE_FAILED", "Injected remotely")
    remote.reset_counters()
    assert remote.counters() == {}

    with pytest.raises(urllib.error.HTTPError) as raised:
        remote.configure(job_seconds=-1)
    assert raised.value.code == 400
    assert b"job_seconds must be a number >= 0" in raised.value.read()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{emu.endpoint_url}/_emulator/nothing")
    assert missing.value.code == 404

    remote.reset()
    assert forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []
    assert emu.client("s3").list_buckets()["Buckets"] == []


def _failures(emu: Emulator, requests: int = 40) -> list[bool]:
    """Which of `requests` ListForecasts calls the injected errors hit."""
    forecast = forecast_client(emu, retries={"total_max_attempts": 1, "mode": "standard"})
    hit = []
    for _ in range(requests):
        try:
            forecast.list_forecasts()
            hit.append(False)
        except ClientError:
            hit.append(True)
    return hit


def test_injected_errors_are_reproducible_with_a_seed() -> None:
    with Emulator(seed=7, error_rate=0.5) as first, Emulator(seed=7, error_rate=0.5) as second:
        pattern = _failures(first)
        assert 0 < sum(pattern) < len(pattern)
        assert _failures(second) == pattern  # same seed, same requests: the same failures
        first.reset()
        assert _failures(first) == pattern  # reset starts the sequence over
    with Emulator(seed=8, error_rate=0.5) as other:
        assert _failures(other) != pattern
    with Emulator(error_rate=0.5) as default, Emulator(error_rate=0.5) as again:
        assert _failures(default) == _failures(again)  # the default seed is fixed
        assert RemoteEmulator(default.endpoint_url).health()["seed"] == 0
