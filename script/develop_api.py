"""Home Assistant over HTTP for the scripts: its REST and websocket API, onboarding, login.

The base of `script/develop`'s helpers (`develop_setup.py`) and of the scripts that drive a
Home Assistant it started (`screenshots.py`, `browser_test.py`, `smoke.py`): the error they
stop with, their one-line progress messages, the development user, and the few calls of Home
Assistant they need. It talks to Home Assistant on the loopback address only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
import json
import os
from pathlib import Path
import secrets
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
START_TIMEOUT: Final = 300.0
"""s Home Assistant gets to answer after it was started (a first start creates its database)."""

_program = ["develop"]
"""The name progress lines start with; `set_program` changes it."""


class SetupError(Exception):
    """Something the developer must fix; the message says what."""


def set_program(name: str) -> None:
    """Start the progress lines with this name from now on (`develop` until changed)."""
    _program[0] = name


def say(step: str, message: str) -> None:
    """Print one line of progress."""
    print(f"{_program[0]}: {step}: {message}", flush=True)


def fail(message: str) -> NoReturn:
    """Stop with a message."""
    raise SetupError(message)


def shown(path: Path) -> str:
    """A path relative to the repository where it is inside it."""
    with contextlib.suppress(ValueError):
        return str(path.relative_to(ROOT))
    return str(path)


def alive(pid: int | None) -> bool:
    """Whether the process is still there; True when there is none to watch."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


async def wait_for_home_assistant(api: HomeAssistantAPI, ha_pid: int | None) -> dict[str, bool]:
    """Wait until Home Assistant answers; its onboarding steps."""
    deadline = time.monotonic() + START_TIMEOUT
    while (steps := await api.onboarding_steps()) is None:
        if not alive(ha_pid):
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
            f"{shown(config)} was onboarded by hand: script/develop does not know a user to "
            f'log in with. Put {{"username": ..., "password": ...}} of an administrator '
            f"into {shown(config / CREDENTIALS_FILE)}, or delete {shown(config)} to start "
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
