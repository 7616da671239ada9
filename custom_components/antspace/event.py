"""The alert event entity of an Antspace container: one event per alert raised or cleared."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .alerting import alert_name
from .coordinator import AlertBoard, AntspaceConfigEntry
from .entity import AntspaceEntity
from .pyantspace.alerts import ALERTS_BY_KEY

PARALLEL_UPDATES = 0

EVENT_RAISED = "raised"
EVENT_CLEARED = "cleared"

ALERT_EVENTS = EventEntityDescription(
    key="alert",
    translation_key="alert",
    event_types=[EVENT_RAISED, EVENT_CLEARED],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the alert event entity."""
    async_add_entities([AntspaceAlertEvent(entry, ALERT_EVENTS)])


class AntspaceAlertEvent(AntspaceEntity, EventEntity):
    """Fires `raised` and `cleared` with the alert, its name and its severity.

    It is the alarm itself: available while the container does not answer, so that it fires
    `raised` for `container_unreachable` (and `cleared` when the container is back).
    """

    _alarm = True
    _seen: AlertBoard | None = None

    async def async_added_to_hass(self) -> None:
        """Do not repeat the changes that came before the entity."""
        await super().async_added_to_hass()
        self._seen = self.coordinator.alerts

    @callback
    def _handle_coordinator_update(self) -> None:
        board = self.coordinator.alerts
        if board is not self._seen:
            self._seen = board
            changes = [(EVENT_RAISED, key) for key in board.raised]
            changes += [(EVENT_CLEARED, key) for key in board.cleared]
            for event_type, key in changes:
                self._trigger_event(
                    event_type,
                    {
                        "alert": key,
                        "name": alert_name(self.hass, key),
                        "severity": str(ALERTS_BY_KEY[key].severity),
                    },
                )
                self.async_write_ha_state()
                self._shown = self._showing()
        super()._handle_coordinator_update()
