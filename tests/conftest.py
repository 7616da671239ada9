"""Shared fixtures for the Antspace tests.

The integration's tests run a real Home Assistant core against the project's own mock
container over HTTP on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from datetime import timedelta
import ipaddress
import socket
from typing import Any
from unittest.mock import patch

from aiohttp.abc import ResolveResult
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import HomeAssistantTCPConnector
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Import the project's custom_components package before Home Assistant puts its own test
# config dir (with a custom_components package of its own) first on sys.path.
from custom_components.antspace.config_flow import AntspaceConfigFlow
from custom_components.antspace.const import CONF_KIND, DOMAIN, EVENT_ALERT
from custom_components.antspace.pyantspace import Kind
from mock.plant import ContainerSpec, MockContainer
from mock.server import MockServer
from tests.mock.helpers import SITE, Site, loopback, site

__all__ = ["SITE", "Site", "loopback", "site"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options of the suite."""
    parser.addoption(
        "--soak-long",
        action="store_true",
        default=False,
        help="run the soak test with more containers for a full simulated day",
    )
    parser.addoption(
        "--soak-hours", type=float, default=None, help="simulated hours of the soak test"
    )


ENTRY_IDS = {Kind.HK3: "01JANTSPACEHK3000000000000", Kind.IMMERSION: "01JANTSPACEIMMERSION000000"}
TITLES = {Kind.HK3: "Antspace HK3", Kind.IMMERSION: "Antspace Immersion"}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Let Home Assistant load integrations from this repository, in tests that run it."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (ids and timestamps left out)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield


@pytest.fixture
def hosts() -> Generator[dict[str, list[str]]]:
    """Home Assistant's resolver, answering host names from this table and no others.

    Both the integration's own lookups and its HTTP connections resolve through it, and no
    DNS query leaves the machine: a name not in the table does not resolve.
    """
    table: dict[str, list[str]] = {}

    async def resolve(
        _connector: HomeAssistantTCPConnector, host: str, port: int, traces: Any = None
    ) -> list[ResolveResult]:
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = table.get(host.rstrip("."), [])
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=0,
            )
            for address in addresses
        ]

    with patch.object(HomeAssistantTCPConnector, "_resolve_host", resolve):
        yield table


@pytest.fixture
async def mock_server(socket_enabled: None) -> AsyncIterator[MockServer]:
    """An HK3 and an Immersion container whose values hold still, on 127.0.0.1."""
    async with MockServer(
        [
            ContainerSpec(kind=Kind.HK3, frozen=True, seed=1),
            ContainerSpec(kind=Kind.IMMERSION, frozen=True, seed=2),
        ]
    ) as server:
        yield server


@pytest.fixture
def hk3(mock_server: MockServer) -> MockContainer:
    """The mock HK3 container."""
    return mock_server.containers[0]


@pytest.fixture
def immersion(mock_server: MockServer) -> MockContainer:
    """The mock Immersion container."""
    return mock_server.containers[1]


def make_entry(
    container: MockContainer,
    *,
    entry_id: str | None = None,
    title: str | None = None,
    **options: Any,
) -> MockConfigEntry:
    """A config entry for a mock container, as the config flow would create it."""
    kind = container.kind
    return MockConfigEntry(
        domain=DOMAIN,
        version=AntspaceConfigFlow.VERSION,
        entry_id=entry_id or ENTRY_IDS[kind],
        title=title or TITLES[kind],
        unique_id=f"127.0.0.1:{container.port}",
        data={CONF_HOST: "127.0.0.1", CONF_PORT: container.port, CONF_KIND: kind.value},
        options=options,
    )


async def setup_container(
    hass: HomeAssistant,
    container: MockContainer,
    *,
    entry_id: str | None = None,
    title: str | None = None,
    **options: Any,
) -> MockConfigEntry:
    """Add a mock container to Home Assistant and wait until it is set up."""
    entry = make_entry(container, entry_id=entry_id, title=title, **options)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def alert_events(hass: HomeAssistant) -> list[Event[Any]]:
    """The `antspace_alert` events fired from now on, as they come."""
    events: list[Event[Any]] = []

    @callback
    def _append(event: Event[Any]) -> None:  # in the event loop, in the order they are fired
        events.append(event)

    hass.bus.async_listen(EVENT_ALERT, _append)
    return events


def device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The id of a container's device."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 10) -> None:
    """Let one polling interval (10 s, the default) pass, and what it starts finish."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture(params=[Kind.HK3, Kind.IMMERSION], ids=["hk3", "immersion"])
def container(request: pytest.FixtureRequest, mock_server: MockServer) -> MockContainer:
    """Each kind of mock container in turn."""
    kind: Kind = request.param
    return next(c for c in mock_server.containers if c.kind is kind)
