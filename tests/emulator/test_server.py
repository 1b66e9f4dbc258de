"""The HTTP server (keep-alive, moto's headers) and what a request costs as the table grows (no timings)."""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from forecast_emulator.lifecycle import State
from forecast_emulator.store import Store
from tests.emulator.support import create_export

_AUTH = (
    "AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/forecast/aws4_request, SignedHeaders=host, Signature=0"
)


def test_one_connection_serves_many_requests(emu: Emulator, parents: Seeded) -> None:
    """HTTP/1.1 keep-alive: Forecast, control and moto (S3) requests on one TCP connection."""
    url = urllib.parse.urlsplit(emu.endpoint_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    sockets = set()
    for _ in range(3):
        body = json.dumps({"MaxResults": 10}).encode()
        connection.request(
            "POST",
            "/",
            body=body,
            headers={
                "X-Amz-Target": "AmazonForecast.ListForecastExportJobs",
                "Content-Type": "application/x-amz-json-1.1",
                "Authorization": _AUTH,
            },
        )
        response = connection.getresponse()
        assert response.status == 200
        assert json.loads(response.read()) == {"ForecastExportJobs": []}
        assert response.getheader("Connection", "").lower() != "close"
        sockets.add(id(connection.sock))
        connection.request("GET", "/_emulator/health")
        response = connection.getresponse()
        assert json.loads(response.read())["status"] == "ok"
        sockets.add(id(connection.sock))
        connection.request("GET", f"/{parents.bucket}", headers={"Host": url.netloc})
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        sockets.add(id(connection.sock))
    connection.close()
    assert len(sockets) == 1


def test_s3_metadata_names_with_underscores_survive(s3: S3Client, parents: Seeded) -> None:
    """moto keeps metadata names from the server's map of header names, as with its own server."""
    s3.put_object(
        Bucket=parents.bucket, Key="meta", Body=b"x" * 70_000, Metadata={"my_key": "a", "other-key": "b"}
    )
    assert s3.head_object(Bucket=parents.bucket, Key="meta")["Metadata"] == {"my_key": "a", "other-key": "b"}


def test_a_request_settles_only_what_is_due(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """advance() looks at due transitions, not at every job in a timed phase, on every request."""
    emu.configure(job_seconds=600, export_quota=100)
    arns = [create_export(forecast, parents, f"many{i}") for i in range(30)]
    looked_at: list[str] = []
    phases = []
    original_advance, original_phases = State._advance, Store.phases

    def advance(self: State, arn: str, now: float) -> object:
        looked_at.append(arn)
        return original_advance(self, arn, now)

    def counted_phases(self: Store, statuses: object) -> object:
        phases.append(statuses)
        return original_phases(self, statuses)  # type: ignore[arg-type]

    monkeypatch.setattr(State, "_advance", advance)
    monkeypatch.setattr(Store, "phases", counted_phases)
    for arn in arns:
        forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        status = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"]
        assert status in ("CREATE_PENDING", "CREATE_IN_PROGRESS")
    assert looked_at == [] and phases == []

    emu.advance_clock(600)
    statuses = {forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"] for arn in arns}
    assert statuses == {"ACTIVE"}
    assert set(looked_at) == set(arns) and phases == []
    # New durations: due times are worked out again, from the table, once.
    emu.configure(delete_seconds=5)
    forecast.delete_forecast_export_job(ForecastExportJobArn=arns[0])
    forecast.list_forecast_export_jobs()
    assert len(phases) == 1


def test_lists_see_every_change(emu: Emulator, parents: Seeded, forecast: ForecastServiceClient) -> None:
    """Lists share decoded resources between requests; a change to a resource replaces its entry."""
    emu.configure(job_seconds=60)
    first = create_export(forecast, parents, "listed")

    def listed() -> list[tuple[str, str]]:
        jobs = forecast.list_forecast_export_jobs()["ForecastExportJobs"]
        return [(job["ForecastExportJobArn"], job["Status"]) for job in jobs]

    assert listed() == [(first, "CREATE_PENDING")]
    emu.advance_clock(60)
    assert listed() == [(first, "ACTIVE")]
    second = create_export(forecast, parents, "listed_too")
    assert listed() == [(second, "CREATE_PENDING"), (first, "ACTIVE")]
    forecast.delete_forecast_export_job(ForecastExportJobArn=first)
    assert listed()[1] == (first, "DELETE_PENDING")
    emu.advance_clock(60)
    assert listed() == [(second, "ACTIVE")]
    emu.reset()
    assert listed() == []
