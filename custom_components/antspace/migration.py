"""The fans that became running sensors: their entities move, and automations are told.

Up to version 2.1 of the config entry the fans were fan entities, with a switch the container
cannot carry out. From 2.2 they are binary sensors that are on while the fan runs, and the dry
cooler's speed is a sensor in %. The old entities are removed and the new ones take their
object ids (`fan.x` becomes `binary_sensor.x`). Automations and scripts that used the old ones
get a repair issue that names them and what replaces each.
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.automation import automations_with_entity
from homeassistant.components.script import scripts_with_entity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.start import async_at_started

from .const import DOMAIN
from .coordinator import AntspaceConfigEntry

FANS_MINOR_VERSION: Final = 2
"""The minor version of the config entry from which the fans are binary sensors."""
DRY_COOLER: Final = "dry_cooler"


def fans_issue_id(entry_id: str) -> str:
    """The repair issue of a container whose automations used its old fan entities."""
    return f"fans_now_binary_sensors_{entry_id}"


@callback
def async_migrate_fans(hass: HomeAssistant, entry: AntspaceConfigEntry) -> None:
    """Replace a container's fan entities with binary sensors of the same object ids."""
    registry = er.async_get(hass)
    renamed: dict[str, list[str]] = {}
    for old in er.async_entries_for_config_entry(registry, entry.entry_id):
        if old.domain != Platform.FAN:
            continue
        object_id = old.entity_id.split(".", 1)[1]
        registry.async_remove(old.entity_id)
        new = registry.async_get_or_create(
            Platform.BINARY_SENSOR,
            DOMAIN,
            old.unique_id,
            config_entry=entry,
            suggested_object_id=object_id,
            disabled_by=old.disabled_by,
        )
        renamed[old.entity_id] = [new.entity_id]
        if old.unique_id.endswith(f"_{DRY_COOLER}"):
            speed = registry.async_get_or_create(
                Platform.SENSOR,
                DOMAIN,
                f"{old.unique_id}_speed",
                config_entry=entry,
                suggested_object_id=f"{object_id}_speed",
                disabled_by=old.disabled_by,
            )
            renamed[old.entity_id].append(speed.entity_id)
    if renamed:

        @callback
        def tell(hass: HomeAssistant) -> None:
            async_report_fan_users(hass, entry, renamed)

        async_at_started(hass, tell)


@callback
def async_report_fan_users(
    hass: HomeAssistant, entry: AntspaceConfigEntry, renamed: dict[str, list[str]]
) -> None:
    """Open a repair issue if automations or scripts use the old fan entities."""
    uses = sorted(
        {
            user
            for old in renamed
            for user in (*automations_with_entity(hass, old), *scripts_with_entity(hass, old))
        }
    )
    if not uses:
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        fans_issue_id(entry.entry_id),
        is_fixable=False,
        is_persistent=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="fans_now_binary_sensors",
        translation_placeholders={
            "container": entry.title,
            "uses": ", ".join(f"`{user}`" for user in uses),
            "renamed": "; ".join(
                f"`{old}` → " + ", ".join(f"`{new}`" for new in news)
                for old, news in sorted(renamed.items())
            ),
        },
    )
