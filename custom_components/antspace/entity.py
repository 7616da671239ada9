"""Base entity of the Antspace integration."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER, MODELS
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator, AntspaceData
from .pyantspace import Kind, wire_fields


@dataclass(frozen=True, kw_only=True)
class AntspaceEntityDescription(EntityDescription):
    """What every description of an Antspace entity says: which container kinds have it."""

    kinds: frozenset[Kind] = frozenset(Kind)
    alarm: bool = False
    """An entity of the alarm itself: it reads the alert board, and stays available while
    the container does not answer, to tell the truth about it."""


def state_reader(key: str) -> Callable[[AntspaceData], Any]:
    """Read one attribute of the container's `coolerState`."""
    getter = attrgetter(key)
    return lambda data: getter(data.snapshot.state)


def field_kinds(key: str) -> frozenset[Kind]:
    """The container kinds that report one attribute of `coolerState`."""
    return wire_fields()[key].kinds


def for_container[DescriptionT: AntspaceEntityDescription](
    entry: AntspaceConfigEntry, descriptions: Iterable[DescriptionT]
) -> list[DescriptionT]:
    """The descriptions of the entities that a container's kind has."""
    kind = entry.runtime_data.kind
    return [description for description in descriptions if kind in description.kinds]


def entities_of(
    hass: HomeAssistant, entity_ids: Iterable[str], platform: str, description: EntityDescription
) -> set[str]:
    """Those of the entities that are a container's entity of this platform and description.

    The integration's triggers and conditions follow one entity of each targeted container.
    """
    registry = er.async_get(hass)
    return {
        entity_id
        for entity_id in entity_ids
        if (entry := registry.async_get(entity_id)) is not None
        and entry.platform == DOMAIN
        and entry.domain == platform
        and entry.translation_key == description.translation_key
    }


def device_info(entry: AntspaceConfigEntry) -> DeviceInfo:
    """The device of one container; its identity is the entry, so it survives a new host."""
    coordinator = entry.runtime_data
    info = DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        manufacturer=MANUFACTURER,
        model=MODELS[coordinator.kind],
        name=entry.title,
    )
    if coordinator.data and (version := coordinator.data.snapshot.state.protocol_version):
        info["sw_version"] = f"protocol {version}"
    return info


class AntspaceEntity(CoordinatorEntity[AntspaceCoordinator]):
    """An entity of one Antspace container.

    A reading is available while the container answers (and once it has answered since
    start-up); an alarm's own entity always is. A poll writes an entity's state only when
    what the entity shows has changed: a farm's containers report dozens of values each, and
    most of them hold still between polls.
    """

    _attr_has_entity_name = True
    _shown: tuple[object, ...] | None = None
    _alarm = False

    def __init__(self, entry: AntspaceConfigEntry, description: EntityDescription) -> None:
        """Bind the entity to its container and description."""
        super().__init__(entry.runtime_data)
        self.entity_description = description
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = device_info(entry)
        if isinstance(description, AntspaceEntityDescription) and description.alarm:
            self._alarm = True

    @property
    def available(self) -> bool:
        """An alarm's entity always; a reading while the last poll was good."""
        return self._alarm or (super().available and self.coordinator.data is not None)

    async def async_added_to_hass(self) -> None:
        """Remember what the first state shows."""
        await super().async_added_to_hass()
        self._shown = self._showing()

    def _showing(self) -> tuple[object, ...]:
        """What the entity shows: availability, state and attributes."""
        if not self.available:
            return (False,)
        return (True, self.state, self.extra_state_attributes)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state if the poll changed what the entity shows."""
        showing = self._showing()
        if showing != self._shown:
            self._shown = showing
            self.async_write_ha_state()
