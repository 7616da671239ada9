"""The physics of a mock plant: how its values behave.

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
from collections.abc import Callable, Iterator, Mapping
import random
from typing import Final, Protocol

from custom_components.antspace.pyantspace.kinds import Kind

type Value = float | bool | None


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

VARIED_MINERS: Final = 1 / 40
"""Share of a container's miners that stand idle (no hashrate), and as many that run hot: three
of each in 120 (round down from half a miner: none of 12)."""
HOT_CHIP_OFFSET: Final = 22
"""°C a hot miner's chips run above the others' (about 85 °C under full load)."""

MINER_VERSIONS: Final = ("2021-08-10 16:54:03", "2022-03-21 11:02:47", "2023-01-09 09:15:30")
MINER_MODELS: Final = (
    # type, nominal hashrate GH/s, nominal power W
    ("S17 Hydro", 105_000.0, 2_900.0),
    ("S19 Hydro", 140_000.0, 3_050.0),
    ("S20 Hydro", 165_000.0, 3_150.0),
)


def num(value: Value) -> float:
    """A measurement's value as a float (None, never stored for a measurement, as 0)."""
    return 0.0 if value is None else float(value)


def clamp(value: float, low: float, high: float) -> float:
    """`value` within `low` and `high`."""
    return max(low, min(high, value))


class Plant(Protocol):
    """What the physics read of a plant, and write back (the miners' load)."""

    values: dict[str, Value]
    current_load: float
    rated_power: tuple[float, float]

    @property
    def target_supply(self) -> float:
        """°C the cooling drives the supply liquid to."""
        ...


# Running states ----------------------------------------------------------------------------
# Which running states are on while the cooling is switched on, and which while it is off;
# every other running state of the kind is off.
RUNNING_ON: Final[Mapping[Kind, frozenset[str]]] = {
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
RUNNING_OFF: Final[Mapping[Kind, frozenset[str]]] = {
    Kind.HK3: frozenset(),
    Kind.IMMERSION: frozenset({"pump_ready", "server_on", "valve1_close", "valve2_close"}),
}

# Settings, information and location that are not dynamic.
STATIC: Final[Mapping[str, float | bool]] = {
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
type Model = Callable[[Plant], Iterator[Step]]


def _load_at(supply: float) -> float:
    """The fraction of their nominal power the miners run at, given the supply temperature."""
    return clamp((THROTTLE_END - supply) / (THROTTLE_END - THROTTLE_START), MIN_LOAD, 1.0)


def _supply_step(name: str, plant: Plant, cooled: bool) -> Step:
    if cooled:
        return name, plant.target_supply, TAU_COOLING, 0.08
    return name, HOT, TAU_DRIFT, 0.08


def _flowing(name: str, nominal: float, on: bool, tau: float = 3.0) -> Step:
    """A pressure or flow: nominal while its pump runs, 0 when it stops."""
    return (name, nominal, tau, 0.008 * nominal) if on else (name, 0.0, tau, 0.0)


def _hk3(plant: Plant) -> Iterator[Step]:
    v = plant.values
    pump = bool(v["circulating_pump"])
    tower = bool(v["cooling_tower_fan1"] or v["cooling_tower_fan2"] or v["cooling_tower_fan3"])
    yield _supply_step("supply_liquid_temp", plant, pump and (tower or bool(v["spray_pump"])))
    supply = num(v["supply_liquid_temp"])
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


def _immersion(plant: Plant) -> Iterator[Step]:
    v = plant.values
    dry_cooler = bool(v["dry_cooler_freq_run"] or v["dry_cooler_power_freq_run"])
    pump1, pump2 = bool(v["second_pump1"]), bool(v["second_pump2"])
    primary = bool(v["primary_circulating_pump"])
    yield _supply_step("second_supply_temp1", plant, pump1 and primary and dry_cooler)
    yield _supply_step("second_supply_temp2", plant, pump2 and primary and dry_cooler)
    supply1 = num(v["second_supply_temp1"])
    supply2 = num(v["second_supply_temp2"])
    load = plant.current_load = _load_at(max(supply1, supply2))
    yield "second_return_temp1", supply1 + 6.0 * load, 30.0, 0.08
    yield "second_return_temp2", supply2 + 6.0 * load, 30.0, 0.08
    returns = (num(v["second_return_temp1"]) + num(v["second_return_temp2"])) / 2
    if primary and dry_cooler:
        yield "primary_supply_temp", plant.target_supply - 4.0, TAU_COOLING, 0.08
    else:
        yield "primary_supply_temp", returns - 2.0, TAU_DRIFT, 0.08
    primary_supply = num(v["primary_supply_temp"])
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
    yield "feedback_fre", num(v["drycooler_freq"]), 2.0, 0.05 if freq else 0.0
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
        volts = num(v[f"vol_{phase}_distribution"])
        amps = num(v["power_distribution"]) / (3 * max(volts, 1.0) * 0.95)
        yield f"cur_{phase}_distribution", amps, 2.0, 0.0
    it_power = (plant.rated_power[0] + plant.rated_power[1]) * load
    yield "distribution_box_power", it_power, 15.0, 0.003 * it_power


MODELS: Final[Mapping[Kind, Model]] = {Kind.HK3: _hk3, Kind.IMMERSION: _immersion}


class MinerTable:
    """The miners' data, drawn once from the spec's seed and kept compact.

    A few stand idle and a few run hot from the start (`VARIED_MINERS`); a miner can be
    stopped or started, left out of `minerInfo` (it does not report) and its chip temperature
    set, by its position (1-based, its place in `minerInfo` while every miner reports).
    """

    __slots__ = (
        "chip",
        "chip_set",
        "drawn_idle",
        "elapsed",
        "hashrate",
        "idle",
        "models",
        "pcb",
        "power",
        "second",
        "third",
        "unlisted",
        "versions",
    )

    def __init__(self, seed: int, count: int) -> None:
        """Draw `count` miners from `seed`."""
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
        varied = round(count * VARIED_MINERS)
        picked = rng.sample(range(count), 2 * varied)
        self.drawn_idle = frozenset(picked[:varied])
        for index in picked[varied:]:
            self.chip[index] += HOT_CHIP_OFFSET
        self.idle: set[int] = set(self.drawn_idle)
        """Indices of the miners that do not hash."""
        self.chip_set: dict[int, float] = {}
        """Chip temperatures, °C, set by index: they hold there whatever the plant does."""
        self.unlisted: set[int] = set()
        """Indices of the miners `minerInfo` leaves out: they do not report."""

    def __len__(self) -> int:
        """How many miners there are."""
        return len(self.models)

    def index(self, position: int) -> int:
        """The index of the miner at a position (1-based); ValueError if there is none."""
        if isinstance(position, bool) or not 1 <= position <= len(self):
            raise ValueError(f"there is no miner at position {position!r} (1 to {len(self)})")
        return position - 1

    def restore(self) -> None:
        """Back to the miners as drawn: the idle ones idle, no chip temperature set."""
        self.idle = set(self.drawn_idle)
        self.chip_set.clear()
        self.unlisted.clear()

    def rows(self) -> Iterator[tuple[str, str, str, int, float, int, int, float | None]]:
        """Each reporting miner's address, type, version, elapsed s, GH/s at full load.

        The hashrate is 0 for an idle miner. Then its pcb and chip offsets, °C, and the chip temperature set for it (or None).
        """
        second, third = self.second, self.third
        idle, chip_set, unlisted = self.idle, self.chip_set, self.unlisted
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
            if index in unlisted:
                continue
            address = f"10.{second}.{(third + index // 250) % 256}.{index % 250 + 2}"
            yield (
                address,
                MINER_MODELS[model][0],
                MINER_VERSIONS[version],
                elapsed,
                0.0 if index in idle else hashrate,
                pcb,
                chip,
                chip_set.get(index),
            )
