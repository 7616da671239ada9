"""What makes a container one container, and what it is called unless named.

A container is its address and port: a host name and the address it resolves to, in any
case, are the same container. Its default title names its kind, never its address, so that
titles, entity ids and the log carry no address.
"""

from __future__ import annotations

from collections.abc import Iterable
import contextlib
import ipaddress
from typing import cast

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import (
    HomeAssistantTCPConnector,
    async_get_clientsession,
)

from .const import MODELS
from .pyantspace import Kind


async def async_resolve(hass: HomeAssistant, host: str) -> list[str]:
    """The addresses a host stands for, IPv4 first; none if it does not resolve.

    Asks Home Assistant's own resolver, the one its HTTP client connects with.
    """
    with contextlib.suppress(ValueError):
        return [str(ipaddress.ip_address(host))]
    # Home Assistant's shared session connects through its own connector and resolver.
    connector = cast("HomeAssistantTCPConnector", async_get_clientsession(hass).connector)
    try:
        results = await connector.async_resolve_host(host)
    except OSError, aiohttp.ClientError:
        return []
    addresses = {ipaddress.ip_address(result["host"]) for result in results}
    return [str(address) for address in sorted(addresses, key=lambda a: (a.version, a))]


def container_id(address: str, port: int) -> str:
    """The unique id of the container at a resolved address and port."""
    return f"{address}:{port}"


def default_title(kind: Kind, taken: Iterable[str]) -> str:
    """The model, or the model numbered ("Antspace HK3 2", "Antspace HK3 3"…) if taken."""
    titles = set(taken)
    model = MODELS[kind]
    if model not in titles:
        return model
    number = 2
    while f"{model} {number}" in titles:
        number += 1
    return f"{model} {number}"


def is_address_title(kind: Kind, title: str) -> bool:
    """Whether a title is a default of the first version, which named the address."""
    return title.startswith(f"{MODELS[kind]} (") and title.endswith(")")
