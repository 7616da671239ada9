"""The models parse every answer the reference mock gave, with the right kind and values."""

from __future__ import annotations

import ast
from dataclasses import asdict, replace
import json
import math
from pathlib import Path
from typing import Any

import pytest

import pyantspace
from pyantspace import (
    AntspaceResponseError,
    CoolerState,
    Kind,
    MinerSummary,
    Role,
    Status,
    active_alerts,
    alerts_for,
    detect_kind,
    wire_fields,
)
from pyantspace.models import (
    _KNOWN_KEYS,
    MAX_CONTAINER_POWER,
    Miner,
    WireField,
    _looks_like_fault,
    fault_flags,
    miner_table,
    plausible_power,
)
from tests.reference import REFERENCE, reference_json

OPTIONAL_FLAGS = frozenset({"power_relay_fault", "liquid_level_high"})
"""Flags only some controllers send; the reference does not."""


def state_of(name: str) -> CoolerState:
    return CoolerState.from_params(reference_json(name)["params"])


def test_every_reference_file_is_read() -> None:
    """The tests below cover every file the reference mock's capture holds."""
    covered = {
        "control-transcript.txt",
        "hk3.coolerState.json",
        "hk3-error.coolerState.json",
        "hk3.minerInfo.json",
        "hk3-error.minerInfo.json",
        "immersion.coolerState.json",
        "immersion-error.coolerState.json",
        "immersion.minerInfo.json",
        "immersion-error.minerInfo.json",
        "no-operation.http",
        "unknown-path.http",
        "unsupported-operation.http",
    }
    assert {path.name for path in REFERENCE.iterdir()} == covered


@pytest.mark.parametrize("error", [False, True], ids=["normal", "error"])
def test_hk3_reference_state(error: bool) -> None:
    state = state_of("hk3-error.coolerState.json" if error else "hk3.coolerState.json")
    assert state.kind is Kind.HK3
    assert state.supply_liquid_temp == 43.0
    assert state.return_liquid_temp == 49.0
    assert state.cooling_tower_inlet_temp == 26.0  # from `colding_tower_inlet_temp`
    assert state.antbox_internal_temp == 39.0
    assert state.antbox_internal_humidity == 54.0
    assert state.supply_liquid_pressure == 35.0
    assert state.return_liquid_pressure == 28.0
    assert state.supply_liquid_flow == 29.0
    assert state.supply_liquid_set_temp == 35.0
    assert state.pid_mode is False
    assert state.running_mode is False
    assert state.disconnect is False
    assert (state.longitude, state.latitude) == (0.0, 0.0)
    assert (state.longitude_direction, state.latitude_direction) == (0.0, 0.0)
    assert state.circulating_pump is False
    assert (state.fan1, state.fan2) == (False, True)
    assert state.spray_pump is True
    assert state.fluid_infusion_pump is False
    assert (state.cooling_tower_fan1, state.cooling_tower_fan2, state.cooling_tower_fan3) == (
        True,
        True,
        True,
    )
    box1, box2 = (2290.68, 2179.3) if error else (2337.34, 2636.46)
    assert state.distribution_box1_power == box1
    assert state.distribution_box2_power == box2
    assert state.total_power == pytest.approx(box1 + box2)
    # Nothing of the other kind, nothing unknown.
    assert state.second_pump1 is None
    assert state.protocol_version is None
    assert state.distribution_box_power is None
    assert state.extra == {}
    assert len(state.faults) == 19  # its fault flags, and `disconnect`
    assert set(state.faults) == fault_flags(Kind.HK3) - OPTIONAL_FLAGS
    assert state.faults["disconnect"] is False
    assert all(on for flag, on in state.faults.items() if flag != "disconnect") is error
    assert state.any_fault is error
    assert state.status is (Status.ERROR if error else Status.STOPPED)
    alerts = active_alerts(state)
    assert len(alerts) == (18 if error else 0)
    if error:
        assert set(alerts) == {
            spec.key
            for spec in alerts_for(Kind.HK3)
            if spec.flag and not spec.optional and spec.flag != "disconnect"
        }


@pytest.mark.parametrize("error", [False, True], ids=["normal", "error"])
def test_immersion_reference_state(error: bool) -> None:
    name = "immersion-error.coolerState.json" if error else "immersion.coolerState.json"
    state = state_of(name)
    assert state.kind is Kind.IMMERSION
    assert state.protocol_version == 5
    assert isinstance(state.protocol_version, int)
    assert state.vol_a_distribution == 223.3  # raw 2233, tenths of a volt
    assert state.vol_b_distribution == 226.3
    assert state.vol_c_distribution == 226.3
    # The reference mock's box power, raw 2062.17 (2362.11 with errors), is 206 MW at the
    # reference worker's scale of 100,000 W: more than a container can draw, so no reading.
    assert state.distribution_box_power is None
    assert state.total_power is None
    assert state.power_distribution == pytest.approx(7673.3)  # raw 7.6733 kW
    assert state.supply_liquid_set_temp == 0.0
    assert state.cur_a_distribution == 0.0
    assert state.second_supply_temp1 == 0.0
    assert state.tank_d_level == 0.0
    assert state.pid_mode is False
    assert state.second_pump1 is False
    assert state.second_pump2 is False
    assert state.primary_circulating_pump is False
    assert state.valve2_close is False
    assert (state.longitude, state.latitude) == (0.0, 0.0)
    assert state.circulating_pump is None
    assert state.supply_liquid_temp is None
    assert state.extra == {}
    assert len(state.faults) == 21  # its fault flags, and `disconnect`
    assert set(state.faults) == fault_flags(Kind.IMMERSION) - OPTIONAL_FLAGS
    assert state.faults["disconnect"] is False
    assert all(on for flag, on in state.faults.items() if flag != "disconnect") is error
    assert state.status is (Status.ERROR if error else Status.STOPPED)
    alerts = active_alerts(state)
    assert len(alerts) == (20 if error else 0)
    assert "unrecognised_fault" not in alerts


@pytest.mark.parametrize(
    "name",
    [
        "hk3.minerInfo.json",
        "hk3-error.minerInfo.json",
        "immersion.minerInfo.json",
        "immersion-error.minerInfo.json",
    ],
)
def test_reference_miner_info(name: str) -> None:
    raw = reference_json(name)["params"]
    summary = MinerSummary.from_params(raw)
    assert summary.miner_count == 120
    assert summary.total_hashrate == 12665.544871159516
    assert summary.pcb_max_temp == 98.0
    assert summary.chip_max_temp == 98.0
    assert summary.chip_temp_mean == 0.0
    assert len(summary.miners) == 5
    assert [m.address for m in summary.miners] == list(raw["miner_info"])
    first = summary.miners[0]
    assert first.miner_type == "S17 Hydro"
    assert first.miner_version == "2021-08-10 16:54:03"
    assert first.elapsed == 2565
    assert first.hashrate_5s == 87.83214750771423
    assert first.hashrate_avg == 124.3864406464078
    assert (first.pcb_max_temp, first.chip_max_temp) == (19.0, 46.0)
    assert [m.miner_type for m in summary.miners].count("S19 Hydro") == 3
    # The counts come from the same pass, with or without the detail.
    light = MinerSummary.from_params(raw, detail=False, chip_limit=80)
    assert light.miners == ()
    assert (light.listed, light.hashing, light.not_hashing, light.not_reporting) == (5, 5, (), 115)
    assert (light.hottest, light.hottest_chip_temp) == (4, 81.0)
    hot = (4, list(raw["miner_info"])[3])
    assert light.over_chip_limit == (hot,)
    assert light == replace(summary, miners=(), chip_limit=80, over_chip_limit=(hot,))


def test_miners_counted_without_an_object_each() -> None:
    """A hashrate of 0 does not hash; one that is not a number counts in neither; a miner
    `miner_num` counts and the list leaves out does not report."""
    info = {
        "10.0.0.2": {"GHS_5s": 0, "chip_max_temp": 96},
        "10.0.0.3": {"GHS_5s": "12", "chip_max_temp": 96},
        "10.0.0.4": {"GHS_5s": 101.5, "chip_max_temp": 95},
        "10.0.0.5": [1],
        "10.0.0.6": {"GHS_5s": -1, "chip_max_temp": -999999},
    }
    summary = MinerSummary.from_params(
        {"miner_num": 7, "miner_info": info}, detail=False, chip_limit=95
    )
    assert (summary.listed, summary.hashing, summary.not_hashing_count) == (5, 1, 2)
    assert summary.not_hashing == ((1, "10.0.0.2"), (5, "10.0.0.6"))
    assert summary.not_reporting == 2
    assert (summary.hottest, summary.hottest_chip_temp) == (1, 96.0)
    assert summary.over_chip_limit == ((1, "10.0.0.2"), (2, "10.0.0.3"))
    # Each miner's values, for a view of every miner, are those of its `Miner`.
    table = miner_table({"miner_info": info})
    assert table == [asdict(Miner.from_wire(a, raw)) for a, raw in info.items()]
    assert miner_table({"miner_info": [1]}) == []
    assert [Miner.from_wire(a, raw).hashing for a, raw in info.items()] == [
        False,
        None,
        True,
        None,
        False,
    ]
    # No list, or more listed than counted: nothing is made up.
    bare = MinerSummary.from_params({"miner_num": 3}, detail=False)
    assert (bare.listed, bare.hashing, bare.not_hashing_count, bare.not_reporting) == ((None,) * 4)
    assert MinerSummary.from_params({"miner_num": 3, "miner_info": info}).not_reporting == 0


def test_control_transcript_fields_parse() -> None:
    """The field snapshots of the control transcript parse in the fixture's context."""
    base = reference_json("hk3.coolerState.json")["params"]
    lines = (REFERENCE / "control-transcript.txt").read_text(encoding="utf-8").splitlines()
    seen = 0
    for line in lines:
        if line.startswith('{"ok": true, "method": "coolerState"}'):
            snapshot = json.loads(line.split("} ", 1)[1])
            kind = Kind.HK3 if "circulating_pump" in snapshot else Kind.IMMERSION
            params = base if kind is Kind.HK3 else reference_json("immersion.coolerState.json")
            params = dict(params.get("params", params)) | snapshot
            state = CoolerState.from_params(params)
            assert state.kind is kind
            expected = snapshot["supply_liquid_set_temp"]
            assert state.supply_liquid_set_temp == (None if expected is None else float(expected))
            assert state.pid_mode is snapshot["pid_mode"]
            seen += 1
    assert seen == 10


def test_detect_kind_needs_markers() -> None:
    with pytest.raises(AntspaceResponseError, match="none of the fields"):
        detect_kind({"supply_liquid_set_temp": 35})
    with pytest.raises(AntspaceResponseError, match="mixes"):
        detect_kind({"spray_pump": True, "second_pump1": True})
    assert detect_kind({"spray_pump": True, "cooling_tower_fan1": True, "drycooler_freq": 1})


def test_unknown_fields_and_faults_are_kept() -> None:
    params: dict[str, Any] = {
        "spray_pump": True,
        "new_pump_fault": True,  # unknown flag that reads like a fault
        "new_gadget": 7,  # unknown value
        "power_fault": "yes",  # known flag with the wrong type: kept for diagnostics
        "supply_liquid_temp": "hot",
    }
    state = CoolerState.from_params(params)
    assert state.faults == {"new_pump_fault": True}
    assert state.extra == {"new_gadget": 7, "power_fault": "yes"}
    assert state.supply_liquid_temp is None
    assert active_alerts(state)["unrecognised_fault"].flags == ("new_pump_fault",)
    assert state.status is Status.ERROR


@pytest.mark.parametrize(
    ("wire", "raw", "expected"),
    [
        (WireField("x", frozenset(Kind), Role.RUNNING, is_bool=True), 1, True),
        (WireField("x", frozenset(Kind), Role.RUNNING, is_bool=True), 0, False),
        (WireField("x", frozenset(Kind), Role.RUNNING, is_bool=True), 2, None),
        (WireField("x", frozenset(Kind), Role.RUNNING, is_bool=True), "true", None),
        (WireField("x", frozenset(Kind), Role.MEASUREMENT), True, None),
        (WireField("x", frozenset(Kind), Role.MEASUREMENT), math.inf, None),
        (WireField("x", frozenset(Kind), Role.MEASUREMENT), 10**400, None),
        (WireField("x", frozenset(Kind), Role.MEASUREMENT, scale=1e300), 1e300, None),
        (WireField("x", frozenset(Kind), Role.INFO, integer=True), 5.7, 5),
        (WireField("x", frozenset(Kind), Role.MEASUREMENT, scale=0.1, ndigits=1), 2263, 226.3),
    ],
)
def test_to_model(wire: WireField, raw: Any, expected: Any) -> None:
    assert wire.to_model(raw) == expected
    assert type(wire.to_model(raw)) is type(expected)


@pytest.mark.parametrize("kind", list(Kind))
def test_to_wire_round_trips(kind: Kind) -> None:
    """What the mock sends from a model value parses back to that value."""
    for name, wire in wire_fields(kind).items():
        value: float | bool = (
            True
            if wire.is_bool
            else 226.3
            if wire.scale < 1
            else 362_730.0
            if wire.scale > 1
            else 5
        )
        raw = wire.to_wire(value)
        assert isinstance(raw, bool) is wire.is_bool, name
        assert wire.to_model(raw) == pytest.approx(value), name
    assert wire_fields(kind)["protocol_version" if kind is Kind.IMMERSION else "fan1"]
    assert set(wire_fields(kind)) < set(wire_fields())


def test_total_power_unknown_when_a_box_is_missing() -> None:
    state = CoolerState.from_params({"spray_pump": True, "distribution_box1_power": 5})
    assert state.total_power is None


@pytest.mark.parametrize(
    "raw", [1e308, 1e300, -1e7, -0.5, MAX_CONTAINER_POWER * 1.01, 10**400, math.nan]
)
def test_implausible_powers_are_no_reading(raw: float) -> None:
    """Every power, and the total, reads None unless finite, >= 0 and at most 10 MW."""
    hk3 = CoolerState.from_params(
        {"spray_pump": True, "distribution_box1_power": raw, "distribution_box2_power": 2e5}
    )
    assert hk3.distribution_box1_power is None
    assert hk3.distribution_box2_power == 2e5
    assert hk3.total_power is None
    immersion = CoolerState.from_params(
        {"second_pump1": True, "distribution_box_power": raw, "power_distribution": raw}
    )
    assert immersion.distribution_box_power is None
    assert immersion.power_distribution is None
    assert immersion.total_power is None


def test_plausible_powers_are_readings() -> None:
    """Up to the bound a power is a reading; two plausible boxes above it in sum are not."""
    assert plausible_power(0.0) == 0.0
    assert plausible_power(MAX_CONTAINER_POWER) == MAX_CONTAINER_POWER
    assert plausible_power(None) is None
    immersion = CoolerState.from_params({"second_pump1": True, "distribution_box_power": 3.6})
    assert immersion.total_power == pytest.approx(360_000)
    half = MAX_CONTAINER_POWER * 0.6
    hk3 = CoolerState.from_params(
        {"spray_pump": True, "distribution_box1_power": half, "distribution_box2_power": half}
    )
    assert hk3.distribution_box1_power == half
    assert hk3.total_power is None


def test_no_field_reads_like_a_fault() -> None:
    """The parser asks only unknown keys whether they read like a fault flag: for the keys of
    the fields the answer would always be no."""
    assert not [key for key in _KNOWN_KEYS if _looks_like_fault(key)]


def test_new_keys_are_not_remembered() -> None:
    """Whatever keys a container invents, parsing them keeps nothing of them."""
    assert not hasattr(_looks_like_fault, "cache_info")
    params = {"spray_pump": True} | {f"gadget_{n}_fault": True for n in range(1000)}
    state = CoolerState.from_params(params)
    assert len(active_alerts(state)["unrecognised_fault"].flags) == 1000


def test_miner_entries_of_the_wrong_shape() -> None:
    summary = MinerSummary.from_params(
        {"miner_num": "x", "miner_info": {"10.0.0.1": [1], "10.0.0.2": {"elapsed": 1.9}}}
    )
    assert summary.miner_count is None
    assert summary.miners[0] == Miner(address="10.0.0.1")
    assert summary.miners[1].elapsed == 1
    assert MinerSummary.from_params({"miner_info": [1, 2]}).miners == ()


def test_running_states_decide_the_immersion_status() -> None:
    params = reference_json("immersion.coolerState.json")["params"] | {"second_pump2": True}
    assert CoolerState.from_params(params).status is Status.RUNNING
    params = reference_json("hk3.coolerState.json")["params"] | {"circulating_pump": True}
    assert CoolerState.from_params(params).status is Status.RUNNING


def test_temperatures_below_absolute_zero_are_no_reading() -> None:
    """Miners without a reading send a sentinel far below zero (field tools: under -100000)."""
    summary = MinerSummary.from_params(
        {
            "chip_max_temp": -100001,
            "pcb_max_temp": -273.16,
            "chip_temp_mean": -40,
            "miner_info": {"10.0.0.2": {"chip_max_temp": -999999, "pcb_max_temp": 55}},
        }
    )
    assert (summary.chip_max_temp, summary.pcb_max_temp, summary.chip_temp_mean) == (
        None,
        None,
        -40,
    )
    (miner,) = summary.miners
    assert (miner.chip_max_temp, miner.pcb_max_temp) == (None, 55)


def test_status_and_cooling_are_unknown_when_the_pumps_are_not_told() -> None:
    """A pump state of the wrong type is not "off": cooling and status are unknown."""
    hk3 = CoolerState.from_params(reference_json("hk3.coolerState.json")["params"])
    text = CoolerState.from_params(
        reference_json("hk3.coolerState.json")["params"] | {"circulating_pump": "true"}
    )
    assert (hk3.cooling_running, hk3.status) == (False, Status.STOPPED)
    assert (text.circulating_pump, text.cooling_running, text.status) == (None, None, None)
    params = reference_json("immersion.coolerState.json")["params"]
    one = CoolerState.from_params(params | {"second_pump1": True, "second_pump2": "x"})
    assert (one.cooling_running, one.status) == (True, Status.RUNNING)
    none = CoolerState.from_params(params | {"second_pump1": False, "second_pump2": None})
    assert (none.cooling_running, none.status) == (None, None)


def test_the_library_has_no_import_cycle() -> None:
    """Each module of pyantspace imports only those before it: kinds, exceptions, alerts,
    models, rules, client, scan (and the package's __init__ all of them)."""
    order = ["kinds", "exceptions", "alerts", "models", "rules", "client", "scan"]
    package = Path(pyantspace.__file__).parent
    assert {path.stem for path in package.glob("*.py")} == {*order, "__init__"}
    for position, name in enumerate(order):
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        }
        assert imported <= set(order[:position]), name
