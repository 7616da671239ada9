"""The Home Assistant side of `script/develop`: its config, onboarding and containers.

    develop_setup.py prepare --config DIR --ha-port N [--mock-file FILE | --host H --port P]
        Create the config directory on first use (configuration.yaml, the link to this
        repository's integration, the mock's container list) and check the ports are free.

    develop_setup.py setup --config DIR --ha-port N --ha-pid PID
                           [--mock-file FILE --mock-urls FILE --mock-pid PID | --host H --port P]
        Wait for Home Assistant; onboard it with a development user on first start, or log in;
        add each container through the config flow, as a user's clicks do; wait until their
        entities are live; print where to log in.

Every step prints one line; a failure prints what went wrong, not a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping, Sequence
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import secrets
import socket
import sys
import time
from typing import Any, Final, NoReturn

import aiohttp

ROOT: Final = Path(__file__).resolve().parent.parent
INTEGRATION: Final = ROOT / "custom_components" / "antspace"
DOMAIN: Final = "antspace"
HOST: Final = "127.0.0.1"
USERNAME: Final = "dev"
USER_FULL_NAME: Final = "Developer"
CREDENTIALS_FILE: Final = "develop-credentials.json"
MOCK_FILE: Final = "mock-containers.json"
DASHBOARD: Final = "dashboard-antspace"
DEFAULT_MOCK: Final = [{"type": "HK3", "port": 8001}, {"type": "IMMERSION", "port": 8002}]
HTTP_DEFAULTS: Final = {
    "cors_allowed_origins": ["https://cast.home-assistant.io"],
    "login_attempts_threshold": -1,
    "ip_ban_enabled": True,
    "ssl_profile": "modern",
    "use_x_frame_options": True,
}
"""Home Assistant's own defaults for the HTTP settings other than address and port."""
START_TIMEOUT: Final = 300.0
"""s Home Assistant gets to answer after it was started (a first start creates its database)."""
MOCK_TIMEOUT: Final = 30.0
LIVE_TIMEOUT: Final = 90.0
UNAVAILABLE: Final = frozenset({"unavailable", "unknown"})
STATELESS: Final = frozenset({"button", "event"})
"""Entity domains without a value until used: a button until pressed, an event until fired."""

CONFIGURATION_YAML: Final = """\
# Home Assistant for developing the Antspace integration. script/develop wrote this file on
# first start and does not touch it again: edit it as you like, or delete the whole config
# directory to start afresh.
#
# A lean set of integrations that work without the internet: no default_config, which
# would start discovery, cloud, mobile app and more.
#
# No http: section. Home Assistant keeps its HTTP settings in .storage/http (a YAML one is
# taken over once, as a trial that reverts after five minutes unless confirmed in the UI);
# script/develop writes them there before each start: 127.0.0.1 only, on --ha-port.

homeassistant:
  name: Antspace development
  unit_system: metric
  country: US
  currency: USD
  time_zone: UTC

frontend:
config:
history:
logbook:
energy:
system_health:

logger:
  default: warning
  logs:
    custom_components.antspace: debug
    # Home Assistant always sets up its camera and ffmpeg integrations, which complain
    # when the machine lacks libturbojpeg and ffmpeg; this instance needs neither.
    homeassistant.components.camera.img_util: critical
    haffmpeg: critical
"""


class SetupError(Exception):
    """Something the developer must fix; the message says what."""


def say(step: str, message: str) -> None:
    """Print one line of progress."""
    print(f"develop: {step}: {message}", flush=True)


def fail(message: str) -> NoReturn:
    """Stop with a message."""
    raise SetupError(message)


# --- prepare -------------------------------------------------------------------------------


def _port_free(port: int) -> bool:
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


def _link_integration(config: Path) -> None:
    link = config / "custom_components" / DOMAIN
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink():
        if link.resolve() == INTEGRATION:
            return
        link.unlink()
    elif link.exists():
        fail(
            f"{link} exists and is not a link to this repository's integration; "
            "move it away, then run script/develop again"
        )
    link.symlink_to(INTEGRATION, target_is_directory=True)
    say("config", f"linked {_shown(link)} to {_shown(INTEGRATION)}")


def _shown(path: Path) -> str:
    """A path relative to the repository where it is inside it."""
    with contextlib.suppress(ValueError):
        return str(path.relative_to(ROOT))
    return str(path)


def write_http_settings(config: Path, port: int) -> None:
    """Make Home Assistant listen on the loopback address only, on this port.

    Written into Home Assistant's own store of its HTTP settings, as confirming them in its
    UI would leave it: the confirmed ("stable") settings, nothing on trial.
    """
    path = config / ".storage" / "http"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        settings = dict(stored["data"]["stable"])
    except FileNotFoundError:
        settings = dict(HTTP_DEFAULTS)
    except (OSError, ValueError, KeyError, TypeError) as err:
        fail(f"cannot read {path} (delete it to start with default HTTP settings): {err}")
    settings |= {
        "server_host": [HOST],
        "server_port": port,
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    data = {"stable": settings, "pending": None, "yaml_migration_done": True}
    store = {"version": 2, "minor_version": 2, "key": "http", "data": data}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


def skip_onboarding_integrations(config: Path) -> None:
    """Mark onboarding's core config step done before Home Assistant first starts.

    Finishing that step (in the UI or over the API) makes Home Assistant add weather, radio,
    text-to-speech and shopping list integrations. This lean configuration installs none of
    their packages, so each would fail with a traceback. What the step asks (location, units,
    time zone) is in configuration.yaml. The user, analytics and integration steps stay.
    """
    path = config / ".storage" / "onboarding"
    if path.exists():
        return
    store = {
        "version": 4,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": ["core_config"]},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


def prepare(config: Path, ha_port: int, mock_file: Path | None) -> None:
    """Create the config directory on first use and check that the ports are free."""
    yaml = config / "configuration.yaml"
    if yaml.exists():
        say("config", f"reusing {_shown(config)}/")
    else:
        config.mkdir(parents=True, exist_ok=True)
        yaml.write_text(CONFIGURATION_YAML, encoding="utf-8")
        say("config", f"created {_shown(yaml)}")
        skip_onboarding_integrations(config)
    _link_integration(config)

    busy: list[str] = []
    if not _port_free(ha_port):
        busy.append(f"{ha_port} (Home Assistant; choose another with --ha-port)")
    if mock_file is not None:
        if mock_file == config / MOCK_FILE and not mock_file.exists():
            mock_file.write_text(json.dumps(DEFAULT_MOCK, indent=2) + "\n", encoding="utf-8")
            say("config", f"created {_shown(mock_file)}: the mock containers, edit to change")
        for kind, port in mock_ports(mock_file):
            if port is not None and not _port_free(port):
                busy.append(f"{port} (mock {kind}; change it in {_shown(mock_file)})")
    if busy:
        fail(f"ports in use on {HOST}: {', '.join(busy)}; is script/develop already running?")
    write_http_settings(config, ha_port)


# --- Home Assistant over HTTP --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credentials:
    """The development user."""

    username: str
    password: str

    @classmethod
    def load(cls, config: Path) -> Credentials | None:
        """The stored credentials, if any."""
        path = config / CREDENTIALS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(data["username"]), str(data["password"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as err:
            fail(f"cannot read {path}: {err}")

    @classmethod
    def create(cls, config: Path) -> Credentials:
        """New credentials, stored readable by the owner only."""
        credentials = cls(USERNAME, secrets.token_urlsafe(12))
        path = config / CREDENTIALS_FILE
        path.write_text(
            json.dumps({"username": credentials.username, "password": credentials.password}) + "\n",
            encoding="utf-8",
        )
        path.chmod(0o600)
        return credentials


class HomeAssistantAPI:
    """The few REST and websocket calls of Home Assistant that the scripts need."""

    def __init__(self, session: aiohttp.ClientSession, port: int) -> None:
        """Talk to the Home Assistant listening on the loopback port."""
        self.session = session
        self.url = f"http://{HOST}:{port}"
        self.client_id = f"{self.url}/"
        self.redirect_uri = f"{self.url}/?auth_callback=1"
        self.token = ""

    @property
    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def request(
        self, method: str, path: str, *, json_body: Any = None, auth: bool = True
    ) -> Any:
        """One call; the answer's JSON, or SetupError saying what came back."""
        async with self.session.request(
            method,
            f"{self.url}{path}",
            json=json_body,
            headers=self._auth if auth else None,
            timeout=aiohttp.ClientTimeout(total=60),
        ) as response:
            text = await response.text()
            if response.status >= 400:
                fail(f"{method} {path} answered HTTP {response.status}: {text.strip()[:300]}")
            return json.loads(text) if text else None

    async def onboarding_steps(self) -> dict[str, bool] | None:
        """Which onboarding steps are done, {} once all are; None while there is no answer."""
        try:
            async with self.session.get(
                f"{self.url}/api/onboarding", timeout=aiohttp.ClientTimeout(total=5)
            ) as response:
                if response.status == 404:
                    return {}  # onboarded: the onboarding views are gone
                if response.status != 200:
                    return None
                return {step["step"]: step["done"] for step in await response.json()}
        except aiohttp.ClientError, TimeoutError:
            return None

    async def token_from_code(self, code: str) -> None:
        """Exchange an authorization code for an access token."""
        async with self.session.post(
            f"{self.url}/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        ) as response:
            if response.status != 200:
                fail(f"Home Assistant refused the authorization code (HTTP {response.status})")
            self.token = str((await response.json())["access_token"])

    async def login(self, credentials: Credentials) -> None:
        """Log in through Home Assistant's login flow, as its login page does."""
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            json_body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.redirect_uri,
            },
            auth=False,
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json_body={
                "client_id": self.client_id,
                "username": credentials.username,
                "password": credentials.password,
            },
            auth=False,
        )
        if result.get("type") != "create_entry":
            fail(
                f"Home Assistant refused the login of {credentials.username!r} "
                f"({result.get('errors')}); delete the config directory to start afresh"
            )
        await self.token_from_code(str(result["result"]))

    async def websocket(self, *commands: Mapping[str, Any]) -> list[Any]:
        """Send commands over one websocket connection; their results, in order."""
        results: list[Any] = []
        async with self.session.ws_connect(f"{self.url}/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            if (await ws.receive_json()).get("type") != "auth_ok":
                fail("Home Assistant's websocket refused the access token")
            for number, command in enumerate(commands, start=1):
                await ws.send_json({"id": number, **command})
                while True:
                    message = await ws.receive_json()
                    if message.get("id") == number and message.get("type") == "result":
                        break
                if not message.get("success"):
                    fail(f"websocket {command['type']} failed: {message.get('error')}")
                results.append(message.get("result"))
        return results


# --- setup ---------------------------------------------------------------------------------


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def wait_for_home_assistant(api: HomeAssistantAPI, ha_pid: int | None) -> dict[str, bool]:
    """Wait until Home Assistant answers; its onboarding steps."""
    deadline = time.monotonic() + START_TIMEOUT
    while (steps := await api.onboarding_steps()) is None:
        if not _alive(ha_pid):
            fail("Home Assistant stopped while starting; its log above says why")
        if time.monotonic() > deadline:
            fail(f"Home Assistant did not answer at {api.url} within {START_TIMEOUT:.0f} s")
        await asyncio.sleep(0.25)
    return steps


async def onboard_or_login(
    api: HomeAssistantAPI, config: Path, steps: dict[str, bool]
) -> Credentials:
    """Onboard with the development user on first start; log in on later ones."""
    credentials = Credentials.load(config)
    if not steps.get("user", True):
        credentials = credentials or Credentials.create(config)
        answer = await api.request(
            "POST",
            "/api/onboarding/users",
            json_body={
                "client_id": api.client_id,
                "name": USER_FULL_NAME,
                "username": credentials.username,
                "password": credentials.password,
                "language": "en",
            },
            auth=False,
        )
        await api.token_from_code(str(answer["auth_code"]))
        say("onboarding", f"created the user {credentials.username!r}")
    elif credentials is None:
        fail(
            f"{_shown(config)} was onboarded by hand: script/develop does not know a user to "
            f'log in with. Put {{"username": ..., "password": ...}} of an administrator '
            f"into {_shown(config / CREDENTIALS_FILE)}, or delete {_shown(config)} to start "
            "afresh"
        )
    else:
        await api.login(credentials)
        say("login", f"logged in as {credentials.username!r}")

    todo = [
        step for step in ("core_config", "analytics", "integration") if not steps.get(step, True)
    ]
    for step in todo:
        body = (
            {"client_id": api.client_id, "redirect_uri": api.redirect_uri}
            if step == "integration"
            else None
        )
        await api.request("POST", f"/api/onboarding/{step}", json_body=body)
    if todo:
        say("onboarding", f"finished ({', '.join(todo)})")
    return credentials


SUPPLY_KEYS: Final = ("supply_liquid_temp", "primary_supply_temp")
RETURN_KEYS: Final = ("return_liquid_temp", "primary_return_temp")
SETPOINT_KEY: Final = "supply_liquid_set_temp"


def dashboard_config(
    devices: Sequence[Mapping[str, Any]], entities: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The Antspace dashboard: the site card, then each container's card and 24 h history.

    From the registries: the containers are the integration's devices, their curves the
    entities with the translation keys of supply, return and setpoint.
    """
    ours = sorted(
        (d for d in devices if any(domain == DOMAIN for domain, _ in d["identifiers"])),
        key=lambda d: str(d.get("name_by_user") or d.get("name") or ""),
    )
    full = {"grid_options": {"columns": "full"}}
    sections: list[dict[str, Any]] = [
        {
            "type": "grid",
            "column_span": 2,
            "cards": [{"type": "custom:antspace-site-card", **full}],
        }
    ]
    for device in ours:
        keyed = {
            e["translation_key"]: e["entity_id"]
            for e in entities
            if e.get("device_id") == device["id"] and e.get("platform") == DOMAIN
        }
        curves = [keyed[key] for key in (*SUPPLY_KEYS, *RETURN_KEYS, SETPOINT_KEY) if key in keyed]
        sections.append(
            {
                "type": "grid",
                "cards": [
                    {"type": "custom:antspace-container-card", "device_id": device["id"], **full},
                    {"type": "history-graph", "hours_to_show": 24, "entities": curves, **full},
                ],
            }
        )
    view = {"title": "Antspace", "path": "site", "type": "sections", "max_columns": 2}
    return {"views": [{**view, "sections": sections}]}


OLD_DASHBOARD: Final = {"strategy": {"type": "original-states"}}
"""What earlier versions of script/develop made the Antspace dashboard: a list of entities."""


async def add_dashboard(api: HomeAssistantAPI) -> None:
    """Make the first page the Antspace dashboard, once.

    The site card on top; per container its card and a 24-hour graph of supply, return and
    setpoint. Delete it in Settings → Dashboards to get Home Assistant's overview back. The
    list of entities that earlier versions made is replaced; a dashboard edited by hand stays.
    """
    (dashboards,) = await api.websocket({"type": "lovelace/dashboards/list"})
    exists = any(dashboard["url_path"] == DASHBOARD for dashboard in dashboards)
    if exists:
        (current,) = await api.websocket({"type": "lovelace/config", "url_path": DASHBOARD})
        if current != OLD_DASHBOARD:
            return
    devices, entities = await api.websocket(
        {"type": "config/device_registry/list"}, {"type": "config/entity_registry/list"}
    )
    create = {
        "type": "lovelace/dashboards/create",
        "url_path": DASHBOARD,
        "title": "Antspace",
        "icon": "mdi:snowflake",
        "show_in_sidebar": True,
        "require_admin": False,
        "mode": "storage",
    }
    await api.websocket(
        *([] if exists else [create]),
        {
            "type": "lovelace/config/save",
            "url_path": DASHBOARD,
            "config": dashboard_config(devices, entities),
        },
        {"type": "frontend/set_system_data", "key": "core", "value": {"default_panel": DASHBOARD}},
    )
    done = "replaced the list of entities with" if exists else "added"
    say("dashboard", f"{done} the Antspace dashboard (site, containers, 24 h history)")


@dataclass(frozen=True, slots=True)
class Container:
    """A container to add: its address, and its kind where known."""

    host: str
    port: int
    kind: str = ""

    def __str__(self) -> str:
        """host:port, with the kind where known."""
        where = f"{self.host}:{self.port}"
        return f"{self.kind} at {where}" if self.kind else where


def _words(path: Path) -> list[str]:
    """The words of a file, none while it does not exist."""
    try:
        return path.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return []


async def wait_for_mock(mock_file: Path, mock_urls: Path, mock_pid: int | None) -> list[Container]:
    """The mock's containers, once it listens on all of them."""
    expected = len(mock_ports(mock_file))
    deadline = time.monotonic() + MOCK_TIMEOUT
    while True:
        lines = _words(mock_urls)
        if len(lines) >= 2 * expected:
            break
        if not _alive(mock_pid):
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
            if entry["domain"] == DOMAIN and (
                entry.get("unique_id") == address
                or f"{data.get('host')}:{data.get('port')}" == address.lower()
            ):
                return str(entry["entry_id"])
    return None


async def add_container(api: HomeAssistantAPI, config: Path, container: Container) -> str:
    """Add a container through the config flow; the id of its entry (new or existing)."""
    flow = await api.request(
        "POST", "/api/config/config_entries/flow", json_body={"handler": DOMAIN}
    )
    result = await api.request(
        "POST",
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        json_body={"host": container.host, "port": container.port},
    )
    kind = result.get("type")
    if kind == "create_entry":
        say("containers", f"added {result['result']['title']} ({container})")
        return str(result["result"]["entry_id"])
    if kind == "abort" and result.get("reason") == "already_configured":
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
    fail(f"adding {container} ended unexpectedly: {result}")


async def wait_until_live(
    api: HomeAssistantAPI, entry_ids: Sequence[str]
) -> list[tuple[str, int, int]]:
    """Wait until every entry is loaded and has live entities; (title, live, total) each."""
    deadline = time.monotonic() + LIVE_TIMEOUT
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
        if loaded:
            registry, states = await api.websocket(
                {"type": "config/entity_registry/list"}, {"type": "get_states"}
            )
            state_of = {state["entity_id"]: state["state"] for state in states}
            report: list[tuple[str, int, int]] = []
            for entry_id in entry_ids:
                ids = [
                    e["entity_id"]
                    for e in registry
                    if e["config_entry_id"] == entry_id
                    and e["disabled_by"] is None
                    and e["entity_id"].split(".", 1)[0] not in STATELESS
                ]
                live = sum(1 for i in ids if state_of.get(i, "unavailable") not in UNAVAILABLE)
                report.append((entries[entry_id]["title"], live, len(ids)))
            if all(live > 0 for _, live, _ in report):
                return report
        if time.monotonic() > deadline:
            states = ", ".join(
                f"{entries[entry_id]['title']}: {entries[entry_id]['state']}"
                for entry_id in entry_ids
            )
            fail(f"the containers are not live after {LIVE_TIMEOUT:.0f} s ({states})")
        await asyncio.sleep(0.25)


async def setup(args: argparse.Namespace) -> None:
    """Onboard or log in, add the containers, wait until they are live."""
    config: Path = args.config
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantAPI(session, args.ha_port)
        say("home assistant", f"waiting for it to answer at {api.url}")
        steps = await wait_for_home_assistant(api, args.ha_pid)
        credentials = await onboard_or_login(api, config, steps)
        if args.host is not None:
            containers = [Container(args.host, args.port)]
        else:
            containers = await wait_for_mock(args.mock_file, args.mock_urls, args.mock_pid)
        entry_ids = [await add_container(api, config, container) for container in containers]
        report = await wait_until_live(api, entry_ids)
        await add_dashboard(api)
    elapsed = time.time() - args.started if args.started else None
    after = f" {elapsed:.1f} s after the start" if elapsed is not None else ""
    for title, live, total in report:
        say("live", f"{title}: {live} of {total} entities have values")
    count = f"{len(report)} container{'s' if len(report) != 1 else ''}"
    say("ready", f"{count} live{after}")
    print(
        f"\n    Open {api.url} and log in as {credentials.username!r}, "
        f"password {credentials.password!r}.\n"
        f"    (kept in {_shown(config / CREDENTIALS_FILE)}; Ctrl-C stops everything)\n",
        flush=True,
    )


# --- command line --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("prepare", "setup"):
        command = commands.add_parser(name)
        command.add_argument("--config", type=Path, required=True)
        command.add_argument("--ha-port", type=int, required=True)
        command.add_argument("--mock-file", type=Path)
        command.add_argument("--host")
        command.add_argument("--port", type=int, default=8000)
    setup_command = commands.choices["setup"]
    setup_command.add_argument("--mock-urls", type=Path)
    setup_command.add_argument("--mock-pid", type=int)
    setup_command.add_argument("--ha-pid", type=int)
    setup_command.add_argument("--started", type=float, help="time.time() of the start")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; 0 on success, 1 with a message on failure."""
    args = _parser().parse_args(argv)
    args.config = args.config.resolve()
    try:
        if args.command == "prepare":
            prepare(args.config, args.ha_port, None if args.host else args.mock_file)
        else:
            asyncio.run(setup(args))
    except SetupError as err:
        print(f"develop: error: {err}", file=sys.stderr, flush=True)
        return 1
    except (aiohttp.ClientError, TimeoutError) as err:
        print(f"develop: error: talking to Home Assistant failed: {err!r}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
