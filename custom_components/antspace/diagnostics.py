"""Diagnostics of an Antspace container, with its address, location and miners' addresses removed."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import asdict
from typing import Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .coordinator import AntspaceConfigEntry
from .pyantspace import AntspaceError, Role, wire_fields

TO_REDACT: Final = {
    CONF_HOST,
    "address",
    "unique_id",
    "title",
    *(name for name, wire in wire_fields().items() if wire.role is Role.LOCATION),
}


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
        summary = await coordinator.client.miner_info()
    miners: dict[str, Any] | None = None
    if summary is not None:
        miners = asdict(summary)
        miners["miners"] = [asdict(miner) for miner in summary.miners]
    status = cooler.status if cooler is not None else None
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "last_update_success": coordinator.last_update_success,
            "poll_batch": coordinator.poll_slot,
            "status": status.value if status is not None else None,
            "total_power": cooler.total_power if cooler is not None else None,
            "alerts": {
                key: str(alert.severity) for key, alert in coordinator.alerts.active.items()
            },
            "alerts_unknown": sorted(coordinator.alerts.unknown),
            "state": asdict(cooler) if cooler is not None else None,
            "miners": miners,
        },
        TO_REDACT,
    )
