"""The config flow: adding, reconfiguring and the options of a container."""

from __future__ import annotations

import math
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.antspace.config_flow import valid_port
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
from custom_components.antspace.pyantspace import AntspaceConnectionError, Kind
from mock.plant import ContainerSpec, Failure, MockContainer
from mock.server import MockServer

from .conftest import setup_container


async def _start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
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
        "custom_components.antspace.config_flow.AntspaceClient.cooler_state",
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
    with patch("custom_components.antspace.config_flow.AntspaceClient.cooler_state") as probe:
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


async def test_duplicate_aborts(hass: HomeAssistant, hk3: MockContainer) -> None:
    """The same host and port twice aborts as already configured."""
    await setup_container(hass, hk3)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


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
    assert result["reason"] == "already_configured"
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
        assert result["reason"] == "already_configured"


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
            assert result["reason"] == "already_configured"
        assert entry.data == {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port, CONF_KIND: "hk3"}
        assert entry.unique_id == f"127.0.0.1:{hk3.port}"
        for e in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(e.entry_id)


async def test_options(hass: HomeAssistant, hk3: MockContainer) -> None:
    """The options flow shows defaults, stores new values and reloads the container."""
    entry = await setup_container(hass, hk3)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"] == {"name": "Antspace HK3"}
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
    assert result["description_placeholders"] == {"name": "Antspace Immersion"}
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
