"""The maintenance actions: start and end the maintenance of many containers at once.

`antspace.start_maintenance` puts every targeted container in maintenance for the duration
it is given (`DEFAULT_MAINTENANCE` unless told), from now; `antspace.end_maintenance` ends
it. They take Home Assistant's target and check the caller's rights as the other actions do
(services.py), on each container's Maintenance switch. They send nothing to the containers:
maintenance is about the people the alerts reach (maintenance.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv
import probatio as vol

from .const import DEFAULT_MAINTENANCE, DOMAIN, MAX_MAINTENANCE
from .maintenance import async_get_schedule
from .services import Control, _containers

SERVICE_START_MAINTENANCE: Final = "start_maintenance"
SERVICE_END_MAINTENANCE: Final = "end_maintenance"
ATTR_DURATION: Final = "duration"

MAINTENANCE_SWITCH: Final[Control] = (Platform.SWITCH, "maintenance")

START_MAINTENANCE_SCHEMA = vol.Schema(
    {
        **cv.TARGET_SERVICE_FIELDS,
        vol.Optional(ATTR_DURATION, default=DEFAULT_MAINTENANCE): vol.All(
            cv.time_period, vol.Range(min=timedelta(minutes=1), max=MAX_MAINTENANCE)
        ),
    }
)
END_MAINTENANCE_SCHEMA = vol.Schema(dict(cv.TARGET_SERVICE_FIELDS))


async def _async_start_maintenance(call: ServiceCall) -> None:
    entries = await _containers(call, MAINTENANCE_SWITCH)
    schedule = await async_get_schedule(call.hass)
    duration: timedelta = call.data[ATTR_DURATION]
    for entry in entries:
        schedule.async_start(entry.entry_id, duration)


async def _async_end_maintenance(call: ServiceCall) -> None:
    entries = await _containers(call, MAINTENANCE_SWITCH)
    schedule = await async_get_schedule(call.hass)
    for entry in entries:
        schedule.async_end(entry.entry_id)


@callback
def async_setup_maintenance_actions(hass: HomeAssistant) -> None:
    """Register the maintenance actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_START_MAINTENANCE,
        _async_start_maintenance,
        schema=START_MAINTENANCE_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_END_MAINTENANCE, _async_end_maintenance, schema=END_MAINTENANCE_SCHEMA
    )
