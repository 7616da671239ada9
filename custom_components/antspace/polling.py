"""Polls a site's containers in batches: the containers of a batch at one instant of the interval.

Home Assistant starts each coordinator's polls at an instant of the second of its own, drawn at
random between 0.05 and 0.5 s past it, so that integrations do not all poll at once. A site's
containers would then wake the event loop once each per cycle, and a site set up within a few
seconds would poll in the same few tenths of each second. Here the containers of one polling
interval share instants in batches of up to `POLL_BATCH`: the loop wakes once per batch, the
batch's requests are in flight together and their answers are handled one after the other,
which costs less CPU per poll than a wake-up of its own for each (`script/bench`). Each batch
has its own instant of the interval, and the batches are spread evenly over the whole of it
from the moment the first container joined, however fast the site was set up: a batch's
answers are handled within a few milliseconds, and the next batch's come a while later, so
that the event loop is never held for long.

The coordinators have no polling interval of their own: their batch refreshes them, through
the coordinator's public `async_refresh`, at a fixed cadence.
"""

from __future__ import annotations

from datetime import datetime
import math
from typing import Final, Protocol

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.event import async_call_at
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

POLL_BATCH: Final = 5
"""Containers, at most, whose polls start at the same instant."""
_GOLDEN: Final = (5**0.5 - 1) / 2


class Pollable(Protocol):
    """What a batch polls: a container's coordinator."""

    @callback
    def async_poll_now(self) -> None:
        """Start a poll (unless one is under way)."""


def slot_phase(slot: int) -> float:
    """The share of its interval at which a slot's polls start, from 0 to 1.

    The golden-ratio sequence spreads any number of slots evenly over the interval, without
    knowing in advance how many there will be.
    """
    return round(slot * _GOLDEN % 1, 6)


class PollBatch:
    """Containers of one polling interval whose polls start together."""

    def __init__(self, hass: HomeAssistant, slot: int, interval: float, epoch: float) -> None:
        """A batch with no member yet; it polls once it has one.

        Its instants are `epoch` (event loop time) plus its slot's share of the interval, plus
        any number of intervals.
        """
        self._hass = hass
        self.slot = slot
        self.interval = interval
        self.origin = epoch + slot_phase(slot) * interval
        """An instant at which the batch polls (event loop time); so does each interval on."""
        self.members: list[Pollable] = []
        self.next_poll: float | None = None
        """Event loop time of the batch's next polls; None while it has no member."""
        self._unsub: CALLBACK_TYPE | None = None

    def add(self, member: Pollable) -> None:
        """Poll a container with this batch from its next instant on."""
        self.members.append(member)
        if self._unsub is None:
            self._schedule()

    def remove(self, member: Pollable) -> None:
        """No longer poll a container; an empty batch stops."""
        self.members.remove(member)
        if not self.members:
            self.async_stop()

    def _schedule(self) -> None:
        """Poll at the batch's next instant.

        That is one interval after the last; for a new batch (or one whose instant went by
        while the loop was held), its first instant at least half an interval away, as its
        first member has just read its container.
        """
        now, interval = self._hass.loop.time(), self.interval
        due = None if self.next_poll is None else self.next_poll + interval
        if due is None or due <= now:
            cycles = math.ceil((now + interval / 2 - self.origin) / interval)
            due = self.origin + cycles * interval
        self.next_poll = due
        self._unsub = async_call_at(self._hass, self._async_poll, due)

    @callback
    def _async_poll(self, _now: datetime) -> None:
        if self._hass.is_stopping:
            self._unsub, self.next_poll = None, None
            return
        self._schedule()
        for member in list(self.members):
            member.async_poll_now()

    @callback
    def async_stop(self) -> None:
        """Stop polling (Home Assistant stops)."""
        if self._unsub is not None:
            self._unsub()
            self._unsub, self.next_poll = None, None


class PollBatches:
    """The batches of a Home Assistant instance: each container joins the first with room."""

    def __init__(self, hass: HomeAssistant) -> None:
        """No batch yet; when Home Assistant stops, the batches stop polling."""
        self._hass = hass
        self._batches: list[PollBatch] = []
        self._epoch = 0.0
        """The event loop time the batches' instants count from: when the first joined."""
        hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_stop)

    @callback
    def _async_stop(self, _event: Event) -> None:
        for batch in self._batches:
            batch.async_stop()

    @property
    def batches(self) -> tuple[PollBatch, ...]:
        """The batches that have members."""
        return tuple(self._batches)

    def join(self, member: Pollable, interval: float) -> PollBatch:
        """Poll a container with the first batch of its interval that has room."""
        for batch in self._batches:
            if batch.interval == interval and len(batch.members) < POLL_BATCH:
                batch.add(member)
                return batch
        if not self._batches:
            self._epoch = self._hass.loop.time()
        used = {batch.slot for batch in self._batches}
        slot = next(slot for slot in range(len(used) + 1) if slot not in used)
        batch = PollBatch(self._hass, slot, interval, self._epoch)
        self._batches.append(batch)
        batch.add(member)
        return batch

    def leave(self, member: Pollable, batch: PollBatch) -> None:
        """A container no longer polls; its batch goes when it is the last."""
        batch.remove(member)
        if not batch.members:
            self._batches.remove(batch)


POLL_BATCHES: HassKey[PollBatches] = HassKey(f"{DOMAIN}_poll_batches")
