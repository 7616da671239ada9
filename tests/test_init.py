"""Setting up, polling, losing and regaining a container."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.antspace.const import CONF_SCAN_INTERVAL
from mock.plant import Failure, MockContainer
from mock.server import MockServer

from .conftest import make_entry, setup_container

SUPPLY = "sensor.antspace_hk3_supply_liquid_temperature"


async def test_setup_and_unload(hass: HomeAssistant, hk3: MockContainer) -> None:
    """A container loads, shows live values, and unloads cleanly."""
    entry = await setup_container(hass, hk3)
    assert entry.state is ConfigEntryState.LOADED
    state = hass.states.get(SUPPLY)
    assert state is not None
    assert float(state.state) == pytest.approx(float(hk3.value("supply_liquid_temp")))

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get(SUPPLY).state == STATE_UNAVAILABLE


async def test_reload(hass: HomeAssistant, hk3: MockContainer) -> None:
    """A reload sets the container up again with the same entities."""
    entry = await setup_container(hass, hk3)
    before = set(hass.states.async_entity_ids())
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    assert set(hass.states.async_entity_ids()) == before


@pytest.mark.parametrize("failure", [Failure.DROP, Failure.HTTP_500, Failure.BROKEN_JSON])
async def test_not_ready_at_startup(
    hass: HomeAssistant, hk3: MockContainer, failure: Failure
) -> None:
    """A container that fails at start-up is retried later, not set up half."""
    hk3.failure = failure
    entry = await setup_container(hass, hk3)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_unreachable_at_startup(hass: HomeAssistant, mock_server: MockServer) -> None:
    """Nothing listening at start-up: retried later."""
    hk3 = mock_server.containers[0]
    await mock_server.stop_container(hk3)
    entry = await setup_container(hass, hk3)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_outage_and_recovery(
    hass: HomeAssistant,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable after one failed cycle, log once, and come back by themselves."""
    hk3 = mock_server.containers[0]
    await setup_container(hass, hk3, **{CONF_SCAN_INTERVAL: 10})
    assert hass.states.get(SUPPLY).state != STATE_UNAVAILABLE

    caplog.clear()
    caplog.set_level(logging.INFO, logger="custom_components.antspace")
    await mock_server.stop_container(hk3)
    for _ in range(3):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        assert hass.states.get(SUPPLY).state == STATE_UNAVAILABLE
    lost = [r for r in caplog.records if "Error fetching" in r.getMessage()]
    assert len(lost) == 1

    await mock_server.start_container(hk3)
    for _ in range(2):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SUPPLY).state != STATE_UNAVAILABLE
    back = [r for r in caplog.records if "recovered" in r.getMessage()]
    assert len(back) == 1


@pytest.mark.parametrize(
    "failure",
    [
        Failure.HTTP_500,
        Failure.BROKEN_JSON,
        Failure.OK_FALSE,
        Failure.OVERSIZE,
        Failure.DROP,
    ],
)
async def test_garbage_makes_unavailable_then_recovers(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory, failure: Failure
) -> None:
    """A container that answers garbage goes unavailable and recovers by itself."""
    await setup_container(hass, hk3)
    hk3.failure = failure
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SUPPLY).state == STATE_UNAVAILABLE

    hk3.failure = Failure.NONE
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SUPPLY).state != STATE_UNAVAILABLE


async def test_unchanged_data_writes_no_state(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A poll that brings the same values writes no new states but the growing energy total."""
    await setup_container(hass, hk3)
    writes: list[str] = []

    @callback
    def record(event: Event) -> None:
        writes.append(event.data["entity_id"])

    @callback
    def every(data: Mapping[str, Any]) -> bool:
        return True

    hass.bus.async_listen("state_changed", record)
    hass.bus.async_listen("state_reported", record, event_filter=every)
    for _ in range(3):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert set(writes) == {"sensor.antspace_hk3_energy"}
    assert hk3.requests["coolerState"] >= 4

    hk3.set_value("supply_liquid_temp", 31.5)
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert SUPPLY in writes
    assert hass.states.get(SUPPLY).state == "31.5"


async def test_container_of_other_kind_at_address(
    hass: HomeAssistant, mock_server: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """An address that now answers as another kind makes the entities unavailable."""
    hk3, immersion = mock_server.containers
    entry = make_entry(immersion)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "port": immersion.port, "kind": "hk3"}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert hk3.requests["coolerState"] == 0


async def test_logs_name_no_address(
    hass: HomeAssistant,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing the integration logs at info level or above names the container's address."""
    caplog.set_level(logging.INFO)
    hk3 = mock_server.containers[0]
    await setup_container(hass, hk3)
    for failure in (Failure.HTTP_500, Failure.BROKEN_JSON, Failure.NONE):
        hk3.failure = failure
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    await mock_server.stop_container(hk3)
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    await mock_server.start_container(hk3)
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    ours = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components.antspace") and r.levelno >= logging.INFO
    ]
    assert any("Error fetching" in r.getMessage() for r in ours)
    assert any("recovered" in r.getMessage() for r in ours)
    assert not [r.getMessage() for r in ours if "127.0.0.1" in r.getMessage()]
