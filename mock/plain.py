"""A web server that is not a container: what a scan meets on most addresses of a site.

It answers every request on its ports with one page (a router's or a printer's, say) and
counts the requests it got, so that a test can tell which addresses and ports a scan asked.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Final, Self

from aiohttp import web

from .server import ConnectionMeter

PAGE: Final = b"<!doctype html><title>Router</title><p>It works.</p>\n"


class PlainServer:
    """Answers every request on `host`'s `ports` with one page; counts them by port."""

    def __init__(
        self,
        host: str,
        ports: Sequence[int],
        *,
        body: bytes = PAGE,
        status: int = 200,
        content_type: str = "text/html",
        meter: ConnectionMeter | None = None,
    ) -> None:
        """Prepare it; nothing listens until `start`."""
        self.host = host
        self.ports = list(ports)
        self.requests: Counter[int] = Counter()
        """Requests answered, by the port they came on."""
        self.meter = meter
        self._body = body
        self._status = status
        self._content_type = content_type
        self._server = web.Server(self._answer)
        self._listeners: list[asyncio.Server] = []

    async def _answer(self, request: web.BaseRequest) -> web.Response:
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        self.requests[int(sockname[1]) if sockname else 0] += 1
        return web.Response(body=self._body, status=self._status, content_type=self._content_type)

    async def start(self) -> None:
        """Listen on every port; on failure nothing is left listening."""
        loop = asyncio.get_running_loop()
        factory: Callable[[], asyncio.Protocol] = self._server
        if self.meter is not None:
            factory = self.meter.metered(factory)
        try:
            for port in self.ports:
                self._listeners.append(
                    await loop.create_server(factory, self.host, port, reuse_address=True)
                )
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Stop listening and cut the connections."""
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener.close()
            listener.abort_clients()
        await asyncio.gather(*(listener.wait_closed() for listener in listeners))
        await self._server.shutdown(1.0)

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.stop()
