"""Finding containers: ranges and ports as people write them, and scans of a loopback site."""

from __future__ import annotations

import asyncio
import ipaddress

import aiohttp
import pytest

from pyantspace import (
    Found,
    Kind,
    ScanInputError,
    is_numeric_host,
    parse_address,
    parse_ports,
    parse_range,
    scan,
)
from tests.mock.helpers import SITE, Site


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("10.140.3.0/24", "10.140.3.1", "10.140.3.254"),  # the network's own and broadcast out
        (" 10.140.3.10-10.140.3.60 ", "10.140.3.10", "10.140.3.60"),
        ("10.140.3.10 \u2013 60", "10.140.3.10", "10.140.3.60"),
        ("10.140.3.7", "10.140.3.7", "10.140.3.7"),
        ("10.140.3.7/24", "10.140.3.1", "10.140.3.254"),
        ("10.140.3.6/31", "10.140.3.6", "10.140.3.7"),
        ("10.140.0.0/22", "10.140.0.1", "10.140.3.254"),
        ("::ffff:10.140.3.1-::ffff:10.140.3.9", "10.140.3.1", "10.140.3.9"),
        ("[fd00::1]-[fd00::ff]", "fd00::1", "fd00::ff"),
    ],
)
def test_ranges(text: str, first: str, last: str) -> None:
    """A network, first-last (the last by its last part too), or one address."""
    scan_range = parse_range(text)
    assert (str(scan_range.first), str(scan_range.last)) == (first, last)
    assert len(scan_range) == len(list(scan_range))
    assert ipaddress.ip_address(first) in scan_range
    assert ipaddress.ip_address(last) + 1 not in scan_range


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "invalid_range"),
        ("10.140.3", "invalid_range"),
        ("http://10.140.3.1", "invalid_range"),
        ("10.140.3.60-10.140.3.10", "invalid_range"),
        ("10.140.3.1-fd00::1", "invalid_range"),
        ("10.140.3.1-10.140.3.2-10.140.3.3", "invalid_range"),
        ("10.140.3.1-256", "invalid_range"),
        ("127.1-127.9", "invalid_range"),
        ("0.0.0.0/30", "invalid_range"),
        ("224.0.0.0/24", "invalid_range"),
        ("fe80::1%eth0", "invalid_range"),
        ("10.140.0.0/21", "range_too_large"),
        ("10.140.0.1-10.140.4.1", "range_too_large"),
        ("10.0.0.0/8", "range_too_large"),
    ],
)
def test_ranges_refused(text: str, reason: str) -> None:
    """Malformed, backwards, mixed, of no device, or more than 1,024 addresses."""
    with pytest.raises(ScanInputError) as caught:
        parse_range(text)
    assert caught.value.reason == reason


def test_ports_and_addresses() -> None:
    """Ports in their order, each once; one canonical form of each address."""
    assert parse_ports("80, 8000") == (80, 8000)
    assert parse_ports("8000 80;80") == (8000, 80)
    for text in ("", "0", "65536", "80,x", "1,2,3,4,5", "\u0668\u0660"):
        with pytest.raises(ScanInputError):
            parse_ports(text)
    assert str(parse_address("::ffff:127.0.0.1")) == "127.0.0.1"
    assert str(parse_address("[FD00:0::5]")) == "fd00::5"
    for text in ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.0.0.1.5"):
        with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
            parse_address(text)
    assert all(map(is_numeric_host, ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1")))
    assert not any(map(is_numeric_host, ("container-7.lan", "1.2.3.4.5", "10.0.0.lan")))


async def test_scan_finds_exactly_the_containers_of_the_range(
    site: Site, aiohttp_session: aiohttp.ClientSession
) -> None:
    """Both kinds on either port; a web server is not one; nothing outside is asked.

    Two probes at a time, each on a connection of its own that is closed after it.
    """
    first, second = site.ports
    told: list[tuple[int, int]] = []
    found = await scan(
        aiohttp_session,
        parse_range(SITE),
        site.ports,
        concurrency=2,
        progress=lambda done, total: told.append((done, total)),
    )
    assert found == [
        Found("127.0.0.17", first, Kind.HK3),
        Found("127.0.0.18", second, Kind.IMMERSION),
        Found("127.0.0.19", second, Kind.HK3),
        Found("127.0.0.22", first, Kind.IMMERSION),
    ]
    assert told == [(done, 6) for done in range(1, 7)]
    # Each container was asked once, on the port that answered first; nothing outside.
    assert [c.requests["coolerState"] for c in site.containers.values()] == [1, 1, 1, 1]
    assert [c.requests.total() for c in site.outside.values()] == [0, 0, 0]
    assert site.plain["127.0.0.18"].requests == {first: 1}
    assert site.plain["127.0.0.20"].requests == {first: 1, second: 1}
    devices = {str(address) for address in parse_range(SITE)}
    assert set(site.meter.by_address) <= devices
    assert site.meter.peak <= 2
    async with asyncio.timeout(5):
        await site.meter.all_closed()


async def test_scan_of_a_range_is_exact_and_waits_briefly(
    site: Site, aiohttp_session: aiohttp.ClientSession
) -> None:
    """A range given by its ends has both (a network's own address too); a silent container
    is given up after the short timeout."""
    first, _second = site.ports
    found = await scan(aiohttp_session, parse_range("127.0.0.16-17"), [first])
    assert found == [Found("127.0.0.16", first, Kind.HK3), Found("127.0.0.17", first, Kind.HK3)]

    silent = site.outside["127.0.0.24"]
    silent.delay = 30.0
    found = await scan(aiohttp_session, parse_range("127.0.0.24"), [first], answer_within=0.2)
    assert found == []
    assert silent.requests["coolerState"] == 1


async def test_a_scan_needs_ports(aiohttp_session: aiohttp.ClientSession) -> None:
    """No port, or no probe at a time, is a caller's mistake: nothing is sent."""
    for ports, concurrency in (((), 4), ((80,), 0)):
        with pytest.raises(ValueError, match="a scan needs a port"):
            await scan(aiohttp_session, parse_range("127.0.0.1"), ports, concurrency=concurrency)
