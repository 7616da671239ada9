"""The reset button of an Antspace container."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import AntspaceConfigEntry
from .entity import AntspaceEntity
from .helpers import antspace_command

PARALLEL_UPDATES = 1

RESET = ButtonEntityDescription(key="reset", translation_key="reset")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the reset button."""
    async_add_entities([AntspaceResetButton(entry, RESET)])


class AntspaceResetButton(AntspaceEntity, ButtonEntity):
    """Resets the cooling system; clears latched faults on the device."""

    @antspace_command
    async def async_press(self) -> None:
        """Send reset."""
        await self.coordinator.client.reset()
