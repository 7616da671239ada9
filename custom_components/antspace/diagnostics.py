"""Diagnostics of an Antspace container, with its address, location and miners' addresses removed.

What is shown goes by an allow-list: the fields this integration knows and that are not private.
Any other field, of the entry or of the container's answer (an `ip`, `mac`, `gps` or `sn` that a
firmware adds, say), is shown by its name with its value redacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import asdict, fields, replace
from typing import Any, Final

from homeassistant.components.diagnostics import REDACTED
from homeassistant.const import CONF_PORT
from homeassistant.core import HomeAssistant

from .const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_CHIP_TEMP_LIMIT,
    CONF_KIND,
    CONF_LOW_SUPPLY_TEMP,
    CONF_MINER_INTERVAL,
    CONF_NOT_HASHING_SHARE,
    CONF_SCAN_INTERVAL,
)
from .coordinator import AntspaceConfigEntry
from .helpers import DEVICE_TEXT_CHARS
from .pyantspace import AntspaceError, Miner, MinerSummary, Role, wire_fields

ENTRY_DATA: Final = frozenset({CONF_PORT, CONF_KIND})
"""The entry's data shown: its host is private."""
OPTIONS: Final = frozenset(
    {
        CONF_SCAN_INTERVAL,
        CONF_MINER_INTERVAL,
        CONF_LOW_SUPPLY_TEMP,
        CONF_NOT_HASHING_SHARE,
        CONF_CHIP_TEMP_LIMIT,
        CONF_ALLOW_COOLING_OFF,
    }
)
STATE_FIELDS: Final = frozenset(
    {
        "kind",
        "faults",  # every fault flag sent, by its name; the parser keeps booleans only
        *(name for name, wire in wire_fields().items() if wire.role is not Role.LOCATION),
    }
)
"""The cooling state shown: every field but the coordinates. `extra`, the fields this
integration does not know, is shown by name only."""
NAMED_MINERS: Final = ("not_hashing", "over_chip_limit")
"""The summary's miners named by position and address: shown by position only."""
SUMMARY_FIELDS: Final = frozenset(f.name for f in fields(MinerSummary)) - {"miners", *NAMED_MINERS}
MINER_FIELDS: Final = frozenset(f.name for f in fields(Miner)) - {"address"}


def _name(key: object) -> str:
    """A key as shown: a device may send keys of any length."""
    text = str(key)
    return text if len(text) <= DEVICE_TEXT_CHARS else f"{text[: DEVICE_TEXT_CHARS - 1]}…"


def _allowed(data: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """The allowed keys with their values, any other key with its value redacted."""
    return {_name(key): value if key in allowed else REDACTED for key, value in data.items()}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AntspaceConfigEntry
) -> dict[str, Any]:
    """The container's entry, options, last poll and active alerts, and every miner.

    Polls leave each miner's figures out; they are read now, or left out if the container
    does not answer.
    """
    coordinator = entry.runtime_data
    data = coordinator.data
    cooler = data.snapshot.state if data is not None else None
    summary = data.snapshot.miners if data is not None else None
    with suppress(AntspaceError):
        summary = await coordinator.client.miner_info(chip_limit=coordinator.chip_temperature_limit)
    miners: dict[str, Any] | None = None
    if summary is not None:
        miners = _allowed(asdict(replace(summary, miners=())), SUMMARY_FIELDS)
        for name in NAMED_MINERS:
            miners[name] = [position for position, _address in getattr(summary, name)]
        miners["miners"] = [_allowed(asdict(miner), MINER_FIELDS) for miner in summary.miners]
    state: dict[str, Any] | None = None
    if cooler is not None:
        state = _allowed(asdict(cooler), STATE_FIELDS)
        state["faults"] = {_name(flag): on for flag, on in cooler.faults.items()}
        state["extra"] = dict.fromkeys(map(_name, cooler.extra), REDACTED)
    status = cooler.status if cooler is not None else None
    return {
        "entry": {
            "title": REDACTED,  # an earlier version titled containers by their address
            "unique_id": REDACTED,
            "data": _allowed(entry.data, ENTRY_DATA),
            "options": _allowed(entry.options, OPTIONS),
        },
        "last_update_success": coordinator.last_update_success,
        "poll_batch": coordinator.poll_slot,
        "status": status.value if status is not None else None,
        "total_power": cooler.total_power if cooler is not None else None,
        "alerts": {key: str(alert.severity) for key, alert in coordinator.alerts.active.items()},
        "alerts_unknown": sorted(coordinator.alerts.unknown),
        "state": state,
        "miners": miners,
    }
