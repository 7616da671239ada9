"""The fans of an earlier version become running sensors, and automations that used them are told."""

from __future__ import annotations

from homeassistant.components import automation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED, STATE_ON
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.antspace.const import DOMAIN
from custom_components.antspace.migration import FANS_MINOR_VERSION, fans_issue_id
from mock.plant import MockContainer

from .conftest import ENTRY_IDS, make_entry


def _entry_with_fans(hass: HomeAssistant, container: MockContainer) -> MockConfigEntry:
    """An entry of version 2.1, whose fans were fan entities."""
    entry = make_entry(container)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, minor_version=1)
    registry = er.async_get(hass)
    keys = ("fan1", "cooling_tower_fan1") if container.kind.value == "hk3" else ("dry_cooler",)
    for key in keys:
        registry.async_get_or_create(
            "fan",
            DOMAIN,
            f"{entry.entry_id}_{key}",
            config_entry=entry,
            suggested_object_id=f"old_{key}",
        )
    return entry


async def test_fans_become_binary_sensors_of_the_same_object_ids(
    hass: HomeAssistant, hk3: MockContainer
) -> None:
    """The fan entities go; running sensors take their object ids; nothing used them: no issue."""
    entry = _entry_with_fans(hass, hk3)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == FANS_MINOR_VERSION
    registry = er.async_get(hass)
    ours = er.async_entries_for_config_entry(registry, entry.entry_id)
    assert not [e for e in ours if e.domain == "fan"]
    state = hass.states.get("binary_sensor.old_fan1")
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["device_class"] == "running"
    assert hass.states.get("binary_sensor.old_cooling_tower_fan1").state == STATE_ON
    assert not ir.async_get(hass).async_get_issue(DOMAIN, fans_issue_id(entry.entry_id))


async def test_automations_that_used_the_fans_get_a_repair_issue(
    hass: HomeAssistant, immersion: MockContainer
) -> None:
    """The issue names the automations and what replaces each old entity."""
    hass.set_state(CoreState.not_running)
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: {
                "id": "dry_cooler_stopped",
                "alias": "Dry cooler stopped",
                "triggers": [{"trigger": "state", "entity_id": "fan.old_dry_cooler", "to": "off"}],
                "actions": [],
            }
        },
    )
    entry = _entry_with_fans(hass, immersion)
    assert entry.entry_id == ENTRY_IDS[immersion.kind]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert not ir.async_get(hass).async_get_issue(DOMAIN, fans_issue_id(entry.entry_id))

    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, fans_issue_id(entry.entry_id))
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_placeholders == {
        "container": entry.title,
        "uses": "`automation.dry_cooler_stopped`",
        "renamed": "`fan.old_dry_cooler` → `binary_sensor.old_dry_cooler`, "
        "`sensor.old_dry_cooler_speed`",
    }
    speed = hass.states.get("sensor.old_dry_cooler_speed")
    assert speed is not None
    assert speed.attributes["unit_of_measurement"] == "%"
    assert hass.states.get("binary_sensor.old_dry_cooler").state == STATE_ON
