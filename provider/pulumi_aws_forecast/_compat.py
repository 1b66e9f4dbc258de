"""Three places where the provider relies on private internals of other libraries, each guarded.

- `widen_grpc_pools`: the dynamic-provider process's gRPC server runs on a ThreadPoolExecutor
  that pulumi hard-codes to 4 workers (`pulumi.dynamic.__main__`), kept by grpc as
  `grpc._server._ServerState.thread_pool`; the limit is the executor's `_max_workers`.
- `raise_instead_of_retrying`: botocore's `needs-retry.<service>.<operation>` event, whose
  handlers receive the parsed response as `response=(http, parsed)`, lets a handler stop
  botocore's standard retries from silently retrying one error code.
- `dynamic_engine_target`: a dynamic provider's methods are not given the resource's URN, which
  its status messages need: pulumi's servicer (`pulumi.dynamic.__main__`) holds it in the
  `request` of the gRPC call that calls them, read from that call's frame.

(The third, reading botocore's service model from its data folder, is `model`'s.)

Each runs its mechanism only with versions inside the range the compatibility matrix tests
(`_versions.TESTED`, checked against tests/matrix.toml by the test suite). Outside it, or when the
internals are not where they should be, it logs one warning line per process and degrades:
- the gRPC pool keeps pulumi's 4 workers (at most 4 dynamic-resource operations at once);
- the quota refusal is recognised from the ClientError botocore raises once its retries are
  spent (public API), so the wait for a free slot starts later but happens all the same;
- the dynamic resources' lines show no progress (their quota and IAM waits are warnings, as before).
Never a crash, never a silently different result.
"""

from __future__ import annotations

import functools
import gc
import re
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import Any

from ._versions import tested_range, untested, warn_once

# --- The dynamic provider's gRPC thread pool ----------------------------------------------------


def widen_grpc_pools(workers: int) -> int:
    """Raise the worker limit of this process's gRPC server thread pools to at least `workers`.

    Returns the limit now in force, or 0 (after one warning) when it degraded: pulumi or grpcio
    outside the tested versions, or no pool found.
    """
    outside = untested("pulumi", "grpcio")
    if outside:
        warn_once(
            "grpc",
            f"{' and '.join(outside)} not tested with the widening of the dynamic provider's gRPC pool "
            f"(tested: {tested_range('pulumi', 'grpcio')}); keeping its 4 threads, so at most 4 "
            "operations of dynamic resources run at once",
        )
        return 0
    try:
        from grpc import _server

        states = [o for o in gc.get_objects() if isinstance(o, _server._ServerState)]
        executors = [
            s.thread_pool for s in states if isinstance(getattr(s, "thread_pool", None), ThreadPoolExecutor)
        ]
        if not executors or not all(isinstance(getattr(e, "_max_workers", None), int) for e in executors):
            raise LookupError("no grpc._server._ServerState with a ThreadPoolExecutor thread_pool")
        for executor in executors:
            executor._max_workers = max(executor._max_workers, workers)
        return int(min(executor._max_workers for executor in executors))
    except Exception as error:  # degrade, never crash the provider over an optimisation
        warn_once(
            "grpc",
            f"could not find the dynamic provider's gRPC thread pool ({error}); at most 4 operations "
            "of dynamic resources will run at once",
        )
        return 0


# --- botocore: one error code raised instead of retried -----------------------------------------


def raise_instead_of_retrying(
    client: Any, operation: str, code: str, error: Callable[[str], BaseException]
) -> bool:
    """Make `client`'s `operation` raise `error(message)` on the error `code`, instead of retrying it.

    Inside the tested botocore versions a `needs-retry` handler raises at the first refusal.
    In any case the operation's method is wrapped so that a ClientError with that code (raised
    once botocore's retries are spent) becomes `error` too. Returns whether the handler is in place.
    """
    from botocore import xform_name
    from botocore.exceptions import ClientError

    method_name = xform_name(operation)
    method = getattr(client, method_name)

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except ClientError as refused:
            if refused.response.get("Error", {}).get("Code") == code:
                raise error(str(refused.response["Error"].get("Message", code))) from None
            raise

    setattr(client, method_name, call)

    outside = untested("botocore")
    if outside:
        warn_once(
            "botocore",
            f"{outside[0]} not tested with the needs-retry hook (tested: {tested_range('botocore')}); "
            f"{code} is recognised once botocore's retries are spent, so waits start later",
        )
        return False

    def stop(response: Any = None, **_: Any) -> None:
        parsed = response[1] if isinstance(response, tuple) and len(response) == 2 else None
        details = parsed.get("Error", {}) if isinstance(parsed, dict) else {}
        if details.get("Code") == code:
            raise error(str(details.get("Message", code)))

    try:
        service = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register_first(f"needs-retry.{service}.{operation}", stop)
    except Exception as failure:  # degrade to the wrapper alone
        warn_once(
            "botocore",
            f"could not register the needs-retry hook ({failure}); {code} is recognised once "
            "botocore's retries are spent, so waits start later",
        )
        return False
    return True


# --- The dynamic provider's engine and the URN of the resource a call is for --------------------

#: The servicer's calls that run the lifecycle's waits, and how far up the stack they may be.
_SERVICER_CALLS = frozenset({"Create", "Update", "Delete", "Read"})
_FRAMES = 8
_ADDRESS = re.compile(r"(\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}")


def dynamic_engine_target() -> tuple[str, str] | None:
    """(engine address, resource URN) for the dynamic provider's call this thread is in; None outside
    one, or (after one warning) when pulumi is outside the tested versions or the call's request is
    not where it should be.

    The engine starts every provider plugin with its address as the last argument (pulumi's
    `pulumi-resource-pulumi-python` passes it on to `python -m pulumi.dynamic`, which ignores it),
    and the servicer's `Create(self, request, context)` (`Update`, `Delete`, `Read`) calls the
    provider's method with the request's properties only, not its `urn`.
    """
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None) != "pulumi.dynamic.__main__":
        return None  # not the dynamic provider's process (a test, a program): no engine to talk to
    outside = untested("pulumi")
    if outside:
        warn_once(
            "dynamic-urn",
            f"{outside[0]} not tested with reading the resource's URN in the dynamic provider (tested: "
            f"{tested_range('pulumi')}); the resources' lines show no progress while jobs run",
        )
        return None
    address = sys.argv[-1] if len(sys.argv) > 1 else ""
    frame: FrameType | None = sys._getframe(1)
    for _ in range(_FRAMES):
        if frame is None:
            break
        request, servicer = frame.f_locals.get("request"), frame.f_locals.get("self")
        if (
            frame.f_code.co_name in _SERVICER_CALLS
            and type(servicer).__name__ == "DynamicResourceProviderServicer"
        ):
            urn = getattr(request, "urn", None)
            if isinstance(urn, str) and urn and _ADDRESS.fullmatch(address):
                return address, urn
            break
        frame = frame.f_back
    warn_once(
        "dynamic-urn",
        "could not find the engine's address or the resource's URN in the dynamic provider's call; "
        "the resources' lines show no progress while jobs run",
    )
    return None
