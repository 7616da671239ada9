"""The HTTP side of the mock: one aiohttp app serving many containers, one port each.

Device API, as the reference mock serves it:

    GET /cooler?operation=<op>[&temp=<t>]   ->  200 {"ok": true, "method": <op>, "params": ...}
    unknown or missing operation            ->  400 {"status":"error","error":"ERR_UNSUPPORTED"}
    any other path or method                ->  404 {"message":"Route GET:/x not found",...}

Control interface, kept off the device's path under `/_mock/`, on each container's own port
(it acts on that container; it never misbehaves, is never delayed and is not counted):

    GET  /_mock/state                          the container's state as JSON
    POST /_mock/fault?flag=<flag>&active=1|0   raise or clear one fault flag (device wire key);
                                               flag=all for every flag
    POST /_mock/value?name=<attr>&value=<v>    set a value: CoolerState attribute name, SI
                                               units; true/false for a running state
    POST /_mock/freeze?frozen=1|0              stop or restart the dynamics
    POST /_mock/miners?hashing=1|0             stop or restart the miners' hashing
    POST /_mock/miner?position=<n>[&hashing=1|0][&reporting=1|0][&chip_temp=<°C>|auto]
                                               one miner (1-based, its place in minerInfo
                                               while all report): stop or start it, leave it
                                               out of minerInfo or list it again, hold its
                                               chip temperature, or let the plant drive it
    POST /_mock/delay?seconds=<s>              wait this long before answering /cooler
    POST /_mock/failure?mode=<m>[&count=<n>]   misbehave: none, drop, http500, broken_json,
                                               ok_false, missing_fields, wrong_types, oversize,
                                               huge_text, hostile; for the next n requests,
                                               or until changed
    POST /_mock/reset                          clear faults, failure and delay; cooling on;
                                               the miners as drawn

Every control answer is the container's state after the change, or HTTP 400
{"error": "..."} saying what was wrong with the request.

A `ConnectionMeter` shared by several servers (these and `mock.plain`'s) counts the
connections they accept: how many are open, how many were at most at once, on which address.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import cache
import json
import math
import os
import socket
import time
from types import TracebackType
from typing import Any, Final, Self

from aiohttp import web

from custom_components.antspace.pyantspace.client import MAX_RESPONSE_BYTES
from custom_components.antspace.pyantspace.exceptions import AntspaceResponseError
from custom_components.antspace.pyantspace.kinds import Kind
from custom_components.antspace.pyantspace.models import Role, detect_kind

from .plant import (
    OPERATIONS,
    ContainerSpec,
    Failure,
    MockContainer,
    fault_flags,
    fields_of,
)

JSON_TYPE: Final = "application/json"
CONTROL_PREFIX: Final = "/_mock/"
SHUTDOWN_TIMEOUT: Final = 1.0
"""s an answer in progress gets when the server stops."""
READINGS: Final = frozenset({"coolerState", "minerInfo"})
"""The operations that only read; a failing container carries out no other."""
UNSUPPORTED: Final = b'{"status":"error","error":"ERR_UNSUPPORTED"}'
_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


def _dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def _json(body: bytes, status: int = 200) -> web.Response:
    return web.Response(body=body, status=status, content_type=JSON_TYPE, charset="utf-8")


def not_found(request: web.Request) -> web.Response:
    """The reference's (fastify's) answer to a path it has no route for."""
    return _json(
        _dumps(
            {
                "message": f"Route {request.method}:{request.path_qs} not found",
                "error": "Not Found",
                "statusCode": 404,
            }
        ),
        status=404,
    )


# Misbehaviour ------------------------------------------------------------------------------
@cache
def kind_markers(kind: Kind) -> frozenset[str]:
    """The wire keys that tell this kind from the other, as the client's detection sees them.

    A key is a marker when a `coolerState` carrying it alone is detected as the kind.
    """
    markers: set[str] = set()
    for _name, wire in fields_of(kind):
        try:
            if detect_kind({wire.key: None}) is kind:
                markers.add(wire.key)
        except AntspaceResponseError:
            continue
    return frozenset(markers)


@cache
def _omitted_keys(kind: Kind) -> frozenset[str]:
    """Every other field of each role, and every other fault flag, markers excepted."""

    keep = kind_markers(kind)
    omitted: set[str] = set()
    for role in Role:
        if role is Role.FAULT:  # a flag that is a field too (`disconnect`) is omitted as a field
            fields = {wire.key for _name, wire in fields_of(kind)}
            keys = sorted(set(fault_flags(kind)) - fields)
        else:
            keys = sorted(wire.key for _name, wire in fields_of(kind) if wire.role is role)
        candidates = [key for key in keys if key not in keep]
        omitted.update(candidates[1::2] if len(candidates) > 1 else candidates)
    return frozenset(omitted)


def _every_other(keys: Sequence[str]) -> frozenset[str]:
    return frozenset(keys[1::2])


def _as_text(value: Any) -> Any:
    """A number or bool as the string a sloppy device might send."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def break_fields(kind: Kind | None, params: Any, failure: Failure) -> Any:
    """Apply MISSING_FIELDS or WRONG_TYPES to the `params` of an answer."""
    if not isinstance(params, dict):
        return params
    if kind is not None:  # coolerState
        omitted = _omitted_keys(kind)
        if failure is Failure.MISSING_FIELDS:
            return {key: value for key, value in params.items() if key not in omitted}
        # Send the other half (the kind markers included) as text.
        return {key: value if key in omitted else _as_text(value) for key, value in params.items()}
    # minerInfo: the same on the top level and in each miner's entry.
    broken: dict[str, Any] = {}
    chosen = _every_other(sorted(key for key in params if key != "miner_info"))
    for key, value in params.items():
        if key == "miner_info" and isinstance(value, dict):
            broken[key] = {
                address: break_fields(None, entry, failure) for address, entry in value.items()
            }
        elif key not in chosen:
            broken[key] = value
        elif failure is Failure.WRONG_TYPES:
            broken[key] = _as_text(value)
    return broken


@cache
def oversize_body() -> bytes:
    """A well-formed answer just over the client's size cap."""
    head, tail = b'{"ok":true,"method":"coolerState","params":{"padding":"', b'"}}'
    return head + b"x" * (MAX_RESPONSE_BYTES + 1 - len(head) - len(tail)) + tail


@cache
def huge_text_body(operation: str) -> bytes:
    """An answer just under the client's size cap whose `ok` is megabytes of text."""
    head = b'{"ok":"<b>refused</b>\\n'
    tail = b'","method":' + _dumps(operation) + b',"params":null}'
    return head + b"x" * (MAX_RESPONSE_BYTES - 64 - len(head) - len(tail)) + tail


HOSTILE_FLAGS: Final = (
    "![x](http://attacker.invalid/track.png)_fault",
    "[click here](http://attacker.invalid/)_fault",
    "<svg onload=alert(1)>_alarm",
    "z" * 10_000 + "_fault",
)
"""The fault flags a hostile answer adds, set: unknown to the alert table, and full of markup."""
ABSURD_POWERS: Final = (1e308, 1e300, -1e7)
"""Raw powers a hostile answer sends, in turn: every power field of the answer has one."""


def hostile_params(kind: Kind, params: dict[str, Any], turn: int) -> dict[str, Any]:
    """A `coolerState`'s params with the hostile flags set and absurd powers."""
    power = ABSURD_POWERS[turn % len(ABSURD_POWERS)]
    powers = {wire.key: power for _name, wire in fields_of(kind) if wire.plausible is not None}
    return params | powers | dict.fromkeys(HOSTILE_FLAGS, True)


# Request handling --------------------------------------------------------------------------
class _App:
    """Routes a request to the container that owns the port it arrived on."""

    def __init__(self, by_port: Mapping[int, MockContainer]) -> None:
        self._by_port = by_port

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        transport = request.transport
        sockname = transport.get_extra_info("sockname") if transport is not None else None
        container = self._by_port.get(sockname[1]) if sockname else None
        if container is None:  # pragma: no cover - a connection that outlived its container
            raise web.HTTPServiceUnavailable
        path = request.path
        if path == "/cooler" and request.method == "GET":
            return await self._cooler(request, container)
        if path.startswith(CONTROL_PREFIX):
            return _control(request, container, path.removeprefix(CONTROL_PREFIX))
        return not_found(request)

    async def _cooler(self, request: web.Request, container: MockContainer) -> web.StreamResponse:
        query = dict(request.query)
        operation = query.get("operation", "")
        container.requests[operation] += 1
        container.history.append((operation, query))
        if operation not in OPERATIONS:
            return _json(UNSUPPORTED, status=400)
        if container.delay > 0:
            await asyncio.sleep(container.delay)
        failure = container.take_failure()
        match failure:
            case Failure.DROP:
                if request.transport is not None:
                    request.transport.abort()
                raise asyncio.CancelledError  # nothing more to say on a dropped connection
            case Failure.HTTP_500:
                error = {"statusCode": 500, "error": "Internal Server Error", "message": "mock"}
                return _json(_dumps(error), status=500)
            case Failure.OK_FALSE:
                return _json(_dumps({"ok": False, "method": operation, "params": None}))
            case Failure.OVERSIZE:
                return _json(oversize_body())
            case Failure.HUGE_TEXT:
                return _json(huge_text_body(operation))
            case _:
                pass
        if failure is Failure.BROKEN_JSON and operation not in READINGS:
            params = None  # a garbled answer: the operation is not carried out
        else:
            params = container.handle(operation, query)
        if failure in (Failure.MISSING_FIELDS, Failure.WRONG_TYPES):
            kind = container.kind if operation == "coolerState" else None
            params = break_fields(kind, params, failure)
        if failure is Failure.HOSTILE and isinstance(params, dict) and operation == "coolerState":
            params = hostile_params(container.kind, params, container.requests[operation])
        body = _dumps({"ok": True, "method": operation, "params": params})
        if failure is Failure.BROKEN_JSON:
            body = body[: len(body) // 2]
        return _json(body)


class ControlError(ValueError):
    """A control request the mock cannot carry out."""


def _flag(text: str | None, name: str) -> bool:
    if text is not None and text.lower() in _TRUE:
        return True
    if text is not None and text.lower() in _FALSE:
        return False
    raise ControlError(f"{name} must be true or false, not {text!r}")


def _number(text: str | None, name: str) -> float:
    try:
        number = float(text) if text is not None else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ControlError(f"{name} must be a finite number, not {text!r}")
    return number


def _miner_control(container: MockContainer, query: Mapping[str, str]) -> None:
    """`/_mock/miner`: one miner's hashing or chip temperature, by its position."""
    text = query.get("position", "")
    if not text.isdigit():
        raise ControlError(f"position must be a miner's position (1, 2, ...), not {text!r}")
    position = int(text)
    hashing, reporting = query.get("hashing"), query.get("reporting")
    chip_temp = query.get("chip_temp")
    if hashing is None and reporting is None and chip_temp is None:
        raise ControlError("give hashing=1|0, reporting=1|0 or chip_temp=<°C>|auto")
    if hashing is not None:
        container.set_miner_hashing(position, _flag(hashing, "hashing"))
    if reporting is not None:
        container.set_miner_reporting(position, _flag(reporting, "reporting"))
    if chip_temp is not None:
        celsius = None if chip_temp == "auto" else _number(chip_temp, "chip_temp")
        container.set_miner_chip_temp(position, celsius)


def apply_control(container: MockContainer, action: str, query: Mapping[str, str]) -> None:
    """Carry out one control action (the part of `/_mock/<action>` after the prefix)."""
    match action:
        case "fault":
            flag = query.get("flag", "")
            active = _flag(query.get("active", "true"), "active")
            if flag == "all":
                container.set_all_faults(active)
            else:
                container.set_fault(flag, active)
        case "value":
            name = query.get("name", "")
            text = query.get("value")
            value: float | bool
            if text is not None and text.lower() in _TRUE | _FALSE:
                value = _flag(text, "value")
            else:
                value = _number(text, "value")
            container.set_value(name, value)
        case "freeze":
            container.frozen = _flag(query.get("frozen", "true"), "frozen")
        case "miners":
            container.miners_hashing = _flag(query.get("hashing", "true"), "hashing")
        case "miner":
            _miner_control(container, query)
        case "delay":
            seconds = _number(query.get("seconds"), "seconds")
            if seconds < 0:
                raise ControlError("a delay cannot be negative")
            container.delay = seconds
        case "failure":
            count = query.get("count")
            try:
                mode = Failure(query.get("mode", ""))
            except ValueError:
                modes = ", ".join(failure.value for failure in Failure)
                raise ControlError(f"mode must be one of {modes}") from None
            container.set_failure(mode, None if count is None else int(_number(count, "count")))
        case "reset":
            container.set_all_faults(False)
            container.set_failure(Failure.NONE)
            container.delay = 0.0
            container.restore_miners()
            container.open_cooling()
        case _:
            raise KeyError(action)


def _control(request: web.Request, container: MockContainer, action: str) -> web.Response:
    if action == "state":
        if request.method != "GET":
            return _json(_dumps({"error": "use GET for /_mock/state"}), status=405)
        return _json(_dumps(container.state()))
    if request.method != "POST":
        return _json(_dumps({"error": f"use POST for /_mock/{action}"}), status=405)
    try:
        apply_control(container, action, request.query)
    except KeyError:
        return not_found(request)
    except ValueError as err:
        return _json(_dumps({"error": str(err)}), status=400)
    return _json(_dumps(container.state()))


def make_app(by_port: Mapping[int, MockContainer]) -> web.Application:
    """The aiohttp app serving the containers of `by_port` (looked up per request)."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _App(by_port).handle)
    return app


# Serving -----------------------------------------------------------------------------------
class ConnectionMeter:
    """The connections that the servers sharing this meter accept."""

    def __init__(self) -> None:
        """No connection yet."""
        self.open = 0
        """Connections open now."""
        self.peak = 0
        """Connections open at once, at most."""
        self.by_address: Counter[str] = Counter()
        """Connections accepted, by the local address they reached."""
        self._idle = asyncio.Event()
        self._idle.set()

    def opened(self, transport: asyncio.BaseTransport) -> None:
        """A connection was accepted."""
        sockname = transport.get_extra_info("sockname")
        self.by_address[str(sockname[0]) if sockname else ""] += 1
        self.open += 1
        self.peak = max(self.peak, self.open)
        self._idle.clear()

    def closed(self) -> None:
        """A connection was closed."""
        self.open -= 1
        if not self.open:
            self._idle.set()

    async def all_closed(self) -> None:
        """Return once no connection is open."""
        await self._idle.wait()

    def metered(self, factory: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        """A protocol factory whose connections this meter counts."""
        return lambda: _Metered(factory(), self)


class _Metered(asyncio.Protocol):
    """A connection's protocol that tells a meter when it opens and closes."""

    def __init__(self, protocol: asyncio.Protocol, meter: ConnectionMeter) -> None:
        self._protocol = protocol
        self._meter = meter

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._meter.opened(transport)
        self._protocol.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._meter.closed()
        self._protocol.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._protocol.data_received(data)

    def eof_received(self) -> bool | None:
        return self._protocol.eof_received()

    def pause_writing(self) -> None:
        self._protocol.pause_writing()

    def resume_writing(self) -> None:
        self._protocol.resume_writing()


class MockServer:
    """Serves many mock containers from one process: one listening port per container."""

    def __init__(
        self,
        specs: Sequence[ContainerSpec],
        host: str = "127.0.0.1",
        *,
        clock: Callable[[], float] = time.monotonic,
        meter: ConnectionMeter | None = None,
    ) -> None:
        """Build the containers; nothing listens until `start`."""
        self.host = host
        self.meter = meter
        self.containers: list[MockContainer] = [MockContainer(spec, clock=clock) for spec in specs]
        self._by_port: dict[int, MockContainer] = {}
        self._listeners: dict[int, asyncio.Server] = {}
        self._runner: web.AppRunner | None = None
        self._late: set[asyncio.Task[None]] = set()
        """The starts of containers that listen only after their `down_for`."""

    def __repr__(self) -> str:
        """Say how many containers it serves."""
        return f"MockServer({len(self.containers)} containers on {self.host})"

    def url(self, container: MockContainer) -> str:
        """The device URL of a container."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{container.port}/cooler"

    def listening(self, container: MockContainer) -> bool:
        """Whether a container accepts connections."""
        return id(container) in self._listeners

    async def start(self) -> None:
        """Listen on every container's port; on failure nothing is left listening."""
        if self._runner is not None:
            return
        runner = web.AppRunner(
            make_app(self._by_port),
            handle_signals=False,
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
        )
        await runner.setup()
        self._runner = runner
        try:
            for container in self.containers:
                if container.spec.down_for > 0:
                    self._start_later(container, container.spec.down_for)
                else:
                    await self.start_container(container)
        except BaseException:
            await self.stop()
            raise

    def _start_later(self, container: MockContainer, seconds: float) -> None:
        """Listen for a container after a while, on its port (one is chosen now if it has none)."""
        if not container.port:
            with socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET) as sock:
                sock.bind((self.host, 0))
                container.port = sock.getsockname()[1]

        async def start() -> None:
            await asyncio.sleep(seconds)
            await self.start_container(container)

        task = asyncio.get_running_loop().create_task(start())
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def start_container(self, container: MockContainer) -> None:
        """Listen for a container (again), on the port it had."""
        if self._runner is None or self._runner.server is None:
            raise RuntimeError("start the server first")
        if self.listening(container):
            return
        loop = asyncio.get_running_loop()
        factory: Callable[[], asyncio.Protocol] = self._runner.server
        if self.meter is not None:
            factory = self.meter.metered(factory)
        try:
            listener = await loop.create_server(
                factory, self.host, container.port, reuse_address=True
            )
        except OSError as err:
            reason = os.strerror(err.errno) if err.errno else str(err)
            raise OSError(
                err.errno, f"cannot listen on {self.host} port {container.port}: {reason}"
            ) from err
        container.port = listener.sockets[0].getsockname()[1]
        for sock in listener.sockets:  # a name like localhost may bind several addresses
            self._by_port[sock.getsockname()[1]] = container
        self._listeners[id(container)] = listener

    async def stop_container(self, container: MockContainer) -> None:
        """Stop listening for a container and cut its open connections."""
        listener = self._listeners.pop(id(container), None)
        if listener is None:
            return
        listener.close()
        listener.abort_clients()
        await listener.wait_closed()

    async def stop(self) -> None:
        """Stop listening everywhere, cut every connection, end the answers in progress."""
        for task in list(self._late):
            task.cancel()
        listeners = list(self._listeners.values())
        self._listeners.clear()
        for listener in listeners:
            listener.close()
            listener.abort_clients()
        await asyncio.gather(*(listener.wait_closed() for listener in listeners))
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.stop()
