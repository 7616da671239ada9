"""The alert table: every device flag has one row, and no fault is dropped."""

from __future__ import annotations

from typing import Any

import pytest

from pyantspace import (
    ALERTS,
    COOLING_STOPPED_WHILE_MINING,
    LOOP_STOPPED_WHILE_MINING,
    CoolerState,
    Kind,
    MinerSummary,
    Severity,
    Status,
    active_alerts,
    alerts_for,
    undetermined_alerts,
)
from pyantspace.alerts import ALERTS_BY_KEY, DEFAULT_LOW_SUPPLY_TEMP
from pyantspace.rules import Alert
from tests.reference import reference_json


def reference_params(kind: Kind, *, error: bool = False) -> dict[str, Any]:
    name = f"{kind.value}{'-error' if error else ''}.coolerState.json"
    return dict(reference_json(name)["params"])


def device_flags(kind: Kind) -> list[str]:
    """The fault flags the reference mock sends for a kind: the ones it sets in --error."""
    normal, error = reference_params(kind), reference_params(kind, error=True)
    return [key for key, value in error.items() if value is True and normal[key] is False]


@pytest.mark.parametrize(("kind", "count"), [(Kind.HK3, 18), (Kind.IMMERSION, 20)])
def test_every_device_flag_maps_to_exactly_one_row(kind: Kind, count: int) -> None:
    flags = device_flags(kind)
    assert len(flags) == count
    for flag in flags:
        rows = [spec for spec in alerts_for(kind) if spec.flag == flag]
        assert len(rows) == 1, flag
    # And the table knows no flag the device does not send, but the optional flags of field
    # controllers and `disconnect`, a running state that the reference does not set in --error.
    rows = {spec.flag for spec in alerts_for(kind) if spec.flag and not spec.optional}
    assert rows == {*flags, "disconnect"}
    optional = {spec.flag for spec in alerts_for(kind) if spec.optional}
    assert optional == {"power_relay_fault", "liquid_level_high"}


@pytest.mark.parametrize("kind", list(Kind))
def test_each_flag_raises_its_own_alert(kind: Kind) -> None:
    base = reference_params(kind)
    if kind is Kind.HK3:
        base["supply_liquid_temp"] = 35
    for flag in device_flags(kind):
        alerts = active_alerts(CoolerState.from_params(base | {flag: True}))
        assert len(alerts) == 1, flag
        (alert,) = alerts.values()
        assert alert.spec.flag == flag
        assert alert.severity is alert.spec.severity
        assert alert.key == alert.spec.key


@pytest.mark.parametrize(
    ("flag", "severity"),
    [
        ("leakage_fault", Severity.CRITICAL),
        ("supply_liquid_temp_high", Severity.HIGH),
        ("supply_liquid_temp_too_high", Severity.CRITICAL),
        ("pump_alarm", Severity.HIGH),
    ],
)
def test_immersion_extras_raise_alerts(flag: str, severity: Severity) -> None:
    """The reference worker drops these four Immersion flags; this table does not."""
    params = reference_params(Kind.IMMERSION) | {flag: True}
    alerts = active_alerts(CoolerState.from_params(params))
    assert list(alerts) == [flag]
    assert alerts[flag].severity is severity
    assert "unrecognised_fault" not in alerts


def test_primary_circulating_pump_running_raises_nothing() -> None:
    params = reference_params(Kind.IMMERSION) | {"primary_circulating_pump": True}
    state = CoolerState.from_params(params)
    assert state.primary_circulating_pump is True
    assert active_alerts(state) == {}
    assert "primary_circulating_pump" not in state.faults


@pytest.mark.parametrize("kind", list(Kind))
def test_unknown_fault_flag_is_unrecognised_fault(kind: Kind) -> None:
    params = reference_params(kind) | {"coolant_alarm": True, "door_fault": False}
    if kind is Kind.HK3:
        params["supply_liquid_temp"] = 35
    alerts = active_alerts(CoolerState.from_params(params))
    assert list(alerts) == ["unrecognised_fault"]
    assert alerts["unrecognised_fault"].flags == ("coolant_alarm",)
    assert alerts["unrecognised_fault"].severity is Severity.HIGH
    params["door_fault"] = True
    assert active_alerts(CoolerState.from_params(params))["unrecognised_fault"].flags == (
        "coolant_alarm",
        "door_fault",
    )


@pytest.mark.parametrize(
    ("supply", "threshold", "raised"),
    [
        (19.9, DEFAULT_LOW_SUPPLY_TEMP, True),
        (20.0, DEFAULT_LOW_SUPPLY_TEMP, False),
        (25.0, 30.0, True),
        (25.0, 25.0, False),
        (5.0, 0.0, False),
    ],
)
def test_low_supply_temperature_respects_threshold(
    supply: float, threshold: float, raised: bool
) -> None:
    params = reference_params(Kind.HK3) | {"supply_liquid_temp": supply}
    alerts = active_alerts(CoolerState.from_params(params), low_supply_temp=threshold)
    assert ("supply_liquid_temp_low" in alerts) is raised
    if raised:
        assert alerts["supply_liquid_temp_low"].severity is Severity.HIGH
        assert alerts["supply_liquid_temp_low"].spec.flag is None


def test_low_supply_temperature_is_hk3_only_and_needs_a_value() -> None:
    params = reference_params(Kind.HK3)
    del params["supply_liquid_temp"]
    assert active_alerts(CoolerState.from_params(params), low_supply_temp=100) == {}
    immersion = reference_params(Kind.IMMERSION) | {"second_supply_temp1": 1}
    assert active_alerts(CoolerState.from_params(immersion), low_supply_temp=100) == {}


def test_table_shape() -> None:
    keys = [spec.key for spec in ALERTS]
    assert len(keys) == len(set(keys))
    assert ALERTS_BY_KEY["phase_failure"].flag == "phasefailure"
    assert ALERTS_BY_KEY["power_distribution_fault"].flag == "power_distribution_Fault"
    assert ALERTS_BY_KEY["fan1_fault"].reference == "fan_fault"
    assert ALERTS_BY_KEY["second_pump2_fault"].reference == "secondary_pump_fault"
    assert str(Severity.CRITICAL) == "critical"
    assert Severity.CRITICAL > Severity.HIGH > Severity.MEDIUM
    assert Alert(spec=ALERTS_BY_KEY["lever_low"]).flags == ()


HASHING = MinerSummary(total_hashrate=16_368_000.0, listed=120, hashing=120)
IDLE = MinerSummary(total_hashrate=0.0, listed=0, hashing=0)


def test_undetermined_alerts_are_those_whose_input_is_missing() -> None:
    full = CoolerState.from_params(reference_params(Kind.HK3))
    assert undetermined_alerts(full, HASHING) == frozenset()
    params = reference_params(Kind.HK3)
    del params["spray_pump_fault"], params["supply_liquid_temp"]
    assert undetermined_alerts(CoolerState.from_params(params), HASHING) == {
        "spray_pump_fault",
        "supply_liquid_temp_low",
    }
    params = reference_params(Kind.IMMERSION)
    del params["phasefailure"]
    assert undetermined_alerts(CoolerState.from_params(params), IDLE) == {"phase_failure"}
    # Without a hashrate nothing tells whether the miners hash; without their list, nothing
    # tells of each miner.
    for miners in (None, MinerSummary()):
        assert undetermined_alerts(full, miners) == {
            "cooling_stopped_while_mining",
            "miners_not_hashing",
            "miner_overheating",
        }


# The running states that make the cooling circulate, by kind (CoolerState.cooling_running).
CIRCULATION = {Kind.HK3: ("circulating_pump",), Kind.IMMERSION: ("second_pump1", "second_pump2")}


@pytest.mark.parametrize("kind", list(Kind))
def test_cooling_stopped_while_mining(kind: Kind) -> None:
    """Raised only when the cooling does not circulate and the miners hash."""
    params = reference_params(kind)
    running = CoolerState.from_params(params | dict.fromkeys(CIRCULATION[kind], True))
    stopped = CoolerState.from_params(params | dict.fromkeys(CIRCULATION[kind], False))
    assert running.cooling_running
    assert not stopped.cooling_running
    key = "cooling_stopped_while_mining"
    alert = active_alerts(stopped, miners=HASHING)[key]
    assert alert.severity is Severity.CRITICAL
    assert ALERTS_BY_KEY[key].flag is None
    assert key not in active_alerts(running, miners=HASHING)
    assert key not in active_alerts(stopped, miners=IDLE)
    assert key not in active_alerts(stopped, miners=MinerSummary())
    assert key not in active_alerts(stopped)
    # An answer without the pumps' states says nothing of the circulation.
    unknown = CoolerState.from_params(
        {k: v for k, v in params.items() if k not in CIRCULATION[kind][-1:]}
        | dict.fromkeys(CIRCULATION[kind][:-1], False)
    )
    assert unknown.cooling_running is None
    assert unknown.status is None
    assert key not in active_alerts(unknown, miners=HASHING)
    assert key in undetermined_alerts(unknown, HASHING)
    # One circulating secondary pump is enough on an Immersion container.
    if kind is Kind.IMMERSION:
        one = CoolerState.from_params(params | {"second_pump1": True, "second_pump2": False})
        assert key not in active_alerts(one, miners=HASHING)


def test_container_unreachable_is_never_computed_from_an_answer() -> None:
    """The poller raises it; an answer, any answer, shows the container answers."""
    spec = ALERTS_BY_KEY["container_unreachable"]
    assert (spec.flag, spec.severity, spec.kinds) == (None, Severity.CRITICAL, frozenset(Kind))
    for kind in Kind:
        state = CoolerState.from_params(reference_params(kind, error=True))
        assert "container_unreachable" not in active_alerts(state, miners=HASHING)
        assert "container_unreachable" not in undetermined_alerts(state)


def test_one_loop_stopped_while_mining() -> None:
    """An Immersion's loop stopped while the other runs and the miners hash: that loop's alert.

    Both stopped: `cooling_stopped_while_mining` stands alone. A pump state the answer does
    not tell leaves that loop's alert undetermined.
    """
    params = reference_params(Kind.IMMERSION)
    loop1, loop2 = LOOP_STOPPED_WHILE_MINING
    cooling = COOLING_STOPPED_WHILE_MINING

    def judged(pump1: Any, pump2: Any, miners: MinerSummary = HASHING) -> tuple[set[str], ...]:
        state = CoolerState.from_params(params | {"second_pump1": pump1, "second_pump2": pump2})
        circulation = {cooling, loop1, loop2}
        active = set(active_alerts(state, miners=miners)) & circulation
        return active, set(undetermined_alerts(state, miners)) & circulation

    assert judged(True, True) == (set(), set())
    assert judged(True, False) == ({loop2}, set())
    assert judged(False, True) == ({loop1}, set())
    assert judged(False, False) == ({cooling}, set())
    assert judged(False, False, IDLE) == (set(), set())
    assert judged(True, "true") == (set(), {loop2})
    assert judged(False, "true") == (set(), {cooling, loop1, loop2})
    assert judged(True, False, MinerSummary()) == (set(), {cooling, loop1, loop2})
    for key in (loop1, loop2):
        spec = ALERTS_BY_KEY[key]
        assert (spec.severity, spec.kinds, spec.flag) == (
            Severity.CRITICAL,
            frozenset({Kind.IMMERSION}),
            None,
        )
    hk3 = CoolerState.from_params(reference_params(Kind.HK3) | {"circulating_pump": True})
    assert not {loop1, loop2} & (set(active_alerts(hk3, miners=HASHING)) | undetermined_alerts(hk3))


@pytest.mark.parametrize("kind", list(Kind))
def test_controller_and_field_flags(kind: Kind) -> None:
    """`disconnect` is the controller's lost plant; two flags of field controllers are named."""
    base = reference_params(kind)
    for flag, key, severity in (
        ("disconnect", "controller_disconnected", Severity.CRITICAL),
        ("power_relay_fault", "power_relay_fault", Severity.CRITICAL),
        ("liquid_level_high", "liquid_level_high", Severity.HIGH),
    ):
        state = CoolerState.from_params(base | {flag: True})
        alerts = active_alerts(state, miners=IDLE)
        assert set(alerts) == {key}, flag
        assert alerts[key].severity is severity
        assert state.status is Status.ERROR
    # The field flags are optional: an answer without them does not leave them undetermined;
    # one that sends them with the wrong type does.
    plain = CoolerState.from_params(base)
    assert not {"power_relay_fault", "liquid_level_high"} & undetermined_alerts(plain, IDLE)
    texts = CoolerState.from_params(base | {"power_relay_fault": "true"})
    assert "power_relay_fault" in undetermined_alerts(texts, IDLE)
    assert "controller_disconnected" in undetermined_alerts(
        CoolerState.from_params({k: v for k, v in base.items() if k != "disconnect"}), IDLE
    )


def _miners(hashrates: list[Any], chips: list[float] | None = None) -> MinerSummary:
    """A summary of miners at 10.0.0.2, .3, ... with these 5 s hashrates and chip temperatures."""
    info = {
        f"10.0.0.{n}": {"GHS_5s": ghs, "chip_max_temp": chip}
        for n, ghs, chip in zip(
            range(2, 2 + len(hashrates)), hashrates, chips or [60.0] * len(hashrates), strict=True
        )
    }
    params = {"miner_num": len(info), "total_hashrate": 1000.0, "miner_info": info}
    return MinerSummary.from_params(params, detail=False, chip_limit=95)


def test_miners_not_hashing() -> None:
    """Raised while at least the share set of the miners that report a hashrate do not hash
    and the cooling circulates; it names them. A hashrate that is no number reports none."""
    key = "miners_not_hashing"
    params = reference_params(Kind.HK3)
    running = CoolerState.from_params(params | {"circulating_pump": True})
    stopped = CoolerState.from_params(params | {"circulating_pump": False})
    untold = CoolerState.from_params(params | {"circulating_pump": "true"})
    one_in_ten = _miners([0, *[120_000.0] * 9])
    alert = active_alerts(running, miners=one_in_ten)[key]
    assert (alert.severity, alert.miners) == (Severity.HIGH, ((1, "10.0.0.2"),))
    assert "10.0.0.2" not in repr(alert)  # an address is private: not in a log line
    assert key not in active_alerts(running, miners=one_in_ten, not_hashing_share=11)
    assert key in active_alerts(
        running, miners=_miners([0, "x", *[120_000.0] * 8]), not_hashing_share=11
    )
    # With the cooling stopped the circulation's alerts tell; with its state untold, nothing.
    assert key not in active_alerts(stopped, miners=one_in_ten)
    assert key not in active_alerts(untold, miners=one_in_ten)
    assert key in undetermined_alerts(untold, one_in_ten)
    # Fewer than the share: off, whatever the pumps.
    assert key not in undetermined_alerts(untold, one_in_ten, not_hashing_share=11)
    assert key not in active_alerts(running, miners=_miners([120_000.0] * 10))
    assert key not in active_alerts(running, miners=IDLE)


def test_miner_overheating() -> None:
    """Raised while a miner's chip runs above the limit the summary was read with."""
    key = "miner_overheating"
    state = CoolerState.from_params(reference_params(Kind.IMMERSION))
    hot = _miners([120_000.0, 0, 120_000.0], [95.0, 96.5, 60.0])
    alert = active_alerts(state, miners=hot)[key]
    assert (alert.severity, alert.miners) == (Severity.HIGH, ((2, "10.0.0.3"),))
    assert key not in active_alerts(state, miners=_miners([120_000.0], [95.0]))
    assert key not in undetermined_alerts(state, IDLE)
    spec = ALERTS_BY_KEY[key]
    assert (spec.kinds, spec.flag) == (frozenset(Kind), None)
