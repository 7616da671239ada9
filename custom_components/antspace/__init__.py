"""The Antspace integration: Bitmain Antspace liquid-cooling containers."""

from __future__ import annotations

from homeassistant.const import CONF_HOST, CONF_PORT, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.typing import ConfigType

from .alerting import AlertPublisher, async_remove_alert_issues
from .cards import async_register_cards
from .const import CONF_KIND, DOMAIN, LOGGER
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator
from .entity import device_info
from .identity import async_resolve, container_id, default_title, is_address_title
from .maintenance import async_get_schedule
from .maintenance_actions import async_setup_maintenance_actions
from .migration import FANS_MINOR_VERSION, async_migrate_fans
from .notifications import async_get_notifier
from .pyantspace import Kind
from .services import async_setup_services
from .websocket_api import async_setup_websocket_api

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions that act on many containers at once, the cards and their command."""
    async_setup_services(hass)
    async_setup_maintenance_actions(hass)
    async_setup_websocket_api(hass)
    await async_register_cards(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: AntspaceConfigEntry) -> bool:
    """Set up one container: poll it, publish its alerts, add its entities."""
    coordinator = AntspaceCoordinator(hass, entry)
    await coordinator.async_first_poll()
    entry.runtime_data = coordinator
    # Alerts are named in words from the entity translations (alerting.py, logbook.py), and
    # notified in their repair issues' words (notifications.py).
    for category in ("entity", "issues", "common"):
        await async_get_translations(hass, hass.config.language, category, [DOMAIN])

    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **device_info(entry)
    )
    maintenance = await async_get_schedule(hass)
    entry.async_on_unload(maintenance.async_follow(entry.entry_id))
    publisher = AlertPublisher(
        hass, entry, device.id, maintenance=maintenance, notifier=async_get_notifier(hass)
    )
    entry.async_on_unload(publisher.async_start())

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: AntspaceConfigEntry) -> bool:
    """Unload a container."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: AntspaceConfigEntry) -> None:
    """Remove the repair issues and the maintenance of a container that is removed."""
    async_remove_alert_issues(hass, entry.entry_id)
    (await async_get_schedule(hass)).async_forget(entry.entry_id)


async def async_migrate_entry(hass: HomeAssistant, entry: AntspaceConfigEntry) -> bool:
    """Bring an entry of an earlier version to the current one; its entities keep their ids.

    Version 1 titled a container by its address ("Antspace HK3 (10.0.0.5)") and identified
    it by its host as written. Version 2 titles it by its kind ("Antspace HK3", "Antspace
    HK3 2"…) and identifies it by its resolved address and port. From version 2.2 its fans are
    running sensors, not fan entities (migration.py).
    """
    if entry.version == 1:
        kind = Kind(entry.data[CONF_KIND])
        if is_address_title(kind, entry.title):
            # Chosen before anything is awaited, so that entries migrated at the same time
            # get distinct titles.
            others = hass.config_entries.async_entries(DOMAIN)
            title = default_title(kind, (e.title for e in others if e is not entry))
            hass.config_entries.async_update_entry(entry, title=title)
        unique_id = entry.unique_id
        if addresses := await async_resolve(hass, entry.data[CONF_HOST]):
            resolved = container_id(addresses[0], entry.data[CONF_PORT])
            if not any(
                e.unique_id == resolved and e is not entry
                for e in hass.config_entries.async_entries(DOMAIN)
            ):
                unique_id = resolved
        else:
            LOGGER.debug("Host does not resolve; the container's unique id stays as it was")
        hass.config_entries.async_update_entry(entry, unique_id=unique_id, version=2)
    if entry.version == 2 and entry.minor_version < FANS_MINOR_VERSION:
        async_migrate_fans(hass, entry)
        hass.config_entries.async_update_entry(entry, minor_version=FANS_MINOR_VERSION)
    return True
