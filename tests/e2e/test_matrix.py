"""The compatibility matrix (tests/matrix.toml): each cell's Python and libraries, through the real CLI.

For each cell, a stack with a job of every kind is deployed, previewed and destroyed against the emulator with
the Pulumi program and the dynamic provider running in the cell's virtualenv (built by
`make matrix`), and the guarded private-internals mechanisms are exercised with its libraries.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pulumi_aws_forecast.catalog import KINDS as CATALOGUE
from tests import matrix
from tests.e2e.program import PROGRAM
from tests.e2e.world import KINDS, World, destroy_and_check
from tests.e2e.world import text as _text

CELLS = matrix.cells()
CELL_DIR = Path(__file__).resolve().parent / "cell"

# The program also exports what it runs with, as the user's program would see it.
MATRIX_PROGRAM = (
    PROGRAM
    + """
import importlib.metadata
import sys

import pulumi_aws_forecast

pulumi.export("sdk", importlib.metadata.version("pulumi"))
pulumi.export("python", "%d.%d" % sys.version_info[:2])
pulumi.export("provider_file", pulumi_aws_forecast.__file__)
"""
)


def cell_venv(cell: matrix.Cell) -> Path:
    venv = matrix.venv_path(cell)
    assert matrix.is_built(venv), f"{cell.name}: {venv} is not built: run `make matrix`"
    return venv


def probes(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]


@pytest.mark.parametrize("cell", CELLS, ids=[c.name for c in CELLS])
def test_smoke(world: World, cell: matrix.Cell, tmp_path: Path) -> None:
    """One stack with a job of every kind: up, a clean preview, destroy, all inside the cell."""
    venv = cell_venv(cell)
    probe_dir = tmp_path / "probes"
    probe_dir.mkdir()
    config = {
        "parentArns": {kind: world.parent(kind) for kind in KINDS},
        "path": world.path(),
        "roleArn": world.seeded.role_arn,
    }
    stack = world.make_stack(
        MATRIX_PROGRAM,
        env={
            **world.env,
            "PYTHONPATH": os.pathsep.join([str(matrix.PROVIDER_SRC), str(CELL_DIR)]),
            "MATRIX_PROBE_DIR": str(probe_dir),
        },
        config={k: _text(v) for k, v in config.items()},
        venv=venv,
    )

    up = stack.up()
    assert up.changes == {"create": 1 + len(KINDS)}
    assert up.outputs["statuses"] == {kind: "ACTIVE" for kind in KINDS}
    assert up.outputs["sdk"] == cell.pin("pulumi")
    assert up.outputs["python"] == cell.python
    assert up.outputs["provider_file"].startswith(str(matrix.PROVIDER_SRC))
    # Inside the tested versions, neither guarded mechanism degrades (it would warn).
    assert "not tested with" not in up.output and "could not" not in up.output
    for kind in KINDS:
        [job] = world.jobs(kind)
        assert job["Status"] == "ACTIVE", kind
        assert job[CATALOGUE[kind].arn_member] == up.outputs["arns"][kind]

    # Every Python process of the stack ran in the cell, the dynamic provider included.
    ran = probes(probe_dir)
    assert any("pulumi.dynamic" in record["argv"] for record in ran), ran
    for record in ran:
        assert Path(record["prefix"]) == venv
        assert record["versions"]["pulumi"] == cell.pin("pulumi")
        assert record["versions"]["botocore"] == cell.pin("botocore")
        assert record["versions"]["grpcio"] == cell.pin("grpcio")

    assert stack.preview(expect_no_changes=True).changes == {"same": 1 + len(KINDS)}
    destroy_and_check(world, stack)


@pytest.mark.parametrize("cell", CELLS, ids=[c.name for c in CELLS])
def test_private_internals_work_with_the_cells_libraries(cell: matrix.Cell) -> None:
    venv = cell_venv(cell)
    done = subprocess.run(
        [str(venv / "bin" / "python"), str(CELL_DIR / "check_internals.py")],
        env={**os.environ, "PYTHONPATH": str(matrix.PROVIDER_SRC)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["grpc"] == {"sdk_shape": True, "limit": 64, "eight_at_once": True}
    assert found["botocore"]["raised"] == "QuotaReached: quota test"
    assert found["botocore"]["requests"] == 1  # refused once, not retried
    assert found["model_data"] is True
    assert found["warnings"] == []
