"""Fans of an Antspace container, read-only: the API cannot drive a single fan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.fan import FanEntity, FanEntityDescription
from homeassistant.components.fan.const import ATTR_PERCENTAGE, FanEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import AntspaceConfigEntry, AntspaceData
from .entity import (
    AntspaceEntity,
    AntspaceEntityDescription,
    field_kinds,
    for_container,
    state_reader,
)

PARALLEL_UPDATES = 0

DRY_COOLER_RATED_FREQUENCY = 50.0
"""Hz at which the dry cooler's fans run at full speed (mains frequency of its drive)."""


@dataclass(frozen=True, kw_only=True)
class AntspaceFanDescription(FanEntityDescription, AntspaceEntityDescription):
    """A fan: whether it runs and, where the device reports a frequency, how fast."""

    is_on_fn: Callable[[AntspaceData], bool | None]
    percentage_fn: Callable[[AntspaceData], int | None] | None = None


def _running(key: str) -> AntspaceFanDescription:
    return AntspaceFanDescription(
        key=key, translation_key=key, is_on_fn=state_reader(key), kinds=field_kinds(key)
    )


def _dry_cooler_percentage(data: AntspaceData) -> int | None:
    state = data.snapshot.state
    if state.drycooler_freq is None:
        return None
    if not state.dry_cooler_freq_run:
        return 0
    share = state.drycooler_freq / DRY_COOLER_RATED_FREQUENCY * 100
    return round(min(100.0, max(0.0, share)))


FANS: tuple[AntspaceFanDescription, ...] = (
    _running("fan1"),
    _running("fan2"),
    _running("cooling_tower_fan1"),
    _running("cooling_tower_fan2"),
    _running("cooling_tower_fan3"),
    _running("container_fan"),
    AntspaceFanDescription(
        key="dry_cooler",
        translation_key="dry_cooler",
        is_on_fn=lambda data: data.snapshot.state.dry_cooler_freq_run,
        percentage_fn=_dry_cooler_percentage,
        kinds=field_kinds("dry_cooler_freq_run"),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the fans the container's kind has."""
    async_add_entities(
        AntspaceFan(entry, description) for description in for_container(entry, FANS)
    )


class AntspaceFan(AntspaceEntity, FanEntity):
    """A fan of an Antspace container; shows state, offers no control."""

    entity_description: AntspaceFanDescription
    _attr_supported_features = FanEntityFeature(0)

    @property
    def is_on(self) -> bool | None:
        """Whether the fan runs."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, int | None] | None:
        """Speed in percent, where the device reports a frequency.

        Home Assistant shows a fan's own `percentage` only for fans it can drive; this one
        is read-only, so the speed is an attribute.
        """
        if self.entity_description.percentage_fn is None:
            return None
        return {ATTR_PERCENTAGE: self.entity_description.percentage_fn(self.coordinator.data)}
