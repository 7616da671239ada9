"""Actions that act on many containers at once: reset, setpoint, cooling on and off.

Each action takes Home Assistant's target (devices, areas, labels, entities), resolves it to
the Antspace containers it covers, checks the caller's rights and its values before anything is
sent, and runs on all containers concurrently. Containers that fail do not stop the others; the
error names them and says why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
from typing import Any, Final

from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
    UnknownUser,
)
from homeassistant.helpers import (
    config_validation as cv,
    entity_registry as er,
    target as target_helpers,
)
from homeassistant.helpers.service import async_extract_config_entry_ids
from homeassistant.helpers.translation import async_get_translations
import probatio as vol

from .const import DOMAIN, LOGGER
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator
from .helpers import translate_client_error, validated_setpoint
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
type Control = tuple[Platform, str]
"""The entity of a container that an action stands for: its platform and description key."""

RESET_BUTTON: Final[Control] = (Platform.BUTTON, "reset")
SETPOINT_NUMBER: Final[Control] = (Platform.NUMBER, "supply_liquid_set_temp")
PID_SWITCH: Final[Control] = (Platform.SWITCH, "pid_mode")
COOLING_SWITCH: Final[Control] = (Platform.SWITCH, "cooling")


async def _check_rights(
    call: ServiceCall, entries: list[AntspaceConfigEntry], control: Control
) -> None:
    """Refuse a caller who may not control what the action acts on, before anything is sent.

    As for Home Assistant's own entity actions (`switch.turn_off`, `button.press`): a call
    from no user (an automation, a script) or from an admin may act; an unknown user may not;
    any other user needs the control permission on every entity the target names, directly or
    through its devices, areas and labels. On top of that, such a user needs it on the entity
    of each targeted container that the action stands for (its Reset button, Supply setpoint,
    PID control or Cooling system switch), so that a target without entities (a device, an
    area) grants nothing: the action may do what the entity may, no more. A container whose
    entity is gone is refused to such a user.
    """
    user_id = call.context.user_id
    if not user_id:
        return
    hass = call.hass
    user = await hass.auth.async_get_user(user_id)
    if user is None:
        raise UnknownUser(context=call.context, permission=POLICY_CONTROL, user_id=user_id)
    if user.is_admin:
        return
    selected = target_helpers.async_extract_referenced_entity_ids(
        hass, target_helpers.TargetSelection(call.data), True
    )
    registry = er.async_get(hass)
    platform, key = control
    named: list[str | None] = [*sorted(selected.referenced | selected.indirectly_referenced)]
    controls = [
        registry.async_get_entity_id(platform, DOMAIN, f"{entry.entry_id}_{key}")
        for entry in entries
    ]
    for entity_id in named + controls:
        if entity_id is None or not user.permissions.check_entity(entity_id, POLICY_CONTROL):
            raise Unauthorized(context=call.context, entity_id=entity_id, permission=POLICY_CONTROL)


async def _containers(call: ServiceCall, control: Control) -> list[AntspaceConfigEntry]:
    """The loaded containers the call's target covers, if the caller may act on them."""
    entries: list[AntspaceConfigEntry] = []
    for entry_id in await async_extract_config_entry_ids(call):
        entry = call.hass.config_entries.async_get_entry(entry_id)
        if entry is not None and entry.domain == DOMAIN:
            entries.append(entry)
    if not entries:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_containers")
    await _check_rights(call, entries, control)
    not_loaded = [entry.title for entry in entries if entry.state is not ConfigEntryState.LOADED]
    if not_loaded:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="containers_not_loaded",
            translation_placeholders={"containers": ", ".join(sorted(not_loaded))},
        )
    return entries


async def _run_on_all(call: ServiceCall, command: Command, control: Control) -> None:
    """Run a command on every targeted container at once; name those that fail, and why.

    A single container's failure is its own error, as its entity would raise it.
    """
    entries = await _containers(call, control)

    async def run(entry: AntspaceConfigEntry) -> None:
        coordinator = entry.runtime_data
        try:
            await command(coordinator)
        except AntspaceError as err:
            raise translate_client_error(err) from err
        await coordinator.async_refresh_after_command()

    results = await asyncio.gather(*(run(entry) for entry in entries), return_exceptions=True)
    failed: list[tuple[str, HomeAssistantError]] = []
    for entry, result in zip(entries, results, strict=True):
        if isinstance(result, HomeAssistantError):
            LOGGER.debug("%s on %s failed: %s", call.service, entry.title, result)
            failed.append((entry.title, result))
        elif isinstance(result, BaseException):
            raise result
    if not failed:
        return
    if len(entries) == 1:
        raise failed[0][1]
    reasons = [
        f"{title}: {await _reason(call.hass, err)}"
        for title, err in sorted(failed, key=lambda f: f[0])
    ]
    placeholders = {
        "action": call.service,
        "failed": "; ".join(reasons),
        "total": str(len(entries)),
    }
    if len(failed) == len(entries):
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_failed_all",
            translation_placeholders=placeholders,
        )
    raise HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="action_failed",
        translation_placeholders=placeholders | {"count": str(len(failed))},
    )


async def _reason(hass: HomeAssistant, err: HomeAssistantError) -> str:
    """Why a container failed an action, in the server's language (as alerts are named)."""
    if err.translation_domain == DOMAIN and err.translation_key is not None:
        strings = await async_get_translations(hass, hass.config.language, "exceptions", [DOMAIN])
        message = strings.get(f"component.{DOMAIN}.exceptions.{err.translation_key}.message")
        if message:
            with contextlib.suppress(KeyError, IndexError, ValueError):
                return message.format(**(err.translation_placeholders or {})).rstrip(".")
    return str(err).rstrip(".")


async def _async_reset(call: ServiceCall) -> None:
    await _run_on_all(call, lambda coordinator: coordinator.client.reset(), RESET_BUTTON)


async def _async_set_supply_temperature(call: ServiceCall) -> None:
    pid: bool = call.data[ATTR_PID]
    temperature: Any = call.data.get(ATTR_TEMPERATURE)
    if pid == (temperature is not None):
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="temperature_or_pid"
        )
    if pid:
        await _run_on_all(
            call, lambda coordinator: coordinator.client.enable_pid_control(), PID_SWITCH
        )
        return
    setpoint = validated_setpoint(temperature)
    await _run_on_all(
        call,
        lambda coordinator: coordinator.client.set_supply_temperature(setpoint),
        SETPOINT_NUMBER,
    )


async def _async_set_cooling(call: ServiceCall) -> None:
    if call.data[ATTR_ON]:
        await _run_on_all(
            call, lambda coordinator: coordinator.client.start_cooling(), COOLING_SWITCH
        )
    else:
        await _run_on_all(call, turn_cooling_off, COOLING_SWITCH)


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
