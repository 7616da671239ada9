"""The alert event entity of an Antspace container: one event per alert raised or cleared.

It tells what the alert publisher publishes (alerting.py): the `antspace_alert` events, one
for one, with the same `maintenance` flag; when maintenance ends, the alerts it muted that
are still active are raised again, without it.
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .alerting import AlertChange, alert_name, signal_alert_change
from .coordinator import AntspaceConfigEntry
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
    """Fires `raised` and `cleared` with the alert, its name, its severity and `maintenance`.

    It is the alarm itself: available while the container does not answer, so that it fires
    `raised` for `container_unreachable` (and `cleared` when the container is back). The
    changes that came before the entity are not repeated.
    """

    _alarm = True

    async def async_added_to_hass(self) -> None:
        """Follow the alert publisher."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                signal_alert_change(self.coordinator.config_entry.entry_id),
                self._alert_changed,
            )
        )

    @callback
    def _alert_changed(self, change: AlertChange) -> None:
        self._trigger_event(
            EVENT_RAISED if change.active else EVENT_CLEARED,
            {
                "alert": change.alert,
                "name": alert_name(self.hass, change.alert),
                "severity": str(ALERTS_BY_KEY[change.alert].severity),
                "maintenance": change.maintenance,
            },
        )
        self.async_write_ha_state()
        self._shown = self._showing()
