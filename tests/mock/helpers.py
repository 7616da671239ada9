"""Fixtures and helpers shared by the tests of the mock and of the device layer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
import socket
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
import pytest

from custom_components.antspace.pyantspace import Kind
from mock.plant import ContainerSpec
from mock.server import MockServer

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
