"""Binary sensors of an Antspace container: pumps, fans and valves running, and every alert.

The fans are running sensors: the API cannot drive a single fan, so a fan entity would offer a
toggle that fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import AntspaceConfigEntry, AntspaceData
from .entity import (
    AntspaceEntity,
    AntspaceEntityDescription,
    field_kinds,
    for_container,
    state_reader,
)
from .maintenance import MaintenanceSchedule, async_get_schedule, signal_maintenance
from .pyantspace import ALERTS, CONTAINER_UNREACHABLE, Kind

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class AntspaceBinarySensorDescription(BinarySensorEntityDescription, AntspaceEntityDescription):
    """A binary sensor: how to read it, and which container kinds have it."""

    is_on_fn: Callable[[AntspaceData], bool | None] | None = None
    alert: str | None = None
    """For an alert's problem sensor: the alert's key, read from the alert board."""


def _state_flag(key: str, **kwargs: Any) -> AntspaceBinarySensorDescription:
    """A binary sensor for one boolean of `coolerState`, on the kinds that report it."""
    kwargs.setdefault("device_class", BinarySensorDeviceClass.RUNNING)
    return AntspaceBinarySensorDescription(
        key=key,
        translation_key=key,
        is_on_fn=state_reader(key),
        kinds=field_kinds(key),
        **kwargs,
    )


def _valve(key: str, **kwargs: Any) -> AntspaceBinarySensorDescription:
    """A valve's end switch: on while the valve is at that end, fully open or fully closed.

    No opening device class: it would call the closed end switch "Open" while the valve is
    closed. The valve's position in between is a sensor (`open1`, `open2`).
    """
    return _state_flag(key, device_class=None, **kwargs)


def _alert(key: str, kinds: frozenset[Kind]) -> AntspaceBinarySensorDescription:
    """An alert's problem sensor; `container_unreachable`'s stays available to tell it."""
    return AntspaceBinarySensorDescription(
        key=f"alert_{key}",
        translation_key=f"alert_{key}",
        device_class=BinarySensorDeviceClass.PROBLEM,
        # Many per container: kept off the device page's main list, still on for automations.
        entity_category=EntityCategory.DIAGNOSTIC,
        alert=key,
        alarm=key == CONTAINER_UNREACHABLE,
        kinds=kinds,
    )


BINARY_SENSORS: tuple[AntspaceBinarySensorDescription, ...] = (
    # HK3
    _state_flag("circulating_pump"),
    _state_flag("spray_pump"),
    _state_flag("fluid_infusion_pump"),
    _state_flag("fan1"),
    _state_flag("fan2"),
    _state_flag("cooling_tower_fan1"),
    _state_flag("cooling_tower_fan2"),
    _state_flag("cooling_tower_fan3"),
    # Immersion
    _state_flag("second_pump1"),
    _state_flag("second_pump2"),
    _state_flag("primary_circulating_pump"),
    _state_flag("one_pump", entity_registry_enabled_default=False),
    _state_flag("pump_ready", entity_registry_enabled_default=False),
    _state_flag("pump_operation", entity_registry_enabled_default=False),
    _state_flag("pump_run"),
    _state_flag("pump_start", entity_registry_enabled_default=False),
    _state_flag("server_on", device_class=BinarySensorDeviceClass.POWER),
    _state_flag("container_fan"),
    AntspaceBinarySensorDescription(  # the dry cooler's fans, on their frequency drive
        key="dry_cooler",
        translation_key="dry_cooler",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=state_reader("dry_cooler_freq_run"),
        kinds=field_kinds("dry_cooler_freq_run"),
    ),
    _state_flag("dry_cooler_power_freq_run", entity_registry_enabled_default=False),
    _valve("valve1_open"),
    _valve("valve2_open"),
    _valve("valve1_close", entity_registry_enabled_default=False),
    _valve("valve2_close", entity_registry_enabled_default=False),
    # Both kinds
    _state_flag(
        "running_mode",
        device_class=None,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    ),
    _state_flag(
        "disconnect",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    # One problem sensor per row of the alert table
    *(_alert(spec.key, spec.kinds) for spec in ALERTS),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors the container's kind has."""
    async_add_entities(
        AntspaceBinarySensor(entry, description)
        for description in for_container(entry, BINARY_SENSORS)
    )


class AntspaceBinarySensor(AntspaceEntity, BinarySensorEntity):
    """A binary sensor of an Antspace container.

    An alert's problem sensor says `maintenance: true` while its container is in maintenance:
    the alert is shown, but reaches no one.
    """

    entity_description: AntspaceBinarySensorDescription
    _maintenance: MaintenanceSchedule | None = None

    async def async_added_to_hass(self) -> None:
        """An alert's problem sensor follows its container's maintenance."""
        if self.entity_description.alert is not None:
            self._maintenance = await async_get_schedule(self.hass)
            self.async_on_remove(
                async_dispatcher_connect(
                    self.hass,
                    signal_maintenance(self.coordinator.config_entry.entry_id),
                    self._handle_coordinator_update,
                )
            )
        await super().async_added_to_hass()

    @property
    def is_on(self) -> bool | None:
        """The state from the last good poll, or the alert's from the alert board."""
        description = self.entity_description
        if description.alert is not None:
            return self.coordinator.alerts.state_of(description.alert)
        if description.is_on_fn is None:
            return None
        return description.is_on_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """`maintenance: true` on an alert's problem sensor while its container is in it."""
        if self._maintenance is not None and self._maintenance.active(
            self.coordinator.config_entry.entry_id
        ):
            return {"maintenance": True}
        return None
