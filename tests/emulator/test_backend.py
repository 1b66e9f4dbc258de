"""The backend's shape: one method per operation, named after it, for every kind in the catalogue."""

from __future__ import annotations

import inspect

from forecast_emulator.models import ForecastBackend
from forecast_emulator.responses import operations
from pulumi_aws_forecast.catalog import snake
from pulumi_aws_forecast.model import service_model


def test_every_catalogue_operation_has_a_backend_method_named_after_it() -> None:
    for operation in operations():
        assert operation in service_model().operation_names, operation
        method = getattr(ForecastBackend, snake(operation))
        # `grep -rn DescribeForecastExportJob emulator/` finds the method: its docstring names the operation.
        assert (inspect.getdoc(method) or "").startswith(operation), operation


def test_the_backend_has_no_other_public_methods() -> None:
    public = {
        name
        for name, _ in inspect.getmembers(ForecastBackend, inspect.isfunction)
        if not name.startswith("_")
    }
    assert public - {snake(operation) for operation in operations()} == {
        "transaction",
        "now",
        "estimated_minutes",
    }
