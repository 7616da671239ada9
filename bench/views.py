"""The miners view open on every container: case A's websocket command at the view's pace.

The container card's miners view asks `antspace/miners` for its container when it opens and
then every `interval` seconds the answer gives (the miner summary interval). `MinersViews` does
the same for every container of a run, through one websocket connection of an administrator
(the answers carry the addresses), the containers' first asks spread over one interval as
cards opened at different times would be. The command runs as Home Assistant runs it: its
schema, its handler and the answer serialized to JSON; only the socket write is left out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, Final

from homeassistant.auth.models import User
from homeassistant.auth.permissions.models import PermissionLookup
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.http import WebSocketAdapter
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

COMMAND: Final = "antspace/miners"
_HEAD: Final = re.compile(rb'\{"id":(?P<id>\d+),"type":"result","success":(?P<success>true|false)')


class MinersViews:
    """Asks each container's miners, each at the pace its answer gives, until stopped."""

    def __init__(self, hass: HomeAssistant, entry_ids: list[str]) -> None:
        """Prepare one connection for the views of these config entries."""
        self._hass = hass
        self._entry_ids = entry_ids
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._pending: dict[int, int] = {}
        """Container index by message id, for the asks that wait for their answer."""
        self._next_id = 0
        self.interval = 0.0
        self.answers = 0
        self.errors = 0
        self.miners = 0
        self.answer_bytes = 0
        lookup = PermissionLookup(er.async_get(hass), dr.async_get(hass))
        user = User(name="bench", perm_lookup=lookup, is_owner=True, is_active=True)
        logger = WebSocketAdapter(logging.getLogger(__name__), {"connid": "bench"})
        self._connection = ActiveConnection(logger, hass, self._receive, user, None, None)

    async def start(self, interval: float) -> None:
        """Open the views: each asks once now (spread over `interval`), then at its pace."""
        self.interval = interval
        loop = self._hass.loop
        now = loop.time()
        count = len(self._entry_ids)
        for index in range(count):
            self._timers[index] = loop.call_at(now + interval * index / count, self._ask, index)

    def stop(self) -> dict[str, Any]:
        """Close the views; what they were answered."""
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        return {
            "views": len(self._entry_ids),
            "interval": self.interval,
            "answers": self.answers,
            "errors": self.errors,
            "miners_in_first_answer": self.miners,
            "bytes_per_answer": self.answer_bytes / self.answers if self.answers else 0,
        }

    @callback
    def _ask(self, index: int) -> None:
        self._next_id += 1
        self._pending[self._next_id] = index
        self._connection.async_handle(
            {"id": self._next_id, "type": COMMAND, "entry_id": self._entry_ids[index]}
        )

    @callback
    def _receive(self, message: bytes | str | dict[str, Any]) -> None:
        """An answer, as the connection would write it; the view asks again an interval on.

        Only the head of an answer is read (its id and success), as a browser's cost is not
        this process's; the first answer is decoded whole, to check what the views get.
        """
        data = message.encode() if isinstance(message, str) else message
        if isinstance(data, dict):
            data = json.dumps(data).encode()
        head = _HEAD.match(data)
        if head is None:
            raise ValueError(f"not a websocket result: {data[:80]!r}")
        index = self._pending.pop(int(head["id"]))
        if head["success"] == b"true":
            if not self.answers:
                self.miners = len(json.loads(data)["result"]["miners"])
            self.answers += 1
            self.answer_bytes += len(data)
        else:
            self.errors += 1
        if index in self._timers:
            self._timers[index] = self._hass.loop.call_later(self.interval, self._ask, index)
