"""Actions that act on many containers at once: reset, setpoint, cooling on and off.

Each action takes Home Assistant's target (devices, areas, labels, entities), resolves it to
the Antspace containers it covers, checks its values before anything is sent, and runs on
all containers concurrently. Containers that fail do not stop the others; the error names
them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_extract_config_entry_ids
import probatio as vol

from .const import DOMAIN, LOGGER
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator
from .helpers import validated_setpoint
from .pyantspace import AntspaceError
from .switch import turn_cooling_off

SERVICE_RESET: Final = "reset"
SERVICE_SET_SUPPLY_TEMPERATURE: Final = "set_supply_temperature"
SERVICE_SET_COOLING: Final = "set_cooling"

ATTR_TEMPERATURE: Final = "temperature"
ATTR_PID: Final = "pid"
ATTR_ON: Final = "on"

RESET_SCHEMA = vol.Schema(dict(cv.TARGET_SERVICE_FIELDS))
SET_SUPPLY_TEMPERATURE_SCHEMA = vol.Schema(
    {
        **cv.TARGET_SERVICE_FIELDS,
        # Checked by the handler, so that a bad value gets a translated error.
        vol.Optional(ATTR_TEMPERATURE): object,
        vol.Optional(ATTR_PID, default=False): cv.boolean,
    }
)
SET_COOLING_SCHEMA = vol.Schema({**cv.TARGET_SERVICE_FIELDS, vol.Required(ATTR_ON): cv.boolean})

type Command = Callable[[AntspaceCoordinator], Awaitable[None]]


async def _containers(call: ServiceCall) -> list[AntspaceConfigEntry]:
    """The loaded containers the call's target covers."""
    entries: list[AntspaceConfigEntry] = []
    for entry_id in await async_extract_config_entry_ids(call):
        entry = call.hass.config_entries.async_get_entry(entry_id)
        if entry is not None and entry.domain == DOMAIN:
            entries.append(entry)
    if not entries:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_containers")
    not_loaded = [entry.title for entry in entries if entry.state is not ConfigEntryState.LOADED]
    if not_loaded:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="containers_not_loaded",
            translation_placeholders={"containers": ", ".join(sorted(not_loaded))},
        )
    return entries


async def _run_on_all(call: ServiceCall, command: Command) -> None:
    """Run a command on every targeted container at once; name those that fail."""
    entries = await _containers(call)

    async def run(entry: AntspaceConfigEntry) -> None:
        coordinator = entry.runtime_data
        await command(coordinator)
        await coordinator.async_refresh_after_command()

    results = await asyncio.gather(*(run(entry) for entry in entries), return_exceptions=True)
    failed: list[str] = []
    for entry, result in zip(entries, results, strict=True):
        if isinstance(result, (AntspaceError, HomeAssistantError)):
            LOGGER.debug("%s on %s failed: %s", call.service, entry.title, result)
            failed.append(entry.title)
        elif isinstance(result, BaseException):
            raise result
    if failed:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_failed",
            translation_placeholders={
                "action": call.service,
                "failed": ", ".join(sorted(failed)),
                "count": str(len(failed)),
                "total": str(len(entries)),
            },
        )


async def _async_reset(call: ServiceCall) -> None:
    await _run_on_all(call, lambda coordinator: coordinator.client.reset())


async def _async_set_supply_temperature(call: ServiceCall) -> None:
    pid: bool = call.data[ATTR_PID]
    temperature: Any = call.data.get(ATTR_TEMPERATURE)
    if pid == (temperature is not None):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="temperature_or_pid"
        )
    if pid:
        await _run_on_all(call, lambda coordinator: coordinator.client.enable_pid_control())
        return
    setpoint = validated_setpoint(temperature)
    await _run_on_all(call, lambda coordinator: coordinator.client.set_supply_temperature(setpoint))


async def _async_set_cooling(call: ServiceCall) -> None:
    if call.data[ATTR_ON]:
        await _run_on_all(call, lambda coordinator: coordinator.client.start_cooling())
    else:
        await _run_on_all(call, turn_cooling_off)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions."""
    hass.services.async_register(DOMAIN, SERVICE_RESET, _async_reset, schema=RESET_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_SUPPLY_TEMPERATURE,
        _async_set_supply_temperature,
        schema=SET_SUPPLY_TEMPERATURE_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_SET_COOLING, _async_set_cooling, schema=SET_COOLING_SCHEMA
    )
