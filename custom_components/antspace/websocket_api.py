r"""The websocket command of the miners view: each miner of one container, when it is open.

    {"type": "antspace/miners", "entry_id": "<config entry id>"}

answers `{"interval": <miner summary interval, s>, "chip_temp_limit": <the option *Miner
overheating* limit, °C>, "miner_count": <miner_num> | null, "miners": [...]}`, one item per miner in the container's order:

    {"position": 1, "address": "10.0.0.2" | null, "type": "S19 Hydro" | null,
     "firmware": "..." | null, "uptime": <s> | null, "hashrate_5s": <GH/s> | null,
     "hashrate_avg": <GH/s> | null, "board_temp": <°C> | null, "chip_temp": <°C> | null,
     "hashing": true | false | null}

A miner's address is private: only an administrator gets it, everyone else null. The text a
container sends (address, type, firmware) is one bounded line of plain text
(`helpers.plain_text`), which the cards put into the page as text. Errors:
`not_found` (no such entry, or not an Antspace container's), `not_loaded`, `unreachable`
(the container does not answer now), each with its translation.

The per-miner detail is read on demand, never as entity attributes (120 miners on many
containers would flood the recorder), and never by the polls: one read per miner summary
interval serves every open view of a container (`MinersView`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.components.websocket_api.messages import construct_result_message
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.json import json_bytes
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey
import probatio as vol

from .const import DOMAIN, REQUEST_TIMEOUT
from .coordinator import AntspaceConfigEntry, AntspaceCoordinator
from .helpers import plain_text
from .pyantspace import AntspaceError
from .pyantspace.models import MinerValues, hashes

COMMAND: Final = f"{DOMAIN}/miners"
MAX_MINERS: Final = 1000
"""Miners a view lists at most: a container feeds a few hundred at most, and a 4 MB answer
from a broken or hostile controller could list a hundred thousand."""
ERR_NOT_LOADED: Final = "not_loaded"
ERR_UNREACHABLE: Final = "unreachable"
_VIEWS: HassKey[dict[str, MinersView]] = HassKey(f"{DOMAIN}_miners_views")


@callback
def async_setup_websocket_api(hass: HomeAssistant) -> None:
    """Register the miners view's command."""
    async_register_command(hass, websocket_miners)


def _ghs(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def miner_rows(miners: Sequence[MinerValues]) -> list[dict[str, Any]]:
    """The miners as the view shows them, in order, with their addresses.

    A container's miners share a few types and firmwares: each such text is made plain once.
    """
    plain: dict[str, str] = {}

    def shown(text: str | None) -> str | None:
        if text is None:
            return None
        if (done := plain.get(text)) is None:
            done = plain[text] = plain_text(text)
        return done

    return [
        {
            "position": position,
            "address": plain_text(miner["address"]),
            "type": shown(miner["miner_type"]),
            "firmware": shown(miner["miner_version"]),
            "uptime": miner["elapsed"],
            "hashrate_5s": _ghs(miner["hashrate_5s"]),
            "hashrate_avg": _ghs(miner["hashrate_avg"]),
            "board_temp": miner["pcb_max_temp"],
            "chip_temp": miner["chip_max_temp"],
            "hashing": hashes(miner["hashrate_5s"]),
        }
        for position, miner in enumerate(miners, start=1)
    ]


@dataclass(frozen=True, slots=True)
class _Answer:
    """One read of a container's miners, as the command answers it, serialized."""

    read_at: datetime
    for_admin: bytes
    """With the miners' addresses."""
    for_user: bytes
    """Without them."""


class MinersView:
    """The miners view of one container: its answer, read at most once per miner interval.

    A read serves every view that asks within the miner summary interval, and views that ask
    while it is under way wait for it. What is kept between reads is the answer as JSON, one
    bytes object per kind of user and nothing per miner; it goes at the first poll after the
    interval, when no view has asked again.
    """

    def __init__(self, coordinator: AntspaceCoordinator) -> None:
        """Serve the views of one container."""
        self._coordinator = coordinator
        self._answer: _Answer | None = None
        self._read: asyncio.Task[_Answer] | None = None
        self._unlisten: CALLBACK_TYPE | None = None

    def _fresh(self) -> _Answer | None:
        answer = self._answer
        if answer is None or dt_util.utcnow() - answer.read_at >= self._coordinator.miner_interval:
            return None
        return answer

    async def async_answer(self, *, admin: bool) -> bytes:
        """The command's result, as JSON; AntspaceError or TimeoutError if there is none."""
        if (answer := self._fresh()) is None:
            if self._read is None:
                self._read = task = self._coordinator.hass.async_create_task(
                    self._async_read(), f"{self._coordinator.name} miners", eager_start=False
                )
                # A view that stops waiting leaves the read to end alone: its error is its own.
                task.add_done_callback(lambda done: done.cancelled() or done.exception())
            answer = await asyncio.shield(self._read)
        return answer.for_admin if admin else answer.for_user

    async def _async_read(self) -> _Answer:
        coordinator = self._coordinator
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT.total_seconds()):
                summary, table = await coordinator.client.miner_table()
        finally:
            self._read = None
        rows = miner_rows(table[:MAX_MINERS])
        result = {
            "interval": round(coordinator.miner_interval.total_seconds()),
            "chip_temp_limit": coordinator.chip_temperature_limit,
            "miner_count": summary.miner_count,
            "miners": rows,
        }
        for_admin = json_bytes(result)
        for row in rows:  # the same, without the addresses
            row["address"] = None
        self._answer = answer = _Answer(
            read_at=dt_util.utcnow(), for_admin=for_admin, for_user=json_bytes(result)
        )
        if self._unlisten is None:
            self._unlisten = coordinator.async_add_listener(self._forget_stale)
        return answer

    @callback
    def _forget_stale(self) -> None:
        """After a poll: an answer no view asked for within the interval goes."""
        if self._answer is not None and self._fresh() is None:
            self._answer = None
            self.async_stop()

    @callback
    def async_stop(self) -> None:
        """Stop following the polls."""
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None


def _view_of(hass: HomeAssistant, entry: AntspaceConfigEntry) -> MinersView:
    """The miners view of a loaded container; it goes when the container is unloaded."""
    views = hass.data.setdefault(_VIEWS, {})
    if (view := views.get(entry.entry_id)) is None:
        view = views[entry.entry_id] = MinersView(entry.runtime_data)

        @callback
        def forget() -> None:
            view.async_stop()
            views.pop(entry.entry_id, None)

        entry.async_on_unload(forget)
    return view


@websocket_command({vol.Required("type"): COMMAND, vol.Required("entry_id"): str})
@async_response
async def websocket_miners(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Each miner of one container, read now or within the miner summary interval."""
    entry: AntspaceConfigEntry | None = hass.config_entries.async_get_entry(msg["entry_id"])
    if entry is None or entry.domain != DOMAIN:
        connection.send_error(
            msg["id"],
            ERR_NOT_FOUND,
            "No Antspace container has this entry id",
            translation_domain=DOMAIN,
            translation_key="miners_not_found",
        )
        return
    if entry.state is not ConfigEntryState.LOADED:
        connection.send_error(
            msg["id"],
            ERR_NOT_LOADED,
            "The container is not loaded",
            translation_domain=DOMAIN,
            translation_key="miners_not_loaded",
            translation_placeholders={"container": entry.title},
        )
        return
    payload: bytes | None = None
    if entry.runtime_data.last_update_success:  # while the polls fail, no request of its own
        with suppress(AntspaceError, TimeoutError):
            payload = await _view_of(hass, entry).async_answer(admin=connection.user.is_admin)
    if payload is None:
        connection.send_error(
            msg["id"],
            ERR_UNREACHABLE,
            "The container does not answer",
            translation_domain=DOMAIN,
            translation_key="miners_unreachable",
            translation_placeholders={"container": entry.title},
        )
        return
    connection.send_message(construct_result_message(msg["id"], payload))
