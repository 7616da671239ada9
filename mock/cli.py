"""Command line of the mock: `python -m mock`, with the reference mock's options and more."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
import json
import math
from pathlib import Path
import signal
import sys
from typing import Any, Final, TextIO

from custom_components.antspace.pyantspace.kinds import Kind

from . import server as server_module
from .plant import ContainerSpec
from .server import MockServer

DEFAULT_PORT: Final = 8000
DEFAULT_HOST: Final = "127.0.0.1"
BULK_KEYS: Final = frozenset({"type", "port", "error", "seed", "frozen", "miners", "down_for"})

_EPILOG_HEAD: Final = """\
Bulk file: a JSON list of containers, all served by this one process, e.g.
  [{"type": "HK3", "port": 8001, "error": false, "seed": 1, "frozen": false},
   {"type": "immersion", "port": 8002, "miners": 60}]
Keys left out take the command line's values (--type, --error, --frozen, --miners,
--down-for); a left-out
port means any free port; a left-out seed is --seed plus the entry's index, when --seed is given.

"""


def _epilog() -> str:
    doc = server_module.__doc__ or ""
    start = doc.find("Control interface")
    return _EPILOG_HEAD + (doc[start:].strip() if start >= 0 else "")


def _kind(text: str) -> Kind:
    try:
        return Kind(text.lower())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown container type {text!r}; use HK3 or IMMERSION"
        ) from None


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port (0-65535)")
    return port


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 0")
    return count


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and seconds >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds >= 0")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; -h is the host, as in the reference mock, so help is --help."""
    parser = argparse.ArgumentParser(
        prog="python -m mock",
        description="Serve mock Bitmain Antspace containers (HK3 or Immersion) over HTTP.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("--help", action="help", help="show this help and exit")
    parser.add_argument(
        "--type",
        type=_kind,
        default=Kind.HK3,
        metavar="HK3|IMMERSION",
        help="kind of container, in any case (default HK3)",
    )
    parser.add_argument(
        "-p", "--port", type=_port, default=DEFAULT_PORT, help="port (default 8000; 0 = any)"
    )
    parser.add_argument(
        "-h", "--host", default=DEFAULT_HOST, help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--error", action="store_true", help="start with every fault flag set")
    parser.add_argument(
        "--bulk", type=Path, metavar="FILE", help="serve the containers listed in a JSON file"
    )
    parser.add_argument("--seed", type=int, help="seed of the random generator")
    parser.add_argument(
        "--frozen", action="store_true", help="values stand still at their nominal state"
    )
    parser.add_argument(
        "--miners", type=_count, default=120, help="miners per container (default 120)"
    )
    parser.add_argument(
        "--down-for",
        type=_seconds,
        default=0.0,
        metavar="SECONDS",
        help="listen only this long after start, as a controller that boots late (default 0)",
    )
    return parser


class BulkFileError(ValueError):
    """A bulk file that cannot be used; the message says why."""


def _entry_spec(index: int, entry: Any, args: argparse.Namespace) -> ContainerSpec:
    where = f"entry {index}"
    if not isinstance(entry, dict):
        raise BulkFileError(f"{where} is not an object")
    unknown = sorted(set(entry) - BULK_KEYS)
    if unknown:
        raise BulkFileError(f"{where} has unknown keys: {', '.join(unknown)}")

    def whole(key: str, default: int | None, low: int, high: int) -> int | None:
        value = entry.get(key, default)
        if value is None and key == "seed":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise BulkFileError(f"{where}: {key} must be a whole number from {low} to {high}")
        return value

    def flag(key: str, default: bool) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise BulkFileError(f"{where}: {key} must be true or false")
        return value

    down_for = entry.get("down_for", args.down_for)
    if (
        isinstance(down_for, bool)
        or not isinstance(down_for, (int, float))
        or not (math.isfinite(down_for) and down_for >= 0)
    ):
        raise BulkFileError(f"{where}: down_for must be a number of seconds >= 0")
    kind_text = entry.get("type", args.type.value)
    try:
        kind = Kind(str(kind_text).lower())
    except ValueError:
        raise BulkFileError(f"{where}: type must be HK3 or IMMERSION, not {kind_text!r}") from None
    seed_default = None if args.seed is None else args.seed + index
    return ContainerSpec(
        kind=kind,
        port=whole("port", 0, 0, 65535) or 0,
        error=flag("error", args.error),
        seed=whole("seed", seed_default, -(2**63), 2**63 - 1),
        frozen=flag("frozen", args.frozen),
        miners=whole("miners", args.miners, 0, 100_000) or 0,
        down_for=float(down_for),
    )


def load_bulk(path: Path, args: argparse.Namespace) -> list[ContainerSpec]:
    """The containers of a bulk file; BulkFileError says what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise BulkFileError(f"cannot read bulk file {path}: {err.strerror or err}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BulkFileError(f"bulk file {path} is not JSON: {err}") from None
    if not isinstance(data, list) or not data:
        raise BulkFileError(f"bulk file {path} must hold a non-empty JSON list of containers")
    specs = [_entry_spec(index, entry, args) for index, entry in enumerate(data)]
    ports = [spec.port for spec in specs if spec.port]
    duplicates = sorted({port for port in ports if ports.count(port) > 1})
    if duplicates:
        raise BulkFileError(f"bulk file {path} gives port {duplicates[0]} to several containers")
    return specs


def specs_from_args(args: argparse.Namespace) -> list[ContainerSpec]:
    """The containers the command line asks for."""
    if args.bulk is not None:
        return load_bulk(args.bulk, args)
    return [
        ContainerSpec(
            kind=args.type,
            port=args.port,
            error=args.error,
            seed=args.seed,
            frozen=args.frozen,
            miners=args.miners,
            down_for=args.down_for,
        )
    ]


def _raise_file_limit(containers: int) -> None:
    """Let one process hold a listening socket and a few connections per container."""
    try:
        import resource  # noqa: PLC0415 - Unix only
    except ImportError:  # pragma: no cover
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * containers + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


async def serve(
    specs: Sequence[ContainerSpec],
    host: str,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    started: Callable[[MockServer], None] | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM (or cancellation); return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    _raise_file_limit(len(specs))
    server = MockServer(specs, host)
    try:
        await server.start()
    except OSError as error:
        print(f"python -m mock: error: {error.strerror or error}", file=err)
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        for container in server.containers:
            print(f"{container.kind.value.upper()} {server.url(container)}", file=out)
        out.flush()
        if started is not None:
            started(server)
        await stop.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        await server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mock; the exit code is 0 after a clean stop, 1 or 2 on an error."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        specs = specs_from_args(args)
    except BulkFileError as error:
        parser.error(str(error))
    try:
        return asyncio.run(serve(specs, args.host))
    except KeyboardInterrupt:  # pragma: no cover - a second Ctrl-C while stopping
        return 130
