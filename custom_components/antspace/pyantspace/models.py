"""Typed, immutable models of what an Antspace container reports.

Every field of the wire format is declared exactly once, as a dataclass field whose metadata
(a `WireField`) says which key carries it, which container kinds report it, what role it plays
and how its raw value is scaled to SI units. Parsing, the mock container and the diagnostics
all read these declarations; nothing else restates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
import functools
import math
from types import MappingProxyType
from typing import Any, Final

from .alerts import alerts_for
from .exceptions import AntspaceResponseError
from .kinds import BOTH, HK3, IMMERSION, Kind


class Status(StrEnum):
    """Overall state of the cooling system, by the reference worker's rule."""

    RUNNING = "running"
    STOPPED = "stopped"
    ERROR = "error"


class Role(StrEnum):
    """What a wire field is."""

    MEASUREMENT = "measurement"  # a number that moves
    RUNNING = "running"  # a running state (bool) of a pump, fan, valve...
    SETTING = "setting"  # something the operator sets (setpoint, PID mode)
    INFO = "info"  # protocol version, running mode, disconnect flag
    LOCATION = "location"  # coordinates: private
    FAULT = "fault"  # a fault flag (bool), see alerts.py


@dataclass(frozen=True, slots=True)
class WireField:
    """How one model attribute travels on the wire."""

    key: str
    """The JSON key in the device's answer."""
    kinds: frozenset[Kind]
    """The container kinds that report it."""
    role: Role
    is_bool: bool = False
    """JSON type: a boolean, else a number."""
    scale: float = 1.0
    """Multiply the raw value by this to get the model's unit."""
    ndigits: int | None = None
    """Round the scaled value to this many decimals."""
    integer: bool = False
    """The device sends a whole number."""
    plausible: tuple[float, float] | None = None
    """The range, in the model's unit, of the values a real container can report; a value
    outside it is no reading (None)."""

    def to_model(self, raw: Any) -> float | bool | None:
        """Convert a raw JSON value; anything unusable becomes None (unknown)."""
        if self.is_bool:
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, int) and raw in (0, 1):
                return bool(raw)
            return None
        value = _number(raw)
        if value is None:
            return None
        value *= self.scale
        if not math.isfinite(value) or not _within(value, self.plausible):
            return None
        if self.integer:
            return int(value)
        if self.ndigits is not None:
            value = round(value, self.ndigits)
        return value

    def to_wire(self, value: float | bool) -> float | int | bool:
        """Convert a model value back to what the device sends (used by the mock)."""
        if self.is_bool:
            return bool(value)
        raw = float(value) / self.scale
        if self.integer or self.scale < 1:
            return round(raw)
        return round(raw, 4 if self.scale > 1 else 2)


MAX_CONTAINER_POWER: Final = 10_000_000.0
"""W; the most that a container, or any part of it, can be read to draw. A container feeds a
few hundred miners of a few kilowatts each (the mock's draw about 360 kW): well under 10 MW.
A larger power, a negative one or one that is not a finite number comes from a broken or
hostile controller, and is no reading. Every power, the total included, follows this rule."""
PLAUSIBLE_POWER: Final = (0.0, MAX_CONTAINER_POWER)


def _within(value: float, plausible: tuple[float, float] | None) -> bool:
    return plausible is None or plausible[0] <= value <= plausible[1]


def plausible_power(watts: float | None) -> float | None:
    """A power in W as a reading, or None.

    None unless finite, not negative and `MAX_CONTAINER_POWER` at most.
    """
    if watts is None or not math.isfinite(watts) or not _within(watts, PLAUSIBLE_POWER):
        return None
    return watts


def _wire(
    role: Role,
    kinds: frozenset[Kind],
    *,
    key: str | None = None,
    is_bool: bool | None = None,
    scale: float = 1.0,
    ndigits: int | None = None,
    integer: bool = False,
    plausible: tuple[float, float] | None = None,
) -> Any:
    """Declare a model attribute carried by the wire; the key defaults to the attribute name."""
    if is_bool is None:
        is_bool = role in (Role.RUNNING, Role.FAULT)
    return field(
        default=None,
        metadata={
            "wire": (key, role, kinds, is_bool, scale, ndigits, integer, plausible),
        },
    )


def _running(kinds: frozenset[Kind], **kw: Any) -> Any:
    return _wire(Role.RUNNING, kinds, **kw)


def _measure(kinds: frozenset[Kind], **kw: Any) -> Any:
    return _wire(Role.MEASUREMENT, kinds, **kw)


def _power(kinds: frozenset[Kind], **kw: Any) -> Any:
    """A power, W: only a plausible one is a reading (`MAX_CONTAINER_POWER`)."""
    return _measure(kinds, plausible=PLAUSIBLE_POWER, **kw)


@dataclass(frozen=True, slots=True, kw_only=True)
class CoolerState:
    """The answer to `coolerState`, in SI units, for either kind of container.

    An attribute is None when the container's kind does not report it, when the answer lacked
    it, or when its value had the wrong type.
    """

    kind: Kind

    # Settings and information, both kinds.
    supply_liquid_set_temp: float | None = _wire(Role.SETTING, BOTH)  # °C
    pid_mode: bool | None = _wire(Role.SETTING, BOTH, is_bool=True)
    running_mode: bool | None = _wire(Role.INFO, BOTH, is_bool=True)
    disconnect: bool | None = _wire(Role.INFO, BOTH, is_bool=True)
    protocol_version: int | None = _wire(Role.INFO, IMMERSION, integer=True)

    # Location, both kinds: private, never logged, redacted from diagnostics.
    longitude_direction: float | None = _wire(Role.LOCATION, BOTH)
    longitude: float | None = _wire(Role.LOCATION, BOTH)
    latitude_direction: float | None = _wire(Role.LOCATION, BOTH)
    latitude: float | None = _wire(Role.LOCATION, BOTH)

    # HK3 running states.
    circulating_pump: bool | None = _running(HK3)
    fan1: bool | None = _running(HK3)  # exhaust fan 1
    fan2: bool | None = _running(HK3)  # exhaust fan 2
    spray_pump: bool | None = _running(HK3)
    fluid_infusion_pump: bool | None = _running(HK3)
    cooling_tower_fan1: bool | None = _running(HK3)
    cooling_tower_fan2: bool | None = _running(HK3)
    cooling_tower_fan3: bool | None = _running(HK3)

    # HK3 measurements.
    supply_liquid_temp: float | None = _measure(HK3)  # °C
    return_liquid_temp: float | None = _measure(HK3)  # °C
    cooling_tower_inlet_temp: float | None = _measure(HK3, key="colding_tower_inlet_temp")  # °C
    antbox_internal_temp: float | None = _measure(HK3)  # °C
    antbox_internal_humidity: float | None = _measure(HK3)  # %
    supply_liquid_pressure: float | None = _measure(HK3)  # unit not stated by the device
    return_liquid_pressure: float | None = _measure(HK3)  # unit not stated by the device
    supply_liquid_flow: float | None = _measure(HK3)  # unit not stated by the device
    distribution_box1_power: float | None = _power(HK3)  # W
    distribution_box2_power: float | None = _power(HK3)  # W

    # Immersion running states.
    pump_ready: bool | None = _running(IMMERSION)
    pump_operation: bool | None = _running(IMMERSION)
    pump_run: bool | None = _running(IMMERSION)
    pump_start: bool | None = _running(IMMERSION)
    server_on: bool | None = _running(IMMERSION)
    one_pump: bool | None = _running(IMMERSION)
    second_pump1: bool | None = _running(IMMERSION)
    second_pump2: bool | None = _running(IMMERSION)
    primary_circulating_pump: bool | None = _running(IMMERSION)
    dry_cooler_freq_run: bool | None = _running(IMMERSION)
    dry_cooler_power_freq_run: bool | None = _running(IMMERSION)
    container_fan: bool | None = _running(IMMERSION)
    valve1_open: bool | None = _running(IMMERSION)
    valve1_close: bool | None = _running(IMMERSION)
    valve2_open: bool | None = _running(IMMERSION)
    valve2_close: bool | None = _running(IMMERSION)

    # Immersion measurements.
    primary_supply_temp: float | None = _measure(IMMERSION)  # °C
    primary_return_temp: float | None = _measure(IMMERSION)  # °C
    second_supply_temp1: float | None = _measure(IMMERSION)  # °C
    second_return_temp1: float | None = _measure(IMMERSION)  # °C
    second_supply_temp2: float | None = _measure(IMMERSION)  # °C
    second_return_temp2: float | None = _measure(IMMERSION)  # °C
    out_temp: float | None = _measure(IMMERSION)  # °C, outdoor
    container_temp: float | None = _measure(IMMERSION)  # °C
    power_distribution_temp: float | None = _measure(IMMERSION)  # °C
    container_humidity: float | None = _measure(IMMERSION)  # %
    power_distribution_humidity: float | None = _measure(IMMERSION)  # %
    tank_a_level: float | None = _measure(IMMERSION)  # unit not stated by the device
    tank_b_level: float | None = _measure(IMMERSION)
    tank_c_level: float | None = _measure(IMMERSION)
    tank_d_level: float | None = _measure(IMMERSION)
    drycooler_freq: float | None = _measure(IMMERSION)  # Hz
    feedback_fre: float | None = _measure(IMMERSION)  # Hz
    open1: float | None = _measure(IMMERSION)  # valve 1 opening, %
    open2: float | None = _measure(IMMERSION)  # valve 2 opening, %
    vol_a_distribution: float | None = _measure(IMMERSION, scale=0.1, ndigits=1)  # V
    vol_b_distribution: float | None = _measure(IMMERSION, scale=0.1, ndigits=1)  # V
    vol_c_distribution: float | None = _measure(IMMERSION, scale=0.1, ndigits=1)  # V
    cur_a_distribution: float | None = _measure(IMMERSION)  # A
    cur_b_distribution: float | None = _measure(IMMERSION)  # A
    cur_c_distribution: float | None = _measure(IMMERSION)  # A
    distribution_box_power: float | None = _power(IMMERSION, scale=100_000)  # W
    power_distribution: float | None = _power(IMMERSION, scale=1000)  # W

    faults: Mapping[str, bool] = field(default_factory=dict)
    """Every fault flag the device reported, by its wire key, known to alerts.py or not."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Fields this client does not know, as sent, for diagnostics."""

    @property
    def total_power(self) -> float | None:
        """Power drawn by the container, W (the reference worker's sum), None if unknown.

        Like each of its parts, the sum is a reading only if plausible (`MAX_CONTAINER_POWER`).
        """
        if self.kind is Kind.HK3:
            if self.distribution_box1_power is None or self.distribution_box2_power is None:
                return None
            return plausible_power(self.distribution_box1_power + self.distribution_box2_power)
        return plausible_power(self.distribution_box_power)

    @property
    def any_fault(self) -> bool:
        """Whether the device reports any fault flag as set."""
        return any(self.faults.values())

    @property
    def cooling_running(self) -> bool | None:
        """Whether the cooling circulates: the HK3's circulating pump, an Immersion's pumps.

        None when the answer does not tell: a state it lacks, or sent with the wrong type, is
        not taken for "off".
        """
        if self.kind is Kind.HK3:
            return self.circulating_pump
        pumps = (self.second_pump1, self.second_pump2)
        if True in pumps:
            return True
        return None if None in pumps else False

    @property
    def status(self) -> Status | None:
        """Error on any fault, else running when the cooling circulates; None if untold.

        The reference worker's rule, but for the faults this project adds (see alerts.py).
        """
        if self.any_fault:
            return Status.ERROR
        running = self.cooling_running
        if running is None:
            return None
        return Status.RUNNING if running else Status.STOPPED

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CoolerState:
        """Parse the `params` of a `coolerState` answer."""
        kind = detect_kind(params)
        values: dict[str, Any] = {}
        for name, wire in wire_fields(kind).items():
            if wire.key in params:
                values[name] = wire.to_model(params[wire.key])
        known = _KNOWN_KEYS
        fault_keys = fault_flags(kind)
        faults: dict[str, bool] = {}
        extra: dict[str, Any] = {}
        for key, raw in params.items():
            # No field's key reads like a fault (a test checks): only unknown keys are read.
            if key in fault_keys or (
                isinstance(raw, bool) and key not in known and _looks_like_fault(key)
            ):
                if isinstance(raw, bool):
                    faults[key] = raw
                else:
                    extra[key] = raw
            elif key not in known:
                extra[key] = raw
        return cls(kind=kind, faults=faults, extra=extra, **values)


_FAULT_WORDS: Final = ("fault", "alarm", "failure", "fre_conv", "_too_high", "_high", "_low")


def _looks_like_fault(key: str) -> bool:
    """Whether an unknown boolean key reads like a fault flag.

    Not cached: its keys are whatever the container sends, and a cache of them would grow with
    every new key for as long as Home Assistant runs.
    """
    lowered = key.lower()
    return any(word in lowered for word in _FAULT_WORDS)


@functools.cache
def fault_flags(kind: Kind) -> frozenset[str]:
    """The fault flags the alert table knows for a kind."""
    return frozenset(flag for spec in alerts_for(kind) if (flag := spec.flag) is not None)


_MARKERS: Final[Mapping[Kind, tuple[str, ...]]] = {
    Kind.IMMERSION: ("protocol_version", "second_pump1", "drycooler_freq"),
    Kind.HK3: ("cooling_tower_fan1", "spray_pump", "colding_tower_inlet_temp"),
}


def detect_kind(params: Mapping[str, Any]) -> Kind:
    """Tell the kind of container from the fields its `coolerState` carries."""
    scores = {kind: sum(key in params for key in keys) for kind, keys in _MARKERS.items()}
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    if best == 0 or len(winners) > 1:
        raise AntspaceResponseError(
            "the answer has none of the fields that tell an HK3 from an Immersion container"
            if best == 0
            else "the answer mixes the fields of an HK3 and an Immersion container"
        )
    return winners[0]


def _build_wire_fields() -> dict[str, WireField]:
    result: dict[str, WireField] = {}
    for f in fields(CoolerState):
        if "wire" not in f.metadata:
            continue
        key, role, kinds, is_bool, scale, ndigits, integer, plausible = f.metadata["wire"]
        result[f.name] = WireField(
            key=key or f.name,
            kinds=kinds,
            role=role,
            is_bool=is_bool,
            scale=scale,
            ndigits=ndigits,
            integer=integer,
            plausible=plausible,
        )
    return result


_WIRE_FIELDS: Final = MappingProxyType(_build_wire_fields())
_KNOWN_KEYS: Final = frozenset(wire.key for wire in _WIRE_FIELDS.values())
_WIRE_FIELDS_OF: Final = {
    kind: MappingProxyType({name: w for name, w in _WIRE_FIELDS.items() if kind in w.kinds})
    for kind in Kind
}


def wire_fields(kind: Kind | None = None) -> Mapping[str, WireField]:
    """The wire fields by model attribute name, of one kind or of both."""
    return _WIRE_FIELDS if kind is None else _WIRE_FIELDS_OF[kind]


def _number(raw: Any) -> float | None:
    if type(raw) is float:  # what JSON gives for most readings: no conversion to make
        return raw if math.isfinite(raw) else None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None
    try:
        value = float(raw)
    except OverflowError:  # a JSON integer too large for a float
        return None
    return value if math.isfinite(value) else None


def _whole(raw: Any) -> int | None:
    value = _number(raw)
    return int(value) if value is not None else None


NO_TEMPERATURE_BELOW: Final = -273.15
"""°C; a miner temperature below absolute zero is no reading. Miners that have none send a
sentinel far below it (field tools read anything under -100000 so)."""


def _celsius(raw: Any) -> float | None:
    value = _number(raw)
    return None if value is None or value < NO_TEMPERATURE_BELOW else value


def _text(raw: Any) -> str | None:
    return raw if isinstance(raw, str) else None


def hashes(hashrate_5s: float | None) -> bool | None:
    """Whether a miner hashes, by its 5-second hashrate; None when it sends none (a number).

    A hashrate of 0 (or below) is a miner that does not hash.
    """
    return None if hashrate_5s is None else hashrate_5s > 0


type MinerRef = tuple[int, str]
"""A miner named by its position (1-based, in the order the container lists its miners) and
its address (private data: never logged, kept out of diagnostics)."""


def _ghs_5s(data: Mapping[str, Any]) -> float | None:
    return _number(data.get("GHS_5s"))


def _chip_temp(data: Mapping[str, Any]) -> float | None:
    return _celsius(data.get("chip_max_temp"))


type MinerValues = dict[str, Any]
"""One miner's fields by name, those of `Miner` (its address among them)."""


def miner_values(address: str, raw: Any) -> MinerValues:
    """Parse one entry of `miner_info`; a non-object entry gives a miner with no values."""
    data: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    return {
        "address": address,
        "miner_type": _text(data.get("miner_type")),
        "miner_version": _text(data.get("miner_version")),
        "elapsed": _whole(data.get("elapsed")),
        "hashrate_5s": _ghs_5s(data),
        "hashrate_avg": _number(data.get("GHS_avg")),
        "pcb_max_temp": _celsius(data.get("pcb_max_temp")),
        "chip_max_temp": _chip_temp(data),
    }


def miner_table(params: Mapping[str, Any]) -> list[MinerValues]:
    """Each miner of the `params` of a `minerInfo` answer, in order, as `miner_values`.

    For a view of every miner, which turns them into its own rows: a dict is made in half the
    time of a `Miner`.
    """
    info = params.get("miner_info")
    if not isinstance(info, Mapping):
        return []
    return [miner_values(str(address), raw) for address, raw in info.items()]


@dataclass(frozen=True, slots=True, kw_only=True)
class Miner:
    """One miner fed by the container. Its address is private data."""

    address: str
    miner_type: str | None = None
    miner_version: str | None = None
    elapsed: int | None = None  # s
    hashrate_5s: float | None = None  # GH/s
    hashrate_avg: float | None = None  # GH/s
    pcb_max_temp: float | None = None  # °C
    chip_max_temp: float | None = None  # °C

    @property
    def hashing(self) -> bool | None:
        """Whether it hashes (`hashes`)."""
        return hashes(self.hashrate_5s)

    @classmethod
    def from_wire(cls, address: str, raw: Any) -> Miner:
        """Parse one entry of `miner_info` (`miner_values`)."""
        return cls(**miner_values(address, raw))


@dataclass(frozen=True, slots=True, kw_only=True)
class MinerSummary:
    """The answer to `minerInfo`.

    The counts and the miners named come from one pass over `miner_info`, without an object
    per miner: they are read at every summary, `miners` (each miner's detail) only on demand.
    """

    miner_count: int | None = None
    """`miner_num`: the miners the container says it feeds."""
    total_hashrate: float | None = None  # GH/s, like the per-miner figures
    pcb_max_temp: float | None = None  # °C
    chip_max_temp: float | None = None  # °C
    chip_temp_mean: float | None = None  # °C
    listed: int | None = None
    """The miners `miner_info` lists; None when the answer has no `miner_info` object."""
    hashing: int | None = None
    """Listed miners whose 5-second hashrate is above 0 (`hashes`)."""
    not_hashing: tuple[MinerRef, ...] = ()
    """Listed miners whose 5-second hashrate is 0; one that sends none counts in neither."""
    hottest: int | None = None
    """The position of the listed miner with the highest chip temperature (the first, on a tie)."""
    hottest_chip_temp: float | None = None  # °C
    chip_limit: float | None = None
    """°C; the chip temperature above which a miner is named in `over_chip_limit`."""
    over_chip_limit: tuple[MinerRef, ...] = ()
    """Listed miners whose chip temperature is above `chip_limit`."""
    miners: tuple[Miner, ...] = ()

    @property
    def not_hashing_count(self) -> int | None:
        """How many listed miners do not hash; None without a list."""
        return None if self.listed is None else len(self.not_hashing)

    @property
    def not_reporting(self) -> int | None:
        """Miners the container feeds (`miner_num`) that its list leaves out; None if untold."""
        if self.miner_count is None or self.listed is None:
            return None
        return max(0, self.miner_count - self.listed)

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, Any],
        *,
        detail: bool = True,
        chip_limit: float | None = None,
    ) -> MinerSummary:
        """Parse the `params` of a `minerInfo` answer; each miner's too, if `detail`.

        With a `chip_limit` (°C), the miners whose chip runs above it are named.
        """
        miner_info = params.get("miner_info")
        listed: int | None = None
        hashing = 0
        not_hashing: list[MinerRef] = []
        over: list[MinerRef] = []
        hottest: int | None = None
        hottest_temp: float | None = None
        miners: tuple[Miner, ...] = ()
        if isinstance(miner_info, Mapping):
            listed = len(miner_info)
            for position, (address, raw) in enumerate(miner_info.items(), start=1):
                if not isinstance(raw, Mapping):
                    continue
                on = hashes(_ghs_5s(raw))
                if on:
                    hashing += 1
                elif on is False:
                    not_hashing.append((position, str(address)))
                chip = _chip_temp(raw)
                if chip is None:
                    continue
                if hottest_temp is None or chip > hottest_temp:
                    hottest, hottest_temp = position, chip
                if chip_limit is not None and chip > chip_limit:
                    over.append((position, str(address)))
            if detail:
                miners = tuple(Miner.from_wire(str(addr), raw) for addr, raw in miner_info.items())
        return cls(
            miner_count=_whole(params.get("miner_num")),
            total_hashrate=_number(params.get("total_hashrate")),
            pcb_max_temp=_celsius(params.get("pcb_max_temp")),
            chip_max_temp=_celsius(params.get("chip_max_temp")),
            chip_temp_mean=_celsius(params.get("chip_temp_mean")),
            listed=listed,
            hashing=hashing if listed is not None else None,
            not_hashing=tuple(not_hashing),
            hottest=hottest,
            hottest_chip_temp=hottest_temp,
            chip_limit=chip_limit,
            over_chip_limit=tuple(over),
            miners=miners,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """Everything one poll reads from a container."""

    state: CoolerState
    miners: MinerSummary
