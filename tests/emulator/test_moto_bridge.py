"""The one place the emulator leans on moto's internals: AWS managed policies built once per account."""

from __future__ import annotations

import importlib.metadata
from types import SimpleNamespace
from typing import Any

import pytest
from moto.iam import models

from forecast_emulator import moto_bridge


def test_within_the_tested_moto_the_policies_are_built_once_per_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []

    def build(backend: Any) -> list[Any]:
        built.append(backend.account_id)
        return []

    monkeypatch.setattr(models.IAMBackend, "_init_aws_policies", build)  # restored after the test
    moto_bridge.load_managed_policies.__wrapped__()
    patched = models.IAMBackend._init_aws_policies
    assert patched is not build
    for account in ("111111111111", "111111111111", "222222222222"):
        patched(SimpleNamespace(account_id=account, region_name="global"))  # type: ignore[arg-type]
    assert built == ["111111111111", "222222222222"]


def test_an_untested_moto_gets_one_warning_and_builds_them_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "6.0.0" if name == "moto" else real(name))
    before = models.IAMBackend._init_aws_policies
    with pytest.warns(
        UserWarning, match=r"not tested with moto 6\.0\.0: AWS managed policies are built anew"
    ):
        moto_bridge.load_managed_policies.__wrapped__()
    assert models.IAMBackend._init_aws_policies is before
