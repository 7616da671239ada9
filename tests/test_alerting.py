"""Faults on the container become problem sensors, repair issues and events, and go back."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
import logging
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import slugify
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.antspace.const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_CHIP_TEMP_LIMIT,
    CONF_LOW_SUPPLY_TEMP,
    CONF_NOT_HASHING_SHARE,
    DEFAULT_MINER_INTERVAL,
    DOMAIN,
)
from custom_components.antspace.coordinator import alert_issue_id
from custom_components.antspace.helpers import inert_text
from custom_components.antspace.pyantspace import Kind
from mock.plant import Failure, MockContainer
from mock.server import MockServer, break_fields

from .conftest import ENTRY_IDS, alert_events, device_id, poll, setup_container

TRANSLATIONS = json.loads(
    (Path(__file__).parents[1] / "custom_components/antspace/translations/en.json").read_text()
)
HK3_ID = "antspace_hk3"
PUMP_FAULT = f"binary_sensor.{HK3_ID}_circulating_pump_fault"
EVENT_ENTITY = f"event.{HK3_ID}_alert"
ACTIVE = f"sensor.{HK3_ID}_active_alerts"
HIGHEST = f"sensor.{HK3_ID}_highest_alert_severity"
UNREACHABLE = f"binary_sensor.{HK3_ID}_container_unreachable"


def _issue(hass: HomeAssistant, entry_id: str, alert: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, alert_issue_id(entry_id, alert))


async def test_raise_and_clear(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A fault turns on its sensor, opens a critical issue, fires once; clearing undoes all."""
    entry = await setup_container(hass, hk3)
    events = alert_events(hass)
    assert hass.states.get(PUMP_FAULT).state == STATE_OFF
    assert hass.states.get(ACTIVE).state == "0"
    assert hass.states.get(HIGHEST).state == "none"

    hk3.set_fault("circulating_pump_fault")
    await poll(hass, freezer)
    assert hass.states.get(PUMP_FAULT).state == STATE_ON
    issue = _issue(hass, entry.entry_id, "circulating_pump_fault")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert issue.translation_key == "alert_circulating_pump_fault"
    assert issue.translation_placeholders == {
        "container": entry.title,
        "device": f"[Antspace HK3](/config/devices/device/{device_id(hass, entry)})",
        "flags": "",
        "miners": "",
        "miner_positions": "",
    }
    assert issue.is_fixable  # a latched fault: the reset clears it (test_repairs.py)
    assert [e.data for e in events] == [
        {
            "device_id": device_id(hass, entry),
            "entry_id": entry.entry_id,
            "alert": "circulating_pump_fault",
            "severity": "critical",
            "active": True,
            "maintenance": False,
        }
    ]
    event_state = hass.states.get(EVENT_ENTITY)
    assert event_state.attributes["event_type"] == "raised"
    assert event_state.attributes["alert"] == "circulating_pump_fault"
    assert event_state.attributes["severity"] == "critical"
    assert hass.states.get(ACTIVE).state == "1"
    assert hass.states.get(HIGHEST).state == "critical"
    assert hass.states.get(f"sensor.{HK3_ID}_status").state == "error"

    # Still active on the next polls: nothing new.
    await poll(hass, freezer)
    await poll(hass, freezer)
    assert len(events) == 1

    hk3.set_fault("circulating_pump_fault", active=False)
    await poll(hass, freezer)
    assert hass.states.get(PUMP_FAULT).state == STATE_OFF
    assert _issue(hass, entry.entry_id, "circulating_pump_fault") is None
    assert [e.data["active"] for e in events] == [True, False]
    assert hass.states.get(EVENT_ENTITY).attributes["event_type"] == "cleared"
    assert hass.states.get(ACTIVE).state == "0"


async def test_severity_mapping(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """High alerts are errors, medium alerts warnings."""
    entry = await setup_container(hass, hk3)
    hk3.set_fault("spray_pump_fault")
    hk3.set_fault("power_fault")
    await poll(hass, freezer)
    assert _issue(hass, entry.entry_id, "spray_pump_fault").severity is ir.IssueSeverity.ERROR
    assert _issue(hass, entry.entry_id, "power_fault").severity is ir.IssueSeverity.WARNING
    assert hass.states.get(HIGHEST).state == "high"


async def test_immersion_flags_the_reference_drops(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Immersion leakage and pump alarm are alerts; the running primary pump is not."""
    entry = await setup_container(hass, immersion)
    immersion.set_value("primary_circulating_pump", True)
    await poll(hass, freezer)
    assert not [
        issue for (domain, _), issue in ir.async_get(hass).issues.items() if domain == DOMAIN
    ]
    for flag in ("leakage_fault", "pump_alarm", "supply_liquid_temp_too_high", "phasefailure"):
        immersion.set_fault(flag)
    await poll(hass, freezer)
    for alert in ("leakage_fault", "pump_alarm", "supply_liquid_temp_too_high", "phase_failure"):
        assert _issue(hass, entry.entry_id, alert) is not None
    prefix = "binary_sensor.antspace_immersion"
    assert hass.states.get(f"{prefix}_leakage").state == STATE_ON
    assert hass.states.get(f"{prefix}_phase_failure").state == STATE_ON


async def test_low_supply_temperature_threshold(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The computed alert follows the threshold from the options."""
    entry = await setup_container(hass, hk3, **{CONF_LOW_SUPPLY_TEMP: 25.0})
    hk3.set_value("supply_liquid_temp", 24.0)
    await poll(hass, freezer)
    assert _issue(hass, entry.entry_id, "supply_liquid_temp_low") is not None
    hk3.set_value("supply_liquid_temp", 26.0)
    await poll(hass, freezer)
    assert _issue(hass, entry.entry_id, "supply_liquid_temp_low") is None


async def test_flapping_fault(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Each start and end is one event; the issue follows the last state."""
    entry = await setup_container(hass, hk3)
    events = alert_events(hass)
    for active in (True, False, True, False, True):
        hk3.set_fault("leakage_fault", active=active)
        await poll(hass, freezer)
    assert [e.data["active"] for e in events] == [True, False, True, False, True]
    assert _issue(hass, entry.entry_id, "leakage_fault") is not None


async def test_outage_neither_raises_nor_clears(
    hass: HomeAssistant, mock_server: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """While the container is away its alerts stand still; they resume when it answers."""
    hk3 = mock_server.containers[0]
    entry = await setup_container(hass, hk3)
    events = alert_events(hass)
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    assert len(events) == 1

    await mock_server.stop_container(hk3)
    hk3.set_fault("spray_pump_fault", active=False)
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    await poll(hass, freezer)
    assert hass.states.get(PUMP_FAULT).state == STATE_UNAVAILABLE
    assert len(events) == 1
    assert _issue(hass, entry.entry_id, "spray_pump_fault") is not None
    assert _issue(hass, entry.entry_id, "leakage_fault") is None

    await mock_server.start_container(hk3)
    await poll(hass, freezer)
    assert sorted((e.data["alert"], e.data["active"]) for e in events[1:]) == [
        ("leakage_fault", True),
        ("spray_pump_fault", False),
    ]
    assert _issue(hass, entry.entry_id, "spray_pump_fault") is None
    assert _issue(hass, entry.entry_id, "leakage_fault") is not None


async def test_restart_keeps_active_alert_and_drops_stale(
    hass: HomeAssistant, hk3: MockContainer
) -> None:
    """After a restart an active alert keeps its issue without a new event; stale ones go."""
    registry = ir.async_get(hass)
    entry_id = ENTRY_IDS[hk3.kind]
    for alert in ("leakage_fault", "spray_pump_fault"):
        ir.async_create_issue(
            hass,
            DOMAIN,
            alert_issue_id(entry_id, alert),
            is_fixable=False,
            severity=ir.IssueSeverity.CRITICAL,
            translation_key=f"alert_{alert}",
            translation_placeholders={"container": "old title", "flags": ""},
        )
    hk3.set_fault("leakage_fault")
    events = alert_events(hass)
    entry = await setup_container(hass, hk3)
    assert registry.async_get_issue(DOMAIN, alert_issue_id(entry.entry_id, "leakage_fault"))
    assert not registry.async_get_issue(DOMAIN, alert_issue_id(entry.entry_id, "spray_pump_fault"))
    leak = registry.async_get_issue(DOMAIN, alert_issue_id(entry.entry_id, "leakage_fault"))
    assert leak.translation_placeholders["container"] == entry.title
    assert [(e.data["alert"], e.data["active"]) for e in events] == [("spray_pump_fault", False)]


async def test_removing_container_removes_its_issues(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Issues of a container go with it."""
    entry = await setup_container(hass, hk3)
    hk3.set_all_faults(True)
    await poll(hass, freezer)
    assert _issue(hass, entry.entry_id, "leakage_fault") is not None
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not [key for key in ir.async_get(hass).issues if key[0] == DOMAIN]


async def test_error_container_raises_every_alert(
    hass: HomeAssistant, mock_server: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """A container started with every fault set shows every flag alert of its kind.

    Those of the flags it sends: 18 (HK3) or 20 (Immersion), and the controller disconnected.
    """
    for container in mock_server.containers:
        container.set_all_faults(True)
    hk3_entry = await setup_container(hass, mock_server.containers[0])
    imm_entry = await setup_container(hass, mock_server.containers[1])
    issues = [issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN]
    assert len([i for i in issues if hk3_entry.entry_id in i]) == 19
    assert len([i for i in issues if imm_entry.entry_id in i]) == 21


async def test_answer_missing_a_flag_keeps_the_alert(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """An answer that lacks fault flags says nothing of them: active alerts stay, no events."""
    entry = await setup_container(hass, hk3)
    hk3.set_all_faults(True)
    await poll(hass, freezer)
    before = {key for (domain, key) in ir.async_get(hass).issues if domain == DOMAIN}
    assert len(before) == 19
    events = alert_events(hass)

    hk3.set_failure(Failure.MISSING_FIELDS)
    await poll(hass, freezer)
    assert entry.runtime_data.last_update_success
    assert entry.runtime_data.data.snapshot.state.faults.keys() < set(hk3.faults)
    assert events == []
    assert {key for (domain, key) in ir.async_get(hass).issues if domain == DOMAIN} == before

    hk3.set_failure(Failure.NONE)
    hk3.set_all_faults(False)
    await poll(hass, freezer)
    assert len(events) == 19
    assert not [key for (domain, key) in ir.async_get(hass).issues if domain == DOMAIN]


async def seconds_until(hass: HomeAssistant, freezer: FrozenDateTimeFactory, entity_id: str) -> int:
    """Let time pass a second at a time until an entity is on; how many seconds it took.

    Polls in flight are not waited for: a slow container's end when their timeout comes.
    """
    for second in range(1, 61):
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        for _ in range(10):  # the polls that time out now end
            await asyncio.sleep(0)
        if hass.states.get(entity_id).state == STATE_ON:
            return second
    raise AssertionError(f"{entity_id} was not on within a minute")


@pytest.mark.parametrize("outage", ["refused", "slow", "dropped", "garbage"])
async def test_unreachable_within_three_intervals(
    hass: HomeAssistant,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    outage: str,
) -> None:
    """Raised three intervals after the last good answer, whatever the failures look like.

    While it stands, the alarm's own entities tell it: the problem sensor is on, the alert
    event entity's last event is `raised`, the counters count it; the readings are unavailable.
    """
    hk3 = mock_server.containers[0]
    entry = await setup_container(hass, hk3)
    events = alert_events(hass)
    caplog.clear()
    match outage:
        case "refused":
            await mock_server.stop_container(hk3)
        case "slow":  # far beyond the request timeout
            hk3.delay = 600
        case "dropped":
            hk3.set_failure(Failure.DROP)
        case _:
            hk3.set_failure(Failure.BROKEN_JSON)
    assert hass.states.get(UNREACHABLE).state == STATE_OFF
    assert 29 < await seconds_until(hass, freezer, UNREACHABLE) <= 30

    assert [e.data for e in events] == [
        {
            "device_id": device_id(hass, entry),
            "entry_id": entry.entry_id,
            "alert": "container_unreachable",
            "severity": "critical",
            "active": True,
            "maintenance": False,
        }
    ]
    issue = _issue(hass, entry.entry_id, "container_unreachable")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert issue.translation_key == "alert_container_unreachable"
    event_state = hass.states.get(EVENT_ENTITY)
    assert event_state.attributes["event_type"] == "raised"
    assert event_state.attributes["alert"] == "container_unreachable"
    assert hass.states.get(ACTIVE).state == "1"
    assert hass.states.get(HIGHEST).state == "critical"
    # The readings, the other alerts' sensors included, are unavailable.
    alarm = {UNREACHABLE, EVENT_ENTITY, ACTIVE, HIGHEST, f"switch.{HK3_ID}_maintenance"}
    states = [
        hass.states.get(e.entity_id)
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.entity_id not in alarm
    ]
    assert {state.state for state in states if state is not None} == {STATE_UNAVAILABLE}

    # The outage goes on (refused from now on, for speed): nothing new, nothing more logged.
    hk3.delay = 0
    await mock_server.stop_container(hk3)
    for _ in range(3):
        await poll(hass, freezer)
    assert len(events) == 1
    ours = [r for r in caplog.records if r.name.startswith("custom_components.antspace")]
    assert [r.levelno for r in ours if r.levelno >= logging.INFO] == [logging.ERROR]

    hk3.set_failure(Failure.NONE)
    await mock_server.start_container(hk3)
    await poll(hass, freezer)
    assert [(e.data["alert"], e.data["active"]) for e in events] == [
        ("container_unreachable", True),
        ("container_unreachable", False),
    ]
    assert _issue(hass, entry.entry_id, "container_unreachable") is None
    assert hass.states.get(UNREACHABLE).state == STATE_OFF
    event_state = hass.states.get(EVENT_ENTITY)
    assert event_state.attributes["event_type"] == "cleared"
    assert event_state.attributes["alert"] == "container_unreachable"
    assert hass.states.get(ACTIVE).state == "0"
    assert hass.states.get(PUMP_FAULT).state == STATE_OFF


async def test_two_failed_polls_raise_nothing(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Two failed polls in a row are not an outage: the poll before the deadline answers.

    Answers that cannot be read count as failed polls; when no good answer comes for three
    intervals, the alarm is raised.
    """
    entry = await setup_container(hass, hk3)
    events = alert_events(hass)
    for _ in range(3):
        hk3.set_failure(Failure.HTTP_500)
        await poll(hass, freezer)
        await poll(hass, freezer)
        assert not entry.runtime_data.last_update_success
        hk3.set_failure(Failure.NONE)
        await poll(hass, freezer)
        assert entry.runtime_data.last_update_success
    assert events == []
    hk3.set_failure(Failure.BROKEN_JSON)
    for _ in range(3):
        await poll(hass, freezer)
    assert [(e.data["alert"], e.data["active"]) for e in events] == [
        ("container_unreachable", True)
    ]


async def test_cooling_stopped_while_mining(
    hass: HomeAssistant, container: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Cooling stopped at the container while its miners hash is critical; both stopped is not."""
    entry = await setup_container(hass, container)
    events = alert_events(hass)
    prefix = {"hk3": HK3_ID, "immersion": "antspace_immersion"}[container.kind.value]
    sensor = f"binary_sensor.{prefix}_cooling_stopped_while_mining"
    assert hass.states.get(sensor).state == STATE_OFF

    container.close_cooling()
    await poll(hass, freezer)
    assert entry.runtime_data.data.snapshot.miners.total_hashrate
    assert hass.states.get(sensor).state == STATE_ON
    issue = _issue(hass, entry.entry_id, "cooling_stopped_while_mining")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert [(e.data["alert"], e.data["severity"], e.data["active"]) for e in events] == [
        ("cooling_stopped_while_mining", "critical", True)
    ]
    assert hass.states.get(f"sensor.{prefix}_highest_alert_severity").state == "critical"

    # The miners stop: seen at the next read of the miner summary, which comes at its own
    # pace (the default interval: six polls); until then the alert keeps to the last summary.
    container.miners_hashing = False
    reads = container.requests["minerInfo"]
    for _ in range(DEFAULT_MINER_INTERVAL // 10):
        await poll(hass, freezer)
        if container.requests["minerInfo"] > reads:
            break
        assert hass.states.get(sensor).state == STATE_ON
    assert entry.runtime_data.data.snapshot.miners.total_hashrate == 0
    assert hass.states.get(sensor).state == STATE_OFF
    assert _issue(hass, entry.entry_id, "cooling_stopped_while_mining") is None
    assert [e.data["active"] for e in events] == [True, False]

    # The cooling back on, the miners started: until a summary shows them hashing, the last
    # one says they do not, while the cooling circulates.
    container.open_cooling()
    container.miners_hashing = True
    await poll(hass, freezer)
    assert set(entry.runtime_data.alerts.active) == {"miners_not_hashing"}
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    assert not entry.runtime_data.alerts.active
    assert [(e.data["alert"], e.data["active"]) for e in events[2:]] == [
        ("miners_not_hashing", True),
        ("miners_not_hashing", False),
    ]


async def test_miner_alerts_follow_their_options(
    hass: HomeAssistant,
    hk3: MockContainer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Miners not hashing rises from the share set, miner overheating above the chip limit set;
    each repair issue names its miners by position and address, which no log line does; the
    issue follows the miners while the alert stands, and both clear when the miners are well."""
    caplog.set_level(logging.DEBUG)
    entry = await setup_container(
        hass, hk3, **{CONF_NOT_HASHING_SHARE: 3, CONF_CHIP_TEMP_LIMIT: 90}
    )
    events = alert_events(hass)
    # As drawn, 3 of the 120 miners stand idle (2.5 %) and the hot ones run at about 85 °C.
    board = entry.runtime_data.alerts
    assert (board.state_of("miners_not_hashing"), board.state_of("miner_overheating")) == (
        False,
        False,
    )
    addresses = list(hk3.miner_info()["miner_info"])
    idle = hk3.idle_miners
    others = [position for position in range(1, 121) if position not in idle]

    def named(positions: list[int]) -> str:
        return ", ".join(f"{p} ({inert_text(addresses[p - 1])})" for p in sorted(positions))

    hk3.set_miner_hashing(others[0], False)  # 4 of 120: 3.3 %
    hk3.set_miner_chip_temp(others[1], 91)
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    for key, positions in (
        ("miners_not_hashing", [*idle, others[0]]),
        ("miner_overheating", [others[1]]),
    ):
        assert hass.states.get(f"binary_sensor.{HK3_ID}_{key}").state == STATE_ON
        issue = _issue(hass, entry.entry_id, key)
        assert issue is not None
        assert issue.severity is ir.IssueSeverity.ERROR
        assert issue.translation_placeholders is not None
        assert issue.translation_placeholders["miners"] == named(positions)
        assert issue.translation_placeholders["miner_positions"] == ", ".join(
            str(p) for p in sorted(positions)
        )
    # While it stands, the issue names the miners of the last summary.
    hk3.set_miner_chip_temp(others[2], 93)
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    issue = _issue(hass, entry.entry_id, "miner_overheating")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["miners"] == named([others[1], others[2]])

    hk3.restore_miners()
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    assert not entry.runtime_data.alerts.active
    assert [(e.data["alert"], e.data["active"]) for e in events] == [
        ("miner_overheating", True),
        ("miners_not_hashing", True),
        ("miner_overheating", False),
        ("miners_not_hashing", False),
    ]
    assert not any(address in caplog.text for address in addresses)


async def test_cooling_switched_off_from_home_assistant(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Switching the cooling off in Home Assistant under load raises the alert too."""
    entry = await setup_container(hass, hk3, **{CONF_ALLOW_COOLING_OFF: True})
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": f"switch.{HK3_ID}_cooling_system"}, blocking=True
    )
    await poll(hass, freezer)
    assert not hk3.cooling_on
    assert _issue(hass, entry.entry_id, "cooling_stopped_while_mining") is not None


@pytest.mark.parametrize(
    ("flag", "alert"),
    [
        ("disconnect", "controller_disconnected"),
        ("power_relay_fault", "power_relay_fault"),
        ("liquid_level_high", "liquid_level_high"),
    ],
)
async def test_controller_and_field_flags_raise_their_alerts(
    hass: HomeAssistant,
    container: MockContainer,
    freezer: FrozenDateTimeFactory,
    flag: str,
    alert: str,
) -> None:
    """A controller that lost its plant, and the flags field controllers send, are alerts."""
    entry = await setup_container(hass, container)
    events = alert_events(hass)
    prefix = {"hk3": HK3_ID, "immersion": "antspace_immersion"}[container.kind.value]
    status = f"sensor.{prefix}_status"
    assert hass.states.get(status).state == "running"
    container.set_fault(flag)
    await poll(hass, freezer)
    issue = _issue(hass, entry.entry_id, alert)
    assert issue is not None
    high = alert == "liquid_level_high"
    assert issue.severity is (ir.IssueSeverity.ERROR if high else ir.IssueSeverity.CRITICAL)
    assert [(e.data["alert"], e.data["active"]) for e in events] == [(alert, True)]
    assert hass.states.get(status).state == "error"
    assert "unrecognised_fault" not in entry.runtime_data.alerts.active

    container.set_fault(flag, active=False)
    await poll(hass, freezer)
    assert _issue(hass, entry.entry_id, alert) is None
    assert [(e.data["alert"], e.data["active"]) for e in events] == [(alert, True), (alert, False)]
    assert hass.states.get(status).state == "running"


async def test_one_loop_stopped_while_mining(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """One secondary loop stopped under hashing miners is critical; both stopped is one alert."""
    entry = await setup_container(hass, immersion)
    events = alert_events(hass)
    loop1 = "binary_sensor.antspace_immersion_loop_1_stopped_while_mining"
    loop2 = "binary_sensor.antspace_immersion_loop_2_stopped_while_mining"
    both = "binary_sensor.antspace_immersion_cooling_stopped_while_mining"

    immersion.set_value("second_pump2", False)
    await poll(hass, freezer)
    assert [hass.states.get(e).state for e in (loop1, loop2, both)] == [
        STATE_OFF,
        STATE_ON,
        STATE_OFF,
    ]
    issue = _issue(hass, entry.entry_id, "loop2_stopped_while_mining")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert hass.states.get("switch.antspace_immersion_cooling_system").state == STATE_ON

    # Both stopped: the whole cooling's alert stands alone.
    immersion.set_value("second_pump1", False)
    await poll(hass, freezer)
    assert [hass.states.get(e).state for e in (loop1, loop2, both)] == [
        STATE_OFF,
        STATE_OFF,
        STATE_ON,
    ]
    assert set(entry.runtime_data.alerts.active) == {"cooling_stopped_while_mining"}

    # Loop 1 runs again: loop 2's alert is back; loop 2 runs again: all clear.
    immersion.set_value("second_pump1", True)
    await poll(hass, freezer)
    assert set(entry.runtime_data.alerts.active) == {"loop2_stopped_while_mining"}
    immersion.set_value("second_pump2", True)
    await poll(hass, freezer)
    assert not entry.runtime_data.alerts.active
    assert [(e.data["alert"], e.data["active"]) for e in events] == [
        ("loop2_stopped_while_mining", True),
        # Both stopped: raised, then cleared, in one poll.
        ("cooling_stopped_while_mining", True),
        ("loop2_stopped_while_mining", False),
        ("loop2_stopped_while_mining", True),
        ("cooling_stopped_while_mining", False),
        ("loop2_stopped_while_mining", False),
    ]


async def test_values_of_the_wrong_type_change_no_state(
    hass: HomeAssistant, mock_server: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """A pump state or a fault flag sent as the text "true" is no state: unknown, or as it was."""
    hk3 = mock_server.containers[0]
    sent = break_fields(Kind.HK3, hk3.cooler_state(), Failure.WRONG_TYPES)
    assert sent["circulating_pump"] == "true"
    flag = next(f for f in hk3.fault_flags if isinstance(sent[f], str) and f != "disconnect")
    problem = f"binary_sensor.{HK3_ID}_{_object_id(flag)}"
    entry = await setup_container(hass, hk3)
    hk3.set_fault(flag)
    await poll(hass, freezer)
    assert hass.states.get(problem).state == STATE_ON
    events = alert_events(hass)

    hk3.set_fault(flag, active=False)
    hk3.set_failure(Failure.WRONG_TYPES)
    await poll(hass, freezer)
    state = entry.runtime_data.data.snapshot.state
    assert state.circulating_pump is None
    assert state.extra[flag] == "false"
    assert hass.states.get(f"switch.{HK3_ID}_cooling_system").state == STATE_UNKNOWN
    assert hass.states.get(f"sensor.{HK3_ID}_status").state == STATE_UNKNOWN
    assert hass.states.get(f"binary_sensor.{HK3_ID}_circulating_pump").state == STATE_UNKNOWN
    assert hass.states.get(problem).state == STATE_ON  # as it was
    assert events == []

    hk3.set_failure(Failure.NONE)
    await poll(hass, freezer)
    assert hass.states.get(problem).state == STATE_OFF
    assert hass.states.get(f"switch.{HK3_ID}_cooling_system").state == STATE_ON
    assert [(e.data["alert"], e.data["active"]) for e in events] == [(flag, False)]


async def test_alerts_no_answer_told_are_unknown(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A flag missing from the first answer is unknown, not off, until an answer tells it."""
    hk3.set_failure(Failure.MISSING_FIELDS, count=1)
    entry = await setup_container(hass, hk3)
    unknown = entry.runtime_data.alerts.unknown
    assert unknown
    for key in unknown:
        entity_id = f"binary_sensor.{HK3_ID}_{_object_id(key)}"
        assert hass.states.get(entity_id).state == STATE_UNKNOWN
    await poll(hass, freezer)
    assert not entry.runtime_data.alerts.unknown
    assert hass.states.get(PUMP_FAULT).state == STATE_OFF


def _object_id(key: str) -> str:
    """The object id of an alert's problem sensor: its English name, in snake case."""
    name = TRANSLATIONS["entity"]["binary_sensor"][f"alert_{key}"]["name"]
    return slugify(name)
