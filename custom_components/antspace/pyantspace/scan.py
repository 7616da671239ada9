"""Finding the containers of a site: addresses as people write them, ranges, ports, the scan.

A scan asks every address of a range, on each of the ports given in turn, whether it is a
container (`client.probe`): a bounded number of probes at a time, each with a short timeout,
each on a connection of its own that is closed after its one request. The first port of an
address that answers as a container is the container's; the address's other ports are not
asked. Nothing is ever sent to an address outside the range: the probes take their addresses
from the range alone, and a network's own address and broadcast address are left out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
import ipaddress
import re
from typing import Final

import aiohttp

from .client import probe
from .exceptions import AntspaceError
from .kinds import Kind

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Progress = Callable[[int, int], None]
"""Told (addresses done, addresses in all) as a scan goes on."""

MAX_SCAN_ADDRESSES: Final = 1024
"""The most addresses one scan asks: a /22 network, or a range of as many."""
MAX_SCAN_PORTS: Final = 4
"""The most ports one scan tries on each address."""
SCAN_CONCURRENCY: Final = 64
"""Probes at most at once, so at most this many connections open at once."""
SCAN_TIMEOUT: Final = 3.0
"""s a probed address gets to answer (field tools allow controllers at least 1.5 s)."""
SCAN_CONNECT_TIMEOUT: Final = 1.0
"""s a probe's connection gets to be set up: on a site's network a controller takes
milliseconds, an address where nothing is (the most of a range) takes until this runs out."""

_NUMERIC_LABEL: Final = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_DASH: Final = re.compile(r"\s*[-\u2013\u2014]\s*")
_PORT: Final = re.compile(r"^[0-9]{1,5}$")
_NOT_SCANNED: Final = tuple(
    ipaddress.ip_network(network)
    for network in ("0.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32", "::/128", "ff00::/8")
)
"""Addresses no device has: "this network" (a connection to 0.0.0.0 reaches the machine
itself), multicast and broadcast."""


class ScanInputError(ValueError):
    """A range or a list of ports that cannot be scanned; `reason` says why, as a key."""

    def __init__(self, reason: str) -> None:
        """An error of this reason: invalid_range, range_too_large or invalid_ports."""
        super().__init__(reason)
        self.reason = reason


def is_numeric_host(text: str) -> bool:
    """Whether a host is written with numbers only, as `127.1`, `2130706433` or `0x7f.1` are.

    The C library reads such a host as an IPv4 address (its parts decimal, octal with a
    leading 0, or hex), never as a host name (no top-level domain is all numbers).
    """
    labels = text.strip().removesuffix(".").split(".")
    return 0 < len(labels) <= 4 and all(_NUMERIC_LABEL.match(label) for label in labels)


def parse_address(text: str) -> Address:
    """The IP address of a text, in its one canonical form; ValueError if it is none.

    An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is that IPv4 address. IPv4 is only
    four decimal numbers without leading zeros: `127.1`, `2130706433` and `0177.0.0.1` are
    refused, since people and the C library read them differently (see `is_numeric_host`).
    """
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    address = ipaddress.ip_address(text)
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        raise ValueError("an address with a scope is not a device's address")
    return _unmapped(address)


def host_port(host: str, port: int) -> str:
    """A host and port as written in a URL: `10.0.0.5:80`, `[fd00::5]:80`."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True, slots=True)
class ScanRange:
    """The addresses from `first` to `last`, both included."""

    first: Address
    last: Address

    def __len__(self) -> int:
        """How many addresses the range has."""
        return int(self.last) - int(self.first) + 1

    def __iter__(self) -> Iterator[Address]:
        """The addresses, in order."""
        kind = type(self.first)
        for number in range(int(self.first), int(self.last) + 1):
            yield kind(number)

    def __contains__(self, item: object) -> bool:
        """Whether an address is in the range."""
        return (
            isinstance(item, (ipaddress.IPv4Address, ipaddress.IPv6Address))
            and item.version == self.first.version
            and int(self.first) <= int(item) <= int(self.last)
        )

    def __str__(self) -> str:
        """`first-last`, or the one address."""
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


def parse_range(text: str) -> ScanRange:
    """The range a person gave: `first-last`, a network (`10.140.3.0/24`) or one address.

    The last address may be its last part alone (`10.140.3.10-60`). Of an IPv4 network of
    four addresses or more, its own address and its broadcast address are left out: they are
    no device's. ScanInputError("invalid_range") for a text that is none of these, or a range
    that is backwards, mixes IPv4 and IPv6, or holds an address no device has (0.0.0.0/8,
    multicast, broadcast); ScanInputError("range_too_large") for more than
    MAX_SCAN_ADDRESSES addresses.
    """
    text = text.strip()
    try:
        if "/" in text:
            network = ipaddress.ip_network(text, strict=False)
            if network.num_addresses > MAX_SCAN_ADDRESSES:
                raise ScanInputError("range_too_large")
            first, last = network[0], network[-1]
            if network.version == 4 and network.num_addresses >= 4:
                first, last = first + 1, last - 1
            first, last = _unmapped(first), _unmapped(last)
        else:
            parts = _DASH.split(text)
            if len(parts) > 2:
                raise ScanInputError("invalid_range")
            first = parse_address(parts[0])
            last = _last_address(first, parts[-1])
    except ValueError as err:
        if isinstance(err, ScanInputError):
            raise
        raise ScanInputError("invalid_range") from None
    if first.version != last.version or int(last) < int(first):
        raise ScanInputError("invalid_range")
    scan_range = ScanRange(first, last)
    if len(scan_range) > MAX_SCAN_ADDRESSES:
        raise ScanInputError("range_too_large")
    if any(
        network.version == first.version
        and int(first) <= int(network[-1])
        and int(network[0]) <= int(last)
        for network in _NOT_SCANNED
    ):
        raise ScanInputError("invalid_range")
    return scan_range


def _unmapped(address: Address) -> Address:
    """An IPv4 address written as IPv6 as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _last_address(first: Address, text: str) -> Address:
    """The end of a range: an address, or for IPv4 the last part alone (`10.0.0.5-60`)."""
    if isinstance(first, ipaddress.IPv4Address) and text.isascii() and text.isdigit():
        part = int(text)
        if len(text) > 3 or part > 255 or (len(text) > 1 and text.startswith("0")):
            raise ValueError("not the last part of an IPv4 address")
        return ipaddress.IPv4Address(int(first) & ~0xFF | part)
    return parse_address(text)


def parse_ports(text: str) -> tuple[int, ...]:
    """The ports of a text such as `80, 8000`, in its order, each once.

    ScanInputError("invalid_ports") unless it lists 1 to MAX_SCAN_PORTS ports from 1 to 65535.
    """
    ports: list[int] = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not _PORT.match(part) or not 1 <= int(part) <= 65535:
            raise ScanInputError("invalid_ports")
        if int(part) not in ports:
            ports.append(int(part))
    if len(ports) > MAX_SCAN_PORTS:
        raise ScanInputError("invalid_ports")
    return tuple(ports)


@dataclass(frozen=True, slots=True)
class Found:
    """A container a scan found: its address (canonical), port and kind."""

    address: str
    port: int
    kind: Kind

    def __str__(self) -> str:
        """Its address and port, as in a URL."""
        return host_port(self.address, self.port)


async def scan(
    session: aiohttp.ClientSession,
    addresses: ScanRange,
    ports: Sequence[int],
    *,
    concurrency: int = SCAN_CONCURRENCY,
    answer_within: float = SCAN_TIMEOUT,
    connect_within: float = SCAN_CONNECT_TIMEOUT,
    progress: Progress | None = None,
) -> list[Found]:
    """The containers of a range, by address; `progress` is told after each address.

    `concurrency` workers take the range's addresses one after the other, each probing one
    address at a time on each port in turn until one answers as a container.
    """
    if not ports or concurrency < 1:
        raise ValueError("a scan needs a port and one probe at a time at least")
    pending = iter(addresses)
    total = len(addresses)
    found: list[tuple[Address, Found]] = []
    done = 0

    async def worker() -> None:
        nonlocal done
        for address in pending:  # shared: each address is taken by one worker
            for port in ports:
                try:
                    kind = await probe(
                        session,
                        str(address),
                        port,
                        answer_within=answer_within,
                        connect_within=connect_within,
                    )
                except AntspaceError:
                    continue
                found.append((address, Found(str(address), port, kind)))
                break
            done += 1
            if progress is not None:
                progress(done, total)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, total)):
            group.create_task(worker())
    return [container for _address, container in sorted(found, key=lambda pair: pair[0])]
