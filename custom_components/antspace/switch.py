"""Switches of an Antspace container: the cooling system and PID control of the setpoint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator, AntspaceData
from .entity import AntspaceEntity
from .helpers import antspace_command

PARALLEL_UPDATES = 1


async def turn_cooling_off(coordinator: AntspaceCoordinator) -> None:
    """Switch a container's cooling off, if its options allow it."""
    if not coordinator.allow_cooling_off:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="cooling_off_not_allowed",
            translation_placeholders={"container": coordinator.config_entry.title},
        )
    await coordinator.client.stop_cooling()


async def _pid_off(coordinator: AntspaceCoordinator) -> None:
    """Leave PID mode by setting the current setpoint by hand."""
    data = coordinator.data
    setpoint = data.snapshot.state.supply_liquid_set_temp if data is not None else None
    if setpoint is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_setpoint_to_keep"
        )
    await coordinator.client.set_supply_temperature(setpoint)


@dataclass(frozen=True, kw_only=True)
class AntspaceSwitchDescription(SwitchEntityDescription):
    """A switch: its state and what turning it on and off sends."""

    is_on_fn: Callable[[AntspaceData], bool | None]
    turn_on_fn: Callable[[AntspaceCoordinator], Awaitable[None]]
    turn_off_fn: Callable[[AntspaceCoordinator], Awaitable[None]]


SWITCHES: tuple[AntspaceSwitchDescription, ...] = (
    AntspaceSwitchDescription(
        key="cooling",
        translation_key="cooling",
        is_on_fn=lambda data: data.snapshot.state.cooling_running,
        turn_on_fn=lambda coordinator: coordinator.client.start_cooling(),
        turn_off_fn=turn_cooling_off,
    ),
    AntspaceSwitchDescription(
        key="pid_mode",
        translation_key="pid_mode",
        is_on_fn=lambda data: data.snapshot.state.pid_mode,
        turn_on_fn=lambda coordinator: coordinator.client.enable_pid_control(),
        turn_off_fn=_pid_off,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches."""
    async_add_entities(AntspaceSwitch(entry, description) for description in SWITCHES)


class AntspaceSwitch(AntspaceEntity, SwitchEntity):
    """A switch of an Antspace container."""

    entity_description: AntspaceSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The state from the last good poll."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @antspace_command
    async def async_turn_on(self, /, **kwargs: Any) -> None:
        """Turn on."""
        await self.entity_description.turn_on_fn(self.coordinator)

    @antspace_command
    async def async_turn_off(self, /, **kwargs: Any) -> None:
        """Turn off."""
        await self.entity_description.turn_off_fn(self.coordinator)
