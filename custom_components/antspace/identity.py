"""What makes a container one container, and what it is called unless named.

A container is its address and port: a host name and the address it resolves to, in any
case, are the same container, and an address has one written form (`normalize_host`). Its
default title names its kind, never its address, so that titles, entity ids and the log
carry no address.
"""

from __future__ import annotations

from collections.abc import Iterable
import contextlib
import ipaddress
import re
from typing import Final, cast

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import (
    HomeAssistantTCPConnector,
    async_get_clientsession,
)

from .const import MODELS
from .pyantspace import Kind, is_numeric_host, parse_address

_HOSTNAME: Final = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    re.IGNORECASE,
)


def normalize_host(value: str) -> str | None:
    """The host as the client wants it, or None if it is not a host name or IP address.

    An IP address in its one form (`parse_address`): `::ffff:127.0.0.1` is 127.0.0.1. A host
    of numbers only that is not such an address (`127.1`, `2130706433`, `0177.0.0.1`) is
    None: the C library would read it as an address, people may mean another one.
    """
    host = value.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    host = host.removesuffix(".")
    try:
        return str(parse_address(host))
    except ValueError:
        pass
    if not is_numeric_host(host) and _HOSTNAME.match(host):
        return host.lower()
    return None


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


def entry_ids(entry: ConfigEntry) -> set[str]:
    """The ids a container's entry is known by: its unique id, and its host and port.

    Both in the one form of their address: an entry added as `::ffff:10.0.0.5` before that
    form was normalised is the container at 10.0.0.5.
    """
    known = {container_id(str(entry.data.get(CONF_HOST, "")), int(entry.data.get(CONF_PORT, 0)))}
    if entry.unique_id:
        known.add(entry.unique_id)
    normalized = {
        container_id(address, int(port))
        for host, _, port in (text.rpartition(":") for text in known)
        if (address := normalize_host(host)) is not None and port.isdecimal()
    }
    return known | normalized


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
