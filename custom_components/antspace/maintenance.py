"""Maintenance of a container: its alerts are still shown, but reach no one.

While a container is in maintenance its alerts are computed and shown as ever (problem
sensors, cards, the Alert event entity and the `antspace_alert` events, which then carry
`maintenance: true`), but an alert that starts raises no repair issue and no notification.
Alerts raised before it began keep theirs until they end.

Maintenance ends by itself at the time chosen when it starts (`DEFAULT_MAINTENANCE` after,
unless told otherwise), so that a forgotten one does not silence a container for ever; the
alerts still active then are raised at once (alerting.py). When each container's maintenance
ends is kept in Home Assistant's storage, so that it survives a restart; one that ended while
Home Assistant was down has ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final, TypedDict

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.singleton import singleton
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

STORAGE_KEY: Final = f"{DOMAIN}.maintenance"
STORAGE_VERSION: Final = 1
_SCHEDULE: HassKey[MaintenanceSchedule] = HassKey(f"{DOMAIN}_maintenance")


class _Stored(TypedDict):
    ends: dict[str, str]
    """When each container's maintenance ends (ISO 8601, UTC), by config entry id."""


def signal_maintenance(entry_id: str) -> str:
    """The dispatcher signal sent when a container's maintenance starts, moves or ends."""
    return f"{DOMAIN}_maintenance_{entry_id}"


class MaintenanceSchedule:
    """When each container's maintenance ends; kept in storage, one for all containers."""

    def __init__(self, hass: HomeAssistant, store: Store[_Stored], ends: dict[str, datetime]):
        """Start from what storage holds."""
        self._hass = hass
        self._store = store
        self._ends = ends
        self._followed: set[str] = set()
        """The loaded containers, whose maintenance ends by a timer."""
        self._timers: dict[str, CALLBACK_TYPE] = {}

    def ends(self, entry_id: str) -> datetime | None:
        """When a container's maintenance ends; None when it is not in maintenance."""
        ends = self._ends.get(entry_id)
        return ends if ends is not None and ends > dt_util.utcnow() else None

    def active(self, entry_id: str) -> bool:
        """Whether a container is in maintenance."""
        return self.ends(entry_id) is not None

    @callback
    def async_start(self, entry_id: str, duration: timedelta) -> None:
        """Put a container in maintenance for a while from now (again: from now)."""
        self._ends[entry_id] = dt_util.utcnow() + duration
        self._changed(entry_id)

    @callback
    def async_end(self, entry_id: str) -> None:
        """End a container's maintenance now."""
        if self._ends.pop(entry_id, None) is not None:
            self._changed(entry_id)

    @callback
    def async_follow(self, entry_id: str) -> CALLBACK_TYPE:
        """End a loaded container's maintenance when its time comes; the callback stops."""
        if entry_id in self._ends and not self.active(entry_id):
            # It ended while Home Assistant was down.
            del self._ends[entry_id]
            self._save()
        self._followed.add(entry_id)
        self._schedule(entry_id)

        @callback
        def unfollow() -> None:
            self._followed.discard(entry_id)
            self._cancel(entry_id)

        return unfollow

    @callback
    def async_forget(self, entry_id: str) -> None:
        """Drop a removed container."""
        if self._ends.pop(entry_id, None) is not None:
            self._save()

    def _changed(self, entry_id: str) -> None:
        self._save()
        if entry_id in self._followed:
            self._schedule(entry_id)
        async_dispatcher_send(self._hass, signal_maintenance(entry_id))

    def _schedule(self, entry_id: str) -> None:
        self._cancel(entry_id)
        if (ends := self.ends(entry_id)) is None:
            return

        @callback
        def expire(_now: datetime) -> None:
            self._timers.pop(entry_id, None)
            self.async_end(entry_id)

        self._timers[entry_id] = async_track_point_in_utc_time(self._hass, expire, ends)

    def _cancel(self, entry_id: str) -> None:
        if (cancel := self._timers.pop(entry_id, None)) is not None:
            cancel()

    def _save(self) -> None:
        self._store.async_delay_save(
            lambda: {"ends": {key: ends.isoformat() for key, ends in self._ends.items()}}
        )


@singleton(_SCHEDULE, async_=True)
async def async_get_schedule(hass: HomeAssistant) -> MaintenanceSchedule:
    """The maintenance schedule, loaded from storage the first time it is asked for."""
    store: Store[_Stored] = Store(hass, STORAGE_VERSION, STORAGE_KEY)
    stored = await store.async_load()
    ends: dict[str, datetime] = {}
    for entry_id, text in (stored or {"ends": {}})["ends"].items():
        if (when := dt_util.parse_datetime(text)) is not None:
            ends[entry_id] = when
    return MaintenanceSchedule(hass, store, ends)
