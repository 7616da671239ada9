"""A hostile or broken controller, and users without rights, against a real Home Assistant.

The container's API has no authentication: whatever answers at its address is believed. Here a
small server on 127.0.0.1 answers as a hostile controller would (megabytes of text, markup in
fault flag names, absurd powers, an SSH banner, garbage, resets, silence), behind the plant of
the project's mock, and Home Assistant polls it and acts on it through the integration.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from enum import StrEnum
from functools import cache
import gc
import html
import itertools
import json
import logging
from pathlib import Path
import re
import socket
import struct
import tracemalloc
from typing import Any
from unittest.mock import patch
from urllib.parse import parse_qsl, urlsplit

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.auth.permissions.models import PermissionLookup
from homeassistant.const import (
    ATTR_DEVICE_ID,
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PORT,
    STATE_UNKNOWN,
)
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
    UnknownUser,
)
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
from markdown_it import MarkdownIt
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.antspace.config_flow import AntspaceConfigFlow
from custom_components.antspace.const import (
    CONF_ALLOW_COOLING_OFF,
    CONF_KIND,
    DOMAIN,
    EVENT_ALERT,
)
from custom_components.antspace.coordinator import alert_issue_id
from custom_components.antspace.helpers import DEVICE_TEXT_CHARS, inert_text, plain_text
from custom_components.antspace.pyantspace import (
    MAX_RESPONSE_BYTES,
    UNRECOGNISED_FAULT,
    Kind,
)
from custom_components.antspace.pyantspace.models import MAX_CONTAINER_POWER
from mock.plant import ContainerSpec, MockContainer
from mock.server import HOSTILE_FLAGS, huge_text_body

from .conftest import ENTRY_IDS, TITLES, device_id, poll

HOST = "antspace-7.site.test"
"""The container's host name: resolved to 127.0.0.1 by the test's resolver (`hosts`)."""
TRANSLATIONS = json.loads(
    (Path(__file__).parents[1] / "custom_components/antspace/translations/en.json").read_text()
)
COMMANDS = ("open", "close", "reset", "setTemp")
POWER_FIELDS = {
    Kind.HK3: ("distribution_box1_power", "distribution_box2_power"),
    Kind.IMMERSION: ("distribution_box_power", "power_distribution"),
}
"""The power fields of each kind, by wire key (the model attribute's name here)."""


class Mode(StrEnum):
    """How the hostile container answers."""

    GOOD = "good"
    """As the mock's plant would, through `Hostile.tamper`."""
    HUGE_OK = "huge_ok"
    """Just under the size cap, with megabytes of text (and markup) where `ok` should be."""
    HUGE_METHOD = "huge_method"
    """Just under the size cap, with megabytes of text where `method` should be."""
    BROKEN_JSON = "broken_json"
    SSH = "ssh"
    """An SSH server's banner: not HTTP."""
    GARBAGE = "garbage"
    """Bytes that are not HTTP, with markup in them."""
    RESET = "reset"
    """The connection reset as the request arrives."""
    SLOW = "slow"
    """No answer at all."""


SSH_BANNER = b"SSH-2.0-OpenSSH_9.6p1 Debian-3 <svg onload=alert(1)>\r\n"
GARBAGE = b"\x00\xff\xfe<img src=http://127.0.0.1:9/x.png>\r\n\r\n" * 64


@cache
def huge_method_body(params: str) -> bytes:
    """An answer just under the size cap, whose `method` is megabytes of text."""
    head = b'{"ok":true,"params":' + params.encode() + b',"method":"'
    return head + b"y" * (MAX_RESPONSE_BYTES - 64 - len(head)) + b'"}'


def _http(body: bytes, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


class Hostile:
    """A container on 127.0.0.1 that answers as `mode` says, one connection per request.

    Its values come from a frozen mock plant, which also carries out the commands of good
    answers; `tamper` may change each `coolerState`'s params before they are sent. It counts
    the requests by operation, and the most that were in progress at once.
    """

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.plant = MockContainer(ContainerSpec(kind=kind, frozen=True, seed=11, miners=3))
        self.mode = Mode.GOOD
        self.tamper: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        self.requests: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0
        self.pause = 0.0
        """Seconds before each answer."""
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening: connections are refused from now on."""
        if self._server is not None:
            server, self._server = self._server, None
            server.close()
            server.abort_clients()
            await server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.mode is Mode.SSH:
                writer.write(SSH_BANNER)
                await writer.drain()
                await reader.read(65536)
                return
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1].decode("latin-1")
            query = dict(parse_qsl(urlsplit(target).query))
            operation = query.get("operation", "")
            self.requests[operation] += 1
            if self.pause:
                await asyncio.sleep(self.pause)
            writer.write(await self._answer(operation, query, reader, writer))
            await writer.drain()
        except asyncio.IncompleteReadError, ConnectionError, TimeoutError:
            pass
        finally:
            self.in_flight -= 1
            writer.close()

    async def _answer(
        self,
        operation: str,
        query: dict[str, str],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bytes:
        match self.mode:
            case Mode.SLOW:
                # Silence, until the client gives up and closes the connection.
                async with asyncio.timeout(30):
                    await reader.read()
                raise ConnectionResetError
            case Mode.RESET:
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                raise ConnectionResetError
            case Mode.GARBAGE:
                return GARBAGE
            case Mode.HUGE_OK:
                return _http(huge_text_body(operation))
            case _:
                pass
        try:
            params = self.plant.handle(operation, query)
        except KeyError:
            return _http(b'{"status":"error","error":"ERR_UNSUPPORTED"}', "400 Bad Request")
        if operation == "coolerState" and self.tamper is not None:
            params = self.tamper(params)
        if self.mode is Mode.HUGE_METHOD:
            return _http(huge_method_body(json.dumps(params)))
        body = json.dumps({"ok": True, "method": operation, "params": params}).encode()
        if self.mode is Mode.BROKEN_JSON:
            body = body[: len(body) // 2]
        return _http(body)


@pytest.fixture
async def hostile(
    socket_enabled: None, request: pytest.FixtureRequest, hosts: dict[str, list[str]]
) -> AsyncIterator[Hostile]:
    """A hostile HK3 (or the kind given by indirect parametrisation) at `HOST`."""
    hosts[HOST] = ["127.0.0.1"]
    server = Hostile(getattr(request, "param", Kind.HK3))
    await server.start()
    yield server
    await server.stop()


async def _setup(hass: HomeAssistant, hostile: Hostile, **options: Any) -> MockConfigEntry:
    """Add the hostile container as the config flow would, and wait until it is set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=AntspaceConfigFlow.VERSION,
        entry_id=ENTRY_IDS[hostile.kind],
        title=TITLES[hostile.kind],
        unique_id=f"127.0.0.1:{hostile.port}",
        data={CONF_HOST: HOST, CONF_PORT: hostile.port, CONF_KIND: hostile.kind.value},
        options=options,
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _entity(hass: HomeAssistant, entry: MockConfigEntry, platform: str, key: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{entry.entry_id}_{key}")
    assert entity_id is not None, (platform, key)
    return entity_id


class _Records(logging.Handler):
    """Every record of every logger, as it would be written."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[int, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelno, record.name, self.format(record)))


@contextmanager
def _all_records() -> Iterator[_Records]:
    """Collect every record at debug level and above, from every logger."""
    root = logging.getLogger()
    handler = _Records()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


# 1. Bounded memory -------------------------------------------------------------------------


async def test_memory_is_flat_over_1000_polls_of_new_keys(
    hass: HomeAssistant, hostile: Hostile, caplog: pytest.LogCaptureFixture
) -> None:
    """Each poll brings 100 keys never seen before (60 of them booleans, 20 reading like
    faults): nothing keeps them, so memory stays flat over 1,000 polls."""
    caplog.set_level(logging.WARNING)
    hass.loop.set_debug(False)  # it would record a traceback for every task
    polls = itertools.count()

    def tamper(params: dict[str, Any]) -> dict[str, Any]:
        n = next(polls)
        new: dict[str, Any] = {f"gadget_{n}_{i}": True for i in range(40)}
        new |= {f"gadget_{n}_{i}_fault": True for i in range(20)}
        new |= {f"reading_{n}_{i}": float(i) for i in range(40)}
        return params | new

    hostile.tamper = tamper
    entry = await _setup(hass, hostile)
    coordinator = entry.runtime_data

    async def run(count: int) -> int:
        for _ in range(count):
            await coordinator.async_refresh()
        await hass.async_block_till_done()
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        await run(100)  # warm-up: every cache of Home Assistant's and aiohttp's is filled
        before = await run(100)
        after = await run(800)
    finally:
        tracemalloc.stop()
    assert coordinator.last_update_success
    assert hostile.requests["coolerState"] >= 1000
    # 800 polls brought 80,000 new keys; a cache of them held some 5 MB.
    print(f"\nmemory: {before} B after 200 polls, {after} B after 1,000")  # noqa: T201
    assert after - before < 256 * 1024, (before, after)
    # The unrecognised fault's repair names the flags of the last answer, 10 and a count.
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, alert_issue_id(entry.entry_id, UNRECOGNISED_FAULT)
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    flags = issue.translation_placeholders["flags"]
    assert flags.startswith(rf"gadget\_{next(polls) - 1}\_0\_fault, ")
    assert flags.endswith("… (+10)")


# 2. and 7. What a device names is inert, and the repair follows it -----------------------


def _render_repair(issue: ir.IssueEntry) -> str:
    """The repair's description as the frontend renders it: placeholders, then Markdown
    (HTML allowed, as Home Assistant's renderer allows some)."""
    assert issue.translation_key is not None
    template = TRANSLATIONS["issues"][issue.translation_key]["description"]
    source = template.format(**(issue.translation_placeholders or {}))
    return MarkdownIt("commonmark", {"html": True}).render(source)


def _text_of(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", rendered))


async def test_repair_text_is_inert_and_follows_the_flags(
    hass: HomeAssistant, hostile: Hostile, freezer: FrozenDateTimeFactory
) -> None:
    """Flags named with an image, a link and an `<svg>` are shown as text, cut to length; the
    repair names the flags of the last answer while the alert stands."""
    unknown: dict[str, bool] = dict.fromkeys(HOSTILE_FLAGS, True)
    hostile.tamper = lambda params: params | unknown
    entry = await _setup(hass, hostile)
    events: list[dict[str, Any]] = []
    hass.bus.async_listen(EVENT_ALERT, callback(lambda event: events.append(dict(event.data))))
    issue_id = alert_issue_id(entry.entry_id, UNRECOGNISED_FAULT)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    flags = issue.translation_placeholders["flags"]

    rendered = _render_repair(issue)
    tags = set(re.findall(r"<\s*([a-zA-Z]+)", rendered))
    assert tags <= {"p", "strong", "a"}, tags
    # The only link is the integration's own, to the container's device page.
    assert re.findall(r'<a href="([^"]*)"', rendered) == [
        f"/config/devices/device/{device_id(hass, entry)}"
    ] * rendered.count("<a ")
    assert "<img" not in rendered
    assert "<svg" not in rendered
    # Nothing that an autolinking renderer (Home Assistant's, GitHub-flavoured) links.
    assert not re.search(r"https?://|www\.|\w@\w", flags)
    # The names read as sent, the long one cut.
    text = _text_of(rendered)
    assert "![x](http://attacker.invalid/track.png)_fault" in text
    assert "[click here](http://attacker.invalid/)_fault" in text
    assert "<svg onload=alert(1)>_alarm" in text
    assert "z" * 63 + "…" in text
    assert "z" * 64 not in text
    assert len(flags) < 600
    # No state or attribute of any entity carries what the device named.
    for state in hass.states.async_all():
        shown = f"{state.state} {state.attributes}"
        assert "track.png" not in shown
        assert "svg" not in shown

    # The flags change while the alert stands: the repair follows, nothing is raised anew.
    unknown.clear()
    unknown["<b>new</b>_fault"] = True
    await poll(hass, freezer)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["flags"] == r"&#60;b&#62;new&#60;\/b&#62;\_fault"
    assert "<b>" not in _render_repair(issue)
    assert "<b>new</b>_fault" in _text_of(_render_repair(issue))
    assert events == []
    # And it goes with the last unknown flag.
    unknown.clear()
    await poll(hass, freezer)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert [(e["alert"], e["active"]) for e in events] == [(UNRECOGNISED_FAULT, False)]


async def test_diagnostics_show_unknown_fields_redacted(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, hostile: Hostile
) -> None:
    """Fields a firmware adds are there by name, with their values redacted, names cut."""
    added = {"ip": "192.0.2.80", "mac": "02:00:5e:10:00:01", "gps": "52.37,4.89", "sn": "SN4411"}
    hostile.tamper = lambda params: (
        params | added | {"q" * 9000: 1} | dict.fromkeys(HOSTILE_FLAGS, True)
    )
    entry = await _setup(hass, hostile)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    for private in (*added.values(), HOST, "127.0.0.1"):
        assert private not in text
    extra = diagnostics["state"]["extra"]
    assert extra == dict.fromkeys(["ip", "mac", "gps", "sn", "q" * 63 + "…"], "**REDACTED**")
    assert all(len(flag) <= 64 for flag in diagnostics["state"]["faults"])
    assert len(text) < 200_000


# 3. Log volume -----------------------------------------------------------------------------


async def test_flapping_container_logs_one_line_per_outage(
    hass: HomeAssistant, hostile: Hostile, freezer: FrozenDateTimeFactory
) -> None:
    """Good answers between outages of 4 MB answers, garbage, broken JSON and an SSH banner:
    one short error line per outage, whatever the answers' size."""
    bad = (Mode.HUGE_OK, Mode.HUGE_METHOD, Mode.GARBAGE, Mode.BROKEN_JSON, Mode.SSH)
    schedule: list[Mode] = []
    outages = 0
    for n, mode in enumerate(bad * 3):
        schedule += [Mode.GOOD, *[mode] * (1 + n % 3)]
        outages += 1
    schedule.append(Mode.GOOD)
    entry = await _setup(hass, hostile)
    with _all_records() as records:
        for mode in schedule:
            hostile.mode = mode
            await poll(hass, freezer)
            assert entry.runtime_data.last_update_success is (mode is Mode.GOOD)
    errors = [line for level, _name, line in records.lines if level >= logging.ERROR]
    # (The loop's debug mode, the test harness's, warns of the test's own slow steps.)
    shown = [
        line for level, name, line in records.lines if level >= logging.INFO and name != "asyncio"
    ]
    volume = sum(len(line) for _level, _name, line in records.lines)
    print(  # noqa: T201
        f"\nlog: {len(schedule)} polls, {outages} outages: {len(errors)} error lines, "
        f"{len(shown)} lines at info level or above ({sum(map(len, shown))} characters); "
        f"{len(records.lines)} records of {volume} characters with debug"
    )
    assert len(errors) == outages
    assert all("Error fetching" in line for line in errors)
    assert max(len(line) for line in shown) < 300
    assert all("Traceback" not in line for line in shown)
    # The error line, and the line when it is back: no more per outage.
    assert len(shown) <= 2 * outages
    # 12 MB of answers were refused in these polls. With debug logging on, Home Assistant's
    # coordinator adds its traceback of each failed poll, a few kB whatever the answer.
    assert volume < 256 * 1024


# 4. Rights ---------------------------------------------------------------------------------


async def test_read_only_user_is_refused_and_nothing_is_sent(
    hass: HomeAssistant, hostile: Hostile, hass_read_only_user: MockUser
) -> None:
    """Every action and every entity command the cards send is refused to a read-only user,
    whatever the target; the container hears none of them."""
    entry = await _setup(hass, hostile, **{CONF_ALLOW_COOLING_OFF: True})
    device = device_id(hass, entry)
    area = ar.async_get(hass).async_create("Row 3")
    dr.async_get(hass).async_update_device(device, area_id=area.id)
    status = _entity(hass, entry, "sensor", "status")
    setpoint = _entity(hass, entry, "number", "supply_liquid_set_temp")
    cooling = _entity(hass, entry, "switch", "cooling")
    pid = _entity(hass, entry, "switch", "pid_mode")
    reset = _entity(hass, entry, "button", "reset")
    context = Context(user_id=hass_read_only_user.id)
    calls: list[tuple[str, str, dict[str, Any]]] = [
        (DOMAIN, "reset", {ATTR_DEVICE_ID: device}),
        (DOMAIN, "reset", {"area_id": area.id}),
        (DOMAIN, "reset", {ATTR_ENTITY_ID: status}),
        (DOMAIN, "set_supply_temperature", {ATTR_DEVICE_ID: device, "temperature": 30}),
        (DOMAIN, "set_supply_temperature", {ATTR_DEVICE_ID: device, "pid": True}),
        (DOMAIN, "set_cooling", {ATTR_DEVICE_ID: device, "on": False}),
        (DOMAIN, "set_cooling", {ATTR_ENTITY_ID: cooling, "on": True}),
        # What the cards send: Home Assistant's own entity actions.
        ("number", "set_value", {ATTR_ENTITY_ID: setpoint, "value": 30}),
        ("switch", "turn_off", {ATTR_ENTITY_ID: cooling}),
        ("switch", "turn_on", {ATTR_ENTITY_ID: pid}),
        ("button", "press", {ATTR_ENTITY_ID: reset}),
    ]
    for domain, service, data in calls:
        with pytest.raises(Unauthorized) as err:
            await hass.services.async_call(domain, service, data, blocking=True, context=context)
        assert err.value.permission == POLICY_CONTROL, (domain, service, data)
    assert {command: hostile.requests[command] for command in COMMANDS} == dict.fromkeys(
        COMMANDS, 0
    )
    # An unknown user is refused too.
    with pytest.raises(UnknownUser):
        await hass.services.async_call(
            DOMAIN, "reset", {ATTR_DEVICE_ID: device}, blocking=True, context=Context(user_id="x")
        )
    assert hostile.requests["reset"] == 0


def _user(hass: HomeAssistant) -> MockUser:
    """A user of no group, whose policy a test gives (by device or entity)."""
    user = MockUser().add_to_hass(hass)
    user.perm_lookup = PermissionLookup(er.async_get(hass), dr.async_get(hass))
    return user


async def test_rights_as_for_the_entities(
    hass: HomeAssistant, hostile: Hostile, hass_admin_user: MockUser
) -> None:
    """An admin, an automation (no user) and a user who may control the container may act; a
    user who may control only the reset button may reset through it, and nothing else."""
    entry = await _setup(hass, hostile)
    device = device_id(hass, entry)
    reset = _entity(hass, entry, "button", "reset")
    await hass.services.async_call(
        DOMAIN,
        "reset",
        {ATTR_DEVICE_ID: device},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.services.async_call(DOMAIN, "reset", {ATTR_DEVICE_ID: device}, blocking=True)
    assert hostile.requests["reset"] == 2

    operator = _user(hass)
    operator.mock_policy({"entities": {"device_ids": {device: True}}})
    await hass.services.async_call(
        DOMAIN,
        "set_supply_temperature",
        {ATTR_DEVICE_ID: device, "temperature": 31},
        blocking=True,
        context=Context(user_id=operator.id),
    )
    assert hostile.plant.setpoint == 31

    presser = _user(hass)
    presser.mock_policy({"entities": {"entity_ids": {reset: True}}})
    context = Context(user_id=presser.id)
    await hass.services.async_call(
        DOMAIN, "reset", {ATTR_ENTITY_ID: reset}, blocking=True, context=context
    )
    await hass.services.async_call(
        "button", "press", {ATTR_ENTITY_ID: reset}, blocking=True, context=context
    )
    assert hostile.requests["reset"] == 4
    for service, data in (
        ("reset", {ATTR_DEVICE_ID: device}),  # the device's other entities are not theirs
        ("set_supply_temperature", {ATTR_ENTITY_ID: reset, "temperature": 33}),
        ("set_cooling", {ATTR_ENTITY_ID: reset, "on": True}),
    ):
        with pytest.raises(Unauthorized):
            await hass.services.async_call(DOMAIN, service, data, blocking=True, context=context)
    assert hostile.requests["reset"] == 4
    assert hostile.requests["setTemp"] == 1
    assert hostile.requests["open"] == 0


# 5. Energy and power -----------------------------------------------------------------------


@pytest.mark.parametrize("hostile", list(Kind), indirect=True, ids=["hk3", "immersion"])
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_energy_ignores_absurd_powers(
    hass: HomeAssistant,
    hostile: Hostile,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """1e308, 1e300 and -10 MW are no reading: the powers are unknown, the energy counts the
    gap at the power around it, never decreases, and nothing is logged."""
    raw: list[float | None] = [None]
    fields = POWER_FIELDS[hostile.kind]
    hostile.tamper = lambda params: (
        params if raw[0] is None else params | dict.fromkeys(fields, raw[0])
    )
    entry = await _setup(hass, hostile)
    watts = entry.runtime_data.data.snapshot.state.total_power
    assert watts is not None
    assert 0 < watts < MAX_CONTAINER_POWER
    energy = _entity(hass, entry, "sensor", "energy")
    powers = [_entity(hass, entry, "sensor", key) for key in ("total_power", *fields)]
    readings = [None, None, 1e308, None, 1e300, None, -1e7, None, 1e308, 1e308, None, None]
    last = 0.0
    for reading in readings:
        raw[0] = reading
        await poll(hass, freezer)
        total = float(hass.states.get(energy).state)
        assert last <= total < 1e6
        last = total
        if reading is not None:
            assert [hass.states.get(power).state for power in powers] == [STATE_UNKNOWN] * 3
    # Every gap was one reading between two of the same power: it counts as if read.
    assert last == pytest.approx(watts / 1000 * len(readings) * 10 / 3600, rel=1e-6)
    # (Leaving out the test harness's: its custom integration, its slow loop steps.)
    theirs = ("homeassistant.loader", "asyncio")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name not in theirs]
    assert not [r for r in caplog.records if r.exc_info]


# 6. No address -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode", ["refused", Mode.RESET, Mode.SSH, Mode.GARBAGE, Mode.BROKEN_JSON, Mode.SLOW]
)
async def test_no_address_in_logs_errors_or_reasons(
    hass: HomeAssistant, hostile: Hostile, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    """Whatever fails, from start-up on, no record at info level or above, no error an action
    or an entity's command raises and no setup reason names the container's host, address or
    port."""
    caplog.set_level(logging.INFO)
    errors: list[HomeAssistantError] = []
    # Real time, for the client's timeout runs on it; the timers of each interval are fired
    # ahead of it, as the soak test does.
    start = dt_util.utcnow()
    steps = itertools.count(1)

    async def poll() -> None:
        async_fire_time_changed(hass, start + timedelta(seconds=10 * next(steps)))
        await hass.async_block_till_done(wait_background_tasks=True)

    async def fail() -> None:
        if mode == "refused":
            await hostile.stop()
        else:
            hostile.mode = Mode(mode)

    async def expect_errors(calls: list[tuple[str, str, dict[str, Any]]]) -> None:
        for domain, service, data in calls:
            with pytest.raises(HomeAssistantError) as err:
                await hass.services.async_call(domain, service, data, blocking=True)
            errors.append(err.value)

    with patch("custom_components.antspace.coordinator.REQUEST_TIMEOUT", timedelta(seconds=0.2)):
        # Failing from start-up on, to unreachable: the actions still try, and fail.
        await fail()
        entry = await _setup(hass, hostile, **{CONF_ALLOW_COOLING_OFF: True})
        for _ in range(4):
            await poll()
        assert entry.runtime_data.unreachable
        device = device_id(hass, entry)
        await expect_errors(
            [
                (DOMAIN, "reset", {ATTR_DEVICE_ID: device}),
                (DOMAIN, "set_cooling", {ATTR_DEVICE_ID: device, "on": False}),
            ]
        )
        # Back, then failing again before the next poll: the entities (available until it)
        # send their commands, which fail.
        if mode == "refused":
            await hostile.start()
        hostile.mode = Mode.GOOD
        await poll()
        assert entry.runtime_data.last_update_success
        await fail()
        setpoint = _entity(hass, entry, "number", "supply_liquid_set_temp")
        await expect_errors(
            [
                ("button", "press", {ATTR_ENTITY_ID: _entity(hass, entry, "button", "reset")}),
                ("number", "set_value", {ATTR_ENTITY_ID: setpoint, "value": 30}),
                ("switch", "turn_off", {ATTR_ENTITY_ID: _entity(hass, entry, "switch", "cooling")}),
            ]
        )
        await poll()
    texts = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.INFO
        # The test's own server announcing itself (the loop runs in debug mode).
        and not (record.name == "asyncio" and record.getMessage().endswith("is serving"))
    ]
    texts += [str(err) for err in errors]
    texts += [json.dumps(err.translation_placeholders) for err in errors]
    texts += [str(entry.reason), json.dumps(entry.error_reason_translation_placeholders)]
    assert any("Error fetching" in text for text in texts)
    for private in (HOST, "127.0.0.1", str(hostile.port)):
        assert not [text for text in texts if private in text], private
    assert not [text for text in texts if "SSH-2.0" in text or "svg" in text]


# 7. Setpoints, refusals, one command at a time ---------------------------------------------


async def test_setpoint_beyond_any_float(hass: HomeAssistant, hostile: Hostile) -> None:
    """10**400 is refused with the translated error, by the action and by the entity."""
    entry = await _setup(hass, hostile)
    device = device_id(hass, entry)
    for value, shown in ((10**400, "1.000e+400"), ("1e400", "1e400"), (-(10**400), "-1.000e+400")):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                DOMAIN,
                "set_supply_temperature",
                {ATTR_DEVICE_ID: device, "temperature": value},
                blocking=True,
            )
        assert err.value.translation_key == "invalid_setpoint"
        assert err.value.translation_placeholders["value"] == shown
    # Home Assistant's number action refuses it by its schema.
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            "number",
            "set_value",
            {
                ATTR_ENTITY_ID: _entity(hass, entry, "number", "supply_liquid_set_temp"),
                "value": 10**400,
            },
            blocking=True,
        )
    assert hostile.requests["setTemp"] == 0


async def test_cooling_off_refused_says_why(hass: HomeAssistant, hostile: Hostile) -> None:
    """Refused off on one container: its own translated reason, and nothing sent."""
    entry = await _setup(hass, hostile)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "set_cooling",
            {ATTR_DEVICE_ID: device_id(hass, entry), "on": False},
            blocking=True,
        )
    assert err.value.translation_key == "cooling_off_not_allowed"
    assert str(err.value).startswith("Turning the cooling system of Antspace HK3 off is not")
    assert hostile.requests["close"] == 0


async def test_parallel_actions_reach_the_container_one_at_a_time(
    hass: HomeAssistant, hostile: Hostile
) -> None:
    """Fifty actions at once, with the polls after them: one connection at a time."""
    entry = await _setup(hass, hostile)
    device = device_id(hass, entry)
    setpoint = _entity(hass, entry, "number", "supply_liquid_set_temp")
    hostile.pause = 0.002  # so that requests sent together would overlap
    hostile.most_in_flight = 0
    polls = hostile.requests["coolerState"]
    await asyncio.gather(
        *(
            hass.services.async_call(DOMAIN, "reset", {ATTR_DEVICE_ID: device}, blocking=True)
            for _ in range(40)
        ),
        *(
            hass.services.async_call(
                "number", "set_value", {ATTR_ENTITY_ID: setpoint, "value": 30}, blocking=True
            )
            for _ in range(10)
        ),
    )
    assert hostile.requests["reset"] == 40
    assert hostile.requests["setTemp"] == 10
    assert hostile.requests["coolerState"] > polls
    assert hostile.most_in_flight == 1


def test_plain_text_is_one_bounded_line_and_keeps_its_characters() -> None:
    """What the cards get of a device's text (a miner's type, firmware, address): controls and
    line breaks replaced, cut at its limit, and otherwise the characters it sent, which the
    cards put into the page as text, never as markup."""
    assert plain_text("S19 Hydro <b>&amp;</b>") == "S19 Hydro <b>&amp;</b>"
    assert plain_text("a\nb\u202ec\x00") == "a\ufffdb\ufffdc\ufffd"
    long = plain_text("x" * 10_000)
    assert len(long) == DEVICE_TEXT_CHARS
    assert long.endswith("…")
    assert inert_text("10.0.0.2") == "10\\.0\\.0\\.2"  # for Markdown, escaped
