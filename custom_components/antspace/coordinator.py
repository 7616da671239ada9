"""Polls one Antspace container and tracks its alerts."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError, ConfigEntryNotReady
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_CHIP_TEMP_LIMIT,
    CONF_KIND,
    CONF_LOW_SUPPLY_TEMP,
    CONF_MINER_INTERVAL,
    CONF_NOT_HASHING_SHARE,
    CONF_SCAN_INTERVAL,
    DEFAULT_ALLOW_COOLING_OFF,
    DEFAULT_CHIP_TEMPERATURE_LIMIT,
    DEFAULT_LOW_SUPPLY_TEMPERATURE,
    DEFAULT_MINER_INTERVAL,
    DEFAULT_NOT_HASHING_PERCENT,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MODELS,
    REQUEST_TIMEOUT,
)
from .polling import POLL_BATCHES, PollBatch, PollBatches
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
    alerts_for,
    undetermined_alerts,
)
from .pyantspace.alerts import ALERTS_BY_KEY

type AntspaceConfigEntry = ConfigEntry[AntspaceCoordinator]

UNREACHABLE_AFTER_INTERVALS: Final = 3
"""Polling intervals with no good answer, counted from the last one (or from start-up), after
which `container_unreachable` is raised, whatever the failures look like."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AntspaceData:
    """What one good poll of a container gives."""

    snapshot: Snapshot
    """The cooling state of this poll and the last miner summary read."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertBoard:
    """A container's alerts at one moment, and what changed to bring them there.

    It moves with each good answer, and when the container has not answered for long enough
    (`container_unreachable`): unlike the readings, it is never unavailable.
    """

    active: Mapping[str, Alert]
    """The active alerts, by key."""
    unknown: frozenset[str] = frozenset()
    """Alerts no answer has told on or off yet (since start-up)."""
    raised: tuple[str, ...] = ()
    """Alerts that started with this change."""
    cleared: tuple[str, ...] = ()
    """Alerts that ended with this change."""

    def state_of(self, key: str) -> bool | None:
        """Whether an alert is active; None while no answer has told."""
        if key in self.active:
            return True
        return None if key in self.unknown else False

    def changed_to(
        self, active: Mapping[str, Alert], unknown: frozenset[str] = frozenset()
    ) -> AlertBoard:
        """The board after a change to these alerts."""
        return AlertBoard(
            active=active,
            unknown=unknown,
            raised=tuple(sorted(active.keys() - self.active.keys())),
            cleared=tuple(sorted(self.active.keys() - active.keys())),
        )


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
    outage and after a command; in between, the last one read stands. Polls read it without
    each miner's detail: a miners view reads that when it asks (websocket_api.py).
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
            # No interval of its own: its batch of containers polls it (polling.py).
            update_interval=None,
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
        self.alerts = AlertBoard(active={})
        """The container's alerts; `_async_setup` takes those of before a restart."""
        self.unreachable_after = interval * UNREACHABLE_AFTER_INTERVALS
        """How long with no good answer raises `container_unreachable`."""
        last_try = self.unreachable_after - REQUEST_TIMEOUT
        self._last_try: timedelta | None = last_try if last_try >= interval else None
        """How long after a good answer the last try before the deadline is made; None when
        it would come before the next poll (an interval under `REQUEST_TIMEOUT` / 2)."""
        self._unsub_watch: tuple[CALLBACK_TYPE, ...] = ()
        self._poll: asyncio.Task[object] | None = None
        """The task of the poll under way."""
        self._last_word: asyncio.Task[object] | None = None
        """The poll under way at the last try before the deadline."""
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
        self.interval = interval
        """How often the container is polled."""
        batches = hass.data.get(POLL_BATCHES)
        if batches is None:
            batches = hass.data[POLL_BATCHES] = PollBatches(hass)
        self._batches = batches
        self.poll_batch: PollBatch | None = batches.join(self, interval.total_seconds())
        """The batch of containers this one polls with; None once it no longer polls."""

    @property
    def poll_slot(self) -> int | None:
        """The slot of the container's batch: which instant of the second it polls at."""
        return self.poll_batch.slot if self.poll_batch is not None else None

    @callback
    def async_poll_now(self) -> None:
        """Poll, unless a poll is under way or the user turned polling off (batch's call)."""
        if self._poll is not None or self.config_entry.pref_disable_polling:
            return
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), f"{self.name} poll"
        )

    async def async_shutdown(self) -> None:
        """Stop polling and watching, and leave the container's batch."""
        await super().async_shutdown()
        self._unwatch()
        if self.poll_batch is not None:
            self._batches.leave(self, self.poll_batch)
            self.poll_batch = None

    @property
    def low_supply_temperature(self) -> float:
        """Threshold of the computed low supply temperature alert, °C."""
        return float(
            self.config_entry.options.get(CONF_LOW_SUPPLY_TEMP, DEFAULT_LOW_SUPPLY_TEMPERATURE)
        )

    @property
    def not_hashing_share(self) -> float:
        """Share of the reporting miners, %, from which `miners_not_hashing` is raised."""
        return float(
            self.config_entry.options.get(CONF_NOT_HASHING_SHARE, DEFAULT_NOT_HASHING_PERCENT)
        )

    @property
    def chip_temperature_limit(self) -> float:
        """A miner's chip temperature, °C, above which `miner_overheating` is raised."""
        return float(
            self.config_entry.options.get(CONF_CHIP_TEMP_LIMIT, DEFAULT_CHIP_TEMPERATURE_LIMIT)
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

    async def async_first_poll(self) -> None:
        """Poll for the first time; a container that does not answer is set up all the same.

        After a site's power cut Home Assistant is often back before a container: its device
        and entities are created from what its entry knows, its readings are unavailable, and
        `container_unreachable` comes by the same rule as for an outage later on. An answer
        from a container of the other kind is a setup error (raised from here).
        """
        try:
            await self.async_config_entry_first_refresh()
        except ConfigEntryNotReady:
            LOGGER.warning(
                "%s does not answer; it is set up from its entry and polled until it does",
                self.name,
            )

    async def _async_setup(self) -> None:
        """Take the alerts that were active before a restart from the issue registry.

        Until an answer tells, the others are unknown: a state never sent is no state.
        """
        restored = {
            key: Alert(spec=ALERTS_BY_KEY[key])
            for key in alert_issues(self.hass, self.config_entry.entry_id)
            if key in ALERTS_BY_KEY
        }
        keys = {spec.key for spec in alerts_for(self.kind)} - {CONTAINER_UNREACHABLE}
        self.alerts = AlertBoard(active=restored, unknown=frozenset(keys - restored.keys()))
        self._watch()

    @callback
    def _watch(self) -> None:
        """(Re)start the count to `container_unreachable` from now: a good answer came.

        The alarm is raised when no good answer has come for `unreachable_after`, whatever the
        failures look like. So that a container that answers at the last moment does not raise
        it, one last poll is made just before: a poll is bounded by `REQUEST_TIMEOUT`, so it
        ends by the deadline, where the alarm is raised if it failed too. Polled more often
        than that last poll would come, the poll under way at the deadline has the last word.
        """
        self._unwatch()
        self._last_word = None
        if self.config_entry.pref_disable_polling:
            return
        deadline = async_call_later(self.hass, self.unreachable_after, self._async_deadline)
        if self._last_try is None:
            self._unsub_watch = (deadline,)
            return
        last_try = async_call_later(self.hass, self._last_try, self._async_last_try)
        self._unsub_watch = (last_try, deadline)

    @callback
    def _unwatch(self) -> None:
        for unsub in self._unsub_watch:
            unsub()
        self._unsub_watch = ()

    @callback
    def _async_last_try(self, _now: datetime) -> None:
        """Poll one last time before the deadline, unless a poll is under way already."""
        if self._poll is None:
            self.config_entry.async_create_background_task(
                self.hass, self.async_refresh(), f"{self.name} last try before unreachable"
            )
        self._last_word = self._poll

    @callback
    def _async_deadline(self, now: datetime) -> None:
        """No good answer came for `unreachable_after`: raise `container_unreachable`.

        The poll that was under way at the last try has the last word: it has ended by now,
        unless the event loop lags. A poll that began after it is too late to count.
        """
        self._unsub_watch = ()
        if self._last_try is None:
            self._last_word = self._poll  # the polls come more often than a last try would
        elif self._last_word is None and self.last_update_success:
            # The last try's timer has not run (timers fired out of their order): it is now.
            self._async_last_try(now)
        last, self._last_word = self._last_word, None
        if last is not None and not last.done():
            last.add_done_callback(lambda _task: self._async_raise_unreachable())
        else:
            self._async_raise_unreachable()

    @callback
    def _async_raise_unreachable(self) -> None:
        if self.last_update_success or CONTAINER_UNREACHABLE in self.alerts.active:
            return
        active = dict(self.alerts.active)
        active[CONTAINER_UNREACHABLE] = Alert(spec=ALERTS_BY_KEY[CONTAINER_UNREACHABLE])
        self.alerts = self.alerts.changed_to(active, self.alerts.unknown)
        self.async_update_listeners()

    @property
    def unreachable(self) -> bool:
        """Whether `container_unreachable` stands."""
        return CONTAINER_UNREACHABLE in self.alerts.active

    async def _async_update_data(self) -> AntspaceData:
        """Poll the container; errors make its readings unavailable until it answers."""
        self._poll = asyncio.current_task()
        try:
            return await self._async_poll()
        finally:
            self._poll = None

    async def _async_poll(self) -> AntspaceData:
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT.total_seconds()):
                snapshot = await self._read()
        except TimeoutError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={
                    "error": f"no answer within {REQUEST_TIMEOUT.total_seconds():g} s"
                },
            ) from err
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
            found = MODELS[snapshot.state.kind]
            if self.config_entry.state is ConfigEntryState.SETUP_IN_PROGRESS:
                raise ConfigEntryError(
                    translation_domain=DOMAIN,
                    translation_key="wrong_kind_setup",
                    translation_placeholders={"kind": found, "expected": MODELS[self.kind]},
                )
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="wrong_kind",
                translation_placeholders={"kind": found},
            )
        self._watch()
        self.alerts = self._judge(snapshot)
        return AntspaceData(snapshot=snapshot)

    async def _read(self) -> Snapshot:
        """The cooling state, with the miner summary when it is due (else the last one)."""
        if self._miners is not None and not self._miners_due():
            return Snapshot(state=await self.client.cooler_state(), miners=self._miners)
        # One after the other, on the one kept-alive connection. No entity shows a single
        # miner: each miner's figures are read for a miners view and diagnostics only.
        state = await self.client.cooler_state()
        miners = await self.client.miner_info(detail=False, chip_limit=self.chip_temperature_limit)
        self._miners, self._miners_read_at = miners, dt_util.utcnow()
        return Snapshot(state=state, miners=miners)

    def _judge(self, snapshot: Snapshot) -> AlertBoard:
        """The alert board after a good answer.

        A fault the answer says nothing about (missing, or of the wrong type) stays as it was;
        `container_unreachable` ends.
        """
        board = self.alerts
        share = self.not_hashing_share
        alerts: dict[str, Alert] = active_alerts(
            snapshot.state,
            self.low_supply_temperature,
            snapshot.miners,
            not_hashing_share=share,
        )
        unknown: set[str] = set()
        for key in undetermined_alerts(snapshot.state, snapshot.miners, not_hashing_share=share):
            if (previous := board.active.get(key)) is not None:
                alerts[key] = previous
            elif key in board.unknown:
                unknown.add(key)
        return board.changed_to(alerts, frozenset(unknown))
