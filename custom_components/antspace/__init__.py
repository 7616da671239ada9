"""The Antspace integration: Bitmain Antspace liquid-cooling containers."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .alerting import AlertPublisher, async_remove_alert_issues
from .const import DOMAIN
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator
from .entity import device_info
from .frontend import async_register_cards
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.FAN,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions that act on many containers at once, and the cards."""
    async_setup_services(hass)
    await async_register_cards(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: AntspaceConfigEntry) -> bool:
    """Set up one container: poll it, publish its alerts, add its entities."""
    coordinator = AntspaceCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator

    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **device_info(entry)
    )
    entry.async_on_unload(AlertPublisher(hass, entry, device.id).async_start())

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: AntspaceConfigEntry) -> bool:
    """Unload a container."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: AntspaceConfigEntry) -> None:
    """Remove the repair issues of a container that is removed."""
    async_remove_alert_issues(hass, entry.entry_id)
