"""The supported ranges, the matrix that tests them, the README that states them, and what happens
outside them: one warning line and a safe fallback, never a crash."""

from __future__ import annotations

import importlib.machinery
import logging
import re
import sys
import tomllib
import types
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from pulumi_aws_forecast import _aws, _compat, _versions, model
from tests import matrix

README = (matrix.REPO / "README.md").read_text()


def requirement(name: str) -> str:
    with (matrix.REPO / "pyproject.toml").open("rb") as f:
        dependencies = tomllib.load(f)["project"]["dependencies"]
    [found] = [d for d in dependencies if re.match(rf"{name}\b", d) and not d.startswith(f"{name}-")]
    return str(found)


def compatibility_section() -> str:
    return README[README.index("## Compatibility\n") : README.index("## Development\n")]


def test_the_requirements_are_ranges_from_the_oldest_cell_to_the_next_major() -> None:
    oldest = matrix.sets()["oldest"]
    for name in ("pulumi", "boto3", "botocore"):
        major = int(oldest[name].split(".")[0])
        assert requirement(name) == f"{name}>={oldest[name]},<{major + 1}.0.0"


def test_the_guards_tested_ranges_are_the_matrix() -> None:
    sets = matrix.sets()
    for name, (low, high) in _versions.TESTED.items():
        assert low == sets["oldest"][name]
        assert high == sets["newest"][name]


def test_the_development_pins_are_inside_the_tested_ranges() -> None:
    """So the rest of the suite, in .venv, runs both mechanisms, not their fallbacks."""
    pins = dict(
        line.split("==")
        for line in (matrix.REPO / "constraints.txt").read_text().splitlines()
        if "==" in line
    )
    for name in _versions.TESTED:
        assert _versions.untested(name) == [], f"{name} {pins.get(name)} is outside {_versions.TESTED[name]}"


def test_the_readme_states_the_matrix() -> None:
    section = compatibility_section()
    assert matrix.readme_table() in section
    sets = matrix.sets()
    tested = ", ".join(f"{n} {sets['oldest'][n]} to {sets['newest'][n]}" for n in ("pulumi", "grpcio"))
    assert f"Tested range: {tested}" in section
    pythons = matrix.definition()["pythons"]
    assert isinstance(pythons, list)
    assert f"on Python {' and '.join(pythons)}" in " ".join(section.split())
    for name in ("pulumi", "boto3"):
        assert f"`{requirement(name)[len(name) :]}`" in section


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The provider's warning lines, with the once-per-process memory reset."""
    monkeypatch.setattr(_versions, "_warned", set())
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logging.getLogger("pulumi_aws_forecast").addHandler(handler)
    yield lines
    logging.getLogger("pulumi_aws_forecast").removeHandler(handler)


def pretend(monkeypatch: pytest.MonkeyPatch, **versions: str) -> None:
    real = _versions.installed
    monkeypatch.setattr(_versions, "installed", lambda name: versions.get(name) or real(name))


@pytest.mark.parametrize("version", ["3.138.0", "3.273.0", "4.0.0"])
def test_an_untested_pulumi_keeps_the_4_threads_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str], version: str
) -> None:
    pretend(monkeypatch, pulumi=version)
    assert _compat.widen_grpc_pools(64) == 0
    assert _compat.widen_grpc_pools(64) == 0
    [line] = warnings
    assert f"pulumi {version} not tested" in line and "at most 4 operations" in line


def test_a_patch_release_of_the_newest_tested_minor_is_inside() -> None:
    newest = _versions.TESTED["pulumi"][1].split(".")
    assert _versions._release(".".join([*newest[:2], "99"]))[:2] == _versions._release(".".join(newest))[:2]


def test_missing_grpc_internals_keep_the_4_threads_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    from grpc import _server

    monkeypatch.delattr(_server, "_ServerState")
    assert _compat.widen_grpc_pools(64) == 0
    [line] = warnings
    assert "could not find the dynamic provider's gRPC thread pool" in line


def quota_client() -> Any:
    return boto3.client("forecast", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


CREATE = {
    "ForecastExportJobName": "q",
    "ForecastArn": "arn:aws:forecast:us-east-1:123456789012:forecast/f",
    "Destination": {"S3Config": {"Path": "s3://b/x", "RoleArn": "arn:aws:iam::123456789012:role/r"}},
}


@pytest.mark.parametrize("botocore_version", [None, "1.34.0", "1.45.0"])
def test_the_quota_refusal_is_recognised_in_and_outside_the_tested_botocore(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str], botocore_version: str | None
) -> None:
    if botocore_version:
        pretend(monkeypatch, botocore=botocore_version)
    forecast = quota_client()
    hooked = _compat.raise_instead_of_retrying(
        forecast, "CreateForecastExportJob", "LimitExceededException", _aws.QuotaReached
    )
    assert hooked is (botocore_version is None)
    with Stubber(forecast) as stub:
        stub.add_client_error(
            "create_forecast_export_job", service_error_code="LimitExceededException", service_message="full"
        )
        stub.add_client_error("create_forecast_export_job", service_error_code="InvalidInputException")
        with pytest.raises(_aws.QuotaReached, match="full"):
            forecast.create_forecast_export_job(**CREATE)
        with pytest.raises(forecast.exceptions.InvalidInputException):  # other errors pass through
            forecast.create_forecast_export_job(**CREATE)
    if botocore_version:
        _compat.raise_instead_of_retrying(
            quota_client(), "CreateForecastExportJob", "LimitExceededException", _aws.QuotaReached
        )
        [line] = warnings
        assert f"botocore {botocore_version} not tested" in line
    else:
        assert warnings == []


def test_a_hook_that_cannot_be_registered_degrades_with_one_warning(warnings: list[str]) -> None:
    forecast = quota_client()
    forecast.meta.events.register_first = None  # not callable: the registration fails
    hooked = _compat.raise_instead_of_retrying(
        forecast, "CreateForecastExportJob", "LimitExceededException", _aws.QuotaReached
    )
    assert hooked is False
    [line] = warnings
    assert "could not register the needs-retry hook" in line


def loaded_by_botocore() -> dict[str, Any]:
    from botocore.loaders import create_loader

    found: dict[str, Any] = create_loader().load_service_model("forecast", "service-2")
    return found


def test_the_model_read_from_botocores_data_folder_is_the_loaders(warnings: list[str]) -> None:
    assert model.botocore_service_data("forecast") == loaded_by_botocore()
    assert warnings == []


def test_an_untested_botocore_loads_the_model_through_its_loader_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    pretend(monkeypatch, botocore="1.45.0")
    monkeypatch.setattr("botocore.__file__", "/nowhere/botocore/__init__.py")  # the folder is not read
    assert model.botocore_service_data("forecast") == loaded_by_botocore()
    assert model.botocore_service_data("forecast") == loaded_by_botocore()
    [line] = warnings
    assert "botocore 1.45.0 not tested with reading its data folder" in line


def test_a_data_folder_not_where_it_should_be_falls_back_to_the_loader_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str], tmp_path: Any
) -> None:
    monkeypatch.setattr("botocore.__file__", str(tmp_path / "botocore" / "__init__.py"))
    assert model.botocore_service_data("forecast") == loaded_by_botocore()
    [line] = warnings
    assert "could not read the forecast model from" in line and "through botocore's loader" in line


@pytest.mark.parametrize("where", ["AWS_DATA_PATH", "~/.aws/models"])
def test_a_users_model_is_the_one_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Any, where: str) -> None:
    """As botocore would: a model on AWS_DATA_PATH or in ~/.aws/models wins over botocore's own."""
    import json

    own = loaded_by_botocore()
    custom = {**own, "documentation": "a user's model"}
    root = tmp_path / "data" if where == "AWS_DATA_PATH" else tmp_path / ".aws" / "models"
    folder = root / "forecast" / own["metadata"]["apiVersion"]
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(custom))
    if where == "AWS_DATA_PATH":
        monkeypatch.setenv("AWS_DATA_PATH", str(root))
    else:  # a process started with this home: botocore's loader reads it at import
        from botocore.loaders import Loader

        monkeypatch.setenv("HOME", str(tmp_path))
        monkeypatch.setattr(Loader, "CUSTOMER_DATA_PATH", str(root))
    assert model.botocore_service_data("forecast")["documentation"] == "a user's model"


# --- The dynamic provider's engine and URN (the SDK's servicer is the real one in tests/e2e) -------


class DynamicResourceProviderServicer:
    """Stands for pulumi.dynamic.__main__'s servicer: its Create holds the engine's request."""

    def Create(self, request: Any, context: Any) -> tuple[str, str] | None:
        return _compat.dynamic_engine_target()


class _Request:
    urn = "urn:pulumi:dev::proj::pulumi-python:dynamic/forecast:ForecastExportJob::daily"


def in_the_dynamic_provider(monkeypatch: pytest.MonkeyPatch, *argv: str) -> None:
    """This process as `python -m pulumi.dynamic <argv>` would look."""
    main = types.ModuleType("__main__")
    main.__spec__ = importlib.machinery.ModuleSpec("pulumi.dynamic.__main__", None)
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr(sys, "argv", ["/venv/lib/pulumi/dynamic/__main__.py", *argv])


def test_the_dynamic_provider_finds_the_engine_and_the_urn_of_the_call(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    in_the_dynamic_provider(monkeypatch, "--logtostderr", "-v=9", "127.0.0.1:40321")
    assert DynamicResourceProviderServicer().Create(_Request(), None) == ("127.0.0.1:40321", _Request.urn)
    assert warnings == []


def test_outside_the_dynamic_provider_there_is_no_engine_and_no_warning(warnings: list[str]) -> None:
    assert DynamicResourceProviderServicer().Create(_Request(), None) is None
    assert warnings == []


def test_an_untested_pulumi_shows_no_progress_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    in_the_dynamic_provider(monkeypatch, "127.0.0.1:40321")
    pretend(monkeypatch, pulumi="3.273.0")
    servicer = DynamicResourceProviderServicer()
    assert servicer.Create(_Request(), None) is None and servicer.Create(_Request(), None) is None
    [line] = warnings
    assert "pulumi 3.273.0 not tested with reading the resource's URN" in line and "no progress" in line


@pytest.mark.parametrize("argv", [(), ("--logtostderr",)])
def test_a_call_without_the_engines_address_shows_no_progress_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, warnings: list[str], argv: tuple[str, ...]
) -> None:
    in_the_dynamic_provider(monkeypatch, *argv)
    assert DynamicResourceProviderServicer().Create(_Request(), None) is None
    [line] = warnings
    assert "could not find the engine's address or the resource's URN" in line
