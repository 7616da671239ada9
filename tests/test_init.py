"""Setting up, polling, losing and regaining a container."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.antspace.const import CONF_KIND, CONF_SCAN_INTERVAL, DOMAIN
from custom_components.antspace.coordinator import alert_issue_id
from custom_components.antspace.pyantspace import Kind
from mock.plant import ContainerSpec, Failure, MockContainer
from mock.server import MockServer

from .conftest import ENTRY_IDS, alert_events, make_entry, setup_container

SUPPLY = "sensor.antspace_hk3_supply_liquid_temperature"
UNREACHABLE = "binary_sensor.antspace_hk3_container_unreachable"
PUMP_FAULT = "binary_sensor.antspace_hk3_circulating_pump_fault"
EVENT = "event.antspace_hk3_alert"
ACTIVE = "sensor.antspace_hk3_active_alerts"
HIGHEST = "sensor.antspace_hk3_highest_alert_severity"
DOMAIN_LOGGER = "custom_components.antspace"


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


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> int:
    """Let one second pass, without waiting for polls in flight (a slow one times out)."""
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed(hass)
    for _ in range(10):
        await asyncio.sleep(0)
    return 1


@pytest.mark.parametrize("down", ["refused", Failure.HTTP_500, Failure.BROKEN_JSON, "slow"])
async def test_down_at_startup_is_set_up_and_raises_unreachable(
    hass: HomeAssistant,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    down: Failure | str,
) -> None:
    """A container down when Home Assistant starts is set up from its entry, and watched.

    Its device and entities exist, its readings are unavailable, `container_unreachable`
    comes by the same rule as for a later outage, and its first good answer brings it live.
    """
    hk3 = mock_server.containers[0]
    match down:
        case "refused":
            await mock_server.stop_container(hk3)
        case "slow":
            hk3.delay = 600
        case Failure():
            hk3.set_failure(down)
    events = alert_events(hass)
    caplog.set_level(logging.WARNING)
    entry = make_entry(hk3)
    entry.add_to_hass(hass)
    setup = hass.async_create_task(hass.config_entries.async_setup(entry.entry_id))
    seconds = 0
    # A slow container's first poll ends when its timeout comes; any other ends at once, so
    # the clock stands still meanwhile, however long the machine takes.
    while down == "slow" and not setup.done():
        seconds += await tick(hass, freezer)
    await setup
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert [r.getMessage() for r in caplog.records if r.name.startswith(DOMAIN_LOGGER)] == [
        "Antspace HK3 does not answer; it is set up from its entry and polled until it does"
    ]
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert len(entities) > 40
    assert hass.states.get(SUPPLY).state == STATE_UNAVAILABLE
    assert hass.states.get(UNREACHABLE).state == STATE_OFF
    assert hass.states.get(ACTIVE).state == "0"
    # Alerts no answer has told yet are not taken for "off".
    assert hass.states.get(PUMP_FAULT).state == STATE_UNAVAILABLE

    # Three intervals from start-up: from the first poll, which began while the integration
    # was set up (the seconds that took: loading it, and a slow container's timeout).
    setting_up = seconds
    while hass.states.get(UNREACHABLE).state != STATE_ON:
        seconds += await tick(hass, freezer)
        assert seconds <= 30 + setting_up
    assert seconds >= 30
    await hass.async_block_till_done()  # the event's listeners, after the state they follow
    assert hass.states.get(EVENT).attributes["event_type"] == "raised"
    assert hass.states.get(ACTIVE).state == "1"
    assert hass.states.get(HIGHEST).state == "critical"
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, alert_issue_id(entry.entry_id, "container_unreachable")
    )
    assert issue is not None
    assert [(e.data["alert"], e.data["active"]) for e in events] == [
        ("container_unreachable", True)
    ]

    hk3.delay = 0
    hk3.set_failure(Failure.NONE)
    await mock_server.stop_container(hk3)  # cuts a slow answer in progress
    await mock_server.start_container(hk3)
    for _ in range(2):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SUPPLY).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    assert hass.states.get(UNREACHABLE).state == STATE_OFF
    assert hass.states.get(PUMP_FAULT).state == STATE_OFF
    assert hass.states.get(EVENT).attributes["event_type"] == "cleared"
    assert hass.states.get(ACTIVE).state == "0"
    assert [(e.data["alert"], e.data["active"]) for e in events] == [
        ("container_unreachable", True),
        ("container_unreachable", False),
    ]
    assert not ir.async_get(hass).async_get_issue(
        DOMAIN, alert_issue_id(entry.entry_id, "container_unreachable")
    )


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
    """An address that answers as another kind at start-up is a setup error that says so."""
    hk3, immersion = mock_server.containers
    entry = make_entry(immersion)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "port": immersion.port, "kind": "hk3"}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "wrong_kind_setup"
    assert entry.error_reason_translation_placeholders == {
        "kind": "Antspace Immersion",
        "expected": "Antspace HK3",
    }
    assert hk3.requests["coolerState"] == 0
    # Not retried: nothing more is asked of it.
    asked = immersion.requests["coolerState"]
    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert immersion.requests["coolerState"] == asked


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


def _first_version_entry(
    container: MockContainer, *, host: str, title: str, entry_id: str
) -> MockConfigEntry:
    """An entry as the first version of the config flow left it."""
    return MockConfigEntry(
        domain=DOMAIN,
        version=1,
        entry_id=entry_id,
        title=title,
        unique_id=f"{host}:{container.port}",
        data={CONF_HOST: host, CONF_PORT: container.port, CONF_KIND: container.kind.value},
    )


async def test_migration_from_version_1_keeps_entity_ids(
    hass: HomeAssistant,
    hk3: MockContainer,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """An entry titled by its address takes the kind's title; its entity ids stay."""
    address_title = f"Antspace HK3 (127.0.0.1:{hk3.port})"
    entry = _first_version_entry(
        hk3, host="127.0.0.1", title=address_title, entry_id=ENTRY_IDS[hk3.kind]
    )
    entry.add_to_hass(hass)
    # The ids its entities got from the address title, and that history is recorded under.
    old_id = f"sensor.antspace_hk3_127_0_0_1_{hk3.port}_supply_liquid_temperature"
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{entry.entry_id}_supply_liquid_temp",
        config_entry=entry,
        suggested_object_id=old_id.removeprefix("sensor."),
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.version == 2
    assert entry.title == "Antspace HK3"
    assert entry.unique_id == f"127.0.0.1:{hk3.port}"
    assert (
        entity_registry.async_get_entity_id(
            "sensor", DOMAIN, f"{entry.entry_id}_supply_liquid_temp"
        )
        == old_id
    )
    state = hass.states.get(old_id)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    assert device.name == "Antspace HK3"


async def test_migration_numbers_titles_and_keeps_chosen_ones(
    hass: HomeAssistant, socket_enabled: None, hosts: dict[str, list[str]]
) -> None:
    """Several address titles get numbered kind titles; a chosen title and an unknown name stay.

    A host name becomes its resolved address in the unique id; one that does not resolve
    now, or whose address is another entry's already, keeps the unique id it had.
    """
    hosts["hk3-b.example"] = ["127.0.0.1"]
    hosts["hk3-a.example"] = ["127.0.0.1"]
    specs = [ContainerSpec(kind=Kind.HK3, frozen=True, seed=seed) for seed in (1, 2, 3)]
    async with MockServer(specs) as server:
        a, b, c = server.containers
        entries = [
            _first_version_entry(
                a, host="127.0.0.1", title=f"Antspace HK3 (127.0.0.1:{a.port})", entry_id="A"
            ),
            _first_version_entry(
                b,
                host="hk3-b.example",
                title=f"Antspace HK3 (hk3-b.example:{b.port})",
                entry_id="B",
            ),
            _first_version_entry(c, host="gone.example", title="Row 3 north", entry_id="C"),
            # The same container as A, added again by a name before names were resolved.
            _first_version_entry(
                a,
                host="hk3-a.example",
                title=f"Antspace HK3 (hk3-a.example:{a.port})",
                entry_id="D",
            ),
        ]
        for entry in entries:
            entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entries[0].entry_id)
        await hass.async_block_till_done()

        assert [e.version for e in entries] == [2, 2, 2, 2]
        assert sorted(e.title for e in entries) == [
            "Antspace HK3",
            "Antspace HK3 2",
            "Antspace HK3 3",
            "Row 3 north",
        ]
        assert [e.unique_id for e in entries] == [
            f"127.0.0.1:{a.port}",
            f"127.0.0.1:{b.port}",
            f"gone.example:{c.port}",
            f"hk3-a.example:{a.port}",
        ]
        for entry in entries:
            await hass.config_entries.async_unload(entry.entry_id)


async def test_reconfigured_then_unreachable_logs_no_address(
    hass: HomeAssistant,
    hk3: MockContainer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A container of the first version, moved to a new address and then lost, logs no address.

    Nothing Home Assistant or the integration logs at info level or above names either
    address: not the title it had, not the new one, not the client's error.
    """
    caplog.set_level(logging.INFO)
    old_port = hk3.port + 1
    entry = _first_version_entry(
        hk3, host="127.0.0.1", title=f"Antspace HK3 (127.0.0.1:{old_port})", entry_id="A"
    )
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_PORT: old_port})
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(SUPPLY).state == STATE_UNAVAILABLE

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "127.0.0.1", CONF_PORT: hk3.port}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    hk3.failure = Failure.DROP
    for _ in range(2):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SUPPLY).state == STATE_UNAVAILABLE

    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert any("Error fetching Antspace HK3 data" in message for message in logged)
    assert not [
        message
        for message in logged
        if "127.0.0.1" in message or str(hk3.port) in message or str(old_port) in message
    ]
