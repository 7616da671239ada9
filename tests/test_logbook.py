"""The Activity log names each alert in words, with the same name as everywhere else."""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from custom_components.antspace import logbook
from custom_components.antspace.const import DOMAIN, EVENT_ALERT
from custom_components.antspace.coordinator import alert_issue_id
from mock.plant import MockContainer

from .conftest import alert_events, poll, setup_container

PREFIX = "antspace_immersion"


def _describer(hass: HomeAssistant) -> Callable[[Event[Any]], dict[str, str]]:
    """The function the logbook would call for `antspace_alert` events."""
    described: dict[tuple[str, str], Callable[[Event[Any]], dict[str, str]]] = {}
    logbook.async_describe_events(
        hass,
        lambda domain, event_type, describe: described.update({(domain, event_type): describe}),
    )
    return described[(DOMAIN, EVENT_ALERT)]


async def test_activity_names_the_alert(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """ "Leakage raised (critical)", "Leakage cleared", on the container's device."""
    entry = await setup_container(hass, immersion)
    events = alert_events(hass)
    describe = _describer(hass)

    immersion.set_fault("leakage_fault")
    await poll(hass, freezer)
    immersion.set_fault("leakage_fault", active=False)
    await poll(hass, freezer)

    assert [describe(event) for event in events] == [
        {
            LOGBOOK_ENTRY_NAME: entry.title,
            LOGBOOK_ENTRY_MESSAGE: "Leakage raised (critical)",
            LOGBOOK_ENTRY_ICON: "mdi:alert-octagon",
        },
        {
            LOGBOOK_ENTRY_NAME: entry.title,
            LOGBOOK_ENTRY_MESSAGE: "Leakage cleared",
            LOGBOOK_ENTRY_ICON: "mdi:check-circle-outline",
        },
    ]


async def test_one_name_per_alert_everywhere(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Problem sensor, repair issue, Activity entry and event entity say the same words."""
    entry = await setup_container(hass, immersion)
    events = alert_events(hass)
    immersion.set_fault("leakage_fault")
    immersion.set_fault("return_liquid_temp_high")
    await poll(hass, freezer)

    strings = json.loads((Path(logbook.__file__).parent / "translations" / "en.json").read_text())
    names = {
        alert: strings["entity"]["binary_sensor"][f"alert_{alert}"]["name"]
        for alert in ("leakage_fault", "return_liquid_temp_high")
    }
    describe = _describer(hass)
    entities = er.async_get(hass)
    assert len(events) == 2
    for event in events:
        alert = event.data["alert"]
        name = names[alert]
        entity_id = entities.async_get_entity_id(
            "binary_sensor", DOMAIN, f"{entry.entry_id}_alert_{alert}"
        )
        assert entity_id is not None
        sensor = hass.states.get(entity_id)
        assert sensor is not None
        assert sensor.name == f"{entry.title} {name}"
        issue = ir.async_get(hass).async_get_issue(DOMAIN, alert_issue_id(entry.entry_id, alert))
        assert issue is not None
        assert strings["issues"][issue.translation_key]["title"] == f"{{container}}: {name}"
        assert describe(event)[LOGBOOK_ENTRY_MESSAGE].startswith(f"{name} raised")
    event_entity = hass.states.get(f"event.{PREFIX}_alert")
    assert event_entity.attributes["name"] == names[event_entity.attributes["alert"]]


async def test_activity_of_a_device_gone(hass: HomeAssistant, immersion: MockContainer) -> None:
    """An event whose device was removed since is still described."""
    await setup_container(hass, immersion)
    event = Event(
        EVENT_ALERT,
        {
            "device_id": "gone",
            "entry_id": "gone",
            "alert": "container_unreachable",
            "severity": "critical",
            "active": True,
        },
    )
    assert _describer(hass)(event) == {
        LOGBOOK_ENTRY_NAME: DOMAIN,
        LOGBOOK_ENTRY_MESSAGE: "Container unreachable raised (critical)",
        LOGBOOK_ENTRY_ICON: "mdi:alert-octagon",
    }


async def test_activity_icons_are_the_severity_sensors(hass: HomeAssistant) -> None:
    """Each entry's icon is that of the *Highest alert severity* sensor's state (icons.json)."""
    icons = json.loads((Path(logbook.__file__).parent / "icons.json").read_text())
    states = icons["entity"]["sensor"]["highest_severity"]["state"]
    assert {key: states[key] for key in ("critical", "high", "medium")} == logbook.ICONS
    assert states["none"] == logbook.ICON_CLEARED


async def test_activity_says_in_maintenance(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """An alert raised in maintenance says so in its entry, when it starts and when it ends."""
    entry = await setup_container(hass, immersion)
    events = alert_events(hass)
    describe = _describer(hass)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": f"switch.{PREFIX}_maintenance"}, blocking=True
    )
    immersion.set_fault("fan_fault")
    await poll(hass, freezer)
    immersion.set_fault("fan_fault", active=False)
    await poll(hass, freezer)
    assert [describe(event) for event in events] == [
        {
            LOGBOOK_ENTRY_NAME: entry.title,
            LOGBOOK_ENTRY_MESSAGE: "Fan fault raised (high) in maintenance",
            LOGBOOK_ENTRY_ICON: "mdi:alert",
        },
        {
            LOGBOOK_ENTRY_NAME: entry.title,
            LOGBOOK_ENTRY_MESSAGE: "Fan fault cleared in maintenance",
            LOGBOOK_ENTRY_ICON: "mdi:check-circle-outline",
        },
    ]
