"""Polls one Antspace container and tracks its alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_KIND,
    CONF_LOW_SUPPLY_TEMP,
    CONF_SCAN_INTERVAL,
    DEFAULT_ALLOW_COOLING_OFF,
    DEFAULT_LOW_SUPPLY_TEMPERATURE,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    REQUEST_TIMEOUT,
)
from .pyantspace import (
    Alert,
    AntspaceClient,
    AntspaceConnectionError,
    AntspaceResponseError,
    Kind,
    Snapshot,
    active_alerts,
    undetermined_alerts,
)

type AntspaceConfigEntry = ConfigEntry[AntspaceCoordinator]


@dataclass(frozen=True, slots=True, kw_only=True)
class AntspaceData:
    """What one good poll of a container gives."""

    snapshot: Snapshot
    alerts: dict[str, Alert]
    """The active alerts, by key."""
    raised: tuple[str, ...] = ()
    """Alerts that started with this poll."""
    cleared: tuple[str, ...] = ()
    """Alerts that ended with this poll."""


def alert_issue_id(entry_id: str, alert: str) -> str:
    """The repair issue id of one alert of one container."""
    return f"alert_{entry_id}_{alert}"


def alert_issues(hass: HomeAssistant, entry_id: str) -> dict[str, str]:
    """The repair issues of one container's alerts: issue id by alert key."""
    prefix = alert_issue_id(entry_id, "")
    return {
        issue_id.removeprefix(prefix): issue_id
        for (domain, issue_id) in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith(prefix)
    }


class AntspaceCoordinator(DataUpdateCoordinator[AntspaceData]):
    """Reads the cooling state and the miner summary of one container each cycle."""

    config_entry: AntspaceConfigEntry

    def __init__(self, hass: HomeAssistant, entry: AntspaceConfigEntry) -> None:
        """Create the coordinator and the client on Home Assistant's shared session."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=timedelta(
                seconds=entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
            ),
            # Every poll reaches the entities, for the energy sensor counts time; each
            # entity writes its state only when what it shows changed (entity.py).
            always_update=True,
        )
        self.kind = Kind(entry.data[CONF_KIND])
        self.client = AntspaceClient(
            entry.data[CONF_HOST],
            entry.data[CONF_PORT],
            session=async_get_clientsession(hass),
            timeout=REQUEST_TIMEOUT.total_seconds(),
        )
        self._active: frozenset[str] = frozenset()

    @property
    def low_supply_temperature(self) -> float:
        """Threshold of the computed low supply temperature alert, °C."""
        return float(
            self.config_entry.options.get(CONF_LOW_SUPPLY_TEMP, DEFAULT_LOW_SUPPLY_TEMPERATURE)
        )

    @property
    def allow_cooling_off(self) -> bool:
        """Whether the operator allowed switching the cooling system off."""
        return bool(
            self.config_entry.options.get(CONF_ALLOW_COOLING_OFF, DEFAULT_ALLOW_COOLING_OFF)
        )

    async def _async_setup(self) -> None:
        """Take the alerts that were active before a restart from the issue registry."""
        self._active = frozenset(alert_issues(self.hass, self.config_entry.entry_id))

    async def _async_update_data(self) -> AntspaceData:
        """Poll the container; errors make its entities unavailable until it answers."""
        try:
            # No entity shows a single miner: each miner's figures are read for diagnostics
            # only, where they are asked for (a sixth of a poll's CPU, at 120 miners).
            snapshot = await self.client.snapshot(miner_detail=False)
        except AntspaceConnectionError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"error": str(err)},
            ) from err
        except AntspaceResponseError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_response",
                translation_placeholders={"error": str(err)},
            ) from err
        if snapshot.state.kind is not self.kind:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="wrong_kind",
                translation_placeholders={"kind": snapshot.state.kind.value},
            )
        alerts = active_alerts(snapshot.state, self.low_supply_temperature)
        if self.data is not None:
            # A fault the answer says nothing about stays as it was.
            for key in undetermined_alerts(snapshot.state):
                if (previous := self.data.alerts.get(key)) is not None:
                    alerts[key] = previous
        now_active = frozenset(alerts)
        raised = tuple(sorted(now_active - self._active))
        cleared = tuple(sorted(self._active - now_active))
        self._active = now_active
        return AntspaceData(snapshot=snapshot, alerts=alerts, raised=raised, cleared=cleared)
