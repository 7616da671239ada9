"""The simulated plant: field knowledge from the device layer, dynamics, faults, knobs."""

from __future__ import annotations

import math
from typing import Any

import pytest

from custom_components.antspace.pyantspace import CoolerState, Kind, Role, Status, wire_fields
from custom_components.antspace.pyantspace.alerts import alerts_for
from mock.physics import HOT, MODELS, NOMINAL_SETPOINT, TAU_COOLING
from mock.plant import (
    ContainerSpec,
    Failure,
    MockContainer,
    fault_flags,
    names_of_role,
)
from tests.mock.helpers import FakeClock


def plant(kind: Kind = Kind.HK3, **kwargs: object) -> tuple[MockContainer, FakeClock]:
    clock = FakeClock()
    return MockContainer(ContainerSpec(kind, **kwargs), clock=clock), clock  # type: ignore[arg-type]


SUPPLY = {Kind.HK3: "supply_liquid_temp", Kind.IMMERSION: "second_supply_temp1"}
RETURN = {Kind.HK3: "return_liquid_temp", Kind.IMMERSION: "second_return_temp1"}


@pytest.mark.parametrize("kind", list(Kind))
def test_fields_come_from_the_device_layer(kind: Kind) -> None:
    mock, _ = plant(kind)
    params = mock.cooler_state()
    expected = {wire.key for wire in wire_fields(kind).values()}
    expected |= {spec.flag for spec in alerts_for(kind) if spec.flag and not spec.optional}
    assert set(params) == expected
    assert fault_flags(kind) == mock.fault_flags
    for wire in wire_fields(kind).values():
        assert isinstance(params[wire.key], bool) is wire.is_bool, wire.key
    # Every measurement of the kind has dynamics, and nothing else does.
    steps = [step[0] for step in MODELS[kind](mock)]
    assert sorted(steps) == sorted(names_of_role(kind, Role.MEASUREMENT))
    assert len(steps) == len(set(steps))


@pytest.mark.parametrize("kind", list(Kind))
def test_frozen_containers_of_one_spec_answer_identically(kind: Kind) -> None:
    first = MockContainer(ContainerSpec(kind, frozen=True))
    second = MockContainer(ContainerSpec(kind, frozen=True), clock=lambda: 5e9)
    assert first.cooler_state() == second.cooler_state()
    assert first.miner_info() == second.miner_info()
    state = CoolerState.from_params(first.cooler_state())
    assert state.status is Status.RUNNING
    assert getattr(state, SUPPLY[kind]) == NOMINAL_SETPOINT
    # A seed draws other miners, which draw another power.
    other = MockContainer(ContainerSpec(kind, frozen=True, seed=9))
    assert other.cooler_state() != first.cooler_state()
    assert list(other.miner_info()["miner_info"]) != list(first.miner_info()["miner_info"])


def test_frozen_values_stand_still() -> None:
    mock, clock = plant(frozen=True)
    before = mock.cooler_state()
    clock.advance(3600)
    assert mock.cooler_state() == before
    mock.set_value("supply_liquid_temp", 12.0)
    clock.advance(3600)
    assert mock.value("supply_liquid_temp") == 12.0
    mock.frozen = False
    clock.advance(TAU_COOLING * 10)
    assert mock.value("supply_liquid_temp") == pytest.approx(NOMINAL_SETPOINT, abs=0.5)


def test_values_move_when_read_not_otherwise() -> None:
    mock, clock = plant(seed=4)
    first = mock.cooler_state()
    assert mock.cooler_state() == first  # no time has passed
    clock.advance(10)
    moved = mock.cooler_state()
    assert moved != first
    assert moved["supply_liquid_temp"] == pytest.approx(NOMINAL_SETPOINT, abs=1)


def test_same_seed_same_clock_same_values() -> None:
    a, clock_a = plant(seed=11)
    b, clock_b = plant(seed=11)
    for step in (1, 5, 60):
        clock_a.advance(step)
        clock_b.advance(step)
        assert a.cooler_state() == b.cooler_state()
        assert a.miner_info() == b.miner_info()


@pytest.mark.parametrize("kind", list(Kind))
def test_supply_follows_the_setpoint_with_a_first_order_lag(kind: Kind) -> None:
    mock, clock = plant(kind, seed=1)
    mock.set_temp("25")
    clock.advance(TAU_COOLING)
    after_tau = mock.value(SUPPLY[kind])
    # One time constant covers 63 % of the step from 35 to 25 °C.
    assert after_tau == pytest.approx(35 - 10 * (1 - math.exp(-1)), abs=0.6)
    clock.advance(TAU_COOLING * 8)
    assert mock.value(SUPPLY[kind]) == pytest.approx(25, abs=0.5)
    # The return runs warmer than the supply under load.
    assert 5 <= mock.value(RETURN[kind]) - mock.value(SUPPLY[kind]) <= 8  # type: ignore[operator]


def test_hk3_close_stops_everything_and_the_plant_warms_up() -> None:
    mock, clock = plant(Kind.HK3, seed=2)
    nominal_power = mock.value("distribution_box1_power")
    assert 150_000 <= nominal_power <= 250_000  # type: ignore[operator]
    mock.close_cooling()
    state = CoolerState.from_params(mock.cooler_state())
    assert not any(
        getattr(state, name) for name in names_of_role(Kind.HK3, Role.RUNNING)
    )  # the reference leaves the circulating pump on
    assert state.status is Status.STOPPED
    clock.advance(60)
    assert mock.value("supply_liquid_pressure") < 0.1  # type: ignore[operator]
    assert mock.value("return_liquid_pressure") < 0.1  # type: ignore[operator]
    assert mock.value("supply_liquid_flow") < 0.1  # type: ignore[operator]
    clock.advance(600)
    supply = mock.value("supply_liquid_temp")
    assert supply == pytest.approx(HOT - (HOT - 35) * math.exp(-660 / 600), abs=1)
    # Past 50 °C the miners throttle: less power, less hashrate.
    clock.advance(1800)
    assert mock.load < 0.5
    assert mock.value("distribution_box1_power") < nominal_power / 2  # type: ignore[operator]
    hashrate = mock.miner_info()["total_hashrate"]
    mock.open_cooling()
    clock.advance(TAU_COOLING * 10)
    assert mock.value("supply_liquid_temp") == pytest.approx(35, abs=0.5)
    assert mock.value("supply_liquid_pressure") == pytest.approx(35, abs=1.5)
    assert mock.miner_info()["total_hashrate"] > 2 * hashrate


def test_immersion_close_and_open() -> None:
    mock, clock = plant(Kind.IMMERSION, seed=3)
    assert 300_000 <= mock.value("distribution_box_power") <= 400_000  # type: ignore[operator]
    assert 2_000 <= mock.value("power_distribution") <= 10_000  # type: ignore[operator]
    assert mock.cooler_state()["vol_a_distribution"] == pytest.approx(2300, abs=20)
    mock.close_cooling()
    clock.advance(120)
    state = CoolerState.from_params(mock.cooler_state())
    assert (state.second_pump1, state.second_pump2, state.container_fan) == (False,) * 3
    assert (state.valve1_close, state.valve1_open, state.pump_ready) == (True, False, True)
    assert state.status is Status.STOPPED
    assert state.drycooler_freq < 1  # type: ignore[operator]
    assert state.power_distribution < 1_000  # type: ignore[operator]
    assert state.cur_a_distribution < 2  # type: ignore[operator]
    assert state.second_supply_temp1 > 38  # type: ignore[operator]
    assert not mock.cooling_on
    mock.open_cooling()
    assert mock.cooling_on
    assert CoolerState.from_params(mock.cooler_state()).status is Status.RUNNING


def test_set_temp_like_the_reference() -> None:
    mock, _ = plant(Kind.HK3, frozen=True)
    mock.set_temp("30")
    assert (mock.setpoint, mock.pid_mode) == (30.0, False)
    mock.set_temp("pid")
    assert (mock.setpoint, mock.pid_mode) == (38.0, True)
    assert mock.cooler_state()["supply_liquid_set_temp"] == 38.0
    for nonsense in ("abc", "nan", "inf", None, ""):
        mock.set_temp("pid")
        mock.set_temp(nonsense)
        assert (mock.setpoint, mock.pid_mode) == (None, False)
        assert mock.cooler_state()["supply_liquid_set_temp"] is None
        assert mock.value("supply_liquid_set_temp") is None
    assert mock.target_supply == 38.0  # the plant keeps the last usable setpoint
    mock.set_temp("1e3")
    assert mock.setpoint == 1000.0  # the device does not refuse nonsense
    assert mock.target_supply == 70.0


def test_faults() -> None:
    mock, _ = plant(Kind.IMMERSION, error=True)
    assert all(mock.faults.values())
    assert len(mock.faults) == 21  # its 20 flags and `disconnect`
    mock.reset()
    assert not any(mock.faults.values())
    mock.set_fault("phasefailure")
    assert CoolerState.from_params(mock.cooler_state()).faults["phasefailure"] is True
    mock.set_fault("phasefailure", active=False)
    assert not any(mock.faults.values())
    with pytest.raises(ValueError, match="no fault flag 'circulating_pump_fault'"):
        mock.set_fault("circulating_pump_fault")
    mock.set_all_faults(True)
    mock.open_cooling()  # the Immersion keeps its faults on open
    assert all(mock.faults.values())

    hk3, _ = plant(Kind.HK3, error=True)
    assert len(hk3.faults) == 19  # its 18 flags and `disconnect`
    hk3.open_cooling()  # the HK3 clears its alarms on open, as the reference does
    assert not any(hk3.faults.values())


def test_set_value_and_value() -> None:
    mock, clock = plant(Kind.IMMERSION, seed=5)
    mock.set_value("second_supply_temp1", 12.0)
    assert mock.value("second_supply_temp1") == 12.0
    clock.advance(TAU_COOLING)
    assert 12 < mock.value("second_supply_temp1") < 35  # type: ignore[operator]
    mock.set_value("container_fan", False)
    assert mock.value("container_fan") is False
    mock.set_value("pid_mode", True)
    assert mock.pid_mode is True
    mock.set_value("supply_liquid_set_temp", 28.0)
    assert (mock.setpoint, mock.target_supply) == (28.0, 28.0)
    mock.set_value("protocol_version", 6)
    assert mock.cooler_state()["protocol_version"] == 6
    mock.set_value("distribution_box_power", 250_000)
    assert mock.value("distribution_box_power") == 250_000
    assert mock.value("vol_b_distribution") == round(mock.value("vol_b_distribution"), 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reports no value 'supply_liquid_temp'"):
        mock.set_value("supply_liquid_temp", 1.0)
    with pytest.raises(ValueError, match="reports no value"):
        mock.value("total_power")
    with pytest.raises(ValueError, match="is a boolean"):
        mock.set_value("container_fan", 1)
    with pytest.raises(ValueError, match="finite number"):
        mock.set_value("out_temp", True)
    with pytest.raises(ValueError, match="finite number"):
        mock.set_value("out_temp", math.nan)


def test_miners() -> None:
    mock, clock = plant(Kind.HK3, seed=6, miners=30)
    info = mock.miner_info()
    assert info["miner_num"] == 30
    assert len(info["miner_info"]) == 30
    # One in forty stands idle and as many run hot: one each of 30.
    (idle,) = mock.idle_miners
    chips = []
    for position, (address, miner) in enumerate(info["miner_info"].items(), start=1):
        first, *_ = address.split(".")
        assert first == "10"
        assert all(0 <= int(part) <= 255 for part in address.split("."))
        assert isinstance(miner["elapsed"], int)
        if position == idle:
            assert miner["GHS_5s"] == miner["GHS_avg"] == 0
            assert 30 < miner["chip_max_temp"] < 50
        else:
            assert miner["GHS_5s"] > 0
            chips.append(miner["chip_max_temp"])
    assert all(50 < chip < 90 for chip in chips)
    assert len([chip for chip in chips if chip > 75]) == 1
    assert info["total_hashrate"] == pytest.approx(
        sum(m["GHS_5s"] for m in info["miner_info"].values())
    )
    assert info["chip_max_temp"] == max(m["chip_max_temp"] for m in info["miner_info"].values())
    elapsed = [m["elapsed"] for m in info["miner_info"].values()]
    clock.advance(100)
    later = [m["elapsed"] for m in mock.miner_info()["miner_info"].values()]
    assert [b - a for a, b in zip(elapsed, later, strict=True)] == [100] * 30
    empty, _ = plant(Kind.HK3, miners=0)
    assert empty.miner_info() == {
        "miner_num": 0,
        "total_hashrate": 0.0,
        "pcb_max_temp": 0,
        "chip_max_temp": 0,
        "chip_temp_mean": 0,
        "miner_info": {},
    }
    assert empty.value("distribution_box1_power") == 0.0


def test_one_miner_stopped_started_and_heated() -> None:
    """A miner stopped by its position hashes no more and draws no power; one can be left
    out of `minerInfo`, and its chip temperature held; `restore_miners` brings back the
    miners as drawn."""
    mock, _clock = plant(Kind.HK3, seed=6, miners=30, frozen=True)
    (idle,) = mock.idle_miners
    position = 1 if idle != 1 else 2
    power = sum(mock.rated_power)

    def miner() -> dict[str, Any]:
        return list(mock.miner_info()["miner_info"].values())[position - 1]

    mock.set_miner_hashing(position, False)
    assert mock.idle_miners == tuple(sorted((idle, position)))
    assert miner()["GHS_5s"] == 0
    assert sum(mock.rated_power) < power
    mock.set_miner_hashing(position, True)
    assert miner()["GHS_5s"] > 0
    assert sum(mock.rated_power) == pytest.approx(power)
    mock.set_miner_chip_temp(position, 101.4)
    assert (miner()["chip_max_temp"], mock.miner_chip_temps) == (101, {position: 101.4})
    mock.set_miner_chip_temp(position, None)
    assert miner()["chip_max_temp"] < 90
    for bad in (0, 31, True):
        with pytest.raises(ValueError, match="no miner at position"):
            mock.set_miner_hashing(bad, False)
    with pytest.raises(ValueError, match="finite number"):
        mock.set_miner_chip_temp(position, math.inf)
    mock.set_miner_reporting(position, False)
    assert mock.unlisted_miners == (position,)
    assert len(mock.miner_info()["miner_info"]) == 29
    mock.set_miner_hashing(idle, True)
    mock.set_miner_chip_temp(position, 99)
    mock.miners_hashing = False
    mock.restore_miners()
    assert (mock.idle_miners, mock.unlisted_miners, mock.miner_chip_temps) == ((idle,), (), {})
    assert mock.miners_hashing is True


def test_failure_countdown() -> None:
    mock, _ = plant()
    assert mock.take_failure() is Failure.NONE
    mock.set_failure("drop", 2)
    assert [mock.take_failure() for _ in range(3)] == [Failure.DROP, Failure.DROP, Failure.NONE]
    assert mock.failure_count is None
    mock.set_failure(Failure.HTTP_500)
    assert [mock.take_failure() for _ in range(3)] == [Failure.HTTP_500] * 3
    mock.set_failure(Failure.NONE, 3)
    assert mock.failure_count is None
    with pytest.raises(ValueError, match="at least 1"):
        mock.set_failure(Failure.DROP, 0)


def test_spec_validation_and_repr() -> None:
    assert ContainerSpec("IMMERSION").kind is Kind.IMMERSION  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="hk4"):
        ContainerSpec("hk4")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        ContainerSpec(Kind.HK3, miners=-1)
    with pytest.raises(ValueError, match="not a TCP port"):
        ContainerSpec(Kind.HK3, port=70000)
    mock, _ = plant(port=8123)
    assert repr(mock) == "MockContainer(hk3, port=8123)"
    state = mock.state()
    assert state["kind"] == "hk3"
    assert state["values"]["supply_liquid_temp"] == NOMINAL_SETPOINT
    assert state["values"]["circulating_pump"] is True
    assert set(state["faults"]) == set(mock.fault_flags)


def test_handle_dispatches_operations() -> None:
    mock, _ = plant(Kind.HK3, frozen=True)
    assert mock.handle("coolerState", {})["supply_liquid_temp"] == 35.0
    assert mock.handle("minerInfo", {})["miner_num"] == 120
    assert mock.handle("close", {}) is None
    assert not mock.cooling_on
    assert mock.handle("setTemp", {"temp": "33"}) is None
    assert mock.setpoint == 33.0
    with pytest.raises(KeyError):
        mock.handle("selfDestruct", {})
