"""Async client for the HTTP API of an Antspace container."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from enum import StrEnum
import errno
import json
import math
import socket
from typing import Any, Final

import aiohttp
from yarl import URL

from .exceptions import (
    AntspaceConnectionError,
    AntspaceResponseError,
    InvalidSetpointError,
    excerpt,
)
from .kinds import Kind
from .models import CoolerState, MinerSummary, MinerValues, Snapshot, miner_table

DEFAULT_PORT: Final = 80
"""The port real controllers answer on: field tools read them at `http://<address>/cooler`."""
MOCK_PORT: Final = 8000
"""The port of the reference mock (and of this project's mock, unless told otherwise)."""
PORTS: Final = (DEFAULT_PORT, MOCK_PORT)
"""The ports a container is looked for on when none is given, in this order."""
DEFAULT_TIMEOUT: Final = 10.0
"""Seconds a container gets to answer one request."""
MAX_RESPONSE_BYTES: Final = 4 * 1024 * 1024
"""An answer larger than this is refused (a `minerInfo` of 120 miners is about 25 kB)."""

SETPOINT_MIN: Final = 15.0
SETPOINT_MAX: Final = 50.0
"""The supply-liquid setpoints, °C, this client sends. Miners' liquid-cooling inlets are
specified roughly within this range; the device itself does not refuse nonsense."""
SETPOINT_STEP: Final = 0.5
"""°C, the step in which people set it (the device takes one decimal)."""


class Operation(StrEnum):
    """The operations of the `/cooler` endpoint."""

    COOLER_STATE = "coolerState"
    MINER_INFO = "minerInfo"
    OPEN = "open"
    CLOSE = "close"
    RESET = "reset"
    SET_TEMP = "setTemp"


def validate_setpoint(value: Any) -> float:
    """Return the setpoint as a float, or raise InvalidSetpointError saying what is wrong."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidSetpointError(f"setpoint must be a number, not {excerpt(value)}")
    try:
        number = float(value)
    except OverflowError:  # a whole number too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise InvalidSetpointError(f"setpoint must be a finite number, not {excerpt(value)}")
    if not SETPOINT_MIN <= number <= SETPOINT_MAX:
        raise InvalidSetpointError(
            f"setpoint {number:g} °C is outside {SETPOINT_MIN:g} to {SETPOINT_MAX:g} °C"
        )
    return number


class AntspaceClient:
    """Talks to one container over a caller-owned aiohttp session."""

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        session: aiohttp.ClientSession,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float | None = None,
        keep_alive: bool = True,
    ) -> None:
        """Prepare a client; nothing is sent until an operation is called.

        `connect_timeout` bounds the connection's set-up within `timeout`; without
        `keep_alive` each request closes its connection once answered.
        """
        self.host = host
        self.port = port
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=connect_timeout)
        self._headers = None if keep_alive else {"Connection": "close"}
        self._url = URL.build(scheme="http", host=host, port=port, path="/cooler")
        self._urls: dict[Operation, URL] = {}
        """The URL of each operation without arguments, built once: polls repeat them."""
        self._lock = asyncio.Lock()
        """One request at a time: a container's controller is a small device, and fifty
        actions at once must not open fifty connections to it."""

    def __repr__(self) -> str:
        """Identify the client without its address (private data)."""
        return f"{type(self).__name__}(port={self.port})"

    async def _request(self, operation: Operation, **query: str) -> Any:
        """Send one operation and return the `params` of a good answer.

        Requests to the container go one at a time, in the order they came. Every error says
        what went wrong in this client's own words: the HTTP library's texts name the URL (the
        container's address, private data) and quote what the device sent, so they are never
        passed on, not even as the cause shown in a traceback.
        """
        url = self._urls.get(operation)
        if query:
            url = self._url.with_query(operation=operation.value, **query)
        elif url is None:
            url = self._urls[operation] = self._url.with_query(operation=operation.value)
        try:
            async with (
                self._lock,
                self._session.get(
                    url, timeout=self._timeout, allow_redirects=False, headers=self._headers
                ) as response,
            ):
                body = await self._read_capped(response)
                status = response.status
        except TimeoutError:
            raise AntspaceConnectionError(
                f"no answer to {operation} within {self._timeout.total:g} s"
            ) from None
        except (aiohttp.ClientConnectionError, socket.gaierror, OSError) as err:
            raise AntspaceConnectionError(
                f"could not reach the container for {operation}: {_describe(err)}"
            ) from None
        except aiohttp.ClientResponseError:
            # No status is checked by aiohttp here (see below): its parser refused the answer,
            # as it does what an SSH server or any other service says on the port.
            raise AntspaceResponseError(f"the answer to {operation} is not valid HTTP") from None
        except aiohttp.ClientPayloadError:
            raise AntspaceResponseError(
                f"the answer to {operation} was cut short or badly framed"
            ) from None
        except aiohttp.ClientError as err:
            raise AntspaceResponseError(
                f"bad HTTP answer to {operation} ({type(err).__name__})"
            ) from None
        if status != 200:
            raise AntspaceResponseError(f"HTTP {status} in answer to {operation}")
        return _unwrap(operation, body)

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        length = response.content_length
        if length is not None and length > MAX_RESPONSE_BYTES:
            raise AntspaceResponseError(
                f"answer of {length} bytes is over the {MAX_RESPONSE_BYTES} byte cap"
            )
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise AntspaceResponseError(f"answer is over the {MAX_RESPONSE_BYTES} byte cap")
            chunks.append(chunk)
        return b"".join(chunks)

    async def cooler_state(self) -> CoolerState:
        """Read the state of the cooling system."""
        params = await self._request(Operation.COOLER_STATE)
        return CoolerState.from_params(_require_object(Operation.COOLER_STATE, params))

    async def miner_info(
        self, *, detail: bool = True, chip_limit: float | None = None
    ) -> MinerSummary:
        """Read the summary of the miners the container feeds; each miner's too, if `detail`.

        With a `chip_limit` (°C), the summary names the miners whose chip runs above it.
        """
        params = await self._request(Operation.MINER_INFO)
        return MinerSummary.from_params(
            _require_object(Operation.MINER_INFO, params), detail=detail, chip_limit=chip_limit
        )

    async def miner_table(self) -> tuple[MinerSummary, list[MinerValues]]:
        """Read the miner summary (without `miners`) and each miner's values (`miner_table`)."""
        params = _require_object(Operation.MINER_INFO, await self._request(Operation.MINER_INFO))
        return MinerSummary.from_params(params, detail=False), miner_table(params)

    async def snapshot(self, *, miner_detail: bool = True) -> Snapshot:
        """Read the cooling state and the miner summary at once."""
        state, miners = await asyncio.gather(
            self.cooler_state(), self.miner_info(detail=miner_detail)
        )
        return Snapshot(state=state, miners=miners)

    async def start_cooling(self) -> None:
        """Switch the cooling system on (the wire's `open`)."""
        await self._request(Operation.OPEN)

    async def stop_cooling(self) -> None:
        """Switch the cooling system off (the wire's `close`): the pumps stop."""
        await self._request(Operation.CLOSE)

    async def reset(self) -> None:
        """Reset the cooling system; clears latched faults on the device."""
        await self._request(Operation.RESET)

    async def set_supply_temperature(self, value: float) -> None:
        """Set the supply-liquid target temperature, °C; leaves PID mode."""
        number = validate_setpoint(value)
        await self._request(Operation.SET_TEMP, temp=f"{round(number, 1):g}")

    async def enable_pid_control(self) -> None:
        """Hand the supply-liquid setpoint to the device's PID control."""
        await self._request(Operation.SET_TEMP, temp="pid")


async def probe(
    session: aiohttp.ClientSession,
    host: str,
    port: int,
    *,
    answer_within: float = DEFAULT_TIMEOUT,
    connect_within: float | None = None,
) -> Kind:
    """The kind of the container at `host:port`, asked with one `coolerState` read.

    It gets `answer_within` seconds to answer, `connect_within` of them to accept the
    connection.

    Only the container API's own answer counts: HTTP 200, the `{ok: true, method, params}`
    envelope and a `coolerState` whose fields tell its kind, as `AntspaceClient.cooler_state`
    reads it. Anything else raises: AntspaceConnectionError when nothing answers in time,
    AntspaceResponseError when something else answers (a web server, another device). The
    connection is closed after the answer.
    """
    client = AntspaceClient(
        host,
        port,
        session=session,
        timeout=answer_within,
        connect_timeout=connect_within,
        keep_alive=False,
    )
    return (await client.cooler_state()).kind


_CONNECTION_ERRORS: Final = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "the connection was reset",
    errno.ECONNABORTED: "the connection was aborted",
    errno.EPIPE: "the connection was closed while sending",
    errno.EHOSTUNREACH: "no route to the host",
    errno.ENETUNREACH: "the network is unreachable",
    errno.ETIMEDOUT: "the connection timed out",
}
"""What a connection's OS error means, by its number, in this client's words."""


def _describe(err: BaseException) -> str:
    """Say what went wrong with a connection, without the address (private data)."""
    if isinstance(err, (aiohttp.ClientConnectorDNSError, socket.gaierror)):
        return "the host name does not resolve"
    if isinstance(err, aiohttp.ServerDisconnectedError):
        return "the connection was closed without an answer"
    if isinstance(err, aiohttp.ClientConnectorError):
        err = err.os_error
    if isinstance(err, OSError) and err.errno in _CONNECTION_ERRORS:
        return _CONNECTION_ERRORS[err.errno]
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, ConnectionResetError):
        return "the connection was reset"
    return err.__class__.__name__


def _unwrap(operation: Operation, body: bytes) -> Any:
    """Check the `{ok, method, params}` envelope and return `params`."""
    try:
        answer = json.loads(body)
    except ValueError as err:  # not JSON, not text, or a number with too many digits
        raise AntspaceResponseError(f"answer to {operation} is not JSON") from err
    except RecursionError as err:
        raise AntspaceResponseError(f"answer to {operation} is nested too deeply") from err
    if not isinstance(answer, Mapping):
        raise AntspaceResponseError(f"answer to {operation} is not a JSON object")
    if answer.get("ok") is not True:
        raise AntspaceResponseError(
            f"container refused {operation} (ok: {excerpt(answer.get('ok'))})"
        )
    method = answer.get("method")
    if method is not None and method != operation.value:
        raise AntspaceResponseError(f"answer to {operation} is for {excerpt(method)}")
    return answer.get("params")


def _require_object(operation: Operation, params: Any) -> Mapping[str, Any]:
    if not isinstance(params, Mapping):
        raise AntspaceResponseError(f"answer to {operation} carries no object of values")
    return params
