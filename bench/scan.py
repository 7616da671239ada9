"""Benchmark of the scan: a /24 with 10 containers on loopback, and the others in three ways.

    python -m bench.scan              # each way three times (about 40 s)
    python -m bench.scan --repeat 1   # once

The site is 127.26.0.0/24 (all of 127.0.0.0/8 is loopback): 10 mock containers (`mock.server`),
HK3 and Immersion in turn, half on each of the two ports, and on the other 244 addresses of the
range, in turn:

- **web**: a plain web server on both ports (`mock.plain`): every probe is an HTTP exchange, so
  the connections open at once show the scan's bound;
- **refused**: nothing, so each connection is refused at once;
- **silent**: a listener whose queue is full, so that each connection's set-up waits until the
  scan's connect timeout, as it does on a site's network where no device has the address.

Containers at the network's own and broadcast addresses, and just past the range, count the
requests that reach outside what a scan asks. The scan is the integration's, with its own
bounds (`pyantspace/scan.py`), on an aiohttp session like Home Assistant's; the servers run in
the same process, so its times include their answers. The ports are 80 and 8000 when this
process may listen on them (as root), two free ones otherwise.

Kept apart from `python -m bench` (the polling benchmark): its figures are its own.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from contextlib import AsyncExitStack, ExitStack, suppress
from dataclasses import dataclass
import socket
import statistics
import sys
import time
from typing import Final

import aiohttp

from custom_components.antspace.pyantspace import MOCK_PORT, PORTS, Kind, parse_range, scan
from custom_components.antspace.pyantspace.scan import (
    SCAN_CONCURRENCY,
    SCAN_CONNECT_TIMEOUT,
    SCAN_TIMEOUT,
)
from mock.plain import PlainServer
from mock.plant import ContainerSpec, MockContainer
from mock.server import ConnectionMeter, MockServer

NETWORK: Final = "127.26.0.0/24"
CONTAINERS: Final = 10
WAYS: Final = ("web", "refused", "silent")
OUTSIDE: Final = ("127.26.0.0", "127.26.0.255", "127.26.1.1")
"""The network's own address, its broadcast address, and one past it."""


def container_addresses(count: int) -> list[str]:
    """Addresses spread over the network, none at its ends."""
    hosts = [str(address) for address in parse_range(NETWORK)]
    step = len(hosts) // count
    return [hosts[step // 2 + step * index] for index in range(count)]


def site_ports() -> tuple[int, int]:
    """80 and 8000 if they may be listened on here; two free ports otherwise."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.26.0.1", PORTS[0]))
        except OSError:
            pass
        else:
            return PORTS
    ports: list[int] = []
    while len(ports) < 2:
        with socket.socket() as sock:
            sock.bind(("127.26.0.1", 0))
            port = sock.getsockname()[1]
        if port not in ports and port != MOCK_PORT:
            ports.append(port)
    return ports[0], ports[1]


@dataclass(slots=True)
class Result:
    """One scan of the site."""

    way: str
    seconds: float
    cpu: float
    peak: int
    found: int
    outside: int


def _silent(stack: ExitStack, address: str, port: int) -> None:
    """A listener that accepts nothing more: a connection to it waits, as to no device."""
    listener = stack.enter_context(socket.socket())
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(0)
    filler = stack.enter_context(socket.socket())
    filler.setblocking(False)
    with suppress(BlockingIOError):
        filler.connect((address, port))  # the one connection the queue holds


async def scan_once(way: str, ports: tuple[int, int]) -> Result:
    """Set the site up with the others in this way, scan it once, take it down."""
    meter = ConnectionMeter()
    addresses = container_addresses(CONTAINERS)
    async with AsyncExitStack() as stack:
        containers: list[MockContainer] = []
        for index, address in enumerate([*addresses, *OUTSIDE]):
            kind = (Kind.HK3, Kind.IMMERSION)[index % 2]
            port = ports[index // 2 % 2]
            server = MockServer(
                [ContainerSpec(kind=kind, port=port, frozen=True, seed=index, miners=3)],
                address,
                meter=meter,
            )
            await stack.enter_async_context(server)
            containers.append(server.containers[0])
        others = [str(a) for a in parse_range(NETWORK) if str(a) not in addresses]
        if way == "web":
            for address in others:
                await stack.enter_async_context(PlainServer(address, ports, meter=meter))
        elif way == "silent":
            sockets = stack.enter_context(ExitStack())
            for address in others:
                for port in ports:
                    _silent(sockets, address, port)
        connector = aiohttp.TCPConnector(limit=4096, limit_per_host=100)
        session = await stack.enter_async_context(aiohttp.ClientSession(connector=connector))
        cpu, started = time.process_time(), time.perf_counter()
        found = await scan(session, parse_range(NETWORK), ports)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        outside = sum(c.requests.total() for c in containers[CONTAINERS:])
        if sorted(f.address for f in found) != sorted(addresses):
            raise SystemExit(f"bench.scan: found {[str(f) for f in found]}, not the containers")
    return Result(way, seconds, cpu, meter.peak, len(found), outside)


def line(results: Sequence[Result]) -> str:
    """One line of the table: the median of the runs of one way."""
    first = results[0]
    seconds = statistics.median(r.seconds for r in results)
    cpu = statistics.median(r.cpu for r in results)
    peak = max(r.peak for r in results)
    peak_text = f"{peak:>4}" if first.way != "silent" else f"{peak:>4}*"
    return (
        f"{first.way:<8} {seconds:>8.2f} s {cpu:>7.2f} s {peak_text:<6} "
        f"{first.found:>5}   {sum(r.outside for r in results):>7}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run each way `--repeat` times; print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.scan",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--repeat", type=int, default=3, help="scans of each way (default 3)")
    parser.add_argument(
        "--ways", nargs="+", choices=WAYS, default=list(WAYS), help="which others to scan"
    )
    args = parser.parse_args(argv)
    ports = site_ports()
    hosts = len(parse_range(NETWORK))
    print(
        f"scan of {NETWORK} ({hosts} addresses x ports {ports[0]}, {ports[1]}), {CONTAINERS} "
        f"containers; at most {SCAN_CONCURRENCY} probes at once, "
        f"{SCAN_CONNECT_TIMEOUT:g} s to connect, {SCAN_TIMEOUT:g} s to answer; "
        f"median of {args.repeat}",
        flush=True,
    )
    print("others   wall time  CPU time  peak   found   outside", flush=True)
    for way in args.ways:
        results = [asyncio.run(scan_once(way, ports)) for _ in range(args.repeat)]
        print(line(results), flush=True)
    if "silent" in args.ways:
        print("* connections the silent addresses never accept are not counted", flush=True)
    print(
        "peak: connections open at once, as the servers saw them; outside: requests that "
        "reached a container outside the range",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
