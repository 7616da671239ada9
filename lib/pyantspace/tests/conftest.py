"""The device layer's tests talk to mock containers on 127.0.0.1."""

import pytest

from tests.mock.helpers import aiohttp_session, loopback, scripted, serve, site

__all__ = ["aiohttp_session", "loopback", "scripted", "serve", "site"]


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Allow sockets (on 127.0.0.1 only: see LocalResolver)."""
