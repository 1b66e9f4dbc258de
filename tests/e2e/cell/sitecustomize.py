"""Test probe, on PYTHONPATH only in compatibility-matrix runs: every Python process of the stack
(the program, the dynamic provider) records which interpreter and libraries it runs with."""

import os

if os.environ.get("MATRIX_PROBE_DIR"):
    import importlib.metadata
    import json
    import sys

    def _version(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    _record = {
        "argv": list(getattr(sys, "orig_argv", sys.argv)),
        "prefix": sys.prefix,
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "versions": {n: _version(n) for n in ("pulumi", "grpcio", "boto3", "botocore")},
    }
    with open(os.path.join(os.environ["MATRIX_PROBE_DIR"], f"{os.getpid()}.json"), "w") as _out:
        json.dump(_record, _out)
