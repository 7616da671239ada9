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
containers would flood the recorder): one read per miner summary interval serves every open
view of a container (`AntspaceCoordinator.async_miner_detail`).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any, Final

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
import probatio as vol

from .const import DOMAIN
from .coordinator import AntspaceConfigEntry
from .helpers import plain_text
from .pyantspace import AntspaceError, Miner, MinerSummary

COMMAND: Final = f"{DOMAIN}/miners"
MAX_MINERS: Final = 1000
"""Miners a view lists at most: a container feeds a few hundred at most, and a 4 MB answer
from a broken or hostile controller could list a hundred thousand."""
ERR_NOT_LOADED: Final = "not_loaded"
ERR_UNREACHABLE: Final = "unreachable"


@callback
def async_setup_websocket_api(hass: HomeAssistant) -> None:
    """Register the miners view's command."""
    async_register_command(hass, websocket_miners)


def _ghs(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def miner_rows(miners: Sequence[Miner], *, admin: bool) -> list[dict[str, Any]]:
    """The miners as the view shows them, in order; their addresses for an administrator only.

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
            "address": plain_text(miner.address) if admin else None,
            "type": shown(miner.miner_type),
            "firmware": shown(miner.miner_version),
            "uptime": miner.elapsed,
            "hashrate_5s": _ghs(miner.hashrate_5s),
            "hashrate_avg": _ghs(miner.hashrate_avg),
            "board_temp": miner.pcb_max_temp,
            "chip_temp": miner.chip_max_temp,
            "hashing": miner.hashing,
        }
        for position, miner in enumerate(miners, start=1)
    ]


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
    coordinator = entry.runtime_data
    summary: MinerSummary | None = None
    if coordinator.last_update_success:  # while the polls fail, no request of its own
        with suppress(AntspaceError, TimeoutError):
            summary = await coordinator.async_miner_detail()
    if summary is None:
        connection.send_error(
            msg["id"],
            ERR_UNREACHABLE,
            "The container does not answer",
            translation_domain=DOMAIN,
            translation_key="miners_unreachable",
            translation_placeholders={"container": entry.title},
        )
        return
    admin = connection.user.is_admin
    connection.send_result(
        msg["id"],
        {
            "interval": round(coordinator.miner_interval.total_seconds()),
            "chip_temp_limit": coordinator.chip_temperature_limit,
            "miner_count": summary.miner_count,
            "miners": miner_rows(summary.miners[:MAX_MINERS], admin=admin),
        },
    )
