"""The supply-liquid setpoint of an Antspace container."""

from __future__ import annotations

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import AntspaceConfigEntry
from .entity import AntspaceEntity
from .helpers import antspace_command, validated_setpoint
from .pyantspace import SETPOINT_MAX, SETPOINT_MIN, SETPOINT_STEP

PARALLEL_UPDATES = 1

SUPPLY_SETPOINT = NumberEntityDescription(
    key="supply_liquid_set_temp",
    translation_key="supply_liquid_set_temp",
    device_class=NumberDeviceClass.TEMPERATURE,
    native_unit_of_measurement=UnitOfTemperature.CELSIUS,
    native_min_value=SETPOINT_MIN,
    native_max_value=SETPOINT_MAX,
    native_step=SETPOINT_STEP,
    mode=NumberMode.BOX,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the setpoint."""
    async_add_entities([AntspaceSetpoint(entry, SUPPLY_SETPOINT)])


class AntspaceSetpoint(AntspaceEntity, NumberEntity):
    """Target temperature of the supply liquid; setting it leaves PID mode."""

    @property
    def native_value(self) -> float | None:
        """The setpoint the container reports."""
        return self.coordinator.data.snapshot.state.supply_liquid_set_temp

    @antspace_command
    async def async_set_native_value(self, value: float) -> None:
        """Send a new setpoint, checked first."""
        await self.coordinator.client.set_supply_temperature(validated_setpoint(value))
