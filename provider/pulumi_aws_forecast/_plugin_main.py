"""`pulumi-resource-aws-forecast`: the provider plugin's executable (a console script of the wheel).

The Pulumi CLI runs it with the engine's address as its last argument and reads the port it serves
on from the first line of its stdout. This is `pulumi.provider.experimental.server.main` with one
difference: an error a handler raises reaches the user as its message alone. The SDK's server lets
grpc.aio report it as "Unexpected <class '...'>: <message>"; here the servicer answers with the
message as the call's status instead (and logs the traceback of an unexpected error to stderr,
which the CLI keeps in its verbose logs).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

#: The oldest Python SDK with `pulumi.provider.experimental.provider.Provider` and its server.
MINIMUM_PULUMI = "3.171.0"

log = logging.getLogger("pulumi_aws_forecast")


def main() -> None:
    """The console script's entry point."""
    try:
        from pulumi.provider.experimental import server  # noqa: F401
    except ImportError:
        from importlib import metadata

        sys.exit(
            f"pulumi-resource-aws-forecast needs the pulumi Python SDK {MINIMUM_PULUMI} or later; "
            f"this environment has {metadata.version('pulumi')}: pip install 'pulumi>={MINIMUM_PULUMI}'"
        )
    from ._lifecycle import log_to_stderr
    from ._plugin import ForecastProvider
    from ._plugin_schema import version
    from ._progress import install

    log_to_stderr()
    install()  # progress records to the engine's status messages, never to stderr
    serve(sys.argv[1:], version(), ForecastProvider())


def serve(args: list[str], version: str, provider: Any) -> None:
    """Serve `provider` on a local port, printed first on stdout, until the engine stops us."""
    parser = argparse.ArgumentParser(prog="pulumi-resource-aws-forecast", description=__doc__)
    parser.add_argument("engine", help="the Pulumi engine's address")
    parser.add_argument("--logflow", action="store_true", help="ignored")
    parser.add_argument("--logtostderr", action="store_true", help="ignored")
    parser.add_argument("--tracing", help="ignored")
    known, _ = parser.parse_known_args(args)

    async def run() -> None:
        server = await start(args, version, provider, known.engine)
        sys.stdout.buffer.write(f"{server.port}\n".encode())
        sys.stdout.buffer.flush()
        await server.grpc.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


class Started:
    """A running server and its port."""

    def __init__(self, grpc_server: Any, port: int) -> None:
        self.grpc, self.port = grpc_server, port


async def start(args: list[str], version: str, provider: Any, engine: str) -> Started:
    """Start the gRPC server for `provider` on 127.0.0.1 (tests stop it with `.grpc.stop(None)`)."""
    import grpc.aio
    from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
    from pulumi.runtime.proto import provider_pb2_grpc

    connect = getattr(provider, "connect_engine", None)
    if connect is not None:  # the resources' progress goes to the engine's status messages
        connect(engine)
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        _servicer(args, version, provider, engine), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return Started(server, port)


def message(error: BaseException) -> str:
    """What the user reads of an error: ours and AWS's as they are; anything else with its type."""
    from botocore.exceptions import BotoCoreError, ClientError

    from ._aws import ForecastError
    from ._aws_config import AccountNotAllowed, AssumeRoleFailed, AwsConfigError, CredentialsNotFound

    ours = (ForecastError, AwsConfigError, CredentialsNotFound, AssumeRoleFailed, AccountNotAllowed)
    if isinstance(error, (*ours, ClientError, BotoCoreError)):
        return str(error)
    log.error("%s", "".join(traceback.format_exception(error)).rstrip())
    return f"pulumi-resource-aws-forecast failed: {type(error).__name__}: {error}"


_RPCS = (
    "GetSchema",
    "CheckConfig",
    "DiffConfig",
    "Configure",
    "Check",
    "Diff",
    "Create",
    "Read",
    "Update",
    "Delete",
)


def _servicer(args: list[str], version: str, provider: Any, engine: str) -> Any:
    """The SDK's servicer, each call of which answers an error with its message alone."""
    import grpc
    from pulumi.provider.experimental.server import ProviderServicer

    def answering(rpc: Callable[[Any, Any], Awaitable[Any]]) -> Callable[[Any, Any], Awaitable[Any]]:
        async def call(request: Any, context: Any) -> Any:
            try:
                return await rpc(request, context)
            except Exception as error:
                await context.abort(grpc.StatusCode.UNKNOWN, message(error))

        return call

    servicer = ProviderServicer(args, version, provider, engine_address=engine)
    for name in _RPCS:
        setattr(servicer, name, answering(getattr(servicer, name)))
    return servicer
