"""Alerts of a container as repair issues, notifications and `antspace_alert` events.

The coordinator's alert board says which alerts started and ended with each good poll, and
when `container_unreachable` starts; this module turns them into one repair issue per active
alert (with its persistent notification, notifications.py), one bus event per change and the
same change for the Alert event entity. While a container does not answer its other alerts
stay as they were, and resume with its next good answer.

While the container is in maintenance (maintenance.py) an alert that starts is muted: it
raises no repair issue and no notification, and its events, when it starts and when it ends,
carry `maintenance: true`. When maintenance ends, the muted alerts still active are raised
at once, as if they had just started.

An alert has one name in words, its problem sensor's: the Activity log and the alert event
entity take it from there, and each alert's repair issue carries the same name in its own
translation, so that the frontend shows the whole issue in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_connect, async_dispatcher_send
from homeassistant.helpers.translation import async_get_cached_translations

from .const import DOMAIN, EVENT_ALERT
from .coordinator import AlertBoard, AntspaceConfigEntry, alert_issue_id, alert_issues
from .helpers import inert_list, inert_miners, inert_text
from .maintenance import MaintenanceSchedule, signal_maintenance
from .notifications import AlertNotifier
from .pyantspace import Alert, Severity
from .pyantspace.alerts import ALERTS_BY_KEY
from .repairs import fix_of

ISSUE_SEVERITY: Final = {
    Severity.CRITICAL: ir.IssueSeverity.CRITICAL,
    Severity.HIGH: ir.IssueSeverity.ERROR,
    Severity.MEDIUM: ir.IssueSeverity.WARNING,
}
_TITLE_CHARS: Final = 100
"""A container's title, as its device's link shows it, is cut after this many characters."""


def alert_name(hass: HomeAssistant, key: str) -> str:
    """An alert's name in the server's language: the name of its problem sensor.

    The entity translations are loaded when the container is set up.
    """
    strings = async_get_cached_translations(hass, hass.config.language, "entity", DOMAIN)
    return strings.get(f"component.{DOMAIN}.entity.binary_sensor.alert_{key}.name", key)


def device_url(device_id: str) -> str:
    """The path of a device's page in Home Assistant's frontend."""
    return f"/config/devices/device/{device_id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertChange:
    """An alert of a container that started or ended, as the Alert event entity tells it."""

    alert: str
    active: bool
    maintenance: bool
    """The alert was raised while the container was in maintenance: it reached no one."""


def signal_alert_change(entry_id: str) -> str:
    """The dispatcher signal that carries a container's `AlertChange`s."""
    return f"{DOMAIN}_alert_change_{entry_id}"


class AlertPublisher:
    """Keeps one container's repair issues, notifications and events in step with its alerts."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: AntspaceConfigEntry,
        device_id: str,
        *,
        maintenance: MaintenanceSchedule,
        notifier: AlertNotifier,
    ) -> None:
        """Bind to a container's entry and device."""
        self._hass = hass
        self._entry = entry
        self._device_id = device_id
        self._maintenance = maintenance
        self._notifier = notifier
        self._seen: AlertBoard | None = None
        self._muted: set[str] = set()
        """Active alerts raised in maintenance: no issue, no notification (yet)."""

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Publish what the first poll found, then follow the coordinator and maintenance."""
        coordinator = self._entry.runtime_data
        self._publish()
        unsubscribes = (
            coordinator.async_add_listener(self._publish),
            async_dispatcher_connect(
                self._hass, signal_maintenance(self._entry.entry_id), self._maintenance_changed
            ),
        )

        @callback
        def stop() -> None:
            for unsubscribe in unsubscribes:
                unsubscribe()
            self._notifier.async_forget(self._entry.entry_id)

        return stop

    @callback
    def _publish(self) -> None:
        board = self._entry.runtime_data.alerts
        if board is self._seen:
            return
        self._follow_details(self._seen, board)
        first = self._seen is None
        self._seen = board
        in_maintenance = self._maintenance.active(self._entry.entry_id)
        for key in board.raised:
            if in_maintenance:
                self._muted.add(key)
            else:
                self._announce(board.active[key])
            self._fire(key, active=True, maintenance=in_maintenance)
        for key in board.cleared:
            muted = key in self._muted
            self._muted.discard(key)
            ir.async_delete_issue(self._hass, DOMAIN, alert_issue_id(self._entry.entry_id, key))
            self._notifier.async_cleared(self._entry.entry_id, key)
            self._fire(key, active=False, maintenance=muted)
        if first:
            # An alert still active after a restart keeps its issue; refresh its text once,
            # and notify again: notifications do not survive a restart.
            for key, alert in board.active.items():
                if key not in board.raised:
                    self._announce(alert)

    @callback
    def _maintenance_changed(self) -> None:
        """When maintenance ends, raise the muted alerts still active at once."""
        if self._maintenance.active(self._entry.entry_id):
            return
        board = self._entry.runtime_data.alerts
        muted, self._muted = self._muted, set()
        for key in sorted(muted & board.active.keys()):
            self._announce(board.active[key])
            self._fire(key, active=True, maintenance=False)

    def _announce(self, alert: Alert) -> None:
        """Raise an alert to people: its repair issue, then its notification."""
        self._create_issue(alert)
        self._notifier.async_raised(self._entry, alert, alert_name(self._hass, alert.key))

    def _follow_details(self, seen: AlertBoard | None, board: AlertBoard) -> None:
        """While an alert stands, its issue names what the last answer names.

        The flags of `unrecognised_fault`, the miners of an alert of miners.
        """
        if seen is None:
            return
        for key, alert in board.active.items():
            before = seen.active.get(key)
            if before is not None and (alert.flags, alert.miners) != (before.flags, before.miners):
                self._create_issue(alert)

    def _create_issue(self, alert: Alert) -> None:
        if alert.key in self._muted:
            return
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            alert_issue_id(self._entry.entry_id, alert.key),
            is_fixable=fix_of(alert.spec) is not None,
            is_persistent=False,
            data={"entry_id": self._entry.entry_id, "alert": alert.key},
            severity=ISSUE_SEVERITY[alert.severity],
            translation_key=f"alert_{alert.key}",
            translation_placeholders={
                "container": self._entry.title,
                "device": f"[{inert_text(self._entry.title, _TITLE_CHARS)}]"
                f"({device_url(self._device_id)})",
                "flags": inert_list(alert.flags),
                "miners": inert_miners(alert.miners),
                # For the notification, which every user sees: a miner's address is private.
                "miner_positions": inert_miners(alert.miners, addresses=False),
            },
        )

    def _fire(self, key: str, *, active: bool, maintenance: bool) -> None:
        self._hass.bus.async_fire(
            EVENT_ALERT,
            {
                "device_id": self._device_id,
                "entry_id": self._entry.entry_id,
                "alert": key,
                "severity": str(ALERTS_BY_KEY[key].severity),
                "active": active,
                "maintenance": maintenance,
            },
        )
        async_dispatcher_send(
            self._hass,
            signal_alert_change(self._entry.entry_id),
            AlertChange(alert=key, active=active, maintenance=maintenance),
        )


@callback
def async_remove_alert_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every repair issue of a container (when it is removed)."""
    for issue_id in alert_issues(hass, entry_id).values():
        ir.async_delete_issue(hass, DOMAIN, issue_id)
