"""The config flow: adding, reconfiguring and the options of a container."""

from __future__ import annotations

from collections.abc import Generator
import math
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import (
    EVENT_DATA_ENTRY_FLOW_PROGRESS_UPDATE,
    FlowResultType,
    InvalidData,
)
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.antspace.config_flow import AntspaceConfigFlow, valid_port
from custom_components.antspace.const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_CHIP_TEMP_LIMIT,
    CONF_KIND,
    CONF_LOW_SUPPLY_TEMP,
    CONF_MINER_INTERVAL,
    CONF_NOT_HASHING_SHARE,
    CONF_NOTIFY,
    CONF_SCAN_INTERVAL,
    DOMAIN,
)
from custom_components.antspace.pyantspace import (
    DEFAULT_PORT,
    PORTS,
    AntspaceConnectionError,
    Kind,
)
from custom_components.antspace.site_flow import (
    CONF_CONTAINERS,
    CONF_DISCOVER,
    CONF_PORTS,
    CONF_RANGE,
    SOURCE_SCANNED,
)
from mock.plant import ContainerSpec, Failure, MockContainer
from mock.server import MockServer
from tests.mock.helpers import SITE, Site

from .conftest import setup_container


async def _start(hass: HomeAssistant, choice: str = "manual") -> str:
    """A flow at the form of the menu's choice: one container, or the scan of a range."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["manual", "scan"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": choice}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == choice
    assert result["errors"] == {}
    return result["flow_id"]


@pytest.mark.parametrize(
    ("kind", "model"), [(Kind.HK3, "Antspace HK3"), (Kind.IMMERSION, "Antspace Immersion")]
)
async def test_user_adds_either_kind(
    hass: HomeAssistant, mock_server: MockServer, kind: Kind, model: str
) -> None:
    """The flow talks to the container, detects its kind and titles the entry."""
    container = next(c for c in mock_server.containers if c.kind is kind)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: container.port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == model
    assert result["data"] == {CONF_HOST: "127.0.0.1", CONF_PORT: container.port, CONF_KIND: kind}
    assert result["result"].unique_id == f"127.0.0.1:{container.port}"
    assert container.requests["coolerState"] >= 1


@pytest.mark.parametrize(
    ("value", "port"),
    [
        (8000, 8000),
        (8000.0, 8000),
        (1, 1),
        (65535, 65535),
        (0, None),
        (65536, None),
        (8000.5, None),
        (math.inf, None),
        (math.nan, None),
        (None, None),
        ("x", None),
    ],
)
def test_valid_port(value: object, port: int | None) -> None:
    """Only whole numbers from 1 to 65535 are ports."""
    assert valid_port(value) == port


async def test_user_given_name(hass: HomeAssistant, hk3: MockContainer) -> None:
    """A name given in the form titles the entry."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: " 127.0.0.1 ", CONF_PORT: hk3.port, CONF_NAME: "Row 3 north"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Row 3 north"


@pytest.mark.parametrize(
    ("host", "port", "errors"),
    [
        ("http://127.0.0.1", None, {CONF_HOST: "invalid_host"}),
        ("127.0.0.1/cooler", None, {CONF_HOST: "invalid_host"}),
        ("my container", None, {CONF_HOST: "invalid_host"}),
        ("", None, {CONF_HOST: "invalid_host"}),
        ("127.1", None, {CONF_HOST: "invalid_ipv4"}),
        ("2130706433", None, {CONF_HOST: "invalid_ipv4"}),
        ("0x7f.0.0.1", None, {CONF_HOST: "invalid_ipv4"}),
        ("0177.0.0.1", None, {CONF_HOST: "invalid_ipv4"}),
        ("127.0.0.256", None, {CONF_HOST: "invalid_ipv4"}),
        ("127.0.0.1", 0, {CONF_PORT: "invalid_port"}),
        ("127.0.0.1", 70000, {CONF_PORT: "invalid_port"}),
        ("127.0.0.1", 8000.5, {CONF_PORT: "invalid_port"}),
    ],
)
async def test_user_bad_address_then_recovers(
    hass: HomeAssistant, hk3: MockContainer, host: str, port: float | None, errors: dict[str, str]
) -> None:
    """A malformed address is named in the form; nothing is sent; a good one then works."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: host, CONF_PORT: hk3.port if port is None else port}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert hk3.requests["coolerState"] == 0

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_ipv6_address(hass: HomeAssistant, socket_enabled: None) -> None:
    """An IPv6 address is accepted as a host; no container there means cannot connect."""
    flow_id = await _start(hass)
    with patch(
        "custom_components.antspace.pyantspace.client.AntspaceClient.cooler_state",
        side_effect=AntspaceConnectionError("refused"),
    ) as probe:
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_HOST: "[fd00::5]", CONF_PORT: 8000}
        )
    assert probe.called
    assert result["errors"] == {"base": "cannot_connect"}


async def test_name_that_does_not_resolve(
    hass: HomeAssistant, socket_enabled: None, hosts: dict[str, list[str]]
) -> None:
    """A host name that resolves nowhere is a clear cannot-connect; nothing is sent."""
    flow_id = await _start(hass)
    with patch("custom_components.antspace.pyantspace.client.AntspaceClient.cooler_state") as probe:
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_HOST: "no-such-container.invalid", CONF_PORT: 8000}
        )
    assert result["errors"] == {"base": "cannot_connect"}
    assert not probe.called


async def test_cannot_connect_then_recovers(hass: HomeAssistant, mock_server: MockServer) -> None:
    """Nothing listening: cannot connect; once the container is up, it is added."""
    hk3 = mock_server.containers[0]
    await mock_server.stop_container(hk3)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    await mock_server.start_container(hk3)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("failure", [Failure.HTTP_500, Failure.BROKEN_JSON, Failure.OK_FALSE])
async def test_not_antspace_then_recovers(
    hass: HomeAssistant, hk3: MockContainer, failure: Failure
) -> None:
    """Something that does not answer like a container is refused; the real one then works."""
    hk3.failure = failure
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["errors"] == {"base": "not_antspace"}
    hk3.failure = Failure.NONE
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("host", ["127.0.0.1", "::ffff:127.0.0.1", "[::FFFF:7f00:1]"])
async def test_duplicate_aborts_naming_the_container(
    hass: HomeAssistant, hk3: MockContainer, host: str
) -> None:
    """The same address and port twice, however the address is written, aborts naming the
    container it is; nothing is sent to it."""
    await setup_container(hass, hk3, title="Row 3 north")
    sent = hk3.requests["coolerState"]
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: host, CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured_container"
    assert result["description_placeholders"] == {"name": "Row 3 north"}
    assert hk3.requests["coolerState"] == sent


@pytest.mark.parametrize("host", ["hk3.example", "HK3.Example.", " hk3.EXAMPLE "])
async def test_host_name_of_a_configured_address_aborts(
    hass: HomeAssistant, hk3: MockContainer, hosts: dict[str, list[str]], host: str
) -> None:
    """A host name, in any case, that resolves to a configured address is that container."""
    hosts["hk3.example"] = ["127.0.0.1"]
    await setup_container(hass, hk3)
    sent = hk3.requests["coolerState"]
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: host, CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured_container"
    assert hk3.requests["coolerState"] == sent
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_address_of_a_container_added_by_name_aborts(
    hass: HomeAssistant, hk3: MockContainer, hosts: dict[str, list[str]]
) -> None:
    """A container added by host name is identified by its address; adding that aborts."""
    hosts["hk3.example"] = ["127.0.0.1"]
    hosts["hk3-alias.example"] = ["127.0.0.1"]
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "Hk3.example", CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HOST] == "hk3.example"
    assert result["result"].unique_id == f"127.0.0.1:{hk3.port}"
    for address in ("127.0.0.1", "HK3-Alias.example"):
        flow_id = await _start(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_HOST: address, CONF_PORT: hk3.port}
        )
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "already_configured_container"
        assert result["description_placeholders"] == {"name": "Antspace HK3"}


async def test_two_of_a_kind_get_distinct_titles_and_no_address_in_ids(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, socket_enabled: None
) -> None:
    """Default titles name the kind, numbered from the second on; a name still wins."""
    specs = [ContainerSpec(kind=Kind.HK3, frozen=True, seed=seed) for seed in (1, 2, 3)]
    async with MockServer(specs) as server:
        first, second, third = server.containers
        titles = []
        for container, name in ((first, ""), (second, ""), (third, "Row 3 north")):
            flow_id = await _start(hass)
            result = await hass.config_entries.flow.async_configure(
                flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: container.port, CONF_NAME: name}
            )
            assert result["type"] is FlowResultType.CREATE_ENTRY
            titles.append(result["title"])
        await hass.async_block_till_done()
        assert titles == ["Antspace HK3", "Antspace HK3 2", "Row 3 north"]

        entity_ids = [entry.entity_id for entry in entity_registry.entities.values()]
        assert "sensor.antspace_hk3_supply_liquid_temperature" in entity_ids
        assert "sensor.antspace_hk3_2_supply_liquid_temperature" in entity_ids
        assert "sensor.row_3_north_supply_liquid_temperature" in entity_ids
        ports = [str(container.port) for container in server.containers]
        assert not [i for i in entity_ids if "127" in i or any(p in i for p in ports)]
        for entry in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(entry.entry_id)


async def test_reconfigure_same_kind(hass: HomeAssistant, mock_server: MockServer) -> None:
    """A container moved to a new address keeps its entry, entities and unique ids."""
    hk3 = mock_server.containers[0]
    entry = await setup_container(hass, hk3)
    old_port = hk3.port
    await mock_server.stop_container(hk3)
    # The same container, now answering at another port.
    async with MockServer([ContainerSpec(kind=Kind.HK3, frozen=True, seed=1)]) as moved_server:
        moved = moved_server.containers[0]
        result = await entry.start_reconfigure_flow(hass)
        assert result["step_id"] == "reconfigure"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_HOST: "127.0.0.1", CONF_PORT: moved.port}
        )
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reconfigure_successful"
        assert entry.data[CONF_PORT] == moved.port != old_port
        assert entry.unique_id == f"127.0.0.1:{moved.port}"
        state = hass.states.get("sensor.antspace_hk3_supply_liquid_temperature")
        assert state is not None
        assert state.state != "unavailable"

        # The old address is free again: a container there is a new one.
        await mock_server.start_container(hk3)
        flow_id = await _start(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: old_port}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["title"] == "Antspace HK3 2"
        await hass.async_block_till_done()
        for e in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(e.entry_id)


async def test_reconfigure_other_kind_refused(
    hass: HomeAssistant,
    hk3: MockContainer,
    immersion: MockContainer,
    hosts: dict[str, list[str]],
) -> None:
    """An address of another kind, or one that does not resolve, is refused, then fixed."""
    entry = await setup_container(hass, hk3)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "127.0.0.1", CONF_PORT: immersion.port}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "different_kind"}
    assert entry.data[CONF_PORT] == hk3.port
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "gone.example", CONF_PORT: hk3.port}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_onto_another_entry_aborts(
    hass: HomeAssistant, mock_server: MockServer, hosts: dict[str, list[str]]
) -> None:
    """Reconfiguring onto the address of another configured container aborts, by any name."""
    hosts["other.example"] = ["127.0.0.1"]
    hk3 = mock_server.containers[0]
    async with MockServer([ContainerSpec(kind=Kind.HK3, frozen=True, seed=5)]) as other_server:
        other = other_server.containers[0]
        entry = await setup_container(hass, hk3)
        await setup_container(hass, other, entry_id="01JOTHERHK3000000000000000", title="Other")
        for host in ("127.0.0.1", "other.example"):
            result = await entry.start_reconfigure_flow(hass)
            result = await hass.config_entries.flow.async_configure(
                result["flow_id"], {CONF_HOST: host, CONF_PORT: other.port}
            )
            assert result["type"] is FlowResultType.ABORT
            assert result["reason"] == "already_configured_container"
            assert result["description_placeholders"] == {"name": "Other"}
        assert entry.data == {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port, CONF_KIND: "hk3"}
        assert entry.unique_id == f"127.0.0.1:{hk3.port}"
        for e in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(e.entry_id)


async def test_options(hass: HomeAssistant, hk3: MockContainer) -> None:
    """The options flow shows defaults, stores new values and reloads the container."""
    entry = await setup_container(hass, hk3)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    # The address is shown to the administrator here, as the container's device has none.
    assert result["description_placeholders"] == {
        "name": "Antspace HK3",
        "address": f"127.0.0.1:{hk3.port}",
    }
    schema = result["data_schema"].schema
    defaults = {str(key): key.default() for key in schema}
    assert defaults == {
        CONF_SCAN_INTERVAL: 10,
        CONF_MINER_INTERVAL: 60,
        CONF_LOW_SUPPLY_TEMP: 20.0,
        CONF_NOT_HASHING_SHARE: 10.0,
        CONF_CHIP_TEMP_LIMIT: 95.0,
        CONF_ALLOW_COOLING_OFF: False,
        CONF_NOTIFY: "high",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_SCAN_INTERVAL: 30,
            CONF_MINER_INTERVAL: 120,
            CONF_LOW_SUPPLY_TEMP: 15.5,
            CONF_NOT_HASHING_SHARE: 25,
            CONF_CHIP_TEMP_LIMIT: 90,
            CONF_ALLOW_COOLING_OFF: True,
            CONF_NOTIFY: "critical",
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_SCAN_INTERVAL: 30,
        CONF_MINER_INTERVAL: 120,
        CONF_LOW_SUPPLY_TEMP: 15.5,
        CONF_NOT_HASHING_SHARE: 25.0,
        CONF_CHIP_TEMP_LIMIT: 90.0,
        CONF_ALLOW_COOLING_OFF: True,
        CONF_NOTIFY: "critical",
    }
    coordinator = entry.runtime_data
    assert coordinator.interval.total_seconds() == 30
    assert coordinator.poll_batch is not None
    assert coordinator.poll_batch.interval == 30
    assert coordinator.miner_interval.total_seconds() == 120
    assert coordinator.allow_cooling_off
    assert coordinator.low_supply_temperature == 15.5
    assert (coordinator.not_hashing_share, coordinator.chip_temperature_limit) == (25.0, 90.0)


async def test_options_of_an_immersion_have_no_hk3_alert(
    hass: HomeAssistant, immersion: MockContainer
) -> None:
    """The low supply temperature alert is an HK3's: an Immersion is not offered it."""
    entry = await setup_container(hass, immersion)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["description_placeholders"]["name"] == "Antspace Immersion"
    assert {str(key) for key in result["data_schema"].schema} == {
        CONF_SCAN_INTERVAL,
        CONF_MINER_INTERVAL,
        CONF_NOT_HASHING_SHARE,
        CONF_CHIP_TEMP_LIMIT,
        CONF_ALLOW_COOLING_OFF,
        CONF_NOTIFY,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_SCAN_INTERVAL: 20, CONF_MINER_INTERVAL: 60, CONF_ALLOW_COOLING_OFF: False},
    )
    await hass.async_block_till_done()
    assert entry.options == {
        CONF_SCAN_INTERVAL: 20,
        CONF_MINER_INTERVAL: 60,
        CONF_NOT_HASHING_SHARE: 10.0,
        CONF_CHIP_TEMP_LIMIT: 95.0,
        CONF_ALLOW_COOLING_OFF: False,
        CONF_NOTIFY: "high",
    }


async def test_options_miner_interval_bounds(hass: HomeAssistant, hk3: MockContainer) -> None:
    """The miner summary interval runs from the polling interval to 600 s."""
    entry = await setup_container(hass, hk3)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    key = next(key for key in result["data_schema"].schema if key == CONF_MINER_INTERVAL)
    config = result["data_schema"].schema[key].config
    assert (config["min"], config["max"]) == (5, 600)
    values = {CONF_LOW_SUPPLY_TEMP: 20.0, CONF_ALLOW_COOLING_OFF: False}
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_SCAN_INTERVAL: 30, CONF_MINER_INTERVAL: 601, **values}
        )

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 30, CONF_MINER_INTERVAL: 29, **values}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_MINER_INTERVAL: "miner_interval_too_short"}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 30, CONF_MINER_INTERVAL: 30, **values}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_MINER_INTERVAL] == 30


# --- a whole site: the scan of a range ---------------------------------------------------------


@pytest.fixture(autouse=True)
def _progress_shown_briefly() -> Generator[None]:
    """A scan's progress shown no longer than the scan takes (the frontend is not here)."""
    with patch("custom_components.antspace.site_flow.PROGRESS_SHOWN", 0):
        yield


async def _scan(hass: HomeAssistant, flow_id: str, scan_range: str, ports: str) -> ConfigFlowResult:
    """Submit a range and its ports; let the scan run; the step that follows it."""
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_RANGE: scan_range, CONF_PORTS: ports}
    )
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["progress_action"] == "scanning"
    await hass.async_block_till_done()
    return await hass.config_entries.flow.async_configure(flow_id)


def _ports(site: Site) -> str:
    return ", ".join(str(port) for port in site.ports)


def _site_entry(hass: HomeAssistant, site: Site, address: str, title: str) -> MockConfigEntry:
    """The entry of a container of the site, as if added before."""
    container = site.containers[address]
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=AntspaceConfigFlow.VERSION,
        title=title,
        unique_id=f"{address}:{container.port}",
        data={CONF_HOST: address, CONF_PORT: container.port, CONF_KIND: container.kind.value},
    )
    entry.add_to_hass(hass)
    return entry


async def test_scan_adds_the_picked_and_offers_the_others(hass: HomeAssistant, site: Site) -> None:
    """Both kinds on either port, a web server not; the configured one marked, not offered.

    The picked become an entry each, titled by their model; the other found is offered under
    Discovered, and added from there. Nothing outside the range was asked.
    """
    first, second = site.ports
    configured = _site_entry(hass, site, "127.0.0.19", "Row 3 north")
    progress: list[float] = []

    @callback
    def _progressed(event: Event) -> None:  # in the loop, in the order they come
        progress.append(event.data["progress"])

    hass.bus.async_listen(EVENT_DATA_ENTRY_FLOW_PROGRESS_UPDATE, _progressed)
    flow_id = await _start(hass, "scan")
    result = await _scan(hass, flow_id, SITE, _ports(site))

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick"
    assert progress[-1] == 1.0
    assert progress == sorted(progress)
    assert result["description_placeholders"] == {
        "found": "4",
        "range": "127.0.0.17-127.0.0.22",
        "configured": f"\n- Antspace HK3 \u00b7 127.0.0.19:{second} \u2192 **Row 3 north**",
    }
    selector = result["data_schema"].schema[CONF_CONTAINERS]
    assert selector.config["options"] == [
        {"value": f"127.0.0.17:{first}", "label": f"Antspace HK3 \u00b7 127.0.0.17:{first}"},
        {
            "value": f"127.0.0.18:{second}",
            "label": f"Antspace Immersion \u00b7 127.0.0.18:{second}",
        },
        {"value": f"127.0.0.22:{first}", "label": f"Antspace Immersion \u00b7 127.0.0.22:{first}"},
    ]
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {CONF_CONTAINERS: [f"127.0.0.17:{first}", f"127.0.0.22:{first}"], CONF_DISCOVER: True},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Antspace HK3"
    assert result["description"] == "scanned"
    assert result["description_placeholders"] == {
        "count": "2",
        "titles": "Antspace HK3, Antspace Immersion",
    }
    await hass.async_block_till_done(wait_background_tasks=True)
    added = {
        entry.title: (entry.source, entry.unique_id, dict(entry.data))
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry is not configured
    }
    assert added == {
        "Antspace HK3": (
            SOURCE_USER,
            f"127.0.0.17:{first}",
            {CONF_HOST: "127.0.0.17", CONF_PORT: first, CONF_KIND: "hk3"},
        ),
        "Antspace Immersion": (
            SOURCE_SCANNED,
            f"127.0.0.22:{first}",
            {CONF_HOST: "127.0.0.22", CONF_PORT: first, CONF_KIND: "immersion"},
        ),
    }

    (offered,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert offered["context"]["source"] == SOURCE_INTEGRATION_DISCOVERY
    assert offered["context"]["title_placeholders"] == {
        "name": "Antspace Immersion",
        "address": f"127.0.0.18:{second}",
    }
    assert offered["step_id"] == "discovery_confirm"
    result = await hass.config_entries.flow.async_configure(offered["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Antspace Immersion 2"
    assert result["data"] == {CONF_HOST: "127.0.0.18", CONF_PORT: second, CONF_KIND: "immersion"}
    await hass.async_block_till_done()

    assert [c.requests.total() for c in site.outside.values()] == [0, 0, 0]
    assert site.plain["127.0.0.20"].requests == {first: 1, second: 1}
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)


async def test_scan_says_what_is_wrong_with_a_range(hass: HomeAssistant, site: Site) -> None:
    """Malformed, too large, bad ports, nothing found, nothing new, nothing picked: each
    says so; nothing is sent for a range or ports refused."""
    first, _second = site.ports
    flow_id = await _start(hass, "scan")
    for user_input, errors in (
        ({CONF_RANGE: "127.0.0.22-127.0.0.17", CONF_PORTS: "80"}, {CONF_RANGE: "invalid_range"}),
        ({CONF_RANGE: "127.0.0.0/21", CONF_PORTS: "80"}, {CONF_RANGE: "range_too_large"}),
        ({CONF_RANGE: SITE, CONF_PORTS: "80, web"}, {CONF_PORTS: "invalid_ports"}),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, user_input)
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "scan"
        assert result["errors"] == errors
        assert result["description_placeholders"] == {"limit": "1,024"}
    assert not site.meter.by_address

    result = await _scan(hass, flow_id, "127.0.0.21", _ports(site))
    assert (result["step_id"], result["errors"]) == ("scan", {"base": "none_found"})

    _site_entry(hass, site, "127.0.0.17", "Antspace HK3")
    result = await _scan(hass, flow_id, "127.0.0.17", _ports(site))
    assert (result["step_id"], result["errors"]) == ("scan", {"base": "all_configured"})

    result = await _scan(hass, flow_id, "127.0.0.22", _ports(site))
    assert result["step_id"] == "pick"
    assert result["description_placeholders"]["configured"] == "\u2014"
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_CONTAINERS: [], CONF_DISCOVER: False}
    )
    assert (result["step_id"], result["errors"]) == ("pick", {"base": "none_picked"})
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_CONTAINERS: [], CONF_DISCOVER: True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "scan_offered"
    assert result["description_placeholders"] == {"count": "1"}
    await hass.async_block_till_done(wait_background_tasks=True)
    (offered,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert offered["context"]["unique_id"] == f"127.0.0.22:{first}"
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)


async def test_without_a_port_each_is_tried_in_turn(hass: HomeAssistant, site: Site) -> None:
    """No port given: the first port, then the second; the one that answers is kept."""
    first, second = site.ports
    with patch("custom_components.antspace.config_flow.PORTS", site.ports):
        flow_id = await _start(hass)
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: "127.0.0.21"})
        assert result["errors"] == {"base": "no_port_answered"}
        assert result["description_placeholders"] == {"ports": _ports(site)}
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: "127.0.0.20"})
        assert result["errors"] == {"base": "not_antspace"}
        result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: "127.0.0.18"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_HOST: "127.0.0.18", CONF_PORT: second, CONF_KIND: "immersion"}
    # The web server on the first port was asked first, once; the container then.
    assert site.plain["127.0.0.18"].requests == {first: 1}
    assert site.containers["127.0.0.18"].requests["coolerState"] >= 1
    await hass.async_block_till_done()
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)


def test_the_default_ports_are_real_controllers_then_the_mock() -> None:
    """Real controllers answer on 80 (field tools read `http://<address>/cooler`)."""
    assert PORTS == (80, 8000)
    assert DEFAULT_PORT == 80


async def test_discovered_and_scanned_flows_check_again(hass: HomeAssistant, site: Site) -> None:
    """A container configured meanwhile, by any form of its address, is not offered nor
    added twice; a discovered one is asked again before it is added."""
    first, _second = site.ports

    async def start(source: str, address: str, port: int, kind: str) -> ConfigFlowResult:
        data = {CONF_HOST: address, CONF_PORT: port, CONF_KIND: kind, CONF_NAME: "Antspace HK3"}
        return await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": source}, data=data
        )

    _site_entry(hass, site, "127.0.0.17", "Row 3 north")
    result = await start(SOURCE_INTEGRATION_DISCOVERY, "127.0.0.17", first, "hk3")
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "already_configured")
    # An entry of an address written as IPv6, from before that form was normalised.
    MockConfigEntry(
        domain=DOMAIN,
        version=AntspaceConfigFlow.VERSION,
        title="Row 4",
        unique_id=f"::ffff:127.0.0.22:{first}",
        data={CONF_HOST: "::ffff:127.0.0.22", CONF_PORT: first, CONF_KIND: "immersion"},
    ).add_to_hass(hass)
    for source in (SOURCE_INTEGRATION_DISCOVERY, SOURCE_SCANNED):
        result = await start(source, "127.0.0.22", first, "immersion")
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "already_configured_container"
        assert result["description_placeholders"] == {"name": "Row 4"}

    for address, error in (("127.0.0.20", "not_antspace"), ("127.0.0.21", "cannot_connect")):
        result = await start(SOURCE_INTEGRATION_DISCOVERY, address, first, "hk3")
        assert result["step_id"] == "discovery_confirm"
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
        assert result["errors"] == {"base": error}
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2
