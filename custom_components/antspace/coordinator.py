"""Polls one Antspace container and tracks its alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import RANDOM_MICROSECOND_MAX, RANDOM_MICROSECOND_MIN
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_KIND,
    CONF_LOW_SUPPLY_TEMP,
    CONF_MINER_INTERVAL,
    CONF_SCAN_INTERVAL,
    DEFAULT_ALLOW_COOLING_OFF,
    DEFAULT_LOW_SUPPLY_TEMPERATURE,
    DEFAULT_MINER_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    REQUEST_TIMEOUT,
)
from .pyantspace import (
    CONTAINER_UNREACHABLE,
    Alert,
    AntspaceClient,
    AntspaceConnectionError,
    AntspaceResponseError,
    Kind,
    MinerSummary,
    Snapshot,
    active_alerts,
    undetermined_alerts,
)

type AntspaceConfigEntry = ConfigEntry[AntspaceCoordinator]

UNREACHABLE_AFTER_FAILED_POLLS = 3
"""The failed poll in a row that raises `container_unreachable`."""

POLL_BATCH: Final = 10
"""Containers, at most, whose polls start at the same instant."""
_GOLDEN: Final = (5**0.5 - 1) / 2


class PollSlots:
    """The instants of the second at which the containers poll: one per batch of containers.

    Home Assistant starts each coordinator's polls at an instant of the second of its own,
    drawn at random between 0.05 and 0.5 s past it, so that integrations do not all poll at
    once. A site's containers would then wake the event loop once each per cycle. Here the
    containers share instants in batches of up to `POLL_BATCH`: the loop wakes once per batch,
    the batch's requests are in flight together and their answers are handled one after the
    other, which costs about a quarter less CPU per poll than a wake-up of its own for each
    (`script/bench`). Batches are small and spread over Home Assistant's range, so that a
    large site's polls do not all start at once either.
    """

    def __init__(self) -> None:
        """No container polls yet."""
        self._members: list[int] = []
        """Containers per slot."""

    def join(self) -> int:
        """The slot of a new container: the first that has room."""
        for slot, members in enumerate(self._members):
            if members < POLL_BATCH:
                self._members[slot] += 1
                return slot
        self._members.append(1)
        return len(self._members) - 1

    def leave(self, slot: int) -> None:
        """A container no longer polls."""
        self._members[slot] -= 1

    @staticmethod
    def offset(slot: int) -> float:
        """Seconds past the whole second at which a slot's polls start.

        The golden-ratio sequence spreads any number of slots evenly over Home Assistant's
        range, without knowing in advance how many there will be.
        """
        low, high = RANDOM_MICROSECOND_MIN / 10**6, RANDOM_MICROSECOND_MAX / 10**6
        return round(low + (slot * _GOLDEN % 1) * (high - low), 6)


POLL_SLOTS: HassKey[PollSlots] = HassKey(f"{DOMAIN}_poll_slots")


@dataclass(frozen=True, slots=True, kw_only=True)
class AntspaceData:
    """What one good poll of a container gives."""

    snapshot: Snapshot
    """The cooling state of this poll and the last miner summary read."""
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
    """Reads the cooling state of one container each cycle, its miner summary at its own pace.

    The miner summary (about ten times the cooling state's size) moves slowly: it is read
    every miner summary interval, and at once on the first poll after start-up, after an
    outage and after a command; in between, the last one read stands.
    """

    config_entry: AntspaceConfigEntry

    def __init__(self, hass: HomeAssistant, entry: AntspaceConfigEntry) -> None:
        """Create the coordinator and the client on Home Assistant's shared session."""
        interval = timedelta(seconds=entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL))
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=interval,
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
        self.failed_polls = 0
        """Polls in a row that failed; the first good answer resets it."""
        self.miner_interval = max(
            interval,
            timedelta(seconds=entry.options.get(CONF_MINER_INTERVAL, DEFAULT_MINER_INTERVAL)),
        )
        """How often the miner summary is read; never more often than the cooling state."""
        # Half a polling interval early counts as due, so that the summary is read every
        # miner interval rounded to whole polls, whatever the scheduling jitter.
        self._miner_slack = interval / 2
        self._miners: MinerSummary | None = None
        self._miners_read_at = dt_util.utcnow()
        self._slots = hass.data.setdefault(POLL_SLOTS, PollSlots())
        self.poll_slot: int | None = self._slots.join()
        """The batch of containers this one polls with; None once it no longer polls."""
        # The instant of the second at which Home Assistant's coordinator starts each poll.
        self._microsecond = PollSlots.offset(self.poll_slot)

    async def async_shutdown(self) -> None:
        """Stop polling, and leave the container's batch."""
        await super().async_shutdown()
        if self.poll_slot is not None:
            self._slots.leave(self.poll_slot)
            self.poll_slot = None

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

    def _miners_due(self) -> bool:
        return (
            not self.last_update_success
            or dt_util.utcnow() + self._miner_slack >= self._miners_read_at + self.miner_interval
        )

    async def async_refresh_after_command(self) -> None:
        """Read the container at once, the miner summary included: a command may change it."""
        self._miners = None
        await self.async_refresh()

    async def _async_setup(self) -> None:
        """Take the alerts that were active before a restart from the issue registry."""
        self._active = frozenset(alert_issues(self.hass, self.config_entry.entry_id))

    @property
    def unreachable(self) -> bool:
        """Whether `container_unreachable` stands: enough polls in a row failed."""
        return CONTAINER_UNREACHABLE in self._active

    @callback
    def _async_refresh_finished(self) -> None:
        """Count the failed polls in a row; the third raises `container_unreachable`.

        The next good answer clears it, with the alerts that answer no longer shows. The
        coordinator tells its listeners of the first failed poll of a row only: this one is
        told here.
        """
        if self.last_update_success:
            self.failed_polls = 0
            return
        self.failed_polls += 1
        if self.failed_polls == UNREACHABLE_AFTER_FAILED_POLLS:
            self._active |= {CONTAINER_UNREACHABLE}
            self.async_update_listeners()

    async def _async_update_data(self) -> AntspaceData:
        """Poll the container; errors make its entities unavailable until it answers."""
        try:
            if self._miners is not None and not self._miners_due():
                snapshot = Snapshot(state=await self.client.cooler_state(), miners=self._miners)
            else:
                # One after the other, on the one kept-alive connection. No entity shows a
                # single miner: each miner's figures are read for diagnostics only.
                state = await self.client.cooler_state()
                miners = await self.client.miner_info(detail=False)
                snapshot = Snapshot(state=state, miners=miners)
                self._miners, self._miners_read_at = miners, dt_util.utcnow()
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
        alerts = active_alerts(snapshot.state, self.low_supply_temperature, snapshot.miners)
        if self.data is not None:
            # A fault the answer says nothing about stays as it was.
            for key in undetermined_alerts(snapshot.state, snapshot.miners):
                if (previous := self.data.alerts.get(key)) is not None:
                    alerts[key] = previous
        now_active = frozenset(alerts)
        raised = tuple(sorted(now_active - self._active))
        cleared = tuple(sorted(self._active - now_active))
        self._active = now_active
        return AntspaceData(snapshot=snapshot, alerts=alerts, raised=raised, cleared=cleared)
