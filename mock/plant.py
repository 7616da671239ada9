"""The simulated plant of one Antspace container: its state, its dynamics and its wire answers.

What a kind of container sends is not restated here. The keys, JSON types and scalings of
`coolerState` come from the device layer's field declarations (`wire_fields(kind)` and
`WireField.to_wire`), and the fault flags a kind sends from the alert table
(`alerts_for(kind)`). This module adds only what a real plant adds: how the values behave.

The physics are in `physics.py`, the misbehaviour and the fault flags in `faults.py`.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
import math
import random
import time
from typing import Any, Final

from custom_components.antspace.pyantspace.kinds import Kind
from custom_components.antspace.pyantspace.models import Role, WireField, wire_fields

from .faults import Failure, fault_flags, optional_flags
from .physics import (
    MODELS,
    NOMINAL_SETPOINT,
    PID_SETPOINT,
    RUNNING_OFF,
    RUNNING_ON,
    STATIC,
    MinerTable,
    Value,
    clamp,
    num,
)

__all__ = ["MODELS", "ContainerSpec", "Failure", "MockContainer", "fault_flags", "optional_flags"]

type Clock = Callable[[], float]


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


@cache
def fields_of(kind: Kind) -> tuple[tuple[str, WireField], ...]:
    """The wire fields a kind reports, by model attribute name, in declaration order."""
    return tuple(wire_fields(kind).items())


def names_of_role(kind: Kind, role: Role) -> tuple[str, ...]:
    """The model attribute names of one role that a kind reports."""
    return tuple(name for name, wire in fields_of(kind) if wire.role is role)


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
        self._miners = MinerTable(spec.seed if spec.seed is not None else 0, spec.miners)
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
                self.values[name] = STATIC[name]
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
        """W of the miners that hash, at full load; an idle miner draws nothing."""
        half = (self.spec.miners + 1) // 2
        idle = self._miners.idle
        first = second = 0.0
        for index, power in enumerate(self._miners.power):
            if index in idle:
                continue
            if index < half:
                first += power
            else:
                second += power
        return first, second

    # Miners --------------------------------------------------------------------------------
    @property
    def idle_miners(self) -> tuple[int, ...]:
        """The positions (1-based, as `minerInfo` lists them) of the miners that do not hash."""
        return tuple(sorted(index + 1 for index in self._miners.idle))

    @property
    def miner_chip_temps(self) -> dict[int, float]:
        """The chip temperatures set, °C, by position."""
        return {index + 1: temp for index, temp in sorted(self._miners.chip_set.items())}

    def set_miner_hashing(self, position: int, hashing: bool) -> None:
        """Start or stop one miner, by its position; an idle miner draws no power."""
        index = self._miners.index(position)
        self._advance()
        if hashing:
            self._miners.idle.discard(index)
        else:
            self._miners.idle.add(index)
        self.rated_power = self._rated_power()

    @property
    def unlisted_miners(self) -> tuple[int, ...]:
        """The positions of the miners `minerInfo` leaves out (they do not report)."""
        return tuple(sorted(index + 1 for index in self._miners.unlisted))

    def set_miner_reporting(self, position: int, reporting: bool) -> None:
        """List one miner in `minerInfo` or leave it out; `miner_num` counts it all the same."""
        index = self._miners.index(position)
        if reporting:
            self._miners.unlisted.discard(index)
        else:
            self._miners.unlisted.add(index)

    def set_miner_chip_temp(self, position: int, celsius: float | None) -> None:
        """Hold one miner's chip temperature, °C, by its position; None lets the plant drive it."""
        index = self._miners.index(position)
        if celsius is None:
            self._miners.chip_set.pop(index, None)
            return
        if isinstance(celsius, bool) or not math.isfinite(celsius):
            raise ValueError(f"a chip temperature is a finite number, not {celsius!r}")
        self._miners.chip_set[index] = float(celsius)

    def restore_miners(self) -> None:
        """The miners as drawn: the idle ones idle, all reporting and hashing, no chip held."""
        self._advance()
        self._miners.restore()
        self.miners_hashing = True
        self.rated_power = self._rated_power()

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
            x = target + (num(values[name]) - target) * decay
            if sigma:
                x += sigma * math.sqrt(1.0 - decay * decay) * gauss()
            values[name] = max(x, 0.0)

    # Operations ----------------------------------------------------------------------------
    def _switch(self, *, on: bool) -> None:
        self._cooling_on = on
        running = RUNNING_ON[self.kind] if on else RUNNING_OFF[self.kind]
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
            self._target = clamp(value, 5.0, 70.0)

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
            return num(self.values["supply_liquid_temp"])
        supply1 = num(self.values["second_supply_temp1"])
        return (supply1 + num(self.values["second_supply_temp2"])) / 2

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
            chip_set,
        ) in self._miners.rows():
            ghs_avg = hashrate * load
            ghs_5s = ghs_avg * (1.0 + 0.02 * gauss()) if noisy and ghs_avg else ghs_avg
            heat = load if hashrate else 0.0  # an idle miner runs at the liquid's temperature
            pcb = round(supply + 8.0 * heat + 4.0 + pcb_offset)
            chip = round(supply + 20.0 * heat + 5.0 + chip_offset if chip_set is None else chip_set)
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
            "miner_num": len(self._miners),
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
            "idle_miners": list(self.idle_miners),
            "unlisted_miners": list(self.unlisted_miners),
            "miner_chip_temps": {str(pos): temp for pos, temp in self.miner_chip_temps.items()},
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
