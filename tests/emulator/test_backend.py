"""The backend's shape: one method per operation, named after it, for every kind in the catalogue."""

from __future__ import annotations

import inspect

from forecast_emulator.models import ForecastBackend
from forecast_emulator.responses import operations
from pulumi_aws_forecast.catalog import KINDS, snake
from pulumi_aws_forecast.rules import service_model


def test_every_catalogue_operation_has_a_backend_method_named_after_it() -> None:
    served = operations()
    for kind in KINDS.values():
        for operation in (
            kind.create_operation,
            kind.describe_operation,
            kind.list_operation,
            kind.delete_operation,
        ):
            assert operation in served, operation
    for operation in served:
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
