"""The containers of `script/develop`: the mock's, added through the config flow, live.

The mock's list of containers and their ports, the wait for the mock to listen on all of
them, adding a container through the integration's config flow over Home Assistant's REST
API (as a user's clicks in the UI do), and the wait until the containers' entities have
values. `script/smoke` adds and watches its containers with the same calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
import contextlib
from dataclasses import dataclass
import json
from pathlib import Path
import socket
import time
from typing import Final

import aiohttp
from develop_api import (
    DOMAIN,
    HOST,
    INTEGRATION,
    HomeAssistantAPI,
    SetupError,
    alive,
    fail,
    say,
)

MOCK_FILE: Final = "mock-containers.json"
DEFAULT_MOCK: Final = [{"type": "HK3", "port": 8001}, {"type": "IMMERSION", "port": 8002}]
MOCK_TIMEOUT: Final = 30.0
LIVE_TIMEOUT: Final = 90.0
UNAVAILABLE: Final = frozenset({"unavailable", "unknown"})
STATELESS: Final = frozenset({"button", "event"})
"""Entity domains without a value until used: a button until pressed, an event until fired."""
SHOWN_WAITING: Final = 12
"""Entities named, at most, in the message of containers that are not all live in time."""


def port_free(port: int) -> bool:
    """Whether a server could listen on this port of the loopback address now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers bind: connections of a previous run in TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def mock_ports(mock_file: Path) -> list[tuple[str, int | None]]:
    """The (type, port) of each container of a mock bulk file; port None means any."""
    try:
        data = json.loads(mock_file.read_text(encoding="utf-8"))
    except OSError as err:
        fail(f"cannot read {mock_file}: {err.strerror or err}")
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        fail(f"{mock_file} is not JSON: {err}")
    if not isinstance(data, list) or not data or not all(isinstance(x, dict) for x in data):
        fail(f"{mock_file} must hold a non-empty JSON list of containers")
    containers: list[tuple[str, int | None]] = []
    for entry in data:
        port = entry.get("port")
        kind = str(entry.get("type", "HK3")).upper()
        containers.append((kind, port if isinstance(port, int) and port > 0 else None))
    return containers


@dataclass(frozen=True, slots=True)
class Container:
    """A container to add: its address, its port and its kind where known.

    Without a port, the config flow tries 80, then 8000.
    """

    host: str
    port: int | None
    kind: str = ""

    def __str__(self) -> str:
        """host:port, with the kind where known."""
        where = self.host if self.port is None else f"{self.host}:{self.port}"
        return f"{self.kind} at {where}" if self.kind else where


@dataclass(frozen=True, slots=True)
class Liveness:
    """How many of a container's entities have values."""

    title: str
    live: int
    total: int
    waiting: tuple[str, ...] = ()
    """The entities without one yet, each as `entity_id (state)`."""


def _words(path: Path) -> list[str]:
    """The words of a file, none while it does not exist."""
    try:
        return path.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return []


async def wait_for_mock(mock_file: Path, mock_urls: Path, mock_pid: int | None) -> list[Container]:
    """The mock's containers, once it listens on all of them.

    `mock_urls` is where the mock's output goes: a line `KIND URL` per container it serves.
    """
    expected = len(mock_ports(mock_file))
    deadline = time.monotonic() + MOCK_TIMEOUT
    while True:
        lines = _words(mock_urls)
        if len(lines) >= 2 * expected:
            break
        if not alive(mock_pid):
            fail("the mock stopped; its message above says why")
        if time.monotonic() > deadline:
            fail(f"the mock did not start its {expected} containers within {MOCK_TIMEOUT:.0f} s")
        await asyncio.sleep(0.1)
    containers: list[Container] = []
    for kind, url in zip(lines[0::2], lines[1::2], strict=True):
        address = url.removeprefix("http://").split("/", 1)[0]
        host, _, port = address.rpartition(":")
        containers.append(Container(host.strip("[]"), int(port), kind))
    say("mock", ", ".join(f"{c.kind} on {c.host}:{c.port}" for c in containers))
    return containers


def _config_flow_messages() -> dict[str, str]:
    try:
        strings = json.loads((INTEGRATION / "translations" / "en.json").read_text("utf-8"))
        return dict(strings["config"]["error"])
    except OSError, ValueError, KeyError:
        return {}


def _stored_entry_id(config: Path, container: Container) -> str | None:
    """The id of the Antspace entry of a container, from Home Assistant's storage.

    The entry's unique id is the container's resolved address and port; one added by a host
    name holds that name in its data.
    """
    address = f"{container.host}:{container.port}"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        stored = json.loads((config / ".storage" / "core.config_entries").read_text("utf-8"))
        for entry in stored["data"]["entries"]:
            data = entry["data"]
            if entry["domain"] != DOMAIN:
                continue
            if container.port is None and str(data.get("host")) == container.host.lower():
                return str(entry["entry_id"])
            if entry.get("unique_id") == address or (
                f"{data.get('host')}:{data.get('port')}" == address.lower()
            ):
                return str(entry["entry_id"])
    return None


async def add_container(api: HomeAssistantAPI, config: Path, container: Container) -> str:
    """Add a container through the config flow; the id of its entry (new or existing).

    As a person would: *One container, by its address* in the flow's menu, then its host
    and port (none: the flow tries 80, then 8000).
    """
    flow = await api.request(
        "POST", "/api/config/config_entries/flow", json_body={"handler": DOMAIN}
    )
    step = f"/api/config/config_entries/flow/{flow['flow_id']}"
    if flow.get("type") == "menu":
        await api.request("POST", step, json_body={"next_step_id": "manual"})
    address: dict[str, str | int] = {"host": container.host}
    if container.port is not None:
        address["port"] = container.port
    result = await api.request("POST", step, json_body=address)
    kind = result.get("type")
    if kind == "create_entry":
        say("containers", f"added {result['result']['title']} ({container})")
        return str(result["result"]["entry_id"])
    if kind == "abort" and result.get("reason") in {
        "already_configured",
        "already_configured_container",
    }:
        entry_id = _stored_entry_id(config, container)
        if entry_id is None:
            fail(f"{container} is configured, but its entry is not in Home Assistant's storage")
        say("containers", f"already added: {container}")
        return entry_id
    if kind == "form" and result.get("errors"):
        messages = _config_flow_messages()
        errors = "; ".join(messages.get(key, key) for key in result["errors"].values())
        with contextlib.suppress(aiohttp.ClientError, SetupError):
            await api.request("DELETE", f"/api/config/config_entries/flow/{flow['flow_id']}")
        fail(f"could not add {container}: {errors}")
    raise SetupError(f"adding {container} ended unexpectedly: {result}")


async def _liveness(api: HomeAssistantAPI, titles: Mapping[str, str]) -> list[Liveness]:
    """How live the entities of each entry (id to title) are now; buttons and events left out."""
    registry, states = await api.websocket(
        {"type": "config/entity_registry/list"}, {"type": "get_states"}
    )
    state_of = {state["entity_id"]: state["state"] for state in states}
    report: list[Liveness] = []
    for entry_id, title in titles.items():
        ids = sorted(
            e["entity_id"]
            for e in registry
            if e["config_entry_id"] == entry_id
            and e["disabled_by"] is None
            and e["entity_id"].split(".", 1)[0] not in STATELESS
        )
        waiting = tuple(
            f"{i} ({state_of.get(i, 'no state')})"
            for i in ids
            if state_of.get(i, "unavailable") in UNAVAILABLE
        )
        report.append(Liveness(title, len(ids) - len(waiting), len(ids), waiting))
    return report


async def wait_until_live(
    api: HomeAssistantAPI,
    entry_ids: Sequence[str],
    *,
    every: bool = False,
    within: float = LIVE_TIMEOUT,
) -> list[Liveness]:
    """Wait until every entry is loaded and has live entities; how live, per entry.

    Live is a state other than `unavailable` and `unknown`; buttons and events, which have
    none until used, and disabled entities do not count. With `every`, wait until all of an
    entry's entities are live, not only some; `within` is the seconds to wait.
    """
    deadline = time.monotonic() + within
    while True:
        entries = {
            entry["entry_id"]: entry
            for entry in await api.request(
                "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
            )
        }
        missing = [entry_id for entry_id in entry_ids if entry_id not in entries]
        if missing:
            fail(f"the entries {', '.join(missing)} are gone from Home Assistant")
        loaded = all(entries[entry_id]["state"] == "loaded" for entry_id in entry_ids)
        report: list[Liveness] = []
        if loaded:
            titles = {entry_id: str(entries[entry_id]["title"]) for entry_id in entry_ids}
            report = await _liveness(api, titles)
            if all((not r.waiting if every else r.live > 0) and r.total > 0 for r in report):
                return report
        if time.monotonic() > deadline:
            states = ", ".join(
                f"{entries[entry_id]['title']}: {entries[entry_id]['state']}"
                for entry_id in entry_ids
            )
            waiting = [name for r in report for name in r.waiting]
            more = (
                f", and {len(waiting) - SHOWN_WAITING} more" if len(waiting) > SHOWN_WAITING else ""
            )
            without = (
                f"; without a value: {', '.join(waiting[:SHOWN_WAITING])}{more}" if waiting else ""
            )
            after = f" after {within:.0f} s" if within > 0 else ""
            fail(f"the containers are not live{after} ({states}){without}")
        await asyncio.sleep(0.25)
