"""The harness drives the real `pulumi` binary: up, a preview with no changes, destroy."""

from __future__ import annotations

import importlib.metadata
import subprocess

import pytest
from pulumi import automation as auto

from tests.conftest import StackFactory
from tests.harness import PULUMI

PROGRAM = """
import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider

class Provider(ResourceProvider):
    def create(self, props):
        return CreateResult(id_="thing-1", outs=dict(props))

class Thing(Resource):
    def __init__(self, name, value):
        super().__init__(Provider(), name, {"value": value})

thing = Thing("thing", pulumi.Config().get("value") or "hello")
pulumi.export("value", thing.value)
"""


def test_cli_is_the_pinned_version() -> None:
    sdk_version = importlib.metadata.version("pulumi")
    printed = subprocess.run([str(PULUMI), "version"], check=True, capture_output=True, text=True).stdout
    assert printed.strip() == f"v{sdk_version}"


def test_up_preview_destroy(pulumi_stack: StackFactory) -> None:
    stack = pulumi_stack(PROGRAM)

    up = stack.up()
    assert up.changes == {"create": 2}
    assert up.outputs == {"value": "hello"}
    assert "pulumi-python:dynamic:Resource" in up.output
    [thing] = stack.resources("dynamic:Resource")
    assert thing["id"] == "thing-1"

    assert stack.preview(expect_no_changes=True).changes == {"same": 2}

    stack.set_config("value", "changed")
    with pytest.raises(auto.CommandError, match="no changes were expected"):
        stack.preview(expect_no_changes=True)

    assert stack.destroy().changes == {"delete": 2}
    assert stack.resources() == []
