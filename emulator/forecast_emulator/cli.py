"""`forecast-emulator serve` and `forecast-emulator seed`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from forecast_emulator.seed import seed
from forecast_emulator.server import EmulatorCore, Server
from forecast_emulator.settings import DEFAULT_ACCOUNT_ID, DEFAULT_SEED, Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forecast-emulator", description="A local Amazon Forecast endpoint."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve Forecast, S3, IAM, STS and KMS on one port")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=4566)
    serve.add_argument("--state", metavar="FILE", help="keep Forecast resources in this SQLite file")
    serve.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID)
    _add_settings(serve)
    serve.add_argument(
        "--seed",
        type=_seed,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"seed of injected faults (default {DEFAULT_SEED}; 'none': different every run)",
    )
    serve.add_argument("--log-requests", action="store_true", help="log every HTTP request to stderr")

    seeding = commands.add_parser(
        "seed",
        help="create a bucket, a role, an ACTIVE forecast, explainability and what-if forecast; print ARNs",
    )
    seeding.add_argument("--endpoint-url", default="http://127.0.0.1:4566")
    seeding.add_argument("--region", default="us-east-1")
    seeding.add_argument("--bucket", default="forecast-exports")
    seeding.add_argument("--role-name", default="ForecastExportRole")
    seeding.add_argument("--prefix", default="demo")
    seeding.add_argument("--kms-key", action="store_true", help="also create a KMS key")
    return parser


def _add_settings(parser: argparse.ArgumentParser) -> None:
    """One flag per `Settings` field, in its order: `job_seconds` is `--job-seconds N`, a switch is
    `--x` / `--no-x`; the default is the field's, the metavar and help its metadata's."""
    defaults = Settings()
    for field in dataclasses.fields(Settings):
        flag = "--" + field.name.replace("_", "-")
        default = getattr(defaults, field.name)
        help_text = field.metadata.get("help")
        if isinstance(default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default, help=help_text)
        else:
            metavar = field.metadata.get("metavar", "N")
            parser.add_argument(flag, type=type(default), default=default, metavar=metavar, help=help_text)


def _settings(args: argparse.Namespace) -> Settings:
    """The `Settings` the flags `_add_settings` made say (ValueError if one is out of range)."""
    return Settings(**{field.name: getattr(args, field.name) for field in dataclasses.fields(Settings)})


def _seed(text: str) -> int | None:
    return None if text.lower() == "none" else int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "seed":
        seeded = seed(
            args.endpoint_url,
            region=args.region,
            bucket=args.bucket,
            role_name=args.role_name,
            prefix=args.prefix,
            kms_key=args.kms_key,
        )
        print(json.dumps(seeded.as_dict(), indent=2))
        return 0
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
    except ValueError as error:
        print(f"forecast-emulator: {error}", file=sys.stderr)
        return 2
    core = EmulatorCore(state_path=args.state, account_id=args.account_id, settings=settings, seed=args.seed)
    # A port in use: Server prints why and exits with status 1.
    server = Server(core, args.host, args.port, log_requests=args.log_requests)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.start()
    where = args.state or "memory"
    print(
        f"Forecast emulator listening on {server.endpoint_url} (account {args.account_id}, state in {where})",
        file=sys.stderr,
        flush=True,
    )
    stopping.wait()
    server.stop()
    core.close()
    print("Forecast emulator stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
