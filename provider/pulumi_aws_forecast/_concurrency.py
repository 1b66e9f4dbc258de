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

What it relies on, checked by `widen_provider_pool` (and by the end-to-end
concurrency test, which fails loudly if any of it stops holding):
- the process's `__main__` is `pulumi.dynamic.__main__`;
- grpc keeps the server's executor as `grpc._server._ServerState.thread_pool`;
- that executor is a `concurrent.futures.ThreadPoolExecutor` with `_max_workers`.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger("pulumi_aws_forecast")

#: Worker threads for the provider process; PULUMI_AWS_FORECAST_PROVIDER_THREADS overrides.
DEFAULT_WORKERS = 256

_lock = threading.Lock()
_widened: int | None = None


def in_dynamic_provider_process() -> bool:
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == "pulumi.dynamic.__main__"


def provider_executors() -> list[ThreadPoolExecutor]:
    """The thread pools of the gRPC servers in this process."""
    from grpc import _server

    states = [o for o in gc.get_objects() if isinstance(o, _server._ServerState)]
    return [s.thread_pool for s in states if isinstance(getattr(s, "thread_pool", None), ThreadPoolExecutor)]


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
        workers = workers or int(os.environ.get("PULUMI_AWS_FORECAST_PROVIDER_THREADS", DEFAULT_WORKERS))
        executors = provider_executors()
        if not executors:
            log.warning(
                "pulumi-aws-forecast: could not find the dynamic provider's gRPC thread pool; "
                "at most 4 operations of dynamic resources will run at once"
            )
            _widened = 0
            return 0
        for executor in executors:
            executor._max_workers = max(executor._max_workers, workers)
        _widened = min(executor._max_workers for executor in executors)
        return _widened
