"""The client talks real HTTP to the mock container, and says what went wrong when it fails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from enum import StrEnum
import errno
import math
import socket
import struct
from typing import Any

import aiohttp
from aiohttp import web
import pytest
from yarl import URL

from mock.plant import ContainerSpec, Failure, MockContainer
from mock.server import MockServer
from pyantspace import (
    MAX_RESPONSE_BYTES,
    SETPOINT_MAX,
    SETPOINT_MIN,
    AntspaceClient,
    AntspaceConnectionError,
    AntspaceError,
    AntspaceResponseError,
    InvalidSetpointError,
    Kind,
    Status,
    active_alerts,
    validate_setpoint,
    wire_fields,
)
from pyantspace.client import _describe
from pyantspace.exceptions import EXCERPT_CHARS, excerpt
from tests.mock.helpers import FakeClock, Serve


def client_for(
    container: MockContainer, session: aiohttp.ClientSession, timeout: float = 5.0
) -> AntspaceClient:
    return AntspaceClient("127.0.0.1", container.port, session=session, timeout=timeout)


async def raw_params(session: aiohttp.ClientSession, container: MockContainer) -> dict[str, Any]:
    url = f"http://127.0.0.1:{container.port}/cooler?operation=coolerState"
    async with session.get(url) as response:
        answer = await response.json()
    return dict(answer["params"])


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("error", [False, True], ids=["normal", "error"])
async def test_cooler_state_over_http(
    serve: Serve, aiohttp_session: aiohttp.ClientSession, kind: Kind, error: bool
) -> None:
    clock = FakeClock()
    server = await serve(ContainerSpec(kind, error=error, seed=3), clock=clock)
    mock = server.containers[0]
    clock.advance(30)  # values wander a little around the nominal ones
    state = await client_for(mock, aiohttp_session).cooler_state()
    assert state.kind is kind
    assert state.extra == {}
    assert set(state.faults) == set(mock.fault_flags)
    assert all(state.faults.values()) is error
    assert state.status is (Status.ERROR if error else Status.RUNNING)
    assert len(active_alerts(state)) == (len(mock.fault_flags) if error else 0)
    assert state.supply_liquid_set_temp == 35.0
    assert state.pid_mode is False
    assert state.total_power is not None
    if kind is Kind.HK3:
        assert state.circulating_pump is True
        assert 30 <= state.supply_liquid_temp <= 40  # type: ignore[operator]
        assert 5 <= state.return_liquid_temp - state.supply_liquid_temp <= 8  # type: ignore[operator]
        assert state.supply_liquid_pressure == pytest.approx(35, abs=2)
        assert state.return_liquid_pressure == pytest.approx(28, abs=2)
        assert state.supply_liquid_flow == pytest.approx(29, abs=2)
        for box in (state.distribution_box1_power, state.distribution_box2_power):
            assert 150_000 <= box <= 250_000  # type: ignore[operator]
    else:
        assert state.second_pump1 is True
        assert state.protocol_version == 5
        assert 300_000 <= state.total_power <= 400_000
        assert 1_000 <= state.power_distribution <= 10_000  # type: ignore[operator]
        for volts in (state.vol_a_distribution, state.vol_b_distribution):
            assert 220 <= volts <= 240  # type: ignore[operator]
        # P = 3 V I cos(phi), with the meter's phase voltages and currents.
        power = sum(
            (v or 0.0) * (i or 0.0)
            for v, i in (
                (state.vol_a_distribution, state.cur_a_distribution),
                (state.vol_b_distribution, state.cur_b_distribution),
                (state.vol_c_distribution, state.cur_c_distribution),
            )
        )
        assert power * 0.95 == pytest.approx(state.power_distribution, rel=0.02)
    for name in wire_fields(kind):
        assert getattr(state, name) == mock.value(name), name


async def test_miner_info_and_snapshot(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(ContainerSpec(Kind.IMMERSION, frozen=True, miners=7))
    snapshot = await client_for(server.containers[0], aiohttp_session).snapshot()
    assert snapshot.state.kind is Kind.IMMERSION
    miners = snapshot.miners
    assert miners.miner_count == 7
    assert len(miners.miners) == 7
    assert miners.total_hashrate == pytest.approx(sum(m.hashrate_5s or 0 for m in miners.miners))
    assert all(m.address.startswith("10.") for m in miners.miners)
    assert miners.chip_max_temp == max(m.chip_max_temp for m in miners.miners)  # type: ignore[type-var]
    assert server.containers[0].requests == {"coolerState": 1, "minerInfo": 1}


async def test_control_operations_change_the_state(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3, Kind.IMMERSION)
    hk3, immersion = (client_for(c, aiohttp_session) for c in server.containers)
    mock = server.containers[0]

    await hk3.stop_cooling()
    state = await hk3.cooler_state()
    assert state.circulating_pump is False  # the reference mock leaves it on
    assert state.cooling_tower_fan1 is False
    assert state.status is Status.STOPPED
    assert mock.cooling_on is False

    await hk3.start_cooling()
    state = await hk3.cooler_state()
    assert (state.circulating_pump, state.cooling_tower_fan1) == (True, True)
    assert state.status is Status.RUNNING

    await hk3.set_supply_temperature(30.5)
    state = await hk3.cooler_state()
    assert (state.supply_liquid_set_temp, state.pid_mode) == (30.5, False)
    assert mock.history[-2] == ("setTemp", {"operation": "setTemp", "temp": "30.5"})

    await hk3.enable_pid_control()
    state = await hk3.cooler_state()
    assert (state.supply_liquid_set_temp, state.pid_mode) == (38.0, True)
    assert mock.history[-2][1]["temp"] == "pid"

    await hk3.set_supply_temperature(31)
    assert (await hk3.cooler_state()).pid_mode is False

    mock.set_fault("circulating_pump_fault")
    assert (await hk3.cooler_state()).status is Status.ERROR
    await hk3.reset()
    state = await hk3.cooler_state()
    assert not state.any_fault
    assert state.status is Status.RUNNING

    await immersion.stop_cooling()
    state = await immersion.cooler_state()
    assert (state.second_pump1, state.second_pump2, state.container_fan) == (False, False, False)
    assert state.status is Status.STOPPED
    await immersion.start_cooling()
    state = await immersion.cooler_state()
    assert (state.second_pump1, state.container_fan) == (True, True)
    assert mock.requests == {
        "close": 1,
        "open": 1,
        "setTemp": 3,
        "reset": 1,
        "coolerState": 7,
    }


@pytest.mark.parametrize(
    "value",
    [
        math.nan,
        math.inf,
        -math.inf,
        True,
        False,
        "30",
        None,
        SETPOINT_MIN - 0.1,
        SETPOINT_MAX + 0.1,
        10**400,
        -(10**400),
        pytest.param(10**5000, id="10**5000"),
        pytest.param("x" * 10_000, id="long-text"),
    ],
)
async def test_setpoint_validation_sends_nothing(
    serve: Serve, aiohttp_session: aiohttp.ClientSession, value: Any
) -> None:
    server = await serve(Kind.HK3)
    mock = server.containers[0]
    with pytest.raises(InvalidSetpointError) as info:
        await client_for(mock, aiohttp_session).set_supply_temperature(value)
    assert isinstance(info.value, ValueError)
    assert "setpoint" in str(info.value)
    assert len(str(info.value)) < 120
    assert mock.requests["setTemp"] == 0
    assert sum(mock.requests.values()) == 0
    assert mock.setpoint == 35.0


@pytest.mark.parametrize(
    ("value", "sent", "reported"),
    [(30.5, "30.5", 30.5), (15, "15", 15.0), (49.96, "50", 50.0), (22.04, "22", 22.0)],
)
async def test_setpoint_is_sent_as_aiohttp_encodes_it(
    serve: Serve,
    aiohttp_session: aiohttp.ClientSession,
    value: float,
    sent: str,
    reported: float,
) -> None:
    server = await serve(Kind.IMMERSION)
    mock = server.containers[0]
    await client_for(mock, aiohttp_session).set_supply_temperature(value)
    assert mock.history[-1] == ("setTemp", {"operation": "setTemp", "temp": sent})
    assert mock.setpoint == reported
    assert validate_setpoint(value) == float(value)


# One test per failure --------------------------------------------------------------------


async def test_refused(serve: Serve, aiohttp_session: aiohttp.ClientSession) -> None:
    server = await serve(Kind.HK3)
    mock = server.containers[0]
    await server.stop_container(mock)
    with pytest.raises(AntspaceConnectionError, match="coolerState: connection refused"):
        await client_for(mock, aiohttp_session).cooler_state()


async def test_timeout(serve: Serve, aiohttp_session: aiohttp.ClientSession) -> None:
    server = await serve(Kind.HK3)
    mock = server.containers[0]
    mock.delay = 2.0
    with pytest.raises(AntspaceConnectionError, match=r"no answer to coolerState within 0\.2 s"):
        await client_for(mock, aiohttp_session, timeout=0.2).cooler_state()


async def test_unknown_host(aiohttp_session: aiohttp.ClientSession) -> None:
    """A name that resolves nowhere (the session's resolver sends no DNS query)."""
    client = AntspaceClient("antspace-container.invalid", session=aiohttp_session)
    with pytest.raises(AntspaceConnectionError, match="host name does not resolve"):
        await client.start_cooling()
    assert "invalid" not in repr(client)


class _Bogus(StrEnum):
    BOGUS = "bogus"


async def test_http_400(serve: Serve, aiohttp_session: aiohttp.ClientSession) -> None:
    server = await serve(Kind.HK3)
    client = client_for(server.containers[0], aiohttp_session)
    with pytest.raises(AntspaceResponseError, match="HTTP 400 in answer to bogus"):
        await client._request(_Bogus.BOGUS)  # type: ignore[arg-type]


async def test_http_404(serve: Serve, aiohttp_session: aiohttp.ClientSession) -> None:
    server = await serve(Kind.HK3)
    client = client_for(server.containers[0], aiohttp_session)
    client._url = URL(f"http://127.0.0.1:{server.containers[0].port}/api/cooler")
    with pytest.raises(AntspaceResponseError, match="HTTP 404 in answer to coolerState"):
        await client.cooler_state()


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        (Failure.HTTP_500, AntspaceResponseError, "HTTP 500 in answer to coolerState"),
        (Failure.BROKEN_JSON, AntspaceResponseError, "answer to coolerState is not JSON"),
        (Failure.OK_FALSE, AntspaceResponseError, r"container refused coolerState \(ok: False\)"),
        (Failure.OVERSIZE, AntspaceResponseError, "over the 4194304 byte cap"),
        (Failure.DROP, AntspaceConnectionError, "closed without an answer"),
    ],
)
async def test_device_failures(
    serve: Serve,
    aiohttp_session: aiohttp.ClientSession,
    failure: Failure,
    error: type[AntspaceError],
    message: str,
) -> None:
    server = await serve(Kind.HK3)
    mock = server.containers[0]
    mock.failure = failure
    with pytest.raises(error, match=message):
        await client_for(mock, aiohttp_session).cooler_state()
    # A failing device carries out nothing.
    with pytest.raises(error):
        await client_for(mock, aiohttp_session).stop_cooling()
    assert mock.cooling_on is True


async def test_missing_fields_become_none(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3, Kind.IMMERSION)
    for mock in server.containers:
        mock.failure = Failure.MISSING_FIELDS
        sent = await raw_params(aiohttp_session, mock)
        state = await client_for(mock, aiohttp_session).cooler_state()
        assert state.kind == mock.kind
        missing = 0
        for name, wire in wire_fields(mock.kind).items():
            if wire.key in sent:
                assert getattr(state, name) == mock.value(name), name
            else:
                assert getattr(state, name) is None, name
                missing += 1
        assert missing >= len(wire_fields(mock.kind)) // 3
        assert set(state.faults) == {flag for flag in mock.fault_flags if flag in sent}
        assert 0 < len(state.faults) < len(mock.fault_flags)


async def test_wrong_types_become_none(
    serve: Serve, aiohttp_session: aiohttp.ClientSession
) -> None:
    server = await serve(Kind.HK3, Kind.IMMERSION)
    for mock in server.containers:
        mock.set_all_faults(True)
        mock.failure = Failure.WRONG_TYPES
        sent = await raw_params(aiohttp_session, mock)
        state = await client_for(mock, aiohttp_session).cooler_state()
        assert state.kind == mock.kind
        wrong = 0
        for name, wire in wire_fields(mock.kind).items():
            if isinstance(sent[wire.key], str):
                assert getattr(state, name) is None, name
                wrong += 1
            else:
                assert getattr(state, name) == mock.value(name), name
        assert wrong >= len(wire_fields(mock.kind)) // 3
        texts = {flag for flag in mock.fault_flags if isinstance(sent[flag], str)}
        assert texts
        assert state.faults == {flag: True for flag in mock.fault_flags if flag not in texts}
        assert state.extra == dict.fromkeys(texts, "true")
        # The miner summary survives the same treatment.
        miners = await client_for(mock, aiohttp_session).miner_info()
        assert len(miners.miners) == 120
        assert all(m.hashrate_avg is None and m.elapsed is None for m in miners.miners)
        assert all(m.hashrate_5s is not None and m.miner_type for m in miners.miners)


async def test_missing_miner_fields(serve: Serve, aiohttp_session: aiohttp.ClientSession) -> None:
    server = await serve(ContainerSpec(Kind.HK3, frozen=True, miners=3))
    mock = server.containers[0]
    mock.failure = Failure.MISSING_FIELDS
    miners = await client_for(mock, aiohttp_session).miner_info()
    assert len(miners.miners) == 3
    fields = (miners.miner_count, miners.total_hashrate, miners.pcb_max_temp, miners.chip_max_temp)
    assert None in fields
    assert any(f is not None for f in fields)


async def test_oversize_streamed_answer(
    scripted: Any, aiohttp_session: aiohttp.ClientSession
) -> None:
    """An answer without a length is cut off at the cap while it streams in."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b" " * 65536
        for _ in range(MAX_RESPONSE_BYTES // len(chunk) + 2):
            await response.write(chunk)
        return response

    port = await scripted(handler)
    client = AntspaceClient("127.0.0.1", port, session=aiohttp_session)
    with pytest.raises(AntspaceResponseError, match="answer is over the 4194304 byte cap"):
        await client.cooler_state()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"ok": True, "method": "coolerState", "params": [1, 2]}, "carries no object of values"),
        ({"ok": True, "method": "coolerState", "params": None}, "carries no object of values"),
        ({"ok": True, "method": "minerInfo", "params": {}}, "is for 'minerInfo'"),
        ([1, 2], "is not a JSON object"),
        ({"method": "coolerState", "params": {}}, r"refused coolerState \(ok: None\)"),
    ],
)
async def test_bad_envelopes(
    scripted: Any, aiohttp_session: aiohttp.ClientSession, body: Any, message: str
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.json_response(body)

    port = await scripted(handler)
    client = AntspaceClient("127.0.0.1", port, session=aiohttp_session)
    with pytest.raises(AntspaceResponseError, match=message):
        await client.cooler_state()


async def test_answer_without_method_is_accepted(
    scripted: Any, aiohttp_session: aiohttp.ClientSession
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.json_response({"ok": True, "params": None})

    client = AntspaceClient("127.0.0.1", await scripted(handler), session=aiohttp_session)
    await client.reset()


async def test_redirect_is_not_followed(
    scripted: Any, aiohttp_session: aiohttp.ClientSession
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("http://127.0.0.1:1/cooler")

    client = AntspaceClient("127.0.0.1", await scripted(handler), session=aiohttp_session)
    with pytest.raises(AntspaceResponseError, match="HTTP 302"):
        await client.start_cooling()


async def test_bad_http_is_a_response_error(
    scripted: Any, aiohttp_session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client-side HTTP error that is no connection error (here a bad payload)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.json_response({"ok": True})

    client = AntspaceClient("127.0.0.1", await scripted(handler), session=aiohttp_session)

    async def broken(*args: Any, **kwargs: Any) -> bytes:
        raise aiohttp.ClientPayloadError("truncated body")

    monkeypatch.setattr(client, "_read_capped", broken)
    with pytest.raises(AntspaceResponseError, match="answer to open was cut short") as info:
        await client.start_cooling()
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__

    async def other(*args: Any, **kwargs: Any) -> bytes:
        raise aiohttp.ClientError("http://192.0.2.1:8000/cooler")

    monkeypatch.setattr(client, "_read_capped", other)
    with pytest.raises(AntspaceResponseError, match=r"bad HTTP answer to open \(ClientError\)"):
        await client.start_cooling()


type Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[[Behaviour], Awaitable[int]]]:
    """Serve something on a free port of 127.0.0.1 that is not (good) HTTP."""
    servers: list[asyncio.Server] = []

    async def start(behaviour: Behaviour) -> int:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await behaviour(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    yield start
    for server in servers:
        server.close()
        server.abort_clients()
        await server.wait_closed()


async def _ssh(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"SSH-2.0-OpenSSH_9.6p1 Debian-3\r\n")
    await writer.drain()
    await reader.read(1024)


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"\x00\xff<svg onload=alert(1)>\r\n\r\n" * 100)
    await writer.drain()


async def _reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _bad_length(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}")
    await writer.drain()


@pytest.mark.parametrize(
    ("behaviour", "error", "message"),
    [
        (_ssh, AntspaceResponseError, "the answer to coolerState is not valid HTTP"),
        (_garbage, AntspaceResponseError, "the answer to coolerState is not valid HTTP"),
        (_reset, AntspaceConnectionError, "for coolerState: the connection was reset"),
        (_bad_length, AntspaceResponseError, "the answer to coolerState was cut short"),
    ],
    ids=["ssh-banner", "garbage", "reset", "short-body"],
)
async def test_not_http_is_told_in_own_words(
    raw_server: Callable[[Behaviour], Awaitable[int]],
    aiohttp_session: aiohttp.ClientSession,
    behaviour: Behaviour,
    error: type[AntspaceError],
    message: str,
) -> None:
    """Whatever answers on the port, the error says so without the address or its text."""
    port = await raw_server(behaviour)
    client = AntspaceClient("127.0.0.1", port, session=aiohttp_session)
    with pytest.raises(error, match=message) as info:
        await client.cooler_state()
    text = str(info.value)
    assert "127.0.0.1" not in text
    assert str(port) not in text
    assert "SSH" not in text
    assert "svg" not in text
    # Nor in the cause a traceback would show.
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@pytest.mark.parametrize("field", ["ok", "method"])
async def test_long_device_text_is_cut_in_errors(
    scripted: Any, aiohttp_session: aiohttp.ClientSession, field: str
) -> None:
    """An answer just under the size cap that carries megabytes of text gives a short error."""
    huge = "<svg>\n" + "x" * (MAX_RESPONSE_BYTES - 200)
    body = {"ok": True, "method": "coolerState", "params": {}} | {field: huge}

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.json_response(body)

    client = AntspaceClient("127.0.0.1", await scripted(handler), session=aiohttp_session)
    with pytest.raises(AntspaceResponseError) as info:
        await client.cooler_state()
    text = str(info.value)
    assert len(text) < 200
    assert "\n" not in text
    assert f"({len(huge)} characters)" in text


def test_excerpt() -> None:
    """Values are quoted short, on one line, and whole numbers of any size are told."""
    assert excerpt(None) == "None"
    assert excerpt(False) == "False"
    assert excerpt(1.5) == "1.5"
    assert excerpt("no") == "'no'"
    assert excerpt("a\nb\u202e") == "'a\\nb\\u202e'"
    assert excerpt(10**5000) == "1.000e+5000"
    assert excerpt(-(10**400) * 12345) == "-1.234e+404"
    assert excerpt(10**400 - 1) == "9.999e+399"
    assert excerpt([1, 2]) == "a list of 2"
    assert excerpt({"a": 1}) == "an object of 1"
    assert excerpt(object()) == "a object"
    long = excerpt("y" * 1000)
    assert long.endswith("… (1000 characters)")
    assert len(long) < 2 * EXCERPT_CHARS


async def test_requests_go_one_at_a_time(
    scripted: Any, aiohttp_session: aiohttp.ClientSession
) -> None:
    """Fifty commands at once reach the container one after the other, in order."""
    in_flight = 0
    most = 0
    temps: list[str] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        temps.append(request.query.get("temp", ""))
        await asyncio.sleep(0.002)
        in_flight -= 1
        return web.json_response({"ok": True, "params": None})

    client = AntspaceClient("127.0.0.1", await scripted(handler), session=aiohttp_session)
    await asyncio.gather(*(client.set_supply_temperature(20 + n / 10) for n in range(50)))
    assert most == 1
    assert temps == [f"{20 + n / 10:g}" for n in range(50)]


async def test_params_not_an_object_from_the_mock(
    serve: Serve, aiohttp_session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    server: MockServer = await serve(Kind.HK3)
    mock = server.containers[0]
    monkeypatch.setattr(mock, "handle", lambda operation, query: ["not", "an", "object"])
    with pytest.raises(AntspaceResponseError, match="minerInfo carries no object of values"):
        await client_for(mock, aiohttp_session).miner_info()


def test_repr_hides_the_address() -> None:
    client = AntspaceClient("192.0.2.10", 8001, session=None)  # type: ignore[arg-type]
    assert repr(client) == "AntspaceClient(port=8001)"


def test_connection_errors_are_described_without_the_address() -> None:
    key = aiohttp.client_reqrep.ConnectionKey("192.0.2.1", 8000, False, True, None, None, None)
    refused = aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "refused"))
    unreachable = aiohttp.ClientConnectorError(key, OSError(errno.EHOSTUNREACH, "No route"))
    other = aiohttp.ClientConnectorError(key, OSError(errno.EADDRNOTAVAIL, "192.0.2.1"))
    assert _describe(refused) == "connection refused"
    assert _describe(unreachable) == "no route to the host"
    assert _describe(other) == "OSError"
    assert _describe(ConnectionResetError()) == "the connection was reset"
    assert _describe(ConnectionRefusedError()) == "connection refused"
    assert _describe(aiohttp.ClientOSError(errno.ECONNRESET, "reset")) == (
        "the connection was reset"
    )
    assert _describe(socket.gaierror(socket.EAI_NONAME, "x")) == "the host name does not resolve"
    assert _describe(aiohttp.ServerDisconnectedError()) == (
        "the connection was closed without an answer"
    )
