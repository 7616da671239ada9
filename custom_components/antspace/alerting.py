"""Alerts of a container as repair issues and `antspace_alert` events on the bus.

The coordinator's alert board says which alerts started and ended with each good poll, and
when `container_unreachable` starts; this module turns them into one repair issue per active
alert and one bus event per change. While a container does not answer its other alerts stay
as they were, and resume with its next good answer.

An alert has one name in words, its problem sensor's: repair issues, the Activity log and the
alert event entity take it from there.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_cached_translations

from .const import DOMAIN, EVENT_ALERT
from .coordinator import AlertBoard, AntspaceConfigEntry, alert_issue_id, alert_issues
from .pyantspace import Alert, Severity
from .pyantspace.alerts import ALERTS_BY_KEY

ISSUE_SEVERITY: Final = {
    Severity.CRITICAL: ir.IssueSeverity.CRITICAL,
    Severity.HIGH: ir.IssueSeverity.ERROR,
    Severity.MEDIUM: ir.IssueSeverity.WARNING,
}


def alert_name(hass: HomeAssistant, key: str) -> str:
    """An alert's name in the server's language: the name of its problem sensor.

    The entity translations are loaded when the container is set up.
    """
    strings = async_get_cached_translations(hass, hass.config.language, "entity", DOMAIN)
    return strings.get(f"component.{DOMAIN}.entity.binary_sensor.alert_{key}.name", key)


class AlertPublisher:
    """Keeps the repair issues and bus events of one container in step with its alerts."""

    def __init__(self, hass: HomeAssistant, entry: AntspaceConfigEntry, device_id: str) -> None:
        """Bind to a container's entry and device."""
        self._hass = hass
        self._entry = entry
        self._device_id = device_id
        self._seen: AlertBoard | None = None

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Publish what the first poll found, then follow the coordinator."""
        coordinator = self._entry.runtime_data
        self._publish()
        return coordinator.async_add_listener(self._publish)

    @callback
    def _publish(self) -> None:
        board = self._entry.runtime_data.alerts
        if board is self._seen:
            return
        first = self._seen is None
        self._seen = board
        for key in board.raised:
            self._create_issue(board.active[key])
            self._fire(key, active=True)
        for key in board.cleared:
            ir.async_delete_issue(self._hass, DOMAIN, alert_issue_id(self._entry.entry_id, key))
            self._fire(key, active=False)
        if first:
            # An alert still active after a restart keeps its issue; refresh its text once.
            for key, alert in board.active.items():
                if key not in board.raised:
                    self._create_issue(alert)

    def _create_issue(self, alert: Alert) -> None:
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            alert_issue_id(self._entry.entry_id, alert.key),
            is_fixable=False,
            is_persistent=False,
            severity=ISSUE_SEVERITY[alert.severity],
            translation_key=f"alert_{alert.key}",
            translation_placeholders={
                "container": self._entry.title,
                "alert": alert_name(self._hass, alert.key),
                "flags": ", ".join(alert.flags),
            },
        )

    def _fire(self, key: str, *, active: bool) -> None:
        self._hass.bus.async_fire(
            EVENT_ALERT,
            {
                "device_id": self._device_id,
                "entry_id": self._entry.entry_id,
                "alert": key,
                "severity": str(ALERTS_BY_KEY[key].severity),
                "active": active,
            },
        )


@callback
def async_remove_alert_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every repair issue of a container (when it is removed)."""
    for issue_id in alert_issues(hass, entry_id).values():
        ir.async_delete_issue(hass, DOMAIN, issue_id)
