"""Fixtures and helpers shared by the tests of the mock and of the device layer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
import ipaddress
import socket
from typing import Any, Final

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
import pytest
import pytest_socket

from custom_components.antspace.pyantspace import Kind
from mock.plain import PlainServer
from mock.plant import ContainerSpec, MockContainer
from mock.server import ConnectionMeter, MockServer

type Serve = Callable[..., Awaitable[MockServer]]


class LocalResolver(AbstractResolver):
    """Resolves `localhost` only: no test sends a DNS query anywhere."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host == "localhost":
            return [
                ResolveResult(
                    hostname=host,
                    host="127.0.0.1",
                    port=port,
                    family=socket.AF_INET,
                    proto=0,
                    flags=socket.AI_NUMERICHOST,
                )
            ]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async def close(self) -> None:
        return None


class FakeClock:
    """A clock for the plant's dynamics that moves only when told."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def aiohttp_session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A client session that reaches 127.0.0.1 only (names other than localhost fail)."""
    connector = aiohttp.TCPConnector(resolver=LocalResolver())
    async with aiohttp.ClientSession(connector=connector) as session:
        yield session


@pytest.fixture
async def serve(socket_enabled: None) -> AsyncIterator[Serve]:
    """Start mock servers: `await serve(Kind.HK3, ContainerSpec(...), clock=...)`.

    A bare kind gives a frozen container of that kind. Every server stops at teardown.
    """
    servers: list[MockServer] = []

    async def start(*specs: ContainerSpec | Kind, **kwargs: Any) -> MockServer:
        server = MockServer(
            [s if isinstance(s, ContainerSpec) else ContainerSpec(s, frozen=True) for s in specs],
            **kwargs,
        )
        servers.append(server)
        await server.start()
        return server

    yield start
    for server in servers:
        await server.stop()


type Script = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def scripted(socket_enabled: None) -> AsyncIterator[Callable[[Script], Awaitable[int]]]:
    """Serve one handler on a free port of 127.0.0.1 (for answers the mock never gives)."""
    runners: list[web.AppRunner] = []

    async def start(handler: Script) -> int:
        app = web.Application()
        app.router.add_get("/cooler", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    yield start
    for runner in runners:
        await runner.cleanup()


# A site on several loopback addresses ----------------------------------------------------


@pytest.fixture
def loopback(socket_enabled: None) -> None:
    """Connections to every loopback address, 127.0.0.1 to 127.255.255.254; none elsewhere."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", "127.0.0.0/8"])


SITE: Final = "127.0.0.16/29"
"""The network of the site below: its devices are at 127.0.0.17 to 127.0.0.22."""


@dataclass
class Site:
    """Containers and other web servers on several loopback addresses, on two ports."""

    ports: tuple[int, int]
    """The ports the devices listen on, as 80 and 8000 would be on a real site."""
    containers: dict[str, MockContainer] = field(default_factory=dict)
    """The containers of the network, by address."""
    outside: dict[str, MockContainer] = field(default_factory=dict)
    """Containers at the network's own and broadcast addresses, and just past it."""
    plain: dict[str, PlainServer] = field(default_factory=dict)
    """Web servers that are not containers, by address."""
    meter: ConnectionMeter = field(default_factory=ConnectionMeter)

    def port_of(self, address: str) -> int:
        """The port of the container at an address."""
        return self.containers[address].port


def _ports_free_on(addresses: list[str], count: int) -> tuple[int, ...]:
    """Ports free on every one of these addresses now."""
    ports: list[int] = []
    while len(ports) < count:
        with socket.socket() as probe:
            probe.bind((addresses[0], 0))
            port = probe.getsockname()[1]
        sockets = [socket.socket() for _ in addresses]
        try:
            for sock, address in zip(sockets, addresses, strict=True):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((address, port))
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
        if port not in ports:
            ports.append(port)
    return tuple(ports)


@pytest.fixture
async def site(loopback: None) -> AsyncIterator[Site]:
    """A small site in 127.0.0.16/29, its devices on two ports (`Site.ports`: first, second).

    .17 an HK3 on the first port; .18 an Immersion on the second, a web server on the first;
    .19 an HK3 on the second; .20 web servers on both; .21 nothing; .22 an Immersion on the
    first. Outside the devices: HK3s at .16 and .23 (the network's own and broadcast
    addresses) and an Immersion at .24, on the first port.
    """
    addresses = [f"127.0.0.{last}" for last in range(16, 25)]
    devices = {str(address) for address in ipaddress.ip_network(SITE).hosts()}
    first, second = _ports_free_on(addresses, 2)
    found = Site(ports=(first, second))
    layout = {
        "127.0.0.17": (Kind.HK3, first),
        "127.0.0.18": (Kind.IMMERSION, second),
        "127.0.0.19": (Kind.HK3, second),
        "127.0.0.22": (Kind.IMMERSION, first),
        "127.0.0.16": (Kind.HK3, first),
        "127.0.0.23": (Kind.HK3, first),
        "127.0.0.24": (Kind.IMMERSION, first),
    }
    async with AsyncExitStack() as stack:
        for seed, (address, (kind, port)) in enumerate(layout.items(), start=1):
            server = MockServer(
                [ContainerSpec(kind=kind, port=port, frozen=True, seed=seed)],
                address,
                meter=found.meter,
            )
            await stack.enter_async_context(server)
            target = found.containers if address in devices else found.outside
            target[address] = server.containers[0]
        for address, ports in (("127.0.0.18", [first]), ("127.0.0.20", [first, second])):
            plain = PlainServer(address, ports, meter=found.meter)
            await stack.enter_async_context(plain)
            found.plain[address] = plain
        yield found
