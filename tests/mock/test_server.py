"""The mock's HTTP side: the reference's wire format, failures, control interface, serving."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from custom_components.antspace.pyantspace import (
    MAX_RESPONSE_BYTES,
    AntspaceClient,
    AntspaceConnectionError,
    CoolerState,
    Kind,
    Role,
    detect_kind,
    wire_fields,
)
from mock.plant import ContainerSpec, Failure, MockContainer, fault_flags
from mock.server import MockServer, break_fields, kind_markers, oversize_body
from tests.mock.helpers import FakeClock, Serve
from tests.reference import json_type, reference_http, reference_json


async def get(
    session: aiohttp.ClientSession, container: MockContainer, path: str, method: str = "GET"
) -> tuple[int, str, bytes]:
    url = f"http://127.0.0.1:{container.port}{path}"
    async with session.request(method, url) as response:
        return response.status, response.headers["Content-Type"], await response.read()


async def answer(
    session: aiohttp.ClientSession, container: MockContainer, operation: str
) -> dict[str, Any]:
    status, _, body = await get(session, container, f"/cooler?operation={operation}")
    assert status == 200
    data: dict[str, Any] = json.loads(body)
    return data


def types_of(params: dict[str, Any]) -> dict[str, str]:
    return {key: json_type(value) for key, value in params.items()}


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("error", [False, True], ids=["normal", "error"])
async def test_answers_match_the_reference_key_for_key_and_type_for_type(
    serve: Serve, aiohttp_session: aiohttp.ClientSession, kind: Kind, error: bool
) -> None:
    server = await serve(ContainerSpec(kind, error=error, seed=1))
    mock = server.containers[0]
    suffix = "-error" if error else ""

    reference = reference_json(f"{kind.value}{suffix}.coolerState.json")
    ours = await answer(aiohttp_session, mock, "coolerState")
    assert list(ours) == list(reference) == ["ok", "method", "params"]
    assert (ours["ok"], ours["method"]) == (True, "coolerState")
    assert types_of(ours["params"]) == types_of(reference["params"])
    faults = {k: v for k, v in ours["params"].items() if k in fault_flags(kind)}
    assert all(faults.values()) is error
    if kind is Kind.IMMERSION:
        assert type(ours["params"]["protocol_version"]) is int
    assert ours["params"]["longitude"] == ours["params"]["latitude"] == 0

    reference = reference_json(f"{kind.value}{suffix}.minerInfo.json")
    ours = await answer(aiohttp_session, mock, "minerInfo")
    assert list(ours) == list(reference)
    assert ours["method"] == "minerInfo"
    assert types_of(ours["params"]) == types_of(reference["params"])
    (reference_miner, *_) = reference["params"]["miner_info"].values()
    assert len(ours["params"]["miner_info"]) == ours["params"]["miner_num"] == 120
    for miner in ours["params"]["miner_info"].values():
        assert list(miner) == list(reference_miner)
        assert {k: type(v) for k, v in miner.items()} == {
            k: type(v) for k, v in reference_miner.items()
        }

    for operation in ("open", "close", "reset", "setTemp"):
        assert await answer(aiohttp_session, mock, operation) == {
            "ok": True,
            "method": operation,
            "params": None,
        }


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("no-operation.http", "/cooler"),
        ("unsupported-operation.http", "/cooler?operation=bogus"),
        ("unknown-path.http", "/nope"),
    ],
)
async def test_http_errors_match_the_reference(
    serve: Serve, aiohttp_session: aiohttp.ClientSession, name: str, path: str
) -> None:
    server = await serve(Kind.HK3)
    status, headers, body = reference_http(name)
    ours = await get(aiohttp_session, server.containers[0], path)
    assert ours == (status, headers["content-type"], body)


async def test_other_methods_and_paths_are_not_found(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3)
    mock = server.containers[0]
    status, _, body = await get(aiohttp_session, mock, "/cooler?operation=open", "POST")
    assert status == 404
    assert json.loads(body)["message"] == "Route POST:/cooler?operation=open not found"
    status, _, _ = await get(aiohttp_session, mock, "/_mock/nothing", "POST")
    assert status == 404
    assert mock.requests == {}
    assert mock.cooling_on


async def test_requests_are_counted_with_their_query(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3)
    mock = server.containers[0]
    await get(aiohttp_session, mock, "/cooler?operation=setTemp&temp=31.5")
    await get(aiohttp_session, mock, "/cooler?operation=nope")
    await get(aiohttp_session, mock, "/cooler")
    assert mock.requests == {"setTemp": 1, "nope": 1, "": 1}
    assert mock.history[0] == ("setTemp", {"operation": "setTemp", "temp": "31.5"})
    assert mock.setpoint == 31.5


@pytest.mark.parametrize("kind", list(Kind))
def test_missing_fields_keep_the_kind_and_drop_some_of_each_role(kind: Kind) -> None:
    mock = MockContainer(ContainerSpec(kind, frozen=True))
    full = mock.cooler_state()
    broken = break_fields(kind, full, Failure.MISSING_FIELDS)
    assert detect_kind(broken) is kind
    assert kind_markers(kind) <= set(broken)
    assert len(kind_markers(kind)) == 3
    assert 0.4 * len(full) <= len(full) - len(broken) <= 0.6 * len(full)
    for role in Role:
        if role is Role.FAULT:
            keys = set(fault_flags(kind))
        else:
            keys = {w.key for w in wire_fields(kind).values() if w.role is role}
        if len(keys - kind_markers(kind)) > 1:
            assert keys & set(broken), role
            assert keys - set(broken), role
    assert CoolerState.from_params(broken).kind is kind


@pytest.mark.parametrize("kind", list(Kind))
def test_wrong_types_send_text(kind: Kind) -> None:
    mock = MockContainer(ContainerSpec(kind, frozen=True))
    full = mock.cooler_state()
    broken = break_fields(kind, full, Failure.WRONG_TYPES)
    assert set(broken) == set(full)
    texts = {key for key, value in broken.items() if isinstance(value, str)}
    assert 0.4 * len(full) <= len(texts) <= 0.6 * len(full)
    assert kind_markers(kind) <= texts
    for key in texts:
        if isinstance(full[key], bool):
            assert broken[key] == str(full[key]).lower()
        else:
            assert float(broken[key]) == full[key]
    assert break_fields(kind, None, Failure.WRONG_TYPES) is None


def test_oversize_body_is_just_over_the_cap() -> None:
    body = oversize_body()
    assert len(body) == MAX_RESPONSE_BYTES + 1
    assert json.loads(body)["ok"] is True


async def test_control_interface(serve: Serve, aiohttp_session: aiohttp.ClientSession) -> None:
    server = await serve(Kind.IMMERSION)
    mock = server.containers[0]

    async def control(path: str, method: str = "POST") -> tuple[int, dict[str, Any]]:
        status, content_type, body = await get(aiohttp_session, mock, path, method)
        assert content_type == "application/json; charset=utf-8"
        return status, json.loads(body)

    status, state = await control("/_mock/state", "GET")
    assert status == 200
    assert state["kind"] == "immersion"
    assert state["port"] == mock.port
    assert state["frozen"] is True
    assert state["values"]["protocol_version"] == 5
    assert state["values"]["second_pump1"] is True

    status, state = await control("/_mock/fault?flag=lever_low")
    assert (status, state["faults"]["lever_low"]) == (200, True)
    status, state = await control("/_mock/fault?flag=all&active=true")
    assert all(state["faults"].values())
    status, state = await control("/_mock/fault?flag=all&active=0")
    assert not any(state["faults"].values())
    status, state = await control("/_mock/fault?flag=power_fault")
    assert status == 400
    assert "no fault flag 'power_fault'" in state["error"]
    status, state = await control("/_mock/fault?flag=lever_low&active=maybe")
    assert (status, state) == (400, {"error": "active must be true or false, not 'maybe'"})

    status, state = await control("/_mock/value?name=out_temp&value=31.5")
    assert state["values"]["out_temp"] == 31.5
    assert mock.value("out_temp") == 31.5
    status, state = await control("/_mock/value?name=container_fan&value=false")
    assert state["values"]["container_fan"] is False
    status, state = await control("/_mock/value?name=out_temp&value=warm")
    assert status == 400
    status, state = await control("/_mock/value?name=nothing&value=1")
    assert (status, state) == (400, {"error": "a immersion container reports no value 'nothing'"})

    status, state = await control("/_mock/freeze?frozen=false")
    assert state["frozen"] is False
    assert mock.frozen is False
    status, state = await control("/_mock/freeze")
    assert mock.frozen is True

    status, state = await control("/_mock/miners?hashing=0")
    assert state["miners_hashing"] is False
    assert mock.miner_info()["total_hashrate"] == 0
    status, state = await control("/_mock/miners")
    assert mock.miners_hashing is True
    assert mock.miner_info()["total_hashrate"] > 0

    drawn = state["idle_miners"]
    assert len(drawn) == 3  # of 120
    status, state = await control("/_mock/miner?position=5&hashing=0&chip_temp=99.5")
    assert (5 in state["idle_miners"], state["miner_chip_temps"]) == (True, {"5": 99.5})
    fifth = list(mock.miner_info()["miner_info"].values())[4]
    assert (fifth["GHS_5s"], fifth["chip_max_temp"]) == (0, 100)
    status, state = await control("/_mock/miner?position=5&hashing=1&chip_temp=auto")
    assert (5 in state["idle_miners"], state["miner_chip_temps"]) == (False, {})
    status, state = await control("/_mock/miner?position=2&reporting=0")
    assert state["unlisted_miners"] == [2]
    info = mock.miner_info()
    assert (info["miner_num"], len(info["miner_info"])) == (120, 119)
    for query, error in (
        ("position=121&hashing=0", "there is no miner at position 121 (1 to 120)"),
        ("position=x&hashing=0", "position must be a miner's position (1, 2, ...), not 'x'"),
        ("position=3", "give hashing=1|0, reporting=1|0 or chip_temp=<°C>|auto"),
        ("position=3&chip_temp=hot", "chip_temp must be a finite number, not 'hot'"),
    ):
        assert await control(f"/_mock/miner?{query}") == (400, {"error": error})

    status, state = await control("/_mock/delay?seconds=0.25")
    assert mock.delay == 0.25
    status, state = await control("/_mock/delay?seconds=-1")
    assert (status, state) == (400, {"error": "a delay cannot be negative"})
    status, state = await control("/_mock/delay")
    assert status == 400

    status, state = await control("/_mock/failure?mode=http500&count=2")
    assert (state["failure"], state["failure_count"]) == ("http500", 2)
    status, state = await control("/_mock/failure?mode=explode")
    assert status == 400
    assert "mode must be one of none, drop, http500" in state["error"]
    status, state = await control("/_mock/failure?mode=drop&count=0")
    assert status == 400

    mock.close_cooling()
    mock.miners_hashing = False
    mock.set_miner_chip_temp(7, 105)
    status, state = await control("/_mock/reset")
    assert (state["failure"], state["delay"], state["cooling_on"]) == ("none", 0.0, True)
    assert state["miners_hashing"] is True
    assert (state["idle_miners"], state["unlisted_miners"], state["miner_chip_temps"]) == (
        drawn,
        [],
        {},
    )

    status, state = await control("/_mock/state")
    assert status == 405
    status, state = await control("/_mock/fault", "GET")
    assert status == 405
    assert mock.requests == {}


async def test_control_drives_what_the_client_sees(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3)
    mock = server.containers[0]
    client = AntspaceClient("127.0.0.1", mock.port, session=aiohttp_session)
    await get(aiohttp_session, mock, "/_mock/fault?flag=freezing_alarm", "POST")
    await get(aiohttp_session, mock, "/_mock/value?name=supply_liquid_temp&value=12", "POST")
    state = await client.cooler_state()
    assert state.faults["freezing_alarm"] is True
    assert state.supply_liquid_temp == 12.0
    await get(aiohttp_session, mock, "/_mock/failure?mode=ok_false&count=1", "POST")
    with pytest.raises(Exception, match="refused"):
        await client.cooler_state()
    assert (await client.cooler_state()).supply_liquid_temp == 12.0


async def test_stop_and_start_a_container(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3, Kind.IMMERSION)
    hk3, immersion = server.containers
    client = AntspaceClient("127.0.0.1", hk3.port, session=aiohttp_session, timeout=5)
    port = hk3.port
    await client.cooler_state()  # a kept-alive connection now exists

    hk3.delay = 5.0
    pending = asyncio.create_task(client.cooler_state())
    await asyncio.sleep(0.05)
    await server.stop_container(hk3)
    assert not server.listening(hk3)
    with pytest.raises(AntspaceConnectionError):
        await pending  # its connection was cut
    with pytest.raises(AntspaceConnectionError, match="refused"):
        await client.cooler_state()
    await server.stop_container(hk3)  # stopping twice is harmless
    # The other container goes on.
    other = AntspaceClient("127.0.0.1", immersion.port, session=aiohttp_session)
    assert (await other.cooler_state()).kind is Kind.IMMERSION

    hk3.delay = 0.0
    await server.start_container(hk3)
    await server.start_container(hk3)  # starting twice is harmless
    assert hk3.port == port
    assert server.listening(hk3)
    assert (await client.cooler_state()).kind is Kind.HK3


async def test_port_in_use_is_reported_and_nothing_keeps_listening(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3)
    taken = server.containers[0].port
    clash = MockServer([ContainerSpec(Kind.HK3), ContainerSpec(Kind.IMMERSION, port=taken)])
    with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1 port {taken}: ") as info:
        await clash.start()
    assert info.value.errno is not None
    assert not clash.listening(clash.containers[0])
    with pytest.raises(RuntimeError, match="start the server first"):
        await clash.start_container(clash.containers[0])


async def test_server_lifecycle(socket_enabled: None) -> None:
    clock = FakeClock()
    async with MockServer(
        [ContainerSpec(Kind.HK3), ContainerSpec(Kind.IMMERSION)], clock=clock
    ) as server:
        await server.start()  # a second start does nothing
        assert repr(server) == "MockServer(2 containers on 127.0.0.1)"
        assert server.url(server.containers[1]) == (
            f"http://127.0.0.1:{server.containers[1].port}/cooler"
        )
        assert all(server.listening(c) for c in server.containers)
    assert not any(server.listening(c) for c in server.containers)
    await server.stop()  # a second stop does nothing
    assert MockServer([], host="::1").url(MockContainer(ContainerSpec(Kind.HK3, port=1))) == (
        "http://[::1]:1/cooler"
    )


async def test_stop_ends_answers_in_progress(socket_enabled: None) -> None:
    server = MockServer([ContainerSpec(Kind.HK3)])
    await server.start()
    mock = server.containers[0]
    mock.delay = 30.0
    async with aiohttp.ClientSession() as session:
        client = AntspaceClient("127.0.0.1", mock.port, session=session, timeout=10)
        pending = asyncio.create_task(client.cooler_state())
        await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await server.stop()
        with pytest.raises(AntspaceConnectionError):
            await pending
        assert loop.time() - started < 2


async def test_many_containers_in_one_process(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    specs = [ContainerSpec(Kind.HK3 if i % 2 else Kind.IMMERSION, seed=i) for i in range(200)]
    server = await serve(*specs)
    ports = {c.port for c in server.containers}
    assert len(ports) == 200
    picks = server.containers[::37]
    states = await asyncio.gather(
        *(
            AntspaceClient("127.0.0.1", c.port, session=aiohttp_session).cooler_state()
            for c in picks
        )
    )
    assert [s.kind for s in states] == [c.kind for c in picks]
    assert sum(sum(c.requests.values()) for c in server.containers) == len(picks)


async def test_a_container_down_at_start_comes_up_later(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    """`down_for` keeps a container silent for a while after the server starts, on its port."""
    server = await serve(ContainerSpec(Kind.HK3, down_for=0.3), ContainerSpec(Kind.IMMERSION))
    late, other = server.containers
    assert late.port
    assert not server.listening(late)
    client = AntspaceClient("127.0.0.1", late.port, session=aiohttp_session, timeout=2)
    with pytest.raises(AntspaceConnectionError, match="refused"):
        await client.cooler_state()
    assert server.listening(other)
    for _ in range(50):
        await asyncio.sleep(0.05)
        if server.listening(late):
            break
    assert (await client.cooler_state()).kind is Kind.HK3


def test_optional_flags_are_sent_once_set() -> None:
    """Flags only some controllers send are absent until set, then sent until cleared."""
    mock = MockContainer(ContainerSpec(Kind.IMMERSION, frozen=True))
    assert "power_relay_fault" not in mock.cooler_state()
    mock.set_fault("power_relay_fault")
    assert mock.cooler_state()["power_relay_fault"] is True
    mock.set_fault("disconnect")
    assert mock.cooler_state()["disconnect"] is True
    assert mock.state()["values"]["disconnect"] is True
    mock.reset()
    assert mock.cooler_state()["power_relay_fault"] is False
    with pytest.raises(ValueError, match="no fault flag"):
        mock.set_fault("spray_pump_fault")  # an HK3 flag
