"""The compatibility matrix (tests/matrix.toml): its cells, and their virtualenvs.

    python -m tests.matrix build    build every cell's virtualenv that is not cached yet (make matrix)
    python -m tests.matrix list     each cell and its virtualenv
    python -m tests.matrix newest   the newest release PyPI serves of each pinned package
    python -m tests.matrix readme   the table README.md's Compatibility section carries

A cell is one Python and one set of pins (`oldest`, `newest`). Its virtualenv lives outside the
clone, in ~/.cache/pulumi-aws-forecast/matrix/<cell>-<hash> (PULUMI_AWS_FORECAST_CACHE moves
the root, as for the Pulumi CLI), keyed by the interpreter's exact version, the pins, the
provider's declared runtime requirements and BUILD_VERSION, so every clone and CI run reuses it
(and those of the same cell under other keys go after a week unused).
It holds the pinned packages, resolved together with the provider's requirement ranges (a pin
outside a range fails the build), and not the provider itself: the tests put the clone's
provider/ on PYTHONPATH, so a cell tests the code in the clone with the cell's libraries.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MATRIX_TOML = REPO / "tests" / "matrix.toml"
PROVIDER_SRC = REPO / "provider"
COMPLETE = "matrix-cell.json"
#: Part of every cell's key: bump it when `build` changes what goes into a virtualenv.
BUILD_VERSION = 1
#: Virtualenvs of a cell under another key (older pins) are removed after this long unused.
PRUNE_AFTER_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Cell:
    python: str  # "3.11"
    set_name: str  # "oldest" | "newest"
    pins: tuple[tuple[str, str], ...]  # (("pulumi", "3.139.0"), ...)

    @property
    def name(self) -> str:
        return f"py{self.python}-{self.set_name}"

    def pin(self, package: str) -> str:
        return dict(self.pins)[package]


def definition() -> dict[str, object]:
    with MATRIX_TOML.open("rb") as f:
        return tomllib.load(f)


def sets() -> dict[str, dict[str, str]]:
    found = definition()["sets"]
    assert isinstance(found, dict)
    return {str(k): {str(p): str(v) for p, v in dict(v).items()} for k, v in found.items()}


def cells() -> list[Cell]:
    pythons = definition()["pythons"]
    assert isinstance(pythons, list)
    return [
        Cell(str(python), set_name, tuple(sorted(pins.items())))
        for python in pythons
        for set_name, pins in sets().items()
    ]


def runtime_requirements() -> list[str]:
    """The provider's declared dependencies (the ranges in pyproject.toml)."""
    with (REPO / "pyproject.toml").open("rb") as f:
        return [str(r) for r in tomllib.load(f)["project"]["dependencies"]]


def cache_root() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pulumi-aws-forecast"
    return Path(os.environ.get("PULUMI_AWS_FORECAST_CACHE") or default) / "matrix"


def find_python(version: str) -> Path:
    """An interpreter of `version` ("3.13"): python3.13 on PATH, else pyenv's newest 3.13.x."""
    on_path = shutil.which(f"python{version}")
    candidates = [Path(on_path)] if on_path else []
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    found = sorted(
        glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"),
        key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()],
    )
    candidates += [Path(p) for p in reversed(found)]
    for candidate in candidates:
        if candidate.exists() and _run([str(candidate), "-c", "import venv, ensurepip"], check=False) == 0:
            return candidate
    raise SystemExit(
        f"matrix: no Python {version} with venv (python{version} on PATH or in {pyenv_root}/versions)"
    )


def _run(cmd: list[str], *, check: bool = True) -> int:
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if check and done.returncode != 0:
        raise SystemExit(f"matrix: {' '.join(cmd)} failed:\n{done.stderr}")
    return done.returncode


def interpreter_version(python: Path) -> str:
    return subprocess.run(
        [str(python), "-c", "import sys; print(sys.version)"], capture_output=True, text=True, check=True
    ).stdout.strip()


def key(cell: Cell, python: Path) -> str:
    inputs = {
        "python": interpreter_version(python),
        "pins": cell.pins,
        "requirements": runtime_requirements(),
        "build": BUILD_VERSION,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:12]


def venv_path(cell: Cell) -> Path:
    return cache_root() / f"{cell.name}-{key(cell, find_python(cell.python))}"


def is_built(venv: Path) -> bool:
    return (venv / COMPLETE).exists() and (venv / "bin" / "python").exists()


def build(cell: Cell) -> tuple[Path, bool]:
    """The cell's virtualenv, built if missing. Returns (path, whether it was built now)."""
    python = find_python(cell.python)
    venv = cache_root() / f"{cell.name}-{key(cell, python)}"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f".{venv.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another clone or CI job building the same cell waits
        if is_built(venv):
            (venv / COMPLETE).touch()  # in use: not to be pruned
            return venv, False
        _prune(cell, keep=venv)
        shutil.rmtree(venv, ignore_errors=True)  # a build interrupted half-way
        _run([str(python), "-m", "venv", str(venv)])
        pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet"]
        pins = [f"{package}=={version}" for package, version in cell.pins]
        _run([*pip, "install", *pins, *runtime_requirements()])
        _run([*pip, "check"])
        frozen = subprocess.run([*pip, "freeze"], capture_output=True, text=True, check=True).stdout
        (venv / COMPLETE).write_text(
            json.dumps({"cell": cell.name, "pins": dict(cell.pins), "freeze": frozen.splitlines()}, indent=2)
        )
        return venv, True


PACKAGES = ("pulumi", "grpcio", "boto3", "botocore")


def readme_table() -> str:
    """The matrix as README.md's Compatibility section shows it (checked by the unit tests)."""
    rows = ["| cell | Python | " + " | ".join(PACKAGES) + " |", "|---" * (len(PACKAGES) + 2) + "|"]
    rows += [f"| `{c.name}` | {c.python} | " + " | ".join(c.pin(p) for p in PACKAGES) + " |" for c in cells()]
    return "\n".join(rows)


def _prune(cell: Cell, keep: Path) -> None:
    for other in keep.parent.glob(f"{cell.name}-*"):
        marker = other / COMPLETE
        unused = time.time() - (marker if marker.exists() else other).stat().st_mtime
        if other != keep and other.is_dir() and unused > PRUNE_AFTER_SECONDS:
            shutil.rmtree(other, ignore_errors=True)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "build"
    if command == "build":
        for cell in cells():
            start = time.monotonic()
            venv, built = build(cell)
            how = f"built in {time.monotonic() - start:.0f}s" if built else "cached"
            print(f"matrix: {cell.name:<16} {how:<14} {venv}")
        return 0
    if command == "list":
        for cell in cells():
            venv = venv_path(cell)
            print(f"{cell.name:<16} {'built' if is_built(venv) else 'missing':<8} {venv}")
        return 0
    if command == "readme":
        print(readme_table())
        return 0
    if command == "newest":
        for package in sorted({p for pins in sets().values() for p in pins}):
            done = subprocess.run(
                [sys.executable, "-m", "pip", "index", "versions", package],
                capture_output=True,
                text=True,
                check=False,
            )
            newest = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()
            print(f"{package:<10} matrix: {sets()['newest'][package]:<10} PyPI: {newest}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
