"""Whatever JSON a container sends, the parser answers with a model or AntspaceResponseError."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from pyantspace import (
    AntspaceResponseError,
    CoolerState,
    Kind,
    MinerSummary,
    Operation,
    wire_fields,
)
from pyantspace.client import _unwrap
from pyantspace.models import fault_flags

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([0, 1, -1, 10**400, -(10**400)])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

COOLER_KEYS = sorted(
    {wire.key for wire in wire_fields().values()}
    | fault_flags(Kind.HK3)
    | fault_flags(Kind.IMMERSION)
)
MINER_KEYS = ["miner_type", "miner_version", "elapsed", "GHS_5s", "GHS_avg"]
MINER_KEYS += ["pcb_max_temp", "chip_max_temp"]
SUMMARY_KEYS = ["miner_num", "total_hashrate", "pcb_max_temp", "chip_max_temp", "chip_temp_mean"]

cooler_dicts = st.dictionaries(
    st.sampled_from(COOLER_KEYS) | st.text(max_size=12), json_values, max_size=40
)
miner_dicts = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(SUMMARY_KEYS, json_values),
        "miner_info": json_values
        | st.dictionaries(
            st.text(max_size=15),
            st.dictionaries(st.sampled_from(MINER_KEYS), json_values) | json_values,
            max_size=5,
        ),
    },
)


def check_state(state: CoolerState) -> None:
    """Every value has its declared type, finite."""
    for name, wire in wire_fields().items():
        value = getattr(state, name)
        if value is None:
            continue
        assert state.kind in wire.kinds, name
        if wire.is_bool:
            assert isinstance(value, bool), name
        else:
            assert isinstance(value, (int, float)), name
            assert not isinstance(value, bool), name
            assert math.isfinite(value), name
    assert all(isinstance(flag, bool) for flag in state.faults.values())
    _ = (state.status, state.total_power, state.any_fault)


@FAST
@given(json_values)
def test_cooler_state_from_any_json(params: Any) -> None:
    if not isinstance(params, dict):
        return
    try:
        state = CoolerState.from_params(params)
    except AntspaceResponseError:
        return
    check_state(state)


@FAST
@given(cooler_dicts)
def test_cooler_state_from_real_keys_with_any_values(params: dict[str, Any]) -> None:
    try:
        state = CoolerState.from_params(params)
    except AntspaceResponseError as err:
        message = str(err)
    else:
        check_state(state)
        return
    assert "HK3" in message


@FAST
@given(miner_dicts | st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_miner_summary_from_any_json(params: dict[str, Any]) -> None:
    summary = MinerSummary.from_params(params)
    for number in (summary.total_hashrate, summary.chip_temp_mean, summary.pcb_max_temp):
        assert number is None or math.isfinite(number)
    assert summary.miner_count is None or isinstance(summary.miner_count, int)
    for miner in summary.miners:
        assert isinstance(miner.address, str)
        assert miner.hashrate_5s is None or math.isfinite(miner.hashrate_5s)
        assert miner.miner_type is None or isinstance(miner.miner_type, str)


envelopes = st.fixed_dictionaries(
    {},
    optional={
        "ok": st.booleans() | json_values,
        "method": st.sampled_from([op.value for op in Operation]) | json_values,
        "params": json_values,
    },
)


def check_unwrap(body: bytes) -> None:
    try:
        _unwrap(Operation.COOLER_STATE, body)
    except AntspaceResponseError:
        return


@FAST
@given(envelopes | json_values)
def test_unwrap_any_json(answer: Any) -> None:
    check_unwrap(json.dumps(answer).encode())


@FAST
@given(st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_unwrap_any_bytes(body: bytes) -> None:
    check_unwrap(body)


@pytest.mark.parametrize(
    "body",
    [
        b"1" * 5000,  # an integer past Python's digit limit
        b"[" * 100_000,  # nested past the recursion limit
        "\ud800".encode("utf-8", "surrogatepass"),
        b'{"ok": true, "params": {"supply_liquid_temp": 1' + b"0" * 400 + b"}}",
        b"\xff\xfe\x00",
    ],
)
def test_unwrap_hostile_bodies(body: bytes) -> None:
    check_unwrap(body)


def test_good_envelope_unwraps() -> None:
    body = json.dumps({"ok": True, "method": "coolerState", "params": {"a": 1}}).encode()
    assert _unwrap(Operation.COOLER_STATE, body) == {"a": 1}
    huge = _unwrap(
        Operation.COOLER_STATE, b'{"ok":true,"params":{"spray_pump":1,"fan1":' + b"9" * 400 + b"}}"
    )
    assert CoolerState.from_params(huge).fan1 is None
    with pytest.raises(AntspaceResponseError, match="nested too deeply"):
        _unwrap(Operation.COOLER_STATE, b"[" * 100_000 + b"]" * 100_000)
