"""The Activity log of an Antspace container: each `antspace_alert` event in words.

"Leakage raised (critical)", "Leakage cleared": the alert's name is its problem sensor's,
the words are the entity translations in the server's language, on the container's device,
with the icon of the alert's severity (that of the *Highest alert severity* sensor's state)
or of its end. An alert raised in maintenance says so: "… (critical) in maintenance".

This is the one entry of the integration's own per alert change. Home Assistant adds those
of the entities that changed with it (the problem sensor, the Alert event entity, the
highest severity), as it does for any entity; the alert counter, a measurement, stays out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_cached_translations

from .alerting import alert_name
from .const import DOMAIN, EVENT_ALERT

_ACTIVITY = f"component.{DOMAIN}.entity.event.alert.state_attributes.activity.state"
_SEVERITY = f"component.{DOMAIN}.entity.sensor.highest_severity.state"

ICONS: Final = {
    "critical": "mdi:alert-octagon",
    "high": "mdi:alert",
    "medium": "mdi:alert-circle-outline",
}
"""The icon of an alert raised, by severity: the *Highest alert severity* sensor's (icons.json)."""
ICON_CLEARED: Final = "mdi:check-circle-outline"
"""The icon of an alert cleared: that sensor's when no alert is active."""


def describe_alert(
    hass: HomeAssistant, alert: str, severity: str, *, active: bool, maintenance: bool = False
) -> str:
    """One alert's change in words, in the server's language."""
    strings = async_get_cached_translations(hass, hass.config.language, "entity", DOMAIN)
    change = ("raised" if active else "cleared") + ("_in_maintenance" if maintenance else "")
    template = strings.get(f"{_ACTIVITY}.{change}", f"{{alert}} {change}")
    return template.format(
        alert=alert_name(hass, alert),
        severity=strings.get(f"{_SEVERITY}.{severity}", severity).lower(),
    )


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event[Any]], dict[str, str]]], None],
) -> None:
    """Describe the alert events of Antspace containers."""
    devices = dr.async_get(hass)

    @callback
    def async_describe_alert(event: Event[Any]) -> dict[str, str]:
        data = event.data
        device = devices.async_get(data["device_id"])
        return {
            LOGBOOK_ENTRY_NAME: (device and (device.name_by_user or device.name)) or DOMAIN,
            LOGBOOK_ENTRY_MESSAGE: describe_alert(
                hass,
                data["alert"],
                data["severity"],
                active=data["active"],
                maintenance=data.get("maintenance", False),
            ),
            LOGBOOK_ENTRY_ICON: ICONS.get(data["severity"], ICONS["high"])
            if data["active"]
            else ICON_CLEARED,
        }

    async_describe_event(DOMAIN, EVENT_ALERT, async_describe_alert)
