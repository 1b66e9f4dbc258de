"""Let many export jobs wait at once in the dynamic-provider process.

Every Python dynamic resource in a stack is served by one process,
`python -m pulumi.dynamic`, whose gRPC server runs requests on a
`ThreadPoolExecutor(max_workers=4)` that the SDK hard-codes. A create that waits
for its job to become ACTIVE holds a worker for the whole wait, so four waiting
creates stall the whole deployment: every further Check, Diff or Create, ours or
not, queues behind them.

The fix is contained here: the first time a provider is configured inside that
process, raise the executor's worker limit. `ThreadPoolExecutor` starts a new
thread per submitted task while it has fewer than `_max_workers`, so a raised
limit takes effect on the next request. The engine's own `--parallel` (default
4 x cores) still bounds how many operations run at once.

What it relies on:
- the process's `__main__` is `pulumi.dynamic.__main__` (checked here);
- grpc keeps the server's executor as `grpc._server._ServerState.thread_pool`, a
  `concurrent.futures.ThreadPoolExecutor` with `_max_workers`: private, so it is done by
  `_compat.widen_grpc_pools`, only with the pulumi and grpcio versions the compatibility
  matrix tests (a one-line warning and pulumi's 4 threads otherwise). The end-to-end
  concurrency test and each matrix cell check it.

The provider plugin (`_plugin.py`) has the same need in another form: its grpc.aio server serves
any number of calls at once, but each runs the lifecycle's blocking calls in a worker thread, and
asyncio's default executor has min(32, cores + 4) of them (6 on two cores). It runs them on a pool
of its own, `worker_limit()` threads.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from ._compat import widen_grpc_pools

log = logging.getLogger("pulumi_aws_forecast")

#: Worker threads for the provider process (the dynamic provider's gRPC pool, the plugin's pool for
#: blocking calls); PULUMI_AWS_FORECAST_PROVIDER_THREADS overrides.
DEFAULT_WORKERS = 256

_lock = threading.Lock()
_widened: int | None = None


def in_dynamic_provider_process() -> bool:
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == "pulumi.dynamic.__main__"


def worker_limit() -> int:
    """How many operations a provider process lets run at once (waits for ACTIVE included)."""
    return int(os.environ.get("PULUMI_AWS_FORECAST_PROVIDER_THREADS", DEFAULT_WORKERS))


def widen_provider_pool(workers: int | None = None) -> int:
    """Raise the dynamic-provider server's worker limit (once per process); returns the limit now in force.

    Outside the dynamic-provider process it does nothing and returns 0.
    """
    global _widened
    with _lock:
        if _widened is not None:
            return _widened
        if not in_dynamic_provider_process():
            _widened = 0
            return 0
        workers = workers or worker_limit()
        _widened = widen_grpc_pools(workers)  # guarded: 0, with a warning, outside the tested versions
        return _widened
