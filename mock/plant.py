"""The simulated plant of one Antspace container: its state, its dynamics and its wire answers.

What a kind of container sends is not restated here. The keys, JSON types and scalings of
`coolerState` come from the device layer's field declarations (`wire_fields(kind)` and
`WireField.to_wire`), and the fault flags a kind sends from the alert table
(`alerts_for(kind)`). This module adds only what a real plant adds: how the values behave.

Dynamics. Every measurement is a first-order lag towards a target that depends on the plant's
state (pumps, fans, setpoint, load), with a little noise around it: an Ornstein-Uhlenbeck
process, advanced exactly over the time elapsed since the plant was last read, so that values
move when they are read and not otherwise. While cooling is on the supply temperature
approaches the setpoint with a time constant of two minutes; when it is off the supply drifts up
towards 62 °C, and from 50 °C on the miners throttle, which lowers their hashrate and power. The
return runs warmer than the supply by up to 6.5 °C under full load; pressures and flow sit
around their nominal values and fall to 0 when the pumps stop.

A frozen plant does not move: with `frozen=True` from the start its values are the nominal
steady state, which depends on the spec alone (two frozen containers of the same spec answer
identically). Randomness comes from a generator seeded with the spec's `seed`.
"""

from __future__ import annotations

from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
import math
import random
import time
from typing import Any, Final

from custom_components.antspace.pyantspace.alerts import alerts_for
from custom_components.antspace.pyantspace.models import Kind, Role, WireField, wire_fields

type Value = float | bool | None
type Clock = Callable[[], float]


class Failure(StrEnum):
    """How a mock container misbehaves when asked for something on `/cooler`.

    Only MISSING_FIELDS and WRONG_TYPES carry out a control operation (open, close, reset,
    setTemp); with any other failure the container answers badly and does nothing.
    """

    NONE = "none"
    DROP = "drop"
    """Close the connection without answering. aiohttp retries a request once when a kept-alive
    connection closes, so a client sees this only from the second dropped request on."""
    HTTP_500 = "http500"
    BROKEN_JSON = "broken_json"
    """Send the first half of the answer."""
    OK_FALSE = "ok_false"
    MISSING_FIELDS = "missing_fields"
    """Omit about half the fields of every role, but keep the fields that tell the kind."""
    WRONG_TYPES = "wrong_types"
    """Send about half the values as strings: numbers as "35.0", bools as "true"."""
    OVERSIZE = "oversize"
    """Answer with a body larger than the client accepts."""


@dataclass(slots=True)
class ContainerSpec:
    """What a mock container is: its kind and how it starts."""

    kind: Kind
    port: int = 0
    """0 picks a free port when the container starts serving."""
    error: bool = False
    """Start with every fault flag set."""
    seed: int | None = None
    frozen: bool = False
    miners: int = 120
    down_for: float = 0.0
    """Seconds after the server starts before the container listens (a controller that
    boots after Home Assistant); 0 listens at once."""

    def __post_init__(self) -> None:
        """Accept a kind given as text, in any case."""
        self.kind = Kind(str(self.kind).lower())
        if self.miners < 0:
            raise ValueError("a container cannot feed a negative number of miners")
        if not (math.isfinite(self.down_for) and self.down_for >= 0):
            raise ValueError("a container's start-up delay is a finite number of seconds >= 0")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port {self.port} is not a TCP port")


OPERATIONS: Final = ("coolerState", "minerInfo", "open", "close", "reset", "setTemp")
"""The operations of the `/cooler` endpoint, as the device spells them."""

NOMINAL_SETPOINT: Final = 35.0
"""°C, the supply setpoint a container starts with."""
PID_SETPOINT: Final = 38.0
"""°C, the setpoint the device reports in PID mode (as the reference mock does)."""
HOT: Final = 62.0
"""°C, where the supply liquid drifts when nothing cools it."""
THROTTLE_START: Final = 50.0
THROTTLE_END: Final = 60.0
"""°C of supply liquid between which the miners throttle down to MIN_LOAD."""
MIN_LOAD: Final = 0.05

TAU_COOLING: Final = 120.0
"""s, time constant of the supply temperature towards the setpoint while cooling."""
TAU_DRIFT: Final = 600.0
"""s, time constant of the supply temperature's drift while not cooling."""

MINER_VERSIONS: Final = ("2021-08-10 16:54:03", "2022-03-21 11:02:47", "2023-01-09 09:15:30")
MINER_MODELS: Final = (
    # type, nominal hashrate GH/s, nominal power W
    ("S17 Hydro", 105_000.0, 2_900.0),
    ("S19 Hydro", 140_000.0, 3_050.0),
    ("S20 Hydro", 165_000.0, 3_150.0),
)


def _num(value: Value) -> float:
    """A measurement's value as a float (None, never stored for a measurement, as 0)."""
    return 0.0 if value is None else float(value)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


@cache
def fields_of(kind: Kind) -> tuple[tuple[str, WireField], ...]:
    """The wire fields a kind reports, by model attribute name, in declaration order."""
    return tuple(wire_fields(kind).items())


@cache
def fault_flags(kind: Kind) -> tuple[str, ...]:
    """The fault flags every container of a kind sends, in the alert table's order."""
    return tuple(
        flag for spec in alerts_for(kind) if (flag := spec.flag) is not None and not spec.optional
    )


@cache
def optional_flags(kind: Kind) -> tuple[str, ...]:
    """The fault flags some controllers of a kind send: sent once set, until `reset`."""
    return tuple(flag for spec in alerts_for(kind) if (flag := spec.flag) and spec.optional)


def names_of_role(kind: Kind, role: Role) -> tuple[str, ...]:
    """The model attribute names of one role that a kind reports."""
    return tuple(name for name, wire in fields_of(kind) if wire.role is role)


# Running states ----------------------------------------------------------------------------
# Which running states are on while the cooling is switched on, and which while it is off;
# every other running state of the kind is off.
_RUNNING_ON: Final[Mapping[Kind, frozenset[str]]] = {
    Kind.HK3: frozenset(
        {
            "circulating_pump",
            "fan1",
            "fan2",
            "spray_pump",
            "cooling_tower_fan1",
            "cooling_tower_fan2",
            "cooling_tower_fan3",
        }
    ),
    Kind.IMMERSION: frozenset(
        {
            "pump_ready",
            "pump_operation",
            "pump_run",
            "pump_start",
            "server_on",
            "second_pump1",
            "second_pump2",
            "primary_circulating_pump",
            "dry_cooler_freq_run",
            "container_fan",
            "valve1_open",
            "valve2_open",
        }
    ),
}
_RUNNING_OFF: Final[Mapping[Kind, frozenset[str]]] = {
    Kind.HK3: frozenset(),
    Kind.IMMERSION: frozenset({"pump_ready", "server_on", "valve1_close", "valve2_close"}),
}

# Settings, information and location that are not dynamic.
_STATIC: Final[Mapping[str, float | bool]] = {
    "running_mode": False,
    "disconnect": False,
    "protocol_version": 5,
    "longitude_direction": 0.0,
    "longitude": 0.0,
    "latitude_direction": 0.0,
    "latitude": 0.0,
}


# Dynamics ----------------------------------------------------------------------------------
type Step = tuple[str, float, float, float]
"""One measurement's (name, target, time constant s, noise standard deviation)."""
type Model = Callable[["MockContainer"], Iterator[Step]]


def _load_at(supply: float) -> float:
    """The fraction of their nominal power the miners run at, given the supply temperature."""
    return _clamp((THROTTLE_END - supply) / (THROTTLE_END - THROTTLE_START), MIN_LOAD, 1.0)


def _supply_step(name: str, plant: MockContainer, cooled: bool) -> Step:
    if cooled:
        return name, plant.target_supply, TAU_COOLING, 0.08
    return name, HOT, TAU_DRIFT, 0.08


def _flowing(name: str, nominal: float, on: bool, tau: float = 3.0) -> Step:
    """A pressure or flow: nominal while its pump runs, 0 when it stops."""
    return (name, nominal, tau, 0.008 * nominal) if on else (name, 0.0, tau, 0.0)


def _hk3(plant: MockContainer) -> Iterator[Step]:
    v = plant.values
    pump = bool(v["circulating_pump"])
    tower = bool(v["cooling_tower_fan1"] or v["cooling_tower_fan2"] or v["cooling_tower_fan3"])
    yield _supply_step("supply_liquid_temp", plant, pump and (tower or bool(v["spray_pump"])))
    supply = _num(v["supply_liquid_temp"])
    load = plant.current_load = _load_at(supply)
    yield "return_liquid_temp", supply + 6.5 * load, 30.0, 0.08
    yield "cooling_tower_inlet_temp", 26.0, 1800.0, 0.2
    fans = bool(v["fan1"] or v["fan2"])
    yield "antbox_internal_temp", 30.0 + 8.0 * load + (0.0 if fans else 6.0), 300.0, 0.15
    yield "antbox_internal_humidity", 54.0, 1800.0, 0.5
    yield _flowing("supply_liquid_pressure", 35.0, pump)
    yield _flowing("return_liquid_pressure", 28.0, pump)
    yield _flowing("supply_liquid_flow", 29.0, pump, tau=5.0)
    box1, box2 = plant.rated_power[0] * load, plant.rated_power[1] * load
    yield "distribution_box1_power", box1, 15.0, 0.003 * box1
    yield "distribution_box2_power", box2, 15.0, 0.003 * box2


def _immersion(plant: MockContainer) -> Iterator[Step]:
    v = plant.values
    dry_cooler = bool(v["dry_cooler_freq_run"] or v["dry_cooler_power_freq_run"])
    pump1, pump2 = bool(v["second_pump1"]), bool(v["second_pump2"])
    primary = bool(v["primary_circulating_pump"])
    yield _supply_step("second_supply_temp1", plant, pump1 and primary and dry_cooler)
    yield _supply_step("second_supply_temp2", plant, pump2 and primary and dry_cooler)
    supply1 = _num(v["second_supply_temp1"])
    supply2 = _num(v["second_supply_temp2"])
    load = plant.current_load = _load_at(max(supply1, supply2))
    yield "second_return_temp1", supply1 + 6.0 * load, 30.0, 0.08
    yield "second_return_temp2", supply2 + 6.0 * load, 30.0, 0.08
    returns = (_num(v["second_return_temp1"]) + _num(v["second_return_temp2"])) / 2
    if primary and dry_cooler:
        yield "primary_supply_temp", plant.target_supply - 4.0, TAU_COOLING, 0.08
    else:
        yield "primary_supply_temp", returns - 2.0, TAU_DRIFT, 0.08
    primary_supply = _num(v["primary_supply_temp"])
    yield "primary_return_temp", max(primary_supply, returns - 2.0), 60.0, 0.08
    yield "out_temp", 25.0, 3600.0, 0.3
    fan = bool(v["container_fan"])
    yield "container_temp", 30.0 + 5.0 * load + (0.0 if fan else 6.0), 300.0, 0.15
    yield "power_distribution_temp", 35.0 + 5.0 * load, 300.0, 0.15
    yield "container_humidity", 45.0, 1800.0, 0.5
    yield "power_distribution_humidity", 35.0, 1800.0, 0.5
    for tank, level in zip("abcd", (80.0, 78.0, 81.0, 79.0), strict=True):
        yield f"tank_{tank}_level", level, 600.0, 0.1
    freq = 30.0 + 15.0 * load if v["dry_cooler_freq_run"] else 0.0
    yield "drycooler_freq", freq, 10.0, 0.1 if freq else 0.0
    yield "feedback_fre", _num(v["drycooler_freq"]), 2.0, 0.05 if freq else 0.0
    yield "open1", 70.0 if v["valve1_open"] else 0.0, 10.0, 0.0
    yield "open2", 65.0 if v["valve2_open"] else 0.0, 10.0, 0.0
    for phase, volts in zip("abc", (229.5, 230.4, 231.0), strict=True):
        yield f"vol_{phase}_distribution", volts, 120.0, 0.5
    aux = (
        500.0
        + 1500.0 * pump1
        + 1500.0 * pump2
        + 1000.0 * primary
        + 3000.0 * load * dry_cooler
        + 300.0 * fan
    )
    yield "power_distribution", aux, 10.0, 0.004 * aux
    # The phase currents of the same meter as power_distribution: P / (3 V cos phi).
    for phase in "abc":
        volts = _num(v[f"vol_{phase}_distribution"])
        amps = _num(v["power_distribution"]) / (3 * max(volts, 1.0) * 0.95)
        yield f"cur_{phase}_distribution", amps, 2.0, 0.0
    it_power = (plant.rated_power[0] + plant.rated_power[1]) * load
    yield "distribution_box_power", it_power, 15.0, 0.003 * it_power


MODELS: Final[Mapping[Kind, Model]] = {Kind.HK3: _hk3, Kind.IMMERSION: _immersion}


class _MinerTable:
    """The miners' fixed data, drawn once from the spec's seed and kept compact."""

    __slots__ = (
        "chip",
        "elapsed",
        "hashrate",
        "models",
        "pcb",
        "power",
        "second",
        "third",
        "versions",
    )

    def __init__(self, seed: int, count: int) -> None:
        rng = random.Random(seed)
        self.second, self.third = rng.randrange(256), rng.randrange(200)
        self.models, self.versions = bytearray(), bytearray()
        self.elapsed, self.hashrate, self.power = array("q"), array("d"), array("d")
        self.pcb, self.chip = array("b"), array("b")
        for _ in range(count):
            model = rng.choice(MINER_MODELS)
            self.models.append(MINER_MODELS.index(model))
            self.versions.append(MINER_VERSIONS.index(rng.choice(MINER_VERSIONS)))
            self.elapsed.append(rng.randrange(600, 30 * 86_400))
            self.hashrate.append(model[1] * rng.uniform(0.97, 1.03))
            self.power.append(model[2] * rng.uniform(0.97, 1.03))
            self.pcb.append(rng.randrange(-2, 4))
            self.chip.append(rng.randrange(-3, 5))

    def rows(self) -> Iterator[tuple[str, str, str, int, float, int, int]]:
        """Per miner: address, type, version, elapsed s, nominal GH/s, pcb and chip offsets."""
        second, third = self.second, self.third
        for index, (model, version, elapsed, hashrate, pcb, chip) in enumerate(
            zip(
                self.models,
                self.versions,
                self.elapsed,
                self.hashrate,
                self.pcb,
                self.chip,
                strict=True,
            )
        ):
            address = f"10.{second}.{(third + index // 250) % 256}.{index % 250 + 2}"
            yield (
                address,
                MINER_MODELS[model][0],
                MINER_VERSIONS[version],
                elapsed,
                hashrate,
                pcb,
                chip,
            )


class MockContainer:
    """One simulated container: plant state, dynamics, faults and misbehaviour knobs."""

    def __init__(self, spec: ContainerSpec, *, clock: Clock = time.monotonic) -> None:
        """Build the plant at its nominal steady state, cooling on."""
        self.spec = spec
        self.kind: Kind = spec.kind
        self.port: int = spec.port
        self.failure: Failure = Failure.NONE
        self.failure_count: int | None = None
        """None: the failure applies until changed; N: only the next N requests fail."""
        self.delay: float = 0.0
        """Seconds before answering a `/cooler` request."""
        self.requests: Counter[str] = Counter()
        """Requests received on `/cooler`, by operation ("" when it had none)."""
        self.history: deque[tuple[str, dict[str, str]]] = deque(maxlen=50)
        """The last requests received on `/cooler`: operation and query."""
        self.current_load = 1.0
        """Fraction of their nominal power the miners ran at when the plant was last advanced."""

        self._clock = clock
        self._frozen = spec.frozen
        self._last = clock()
        self._uptime = 0.0
        self._rng = random.Random(spec.seed)
        self._miners = _MinerTable(spec.seed if spec.seed is not None else 0, spec.miners)
        self._cooling_on = True
        self.miners_hashing = True
        """Whether the miners hash; stopped miners report no hashrate."""
        self._pid_mode = False
        self._setpoint: float | None = NOMINAL_SETPOINT
        self._target = NOMINAL_SETPOINT
        self._faults = dict.fromkeys(fault_flags(self.kind), spec.error)
        self.rated_power = self._rated_power()
        """W drawn by the miners at full load, in two halves (HK3's two distribution boxes)."""
        self.values: dict[str, Value] = {}
        """Current values by model attribute name, SI units (settings excepted)."""
        for name, wire in fields_of(self.kind):
            if wire.role is Role.MEASUREMENT:
                self.values[name] = 0.0
            elif wire.role is Role.RUNNING:
                self.values[name] = False
            elif wire.role in (Role.INFO, Role.LOCATION):
                self.values[name] = _STATIC[name]
        self._switch(on=True)
        self._settle()

    def __repr__(self) -> str:
        """Name the container by kind and port."""
        return f"MockContainer({self.kind}, port={self.port})"

    # Plant state ---------------------------------------------------------------------------
    @property
    def frozen(self) -> bool:
        """Whether values stand still."""
        return self._frozen

    @frozen.setter
    def frozen(self, frozen: bool) -> None:
        self._advance()
        self._frozen = frozen
        self._last = self._clock()

    @property
    def load(self) -> float:
        """Fraction of their nominal power the miners run at now (they throttle when hot)."""
        self._advance()
        return self.current_load

    @property
    def cooling_on(self) -> bool:
        """Whether the cooling is switched on (by `open`, or from the start)."""
        return self._cooling_on

    @property
    def setpoint(self) -> float | None:
        """The supply setpoint the device reports, °C; None after a non-number setTemp."""
        return self._setpoint

    @property
    def pid_mode(self) -> bool:
        """Whether the device's PID control owns the setpoint."""
        return self._pid_mode

    @property
    def target_supply(self) -> float:
        """°C the cooling drives the supply liquid to (the last usable setpoint)."""
        return self._target

    @property
    def faults(self) -> dict[str, bool]:
        """Every fault flag of the kind and whether it is set."""
        return dict(self._faults)

    @property
    def fault_flags(self) -> tuple[str, ...]:
        """The fault flags this kind sends."""
        return fault_flags(self.kind)

    def set_fault(self, flag: str, active: bool = True) -> None:
        """Raise or clear one fault flag, named by its wire key.

        An optional flag (one that only some controllers send) is sent from then on.
        """
        if flag not in self._faults and flag not in optional_flags(self.kind):
            raise ValueError(f"a {self.kind} container has no fault flag {flag!r}")
        self._faults[flag] = active

    def set_all_faults(self, active: bool) -> None:
        """Raise or clear every fault flag it sends."""
        for flag in self._faults:
            self._faults[flag] = active

    def _wire_field(self, name: str) -> WireField:
        for field_name, wire in fields_of(self.kind):
            if field_name == name:
                return wire
        raise ValueError(f"a {self.kind} container reports no value {name!r}")

    def set_value(self, name: str, value: float | bool) -> None:
        """Set one value, by CoolerState attribute name, in model (SI) units.

        A measurement then relaxes from there to where the plant drives it, unless frozen.
        """
        wire = self._wire_field(name)
        self._advance()
        if wire.is_bool:
            if not isinstance(value, bool):
                raise ValueError(f"{name} is a boolean, not {value!r}")
            if name == "pid_mode":
                self._pid_mode = value
            else:
                self.values[name] = value
            return
        if isinstance(value, bool) or not math.isfinite(value):
            raise ValueError(f"{name} is a finite number, not {value!r}")
        if name == "supply_liquid_set_temp":
            self._set_setpoint(float(value))
        elif wire.integer:
            self.values[name] = int(value)
        else:
            self.values[name] = float(value)

    def value(self, name: str) -> Value:
        """One value as the client will read it: model (SI) units, wire resolution."""
        wire = self._wire_field(name)
        self._advance()
        return self._reported(name, wire)

    def _reported(self, name: str, wire: WireField) -> Value:
        raw = self._model_value(name)
        return None if raw is None else wire.to_model(wire.to_wire(raw))

    def _model_value(self, name: str) -> Value:
        if name in self._faults:  # a flag that is a field too (`disconnect`)
            return self._faults[name]
        if name == "supply_liquid_set_temp":
            return self._setpoint
        if name == "pid_mode":
            return self._pid_mode
        return self.values[name]

    # Dynamics ------------------------------------------------------------------------------
    def _rated_power(self) -> tuple[float, float]:
        half = (self.spec.miners + 1) // 2
        first = second = 0.0
        for index, power in enumerate(self._miners.power):
            if index < half:
                first += power
            else:
                second += power
        return first, second

    def _settle(self) -> None:
        """Put every measurement at its target: the nominal steady state, without noise."""
        for name, target, _tau, _sigma in MODELS[self.kind](self):
            self.values[name] = max(target, 0.0)

    def _advance(self) -> None:
        """Advance the dynamics to the clock's present time."""
        now = self._clock()
        dt = now - self._last
        self._last = now
        if self._frozen or dt <= 0:
            return
        self._uptime += dt
        gauss = self._rng.gauss
        values = self.values
        for name, target, tau, sigma in MODELS[self.kind](self):
            decay = math.exp(-dt / tau)
            x = target + (_num(values[name]) - target) * decay
            if sigma:
                x += sigma * math.sqrt(1.0 - decay * decay) * gauss()
            values[name] = max(x, 0.0)

    # Operations ----------------------------------------------------------------------------
    def _switch(self, *, on: bool) -> None:
        self._cooling_on = on
        running = _RUNNING_ON[self.kind] if on else _RUNNING_OFF[self.kind]
        for name in names_of_role(self.kind, Role.RUNNING):
            self.values[name] = name in running

    def open_cooling(self) -> None:
        """`open`: switch the cooling on; an HK3 also clears its alarm flags (as the reference)."""
        self._advance()
        self._switch(on=True)
        if self.kind is Kind.HK3:
            self.set_all_faults(False)

    def close_cooling(self) -> None:
        """`close`: switch the cooling off; pumps and fans stop (on HK3 too, unlike the reference)."""
        self._advance()
        self._switch(on=False)

    def reset(self) -> None:
        """`reset`: clear latched faults."""
        self._advance()
        self.set_all_faults(False)

    def _set_setpoint(self, value: float | None) -> None:
        self._setpoint = value
        if value is not None:
            self._target = _clamp(value, 5.0, 70.0)

    def set_temp(self, temp: str | None) -> None:
        """`setTemp`: a number sets the setpoint and leaves PID; `pid` hands it to the PID.

        Anything else is accepted, as the reference does, and then reported as a null setpoint.
        """
        self._advance()
        if temp == "pid":
            self._pid_mode = True
            self._set_setpoint(PID_SETPOINT)
            return
        self._pid_mode = False
        try:
            number = float(temp) if temp is not None else math.nan
        except ValueError:
            number = math.nan
        self._set_setpoint(number if math.isfinite(number) else None)

    def handle(self, operation: str, query: Mapping[str, str]) -> Any:
        """Carry out one `/cooler` operation and return the answer's `params`.

        Raises KeyError for an operation the device does not know.
        """
        match operation:
            case "coolerState":
                return self.cooler_state()
            case "minerInfo":
                return self.miner_info()
            case "open":
                self.open_cooling()
            case "close":
                self.close_cooling()
            case "reset":
                self.reset()
            case "setTemp":
                self.set_temp(query.get("temp"))
            case _:
                raise KeyError(operation)
        return None

    # Answers -------------------------------------------------------------------------------
    def cooler_state(self) -> dict[str, Any]:
        """The `params` of a `coolerState` answer, as the device sends them."""
        self._advance()
        params: dict[str, Any] = {}
        for name, wire in fields_of(self.kind):
            raw = self._model_value(name)
            params[wire.key] = None if raw is None else wire.to_wire(raw)
        params.update(self._faults)
        return params

    def supply_temp(self) -> float:
        """°C of the liquid the miners get."""
        if self.kind is Kind.HK3:
            return _num(self.values["supply_liquid_temp"])
        supply1 = _num(self.values["second_supply_temp1"])
        return (supply1 + _num(self.values["second_supply_temp2"])) / 2

    def miner_info(self) -> dict[str, Any]:
        """The `params` of a `minerInfo` answer, as the device sends them."""
        self._advance()
        supply = self.supply_temp()
        load = self.current_load if self.miners_hashing else 0.0
        noisy = not self._frozen
        gauss = self._rng.gauss
        uptime = int(self._uptime)
        miners: dict[str, dict[str, Any]] = {}
        total = 0.0
        pcb_max = chip_max = 0
        chip_sum = 0
        for (
            address,
            miner_type,
            version,
            elapsed,
            hashrate,
            pcb_offset,
            chip_offset,
        ) in self._miners.rows():
            ghs_avg = hashrate * load
            ghs_5s = ghs_avg * (1.0 + 0.02 * gauss()) if noisy else ghs_avg
            pcb = round(supply + 8.0 * load + 4.0 + pcb_offset)
            chip = round(supply + 20.0 * load + 5.0 + chip_offset)
            miners[address] = {
                "miner_type": miner_type,
                "miner_version": version,
                "elapsed": elapsed + uptime,
                "GHS_5s": round(ghs_5s, 2),
                "GHS_avg": round(ghs_avg, 2),
                "pcb_max_temp": pcb,
                "chip_max_temp": chip,
            }
            total += round(ghs_5s, 2)
            pcb_max, chip_max, chip_sum = max(pcb_max, pcb), max(chip_max, chip), chip_sum + chip
        return {
            "miner_num": len(miners),
            "total_hashrate": round(total, 2),
            "pcb_max_temp": pcb_max,
            "chip_max_temp": chip_max,
            "chip_temp_mean": round(chip_sum / len(miners), 1) if miners else 0,
            "miner_info": miners,
        }

    def state(self) -> dict[str, Any]:
        """Everything about the container, for the control interface (JSON-ready)."""
        self._advance()
        return {
            "kind": str(self.kind),
            "port": self.port,
            "cooling_on": self._cooling_on,
            "setpoint": self._setpoint,
            "pid_mode": self._pid_mode,
            "frozen": self._frozen,
            "failure": str(self.failure),
            "failure_count": self.failure_count,
            "delay": self.delay,
            "load": round(self.current_load, 4),
            "miners_hashing": self.miners_hashing,
            "faults": dict(self._faults),
            "values": {name: self._reported(name, wire) for name, wire in fields_of(self.kind)},
            "requests": dict(self.requests),
        }

    def take_failure(self) -> Failure:
        """The failure that applies to the request now received; counts it down."""
        failure = self.failure
        if failure is not Failure.NONE and self.failure_count is not None:
            self.failure_count -= 1
            if self.failure_count <= 0:
                self.failure, self.failure_count = Failure.NONE, None
        return failure

    def set_failure(self, failure: Failure | str, count: int | None = None) -> None:
        """Misbehave from now on, for the next `count` requests or until changed."""
        if count is not None and count < 1:
            raise ValueError("a failure count must be at least 1")
        self.failure = Failure(failure)
        self.failure_count = None if self.failure is Failure.NONE else count
