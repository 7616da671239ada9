"""Switches of an Antspace container: cooling system, PID control, and maintenance."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import CONF_ALLOW_COOLING_OFF, DEFAULT_MAINTENANCE, DOMAIN
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator, AntspaceData
from .entity import AntspaceEntity
from .helpers import antspace_command
from .maintenance import MaintenanceSchedule, async_get_schedule, signal_maintenance

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
    attributes_fn: Callable[[AntspaceCoordinator], dict[str, Any]] | None = None


SWITCHES: tuple[AntspaceSwitchDescription, ...] = (
    AntspaceSwitchDescription(
        key="cooling",
        translation_key="cooling",
        is_on_fn=lambda data: data.snapshot.state.cooling_running,
        turn_on_fn=lambda coordinator: coordinator.client.start_cooling(),
        turn_off_fn=turn_cooling_off,
        # The cards say before asking whether turning it off is allowed at all.
        attributes_fn=lambda coordinator: {CONF_ALLOW_COOLING_OFF: coordinator.allow_cooling_off},
    ),
    AntspaceSwitchDescription(
        key="pid_mode",
        translation_key="pid_mode",
        is_on_fn=lambda data: data.snapshot.state.pid_mode,
        turn_on_fn=lambda coordinator: coordinator.client.enable_pid_control(),
        turn_off_fn=_pid_off,
    ),
)

MAINTENANCE = SwitchEntityDescription(
    key="maintenance", translation_key="maintenance", entity_category=EntityCategory.CONFIG
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches."""
    switches: list[SwitchEntity] = [AntspaceSwitch(entry, description) for description in SWITCHES]
    switches.append(AntspaceMaintenanceSwitch(entry, MAINTENANCE, await async_get_schedule(hass)))
    async_add_entities(switches)


class AntspaceSwitch(AntspaceEntity, SwitchEntity):
    """A switch of an Antspace container."""

    entity_description: AntspaceSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The state from the last good poll."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """What the switch's options say (the cooling's: whether it may be turned off)."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator)

    @antspace_command
    async def async_turn_on(self, /, **kwargs: Any) -> None:
        """Turn on."""
        await self.entity_description.turn_on_fn(self.coordinator)

    @antspace_command
    async def async_turn_off(self, /, **kwargs: Any) -> None:
        """Turn off."""
        await self.entity_description.turn_off_fn(self.coordinator)


class AntspaceMaintenanceSwitch(AntspaceEntity, SwitchEntity):
    """The container's maintenance (maintenance.py); it turns itself off at `ends`.

    On for `DEFAULT_MAINTENANCE`, or for as long as the `antspace.start_maintenance` action
    says. It concerns the people, not the device: it answers while the container does not.
    """

    _alarm = True

    def __init__(
        self,
        entry: AntspaceConfigEntry,
        description: SwitchEntityDescription,
        schedule: MaintenanceSchedule,
    ) -> None:
        """Bind the switch to the maintenance schedule."""
        super().__init__(entry, description)
        self._entry_id = entry.entry_id
        self._schedule = schedule

    async def async_added_to_hass(self) -> None:
        """Follow the container's maintenance."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, signal_maintenance(self._entry_id), self._maintenance_changed
            )
        )

    @callback
    def _maintenance_changed(self) -> None:
        self._handle_coordinator_update()

    @property
    def is_on(self) -> bool:
        """Whether the container is in maintenance."""
        return self._schedule.active(self._entry_id)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When maintenance ends."""
        return {"ends": self._schedule.ends(self._entry_id)}

    async def async_turn_on(self, /, **kwargs: Any) -> None:
        """Start maintenance for `DEFAULT_MAINTENANCE` (again from now, if it is on)."""
        self._schedule.async_start(self._entry_id, DEFAULT_MAINTENANCE)

    async def async_turn_off(self, /, **kwargs: Any) -> None:
        """End maintenance now."""
        self._schedule.async_end(self._entry_id)
