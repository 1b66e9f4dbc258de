"""The three places where the provider relies on private internals of other libraries, each guarded.

- `widen_grpc_pools`: the dynamic-provider process's gRPC server runs on a ThreadPoolExecutor
  that pulumi hard-codes to 4 workers (`pulumi.dynamic.__main__`), kept by grpc as
  `grpc._server._ServerState.thread_pool`; the limit is the executor's `_max_workers`.
- `raise_instead_of_retrying`: botocore's `needs-retry.<service>.<operation>` event, whose
  handlers receive the parsed response as `response=(http, parsed)`, lets a handler stop
  botocore's standard retries from silently retrying one error code.
- `botocore_service_data`: botocore keeps each service's model as
  `botocore/data/<service>/<api version>/service-2.json[.gz]`; reading it there skips importing
  `botocore.loaders` and, through it, botocore's HTTP stack (about 70 ms of every preview's
  provider start-up).

Each runs its mechanism only with versions inside the range the compatibility matrix tests
(`TESTED`, checked against tests/matrix.toml by the test suite). Outside it, or when the
internals are not where they should be, it logs one warning line per process and degrades:
- the gRPC pool keeps pulumi's 4 workers (at most 4 dynamic-resource operations at once);
- the quota refusal is recognised from the ClientError botocore raises once its retries are
  spent (public API), so the wait for a free slot starts later but happens all the same;
- the service model is loaded by `botocore.loaders` (public API): the same document, later.
Never a crash, never a silently different result.
"""

from __future__ import annotations

import functools
import gc
import gzip
import importlib.metadata
import json
import logging
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

log = logging.getLogger("pulumi_aws_forecast")

#: The versions the matrix runs, per distribution: (oldest, newest). A version is inside when it
#: is at least `oldest` and its major.minor is at most `newest`'s (patch releases of the newest
#: tested minor are in).
TESTED: dict[str, tuple[str, str]] = {
    "pulumi": ("3.139.0", "3.272.0"),
    "grpcio": ("1.66.2", "1.85.1"),
    "botocore": ("1.35.0", "1.44.5"),
}

_warned: set[str] = set()
_warned_lock = threading.Lock()


def _release(version: str) -> tuple[int, ...]:
    """The leading numeric components of a version string: "1.66.2rc1" -> (1, 66, 2)."""
    parts: list[int] = []
    for piece in version.split("."):
        match = re.match(r"\d+", piece)
        if match is None:
            break
        parts.append(int(match.group()))
        if match.end() != len(piece):
            break
    return tuple(parts)


def installed(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def untested(*distributions: str) -> list[str]:
    """The given distributions whose installed version is outside TESTED, as "name version"."""
    outside = []
    for name in distributions:
        oldest, newest = TESTED[name]
        version = installed(name)
        release = _release(version or "")
        if not release or release < _release(oldest) or release[:2] > _release(newest)[:2]:
            outside.append(f"{name} {version or '(not installed)'}")
    return outside


def _warn_once(key: str, message: str) -> None:
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    log.warning("pulumi-aws-forecast: %s", message)


def _tested_range(*distributions: str) -> str:
    return ", ".join(
        f"{n} {TESTED[n][0]} to {'.'.join(TESTED[n][1].split('.')[:2])}.x" for n in distributions
    )


# --- The dynamic provider's gRPC thread pool ----------------------------------------------------


def widen_grpc_pools(workers: int) -> int:
    """Raise the worker limit of this process's gRPC server thread pools to at least `workers`.

    Returns the limit now in force, or 0 (after one warning) when it degraded: pulumi or grpcio
    outside the tested versions, or no pool found.
    """
    outside = untested("pulumi", "grpcio")
    if outside:
        _warn_once(
            "grpc",
            f"{' and '.join(outside)} not tested with the widening of the dynamic provider's gRPC pool "
            f"(tested: {_tested_range('pulumi', 'grpcio')}); keeping its 4 threads, so at most 4 "
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
        _warn_once(
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
        _warn_once(
            "botocore",
            f"{outside[0]} not tested with the needs-retry hook (tested: {_tested_range('botocore')}); "
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
        _warn_once(
            "botocore",
            f"could not register the needs-retry hook ({failure}); {code} is recognised once "
            "botocore's retries are spent, so waits start later",
        )
        return False
    return True


# --- botocore: a service model's document, read from botocore's data folder ---------------------


def botocore_service_data(service: str) -> dict[str, Any]:
    """botocore's model of `service`: the `service-2` document `botocore.loaders` would return.

    Inside the tested botocore versions, when nothing can add models to botocore's search path
    (AWS_DATA_PATH, ~/.aws/models/<service>), it reads the newest API version's file from
    botocore's own data folder, as the loader would find it. Otherwise, or when that folder does
    not hold what it should, it asks `botocore.loaders`.
    """
    outside = untested("botocore")
    if outside:
        _warn_once(
            "botocore-data",
            f"{outside[0]} not tested with reading its data folder "
            f"(tested: {_tested_range('botocore')}); "
            f"loading the {service} model through botocore's loader",
        )
        return _loaded_by_botocore(service)
    customer = Path(os.path.expanduser("~/.aws/models")) / service  # as the loader expands it
    if os.environ.get("AWS_DATA_PATH") or customer.exists():
        return _loaded_by_botocore(service)  # the loader's search path may hold another model
    import botocore

    folder = Path(botocore.__file__).parent / "data" / service
    try:
        versions = sorted(
            entry.name
            for entry in folder.iterdir()
            if any((entry / f"service-2.json{suffix}").is_file() for suffix in ("", ".gz"))
        )
        newest = folder / versions[-1]
        if any(newest.glob("service-2.sdk-extras.json*")):
            return _loaded_by_botocore(service)  # extras the loader would merge in
        plain, packed = newest / "service-2.json", newest / "service-2.json.gz"
        text = plain.read_bytes() if plain.is_file() else gzip.decompress(packed.read_bytes())
        data: dict[str, Any] = json.loads(text)
        if not isinstance(data.get("shapes"), dict) or not isinstance(data.get("operations"), dict):
            raise LookupError("no shapes or operations in it")
        return data
    except Exception as error:  # degrade to the loader, never fail over an optimisation
        _warn_once(
            "botocore-data",
            f"could not read the {service} model from {folder} ({error}); "
            "loading it through botocore's loader",
        )
        return _loaded_by_botocore(service)


def _loaded_by_botocore(service: str) -> dict[str, Any]:
    from botocore.loaders import create_loader

    data: dict[str, Any] = create_loader(os.environ.get("AWS_DATA_PATH")).load_service_model(
        service, "service-2"
    )
    return data
