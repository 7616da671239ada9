"""Which alerts of the table (alerts.py) a container's answers raise, and which they leave untold."""

from __future__ import annotations

from dataclasses import dataclass, field

from .alerts import (
    ALERTS_BY_KEY,
    COOLING_STOPPED_WHILE_MINING,
    DEFAULT_LOW_SUPPLY_TEMP,
    DEFAULT_NOT_HASHING_SHARE,
    LOOP_STOPPED_WHILE_MINING,
    MINER_OVERHEATING,
    MINERS_NOT_HASHING,
    SUPPLY_LIQUID_TEMP_LOW,
    UNRECOGNISED_FAULT,
    AlertSpec,
    Severity,
    alerts_for,
)
from .kinds import Kind
from .models import CoolerState, MinerRef, MinerSummary


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """An active alert."""

    spec: AlertSpec
    flags: tuple[str, ...] = ()
    """For `unrecognised_fault`: the unknown flags that are set."""
    miners: tuple[MinerRef, ...] = field(default=(), repr=False)
    """For the alerts of miners: the miners concerned, by position and address (private)."""

    @property
    def key(self) -> str:
        """The alert's key."""
        return self.spec.key

    @property
    def severity(self) -> Severity:
        """The alert's severity."""
        return self.spec.severity


def _hashing(miners: MinerSummary | None) -> bool | None:
    """Whether the miner summary says the miners hash; None when it does not say."""
    if miners is None or miners.total_hashrate is None:
        return None
    return miners.total_hashrate > 0


def _circulation(state: CoolerState, miners: MinerSummary | None) -> dict[str, bool | None]:
    """The alerts of cooling that stopped under hashing miners: on, off, or None if untold.

    When the whole cooling stops, `cooling_stopped_while_mining` stands alone; an Immersion's
    loop alerts tell of one loop stopped while the other runs.
    """
    hashing = _hashing(miners)
    running = state.cooling_running
    keys: tuple[str, ...] = (COOLING_STOPPED_WHILE_MINING,)
    if state.kind is Kind.IMMERSION:
        keys += LOOP_STOPPED_WHILE_MINING
    if hashing is False:
        return dict.fromkeys(keys, False)
    if hashing is None or running is None:
        return dict.fromkeys(keys, None)
    result: dict[str, bool | None] = {COOLING_STOPPED_WHILE_MINING: not running}
    if state.kind is Kind.IMMERSION:
        for key, pump in zip(
            LOOP_STOPPED_WHILE_MINING, (state.second_pump1, state.second_pump2), strict=True
        ):
            result[key] = False if not running else (None if pump is None else not pump)
    return result


def _miner_alerts(
    state: CoolerState, miners: MinerSummary | None, not_hashing_share: float
) -> dict[str, tuple[MinerRef, ...] | None]:
    """The alerts of miners: the miners each names when on, () when off, None if untold.

    `miners_not_hashing` is on while at least `not_hashing_share` % of the miners that report
    a hashrate do not hash and the cooling circulates (when it does not, the circulation's
    alerts tell); `miner_overheating` while a miner's chip runs above the summary's limit.
    """
    if miners is None or miners.listed is None:
        return dict.fromkeys((MINERS_NOT_HASHING, MINER_OVERHEATING))
    idle = miners.not_hashing
    reporting = (miners.hashing or 0) + len(idle)
    not_hashing: tuple[MinerRef, ...] | None = ()
    if idle and len(idle) * 100 >= not_hashing_share * reporting:
        running = state.cooling_running
        not_hashing = None if running is None else (idle if running else ())
    return {MINERS_NOT_HASHING: not_hashing, MINER_OVERHEATING: miners.over_chip_limit}


def undetermined_alerts(
    state: CoolerState,
    miners: MinerSummary | None = None,
    *,
    not_hashing_share: float = DEFAULT_NOT_HASHING_SHARE,
) -> frozenset[str]:
    """Alerts this state cannot tell on or off: their flag or measurement is missing.

    An answer that lacks a fault flag, or sends it with the wrong type, says nothing about that
    fault; a caller keeps such an alert as it was rather than clearing it. Without a list of
    miners in the summary, the alerts of miners are untold too.
    """
    unknown = {
        spec.key
        for spec in alerts_for(state.kind)
        if spec.flag is not None
        and spec.flag not in state.faults
        and (not spec.optional or spec.flag in state.extra)  # absent, or of the wrong type
    }
    if state.kind is Kind.HK3 and state.supply_liquid_temp is None:
        unknown.add(SUPPLY_LIQUID_TEMP_LOW)
    unknown.update(key for key, on in _circulation(state, miners).items() if on is None)
    unknown.update(
        key
        for key, named in _miner_alerts(state, miners, not_hashing_share).items()
        if named is None
    )
    return frozenset(unknown)


def active_alerts(
    state: CoolerState,
    low_supply_temp: float = DEFAULT_LOW_SUPPLY_TEMP,
    miners: MinerSummary | None = None,
    *,
    not_hashing_share: float = DEFAULT_NOT_HASHING_SHARE,
) -> dict[str, Alert]:
    """The alerts a container's state and its miner summary raise, by key.

    `container_unreachable` is never among them: an answer shows the container answers. The
    chip temperature limit of `miner_overheating` is the one the summary was read with.
    """
    active: dict[str, Alert] = {}
    known: set[str] = set()
    for spec in alerts_for(state.kind):
        if spec.flag is not None:
            known.add(spec.flag)
            if state.faults.get(spec.flag):
                active[spec.key] = Alert(spec=spec)
    if (
        state.kind is Kind.HK3
        and state.supply_liquid_temp is not None
        and state.supply_liquid_temp < low_supply_temp
    ):
        active[SUPPLY_LIQUID_TEMP_LOW] = Alert(spec=ALERTS_BY_KEY[SUPPLY_LIQUID_TEMP_LOW])
    for key, on in _circulation(state, miners).items():
        if on:
            active[key] = Alert(spec=ALERTS_BY_KEY[key])
    for key, named in _miner_alerts(state, miners, not_hashing_share).items():
        if named:
            active[key] = Alert(spec=ALERTS_BY_KEY[key], miners=named)
    unknown = tuple(sorted(flag for flag, on in state.faults.items() if on and flag not in known))
    if unknown:
        active[UNRECOGNISED_FAULT] = Alert(spec=ALERTS_BY_KEY[UNRECOGNISED_FAULT], flags=unknown)
    return active
