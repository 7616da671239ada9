"""Maintenance: alerts still shown, reaching no one; it ends by itself and raises what is left."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.antspace.const import DOMAIN
from custom_components.antspace.coordinator import alert_issue_id
from custom_components.antspace.maintenance import STORAGE_KEY
from mock.plant import MockContainer

from .conftest import ENTRY_IDS, alert_events, poll, setup_container

SWITCH = "switch.antspace_hk3_maintenance"
LEAK = "binary_sensor.antspace_hk3_leakage"
EVENT = "event.antspace_hk3_alert"
HK3_ENTRY = next(iter(ENTRY_IDS.values()))


def _issue(hass: HomeAssistant, alert: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, alert_issue_id(HK3_ENTRY, alert))


def _notified(hass: HomeAssistant) -> list[str | None]:
    return [
        n["title"]
        for n in persistent_notification._async_get_or_create_notifications(hass).values()
    ]


async def _switch(hass: HomeAssistant, on: bool) -> None:
    await hass.services.async_call(
        "switch", "turn_on" if on else "turn_off", {"entity_id": SWITCH}, blocking=True
    )


async def test_in_maintenance_an_alert_is_shown_but_reaches_no_one(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Problem sensor on and marked, event with `maintenance: true`; no issue, no notice."""
    await setup_container(hass, hk3)
    events = alert_events(hass)
    await _switch(hass, True)
    state = hass.states.get(SWITCH)
    assert state.state == STATE_ON
    ends = dt_util.parse_datetime(str(state.attributes["ends"]))
    assert ends is not None
    assert ends - dt_util.utcnow() == timedelta(hours=4)  # the switch's default
    assert hass.states.get(LEAK).attributes["maintenance"] is True

    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert hass.states.get(LEAK).state == STATE_ON
    assert hass.states.get("sensor.antspace_hk3_highest_alert_severity").state == "critical"
    assert _issue(hass, "leakage_fault") is None
    assert _notified(hass) == []
    assert [(e.data["alert"], e.data["active"], e.data["maintenance"]) for e in events] == [
        ("leakage_fault", True, True)
    ]
    assert hass.states.get(EVENT).attributes["maintenance"] is True

    hk3.set_fault("leakage_fault", active=False)
    await poll(hass, freezer)
    assert [(e.data["active"], e.data["maintenance"]) for e in events] == [
        (True, True),
        (False, True),
    ]


async def test_maintenance_ends_by_itself_and_raises_what_is_still_active(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The action's duration passes: the switch goes off, the leak is raised at once."""
    await setup_container(hass, hk3)
    events = alert_events(hass)
    await hass.services.async_call(
        DOMAIN,
        "start_maintenance",
        {"device_id": _device(hass), "duration": {"minutes": 30}},
        blocking=True,
    )
    hk3.set_fault("leakage_fault")
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    hk3.set_fault("spray_pump_fault", active=False)
    await poll(hass, freezer)  # raised and cleared in maintenance: nothing to raise later
    assert _issue(hass, "leakage_fault") is None

    freezer.tick(timedelta(minutes=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert "maintenance" not in hass.states.get(LEAK).attributes
    assert _issue(hass, "leakage_fault") is not None
    assert _notified(hass) == ["Antspace HK3: Leakage"]
    assert [(e.data["alert"], e.data["active"], e.data["maintenance"]) for e in events] == [
        ("leakage_fault", True, True),
        ("spray_pump_fault", True, True),
        ("spray_pump_fault", False, True),
        ("leakage_fault", True, False),
    ]
    assert hass.states.get(EVENT).attributes["maintenance"] is False


def _device(hass: HomeAssistant) -> str:
    entry = er.async_get(hass).async_get(SWITCH)
    assert entry is not None
    assert entry.device_id is not None
    return entry.device_id


async def test_an_alert_raised_before_keeps_its_issue_and_ends_as_usual(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Maintenance mutes what starts in it; an alert raised before is an ordinary one."""
    await setup_container(hass, hk3)
    events = alert_events(hass)
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    await _switch(hass, True)
    assert _issue(hass, "leakage_fault") is not None
    assert _notified(hass) == ["Antspace HK3: Leakage"]

    hk3.set_fault("leakage_fault", active=False)
    await poll(hass, freezer)
    assert _issue(hass, "leakage_fault") is None
    assert _notified(hass) == []
    assert [(e.data["active"], e.data["maintenance"]) for e in events] == [
        (True, False),
        (False, False),
    ]


async def test_switching_it_off_raises_at_once(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Ending it by hand, by the switch or the action, raises the muted alerts still active."""
    await setup_container(hass, hk3)
    await _switch(hass, True)
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    await hass.services.async_call(DOMAIN, "end_maintenance", {"entity_id": SWITCH}, blocking=True)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert _issue(hass, "leakage_fault") is not None

    # Once raised it is an ordinary alert: maintenance again does not take its issue away.
    await _switch(hass, True)
    await _switch(hass, False)
    assert _issue(hass, "leakage_fault") is not None
    assert _notified(hass) == ["Antspace HK3: Leakage"]


async def test_turning_it_on_again_starts_the_time_again(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Maintenance of 4 h, again after 3 h: it ends 4 h after the second time."""
    await setup_container(hass, hk3)
    await _switch(hass, True)
    freezer.tick(timedelta(hours=3))
    async_fire_time_changed(hass)
    await _switch(hass, True)
    freezer.tick(timedelta(hours=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(SWITCH).state == STATE_ON
    freezer.tick(timedelta(hours=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(SWITCH).state == STATE_OFF


async def test_maintenance_is_kept_in_storage(
    hass: HomeAssistant,
    hk3: MockContainer,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """When it ends is saved, for a restart; ending it removes it."""
    await setup_container(hass, hk3)
    await _switch(hass, True)
    freezer.tick(timedelta(seconds=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    saved = hass_storage[STORAGE_KEY]["data"]["ends"]
    assert list(saved) == [HK3_ENTRY]
    assert dt_util.parse_datetime(saved[HK3_ENTRY]) == dt_util.parse_datetime(
        str(hass.states.get(SWITCH).attributes["ends"])
    )
    await _switch(hass, False)
    freezer.tick(timedelta(seconds=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass_storage[STORAGE_KEY]["data"]["ends"] == {}


@pytest.mark.parametrize(("hours_left", "on"), [(2, True), (-1, False)])
async def test_maintenance_survives_a_restart(
    hass: HomeAssistant,
    hk3: MockContainer,
    *,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    hours_left: int,
    on: bool,
) -> None:
    """Started before the restart: on until its end, or over if that passed meanwhile."""
    ends = dt_util.utcnow() + timedelta(hours=hours_left)
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "key": STORAGE_KEY,
        "data": {"ends": {HK3_ENTRY: ends.isoformat()}},
    }
    hk3.set_fault("leakage_fault")
    await setup_container(hass, hk3)
    assert hass.states.get(SWITCH).state == (STATE_ON if on else STATE_OFF)
    assert (_issue(hass, "leakage_fault") is None) is on
    if on:
        freezer.tick(timedelta(hours=hours_left))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        assert hass.states.get(SWITCH).state == STATE_OFF
        assert _issue(hass, "leakage_fault") is not None


async def test_maintenance_of_an_unreachable_container(
    hass: HomeAssistant, hk3: MockContainer, mock_server: Any, freezer: FrozenDateTimeFactory
) -> None:
    """Its switch answers while the container does not: work on its network in peace."""
    await setup_container(hass, hk3)
    await mock_server.stop_container(hk3)
    await _switch(hass, True)
    for _ in range(4):
        await poll(hass, freezer)
    assert hass.states.get("binary_sensor.antspace_hk3_container_unreachable").state == STATE_ON
    assert hass.states.get(SWITCH).state == STATE_ON
    assert _issue(hass, "container_unreachable") is None
    assert _notified(hass) == []


async def test_the_action_checks_its_duration(hass: HomeAssistant, hk3: MockContainer) -> None:
    """At least a minute, at most a week; an unknown target is refused."""
    await setup_container(hass, hk3)
    for duration in ({"seconds": 10}, {"days": 8}):
        with pytest.raises(vol.Invalid):
            await hass.services.async_call(
                DOMAIN,
                "start_maintenance",
                {"entity_id": SWITCH, "duration": duration},
                blocking=True,
            )
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "start_maintenance", {"entity_id": "switch.nothing"}, blocking=True
        )
    assert hass.states.get(SWITCH).state == STATE_OFF


async def test_removing_the_container_forgets_its_maintenance(
    hass: HomeAssistant,
    hk3: MockContainer,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A removed container leaves nothing behind in storage."""
    entry = await setup_container(hass, hk3)
    await _switch(hass, True)
    await hass.config_entries.async_remove(entry.entry_id)
    freezer.tick(timedelta(seconds=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass_storage[STORAGE_KEY]["data"]["ends"] == {}
