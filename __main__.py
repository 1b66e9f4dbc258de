"""The root stack's entry point: runs the quickstart program, examples/quickstart/__main__.py.

Pulumi.yaml has no `main:` pointing there because the Python dynamic-provider plugin resolves
the relative `virtualenv: .venv` against the program's folder, not the project's: with `main:`
it would look for examples/quickstart/.venv.
"""

import runpy
from pathlib import Path

runpy.run_path(
    str(Path(__file__).resolve().parent / "examples" / "quickstart" / "__main__.py"), run_name="__main__"
)
