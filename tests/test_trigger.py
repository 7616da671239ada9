"""The integration's triggers, in automations written in YAML: alert raised, alert cleared."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import area_registry as ar, device_registry as dr, label_registry as lr
from homeassistant.setup import async_setup_component
import pytest

from mock.plant import MockContainer

from .conftest import device_id, poll, setup_container

RECORD = {
    "action": "test.record",
    "data": {
        "alert": "{{ trigger.alert }}",
        "name": "{{ trigger.name }}",
        "severity": "{{ trigger.severity }}",
        "maintenance": "{{ trigger.maintenance }}",
        "device_id": "{{ trigger.device_id }}",
        "platform": "{{ trigger.platform }}",
    },
}


async def _automation(hass: HomeAssistant, *triggers: dict[str, Any]) -> list[ServiceCall]:
    calls: list[ServiceCall] = []
    hass.services.async_register("test", "record", calls.append)
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        # Queued, as the blueprint is: the alerts of one answer trigger at once, and a single
        # automation drops the runs that come while its first one runs.
        {automation.DOMAIN: [{"triggers": list(triggers), "actions": [RECORD], "mode": "queued"}]},
    )
    await hass.async_block_till_done()
    return calls


@pytest.fixture
async def both(
    hass: HomeAssistant,
    hk3: MockContainer,
    immersion: MockContainer,
    freezer: FrozenDateTimeFactory,
) -> tuple[str, str]:
    """Both containers set up (in frozen time, as the tests poll), the HK3 in area "Row 3";
    their device ids."""
    await setup_container(hass, hk3)
    await setup_container(hass, immersion)
    entries = hass.config_entries.async_entries("antspace")
    hk3_device, immersion_device = (device_id(hass, entry) for entry in entries)
    area = ar.async_get(hass).async_create("Row 3")
    dr.async_get(hass).async_update_device(hk3_device, area_id=area.id)
    return hk3_device, immersion_device


async def test_critical_alert_in_an_area(
    hass: HomeAssistant,
    hk3: MockContainer,
    immersion: MockContainer,
    both: tuple[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Any container in the area, at least critical: the HK3's leak, not its fan, not elsewhere."""
    hk3_device, _ = both
    calls = await _automation(
        hass,
        {
            "trigger": "antspace.alert_raised",
            "target": {"area_id": "row_3"},
            "options": {"severity": "critical"},
        },
    )
    hk3.set_fault("spray_pump_fault")  # high
    immersion.set_fault("leakage_fault")  # critical, but in no area
    await poll(hass, freezer)
    assert calls == []
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert [call.data for call in calls] == [
        {
            "alert": "leakage_fault",
            "name": "Leakage",
            "severity": "critical",
            "maintenance": False,
            "device_id": hk3_device,
            "platform": "antspace.alert_raised",
        }
    ]


async def test_which_alerts_and_cleared(
    hass: HomeAssistant,
    hk3: MockContainer,
    immersion: MockContainer,
    both: tuple[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Only the alerts chosen, raised or cleared, on the devices targeted."""
    hk3_device, immersion_device = both
    calls = await _automation(
        hass,
        {
            "trigger": "antspace.alert_cleared",
            "target": {"device_id": [hk3_device, immersion_device]},
            "options": {"alerts": ["leakage_fault"]},
        },
    )
    hk3.set_fault("leakage_fault")
    hk3.set_fault("spray_pump_fault")
    immersion.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert calls == []  # raised, not cleared
    hk3.set_all_faults(False)
    immersion.set_all_faults(False)
    for _ in range(2):  # each container's next poll, whichever instant of its batch it has
        await poll(hass, freezer)
    # Each change triggers once, also two in one poll.
    assert sorted(call.data["device_id"] for call in calls) == sorted(both)
    assert {call.data["alert"] for call in calls} == {"leakage_fault"}


async def test_every_change_of_one_poll_triggers(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Three alerts raised by one answer: three runs (the Alert entity shows one change)."""
    entry = await setup_container(hass, hk3)
    calls = await _automation(
        hass, {"trigger": "antspace.alert_raised", "target": {"device_id": device_id(hass, entry)}}
    )
    for flag in ("leakage_fault", "spray_pump_fault", "power_fault"):
        hk3.set_fault(flag)
    await poll(hass, freezer)
    assert sorted(call.data["alert"] for call in calls) == [
        "leakage_fault",
        "power_fault",
        "spray_pump_fault",
    ]


async def test_any_entity_of_the_container_targets_it(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The Alert event entity stands for its container; the least severity filters."""
    await setup_container(hass, hk3)
    calls = await _automation(
        hass,
        {
            "trigger": "antspace.alert_raised",
            "target": {"entity_id": "event.antspace_hk3_alert"},
            "options": {"severity": "high"},
        },
    )
    hk3.set_fault("power_fault")  # medium: below the least severity
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    assert [call.data["alert"] for call in calls] == ["spray_pump_fault"]


@pytest.mark.parametrize("counts", [False, True])
async def test_alerts_in_maintenance(
    hass: HomeAssistant,
    hk3: MockContainer,
    freezer: FrozenDateTimeFactory,
    counts: bool,
) -> None:
    """Alerts raised in maintenance trigger only if asked; when it ends, the still active do."""
    entry = await setup_container(hass, hk3)
    label = lr.async_get(hass).async_create("North site")
    dr.async_get(hass).async_update_device(device_id(hass, entry), labels={label.label_id})
    calls = await _automation(
        hass,
        {
            "trigger": "antspace.alert_raised",
            "target": {"label_id": label.label_id},
            "options": {"maintenance": counts},
        },
    )
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.antspace_hk3_maintenance"}, blocking=True
    )
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert [call.data["maintenance"] for call in calls] == ([True] if counts else [])
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.antspace_hk3_maintenance"}, blocking=True
    )
    await hass.async_block_till_done()
    assert [call.data["maintenance"] for call in calls] == ([True, False] if counts else [False])


async def test_a_trigger_with_a_bad_option_is_refused(
    hass: HomeAssistant, hk3: MockContainer
) -> None:
    """An unknown alert or severity: the automation does not load."""
    await setup_container(hass, hk3)
    calls = await _automation(
        hass,
        {
            "trigger": "antspace.alert_raised",
            "target": {"entity_id": "event.antspace_hk3_alert"},
            "options": {"alerts": ["no_such_alert"], "severity": "dire"},
        },
    )
    assert calls == []
    [state] = hass.states.async_all(automation.DOMAIN)
    assert state.state == "unavailable"
