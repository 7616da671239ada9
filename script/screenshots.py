"""Screenshots for the README: the containers' pages in Home Assistant, taken by Chromium.

Run through `script/screenshots`, which installs what this needs. Starts `script/develop` on
spare ports with a config directory of its own (so a running development instance is left
alone), waits until both mock containers are live, logs in on Home Assistant's login page as
the development user and saves PNGs of the pages under docs/.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
import importlib.metadata
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import urlsplit

import aiohttp
from develop_setup import Credentials, HomeAssistantAPI, SetupError
from screenshots_languages import TRANSLATED, Sizes, shoot_translated
from screenshots_miners import shoot_miners
from screenshots_scan import shoot_scan

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, Route

ROOT: Final = Path(__file__).resolve().parent.parent
UV: Final = ROOT / ".cache" / "tools" / "bin" / "uv"
CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_ARGS: Final = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH: Final = 1440
PHONE: Final = 400
"""px of a phone's window, for the pictures of the cards in the dark theme."""
DASHBOARD_PATH: Final = "dashboard-antspace/site"
TALL: Final = 1500
"""px of a device page's picture: its controls and first sensors."""
SHORT: Final = 900
START_TIMEOUT: Final = 900.0
"""s for script/develop to be ready; a fresh clone bootstraps first."""
SETTLE: Final = 4.0
"""s a page gets after loading, for its cards and values to render."""
MODELS: Final = {"Antspace HK3": "hk3", "Antspace Immersion": "immersion"}
FAULT: Final = "spray_pump_fault"
"""The fault raised on the mock HK3 for the picture of the repairs page."""
FAULT_NAME: Final = "Spray pump fault"
FAULT_TIMEOUT: Final = 60.0
FAULTS_SHOWN: Final = 15
"""Alerts each container card lists, at least, once every fault of the mocks is on."""
LANGUAGE: Final = "zh-Hans"
"""The language of the picture that shows a translation."""
AREA: Final = "Row 3"
"""The area the HK3 is put in, for the picture of an automation made of the integration's
trigger."""
AUTOMATION: Final = "Critical alert in Row 3"
PICTURES: Final = (
    "pages",
    "cards",
    "crisis",
    "alerts",
    "scan",
    "miners",
    "translations",
    "language",
)
"""The groups of pictures, in the order they are taken; `--only` takes some of them."""


def say(message: str) -> None:
    """Print one line of progress."""
    print(f"screenshots: {message}", flush=True)


def spare_ports(count: int) -> list[int]:
    """Ports free on the loopback address now."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Develop:
    """script/develop in the background, in its own process group."""

    def __init__(self, work: Path, ha_port: int, mock_ports: Sequence[int]) -> None:
        """Prepare a config directory and mock list of its own under work."""
        self.config = work / "config"
        self.log = work / "develop.log"
        bulk = work / "mock-containers.json"
        containers = [
            {"type": "HK3", "port": mock_ports[0], "seed": 1},
            {"type": "IMMERSION", "port": mock_ports[1], "seed": 2},
        ]
        bulk.write_text(json.dumps(containers), encoding="utf-8")
        self.command = [
            str(ROOT / "script" / "develop"),
            *("--config", str(self.config), "--ha-port", str(ha_port), "--bulk", str(bulk)),
        ]
        self.mock_ports = list(mock_ports)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start script/develop, its output into the log."""
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def _tail(self) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(f"    {line}" for line in lines[-25:])

    def wait_ready(self) -> float:
        """Wait for its "ready" line; the seconds that took."""
        started = time.monotonic()
        while True:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            if "develop: ready:" in text:
                return time.monotonic() - started
            if self.process is None or self.process.poll() is not None:
                raise SetupError(f"script/develop stopped; the end of its output:\n{self._tail()}")
            if time.monotonic() - started > START_TIMEOUT:
                raise SetupError(f"script/develop is not ready after {START_TIMEOUT:.0f} s")
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop it as Ctrl-C would: its trap stops the mock and Home Assistant."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


async def antspace_devices(api: HomeAssistantAPI) -> dict[str, str]:
    """Short name (hk3, immersion) to device id, from the device registry."""
    (devices,) = await api.websocket({"type": "config/device_registry/list"})
    found: dict[str, str] = {}
    for device in devices:
        ours = any(domain == "antspace" for domain, _ in device["identifiers"])
        if ours and (short := MODELS.get(device.get("model") or "")) is not None:
            found.setdefault(short, device["id"])
    missing = sorted(set(MODELS.values()) - set(found))
    if missing:
        raise SetupError(f"no device for {', '.join(missing)} in Home Assistant")
    return found


async def raise_fault(api: HomeAssistantAPI, hk3_port: int) -> None:
    """Raise a fault on the mock HK3 and wait for its repair issue."""
    url = f"http://127.0.0.1:{hk3_port}/_mock/fault?flag={FAULT}&active=1"
    async with api.session.post(url) as response:
        if response.status != 200:
            raise SetupError(f"the mock refused to raise {FAULT}: HTTP {response.status}")
    deadline = time.monotonic() + FAULT_TIMEOUT
    while time.monotonic() < deadline:
        (issues,) = await api.websocket({"type": "repairs/list_issues"})
        if any(issue["translation_key"] == f"alert_{FAULT}" for issue in issues["issues"]):
            say(f"raised {FAULT} on the mock HK3: it is a repair issue now")
            return
        await asyncio.sleep(1)
    raise SetupError(f"{FAULT} raised on the mock HK3 did not become a repair issue")


async def _local_only(route: Route) -> None:
    """Let the page load from Home Assistant only; nothing leaves the machine."""
    if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
        await route.continue_()
    else:
        await route.abort()


async def log_in(page: Page, url: str, credentials: Credentials) -> None:
    """Log in on Home Assistant's login page, as a person would."""
    await page.goto(f"{url}/")
    await page.get_by_text("Welcome home!").wait_for(timeout=30_000)
    await page.wait_for_timeout(500)  # the username field takes the focus
    await page.keyboard.type(credentials.username)
    await page.keyboard.press("Tab")
    await page.keyboard.type(credentials.password)
    await page.keyboard.press("Enter")
    await page.wait_for_url(lambda u: "/auth/" not in u, timeout=30_000)
    await page.locator("home-assistant-main").wait_for(timeout=30_000)


async def shoot(page: Page, url: str, path: Path, *, full_page: bool = False) -> None:
    """Open a page, let it settle, save what the window shows (or the whole page)."""
    from playwright.async_api import TimeoutError as PageTimeout  # noqa: PLC0415

    await page.goto(url)
    with contextlib.suppress(PageTimeout):
        await page.wait_for_load_state("networkidle", timeout=15_000)
    await page.wait_for_timeout(SETTLE * 1000)
    await page.screenshot(path=str(path), full_page=full_page)
    say(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


async def shoot_cards(page: Page, url: str, out: Path, theme: str) -> None:
    """Photograph the site card and each container card of the dashboard, one PNG each."""
    await page.goto(f"{url}/{DASHBOARD_PATH}")
    await page.locator("antspace-site-card .row").nth(1).wait_for(timeout=30_000)
    await page.wait_for_timeout(SETTLE * 1000)
    cards = {"site": page.locator("antspace-site-card")}
    for short, part in (("hk3", "cooling_tower"), ("immersion", "dry_cooler")):
        cards[short] = page.locator(f"antspace-container-card:has([data-part='{part}'])")
    for name, card in cards.items():
        path = out / f"card-{name}-{theme}.png"
        await card.screenshot(path=str(path))
        say(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


async def mock_control(api: HomeAssistantAPI, port: int, action: str) -> None:
    """One control action on a mock container (`/_mock/<action>`)."""
    async with api.session.post(f"http://127.0.0.1:{port}/_mock/{action}") as response:
        if response.status != 200:
            raise SetupError(f"the mock refused {action}: HTTP {response.status}")


async def shoot_crisis(
    browser: Browser, api: HomeAssistantAPI, credentials: Credentials, out: Path, ports: list[int]
) -> None:
    """Every fault of both mocks on, then the mocks silent.

    Each container card with every fault (light and wide; dark at phone width), then the site
    card with both containers unreachable. The mocks are restored after, with the HK3's one
    fault of the other pictures.
    """
    for port in ports:
        await mock_control(api, port, "fault?flag=all&active=1")
    looks: tuple[tuple[int, Literal["light", "dark"]], ...] = ((WIDTH, "light"), (PHONE, "dark"))
    for width, scheme in looks:
        context, page = await logged_in(browser, api, credentials, width, scheme)
        await page.goto(f"{api.url}/{DASHBOARD_PATH}")
        for short, part in (("hk3", "cooling_tower"), ("immersion", "dry_cooler")):
            card = page.locator(f"antspace-container-card:has([data-part='{part}'])")
            await (
                card.locator(".alert-list li")
                .nth(FAULTS_SHOWN)
                .wait_for(timeout=FAULT_TIMEOUT * 1000)
            )
            await page.wait_for_timeout(SETTLE * 1000 / 2)
            path = out / f"card-{short}-faults-{scheme}.png"
            await card.screenshot(path=str(path))
            say(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        await context.close()
    for port in ports:
        await mock_control(api, port, "failure?mode=drop")
    context, page = await logged_in(browser, api, credentials, WIDTH, "light")
    await page.goto(f"{api.url}/{DASHBOARD_PATH}")
    site = page.locator("antspace-site-card")
    await site.locator(".row.unreachable").nth(1).wait_for(timeout=FAULT_TIMEOUT * 1000)
    await page.wait_for_timeout(SETTLE * 1000)
    path = out / "card-site-unreachable.png"
    await site.screenshot(path=str(path))
    say(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    await context.close()
    for port in ports:
        await mock_control(api, port, "reset")
    await mock_control(api, ports[0], f"fault?flag={FAULT}&active=1")
    await asyncio.sleep(FAULT_TIMEOUT / 4)  # the next polls bring the containers back


async def shoot_fix(page: Page, url: str, out: Path) -> None:
    """The fix flow of the HK3's latched fault: what to check, and the reset it offers."""
    await page.goto(f"{url}/config/repairs")
    await page.wait_for_timeout(SETTLE * 1000 / 2)
    await page.get_by_text(f"Antspace HK3: {FAULT_NAME}").first.click()
    dialog = page.get_by_role("button", name="Reset the cooling system")
    await dialog.wait_for(timeout=30_000)
    await page.wait_for_timeout(SETTLE * 1000 / 2)
    path = out / "repair-fix.png"
    await page.screenshot(path=str(path))
    say(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    await page.keyboard.press("Escape")


async def shoot_automation(
    browser: Browser,
    api: HomeAssistantAPI,
    credentials: Credentials,
    out: Path,
    *,
    device_id: str,
    hk3_port: int,
) -> None:
    """Build "when a container in Row 3 raises a critical alert, notify" in the editor.

    As a person would: the HK3 in the area, Add trigger, the area, *Alert raised*, *Critical*,
    Add action, *Send a persistent notification*, its message. Photograph it, save it, and
    check that it runs: a leak on the HK3 triggers it.
    """
    (areas,) = await api.websocket({"type": "config/area_registry/list"})
    area = next((a for a in areas if a["name"] == AREA), None)
    if area is None:
        (area,) = await api.websocket({"type": "config/area_registry/create", "name": AREA})
    await api.websocket(
        {
            "type": "config/device_registry/update",
            "device_id": device_id,
            "area_id": area["area_id"],
        }
    )
    context, page = await logged_in(browser, api, credentials, WIDTH, "light")
    await page.set_viewport_size({"width": WIDTH, "height": SHORT})
    await page.goto(f"{api.url}/config/automation/edit/new")
    await page.get_by_role("button", name="Add trigger").first.click()
    await page.get_by_text(AREA, exact=True).first.click()
    await page.get_by_text("Alert raised").first.click()
    await page.get_by_text("Critical", exact=True).click()
    await page.get_by_role("button", name="Add action").first.click()
    await page.keyboard.type("persistent")
    await page.get_by_text("Send a persistent notification", exact=True).click()
    await page.locator(".cm-content").first.click()
    await page.keyboard.type("{{ trigger.name }} on {{ device_attr(trigger.device_id, 'name') }}")
    await page.locator("ha-automation-trigger-row").first.click()  # show the trigger's options
    await page.wait_for_timeout(SETTLE * 1000 / 2)
    path = out / "automation-trigger.png"
    await page.screenshot(path=str(path))
    say(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    await page.get_by_role("button", name="Save", exact=True).first.click()
    await page.wait_for_timeout(SETTLE * 1000 / 4)  # the dialog asks for a name, selected
    await page.keyboard.type(AUTOMATION)
    await page.get_by_role("button", name="Save", exact=True).last.click()
    await page.wait_for_url(lambda u: "/edit/new" not in u, timeout=30_000)
    await context.close()
    await mock_control(api, hk3_port, "fault?flag=leakage_fault&active=1")
    deadline = time.monotonic() + FAULT_TIMEOUT
    while time.monotonic() < deadline:
        states = await api.request("get", "/api/states")
        ran = [
            s
            for s in states
            if s["entity_id"].startswith("automation.")
            and s["attributes"].get("friendly_name") == AUTOMATION
            and s["attributes"].get("last_triggered")
        ]
        if ran:
            say(f"the automation {AUTOMATION!r} ran for a leak on the HK3")
            break
        await asyncio.sleep(1)
    else:
        raise SetupError(f"the automation {AUTOMATION!r} did not run for a leak on the HK3")
    await mock_control(api, hk3_port, "fault?flag=leakage_fault&active=0")


async def logged_in(
    browser: Browser,
    api: HomeAssistantAPI,
    credentials: Credentials,
    width: int,
    scheme: Literal["light", "dark"],
) -> tuple[BrowserContext, Page]:
    """A fresh browser window of this width and colour scheme, logged in, local traffic only."""
    context = await browser.new_context(
        viewport={"width": width, "height": TALL},
        locale="en-US",  # the login page's words; a picture in another language picks its own
        timezone_id="UTC",
        color_scheme=scheme,
    )
    await context.route("**/*", _local_only)
    page = await context.new_page()
    await log_in(page, api.url, credentials)
    return context, page


async def use_language(api: HomeAssistantAPI, language: str) -> None:
    """Make a language Home Assistant's, and the entities' names with it."""
    await api.websocket({"type": "config/core/update", "language": language})
    # Entity names are translated when the entities are added: reload the containers.
    (entries,) = await api.websocket({"type": "config_entries/get", "domain": "antspace"})
    for entry in entries:
        await api.request("post", f"/api/config/config_entries/entry/{entry['entry_id']}/reload")


async def shoot_language(
    browser: Browser, api: HomeAssistantAPI, credentials: Credentials, device_id: str, out: Path
) -> None:
    """The HK3's device page in Chinese: Home Assistant's and the user's language zh-Hans."""
    await use_language(api, LANGUAGE)
    context, page = await logged_in(browser, api, credentials, WIDTH, "light")
    await page.evaluate(f"localStorage.setItem('selectedLanguage', '\"{LANGUAGE}\"')")
    await shoot(page, f"{api.url}/config/devices/device/{device_id}", out / "hk3-device-zh.png")
    await context.close()


def install_playwright() -> None:
    """Add the docs dependency group to .venv.

    Only now: script/develop bootstraps .venv to the locked default groups, which removes it.
    """
    uv = str(UV) if UV.exists() else shutil.which("uv")
    if uv is None:
        raise SetupError("uv is missing; run script/bootstrap")
    command = [uv, "sync", "--frozen", "--inexact", "--group", "docs", "--quiet"]
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise SetupError("could not install the docs dependency group (Playwright)")
    say(f"playwright: {importlib.metadata.version('playwright')}")


async def take(
    develop: Develop, ha_port: int, out: Path, pictures: Sequence[str] = PICTURES
) -> None:
    """Log in and photograph the pages: every group of pictures, or those asked for."""
    from playwright.async_api import async_playwright  # noqa: PLC0415 - installed late

    credentials = Credentials.load(develop.config)
    if credentials is None:
        raise SetupError("script/develop left no credentials")
    async with aiohttp.ClientSession() as session, async_playwright() as playwright:
        api = HomeAssistantAPI(session, ha_port)
        await api.login(credentials)
        devices = await antspace_devices(api)
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context, page = await logged_in(browser, api, credentials, WIDTH, "light")
            say(f"logged in as {credentials.username!r}")
            if "pages" in pictures:
                await shoot(page, f"{api.url}/", out / "dashboard.png")
                for short, device_id in sorted(devices.items()):
                    await shoot(
                        page,
                        f"{api.url}/config/devices/device/{device_id}",
                        out / f"{short}-device.png",
                    )
                await page.set_viewport_size({"width": WIDTH, "height": SHORT})
                await shoot(
                    page,
                    f"{api.url}/config/integrations/integration/antspace",
                    out / "integration.png",
                )
            await raise_fault(api, develop.mock_ports[0])
            if "pages" in pictures:
                await shoot(page, f"{api.url}/config/repairs", out / "repairs.png")
            if "cards" in pictures:
                await page.set_viewport_size({"width": WIDTH, "height": TALL})
                await shoot_cards(page, api.url, out, "light")
            await context.close()
            if "cards" in pictures:
                context, page = await logged_in(browser, api, credentials, PHONE, "dark")
                await shoot_cards(page, api.url, out, "dark")
                await context.close()
            if "crisis" in pictures:
                await shoot_crisis(browser, api, credentials, out, develop.mock_ports)
            if "alerts" in pictures:
                context, page = await logged_in(browser, api, credentials, WIDTH, "light")
                await page.set_viewport_size({"width": WIDTH, "height": SHORT})
                await shoot_fix(page, api.url, out)
                await context.close()
                await shoot_automation(
                    browser,
                    api,
                    credentials,
                    out,
                    device_id=devices["hk3"],
                    hk3_port=develop.mock_ports[0],
                )
            if "scan" in pictures:
                context, page = await logged_in(browser, api, credentials, WIDTH, "light")
                await page.set_viewport_size({"width": WIDTH, "height": SHORT})
                await shoot_scan(page, api, out / "scan-result.png", settle=SETTLE / 2, say=say)
                await context.close()
            if "miners" in pictures:
                context, page = await logged_in(browser, api, credentials, WIDTH, "light")
                await page.set_viewport_size({"width": WIDTH, "height": TALL})
                await shoot_miners(page, api.url, out / "card-miners.png", settle=SETTLE, say=say)
                await context.close()
            if "translations" in pictures:
                for language in TRANSLATED:
                    await use_language(api, language)
                    await raise_fault(api, develop.mock_ports[0])
                    context, page = await logged_in(browser, api, credentials, WIDTH, "light")
                    sizes = Sizes(wide=(WIDTH, TALL), short=SHORT, phone=PHONE)
                    shots = (page, api.url, language, devices["hk3"], out)
                    await shoot_translated(*shots, fault=FAULT, sizes=sizes, settle=SETTLE, say=say)
                    await context.close()
                await use_language(api, "en")
            if "language" in pictures:
                await shoot_language(browser, api, credentials, devices["hk3"], out)
        finally:
            await browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Take the screenshots; 0 on success, 1 with a message on failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to save the PNGs")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary config directory and log"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PICTURES,
        default=list(PICTURES),
        metavar="GROUP",
        help=f"take only these groups of pictures ({', '.join(PICTURES)}; default: all)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="antspace-screenshots-"))
    ha_port, *mock_ports = spare_ports(3)
    develop = Develop(work, ha_port, mock_ports)
    try:
        say(f"starting script/develop (Home Assistant on port {ha_port}; log in {develop.log})")
        develop.start()
        say(f"script/develop ready after {develop.wait_ready():.1f} s")
        install_playwright()
        asyncio.run(take(develop, ha_port, out, args.only))
    except SetupError as err:
        print(f"screenshots: error: {err}", file=sys.stderr)
        return 1
    except (aiohttp.ClientError, TimeoutError) as err:
        print(f"screenshots: error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    except Exception as err:
        if type(err).__module__.startswith("playwright."):
            print(f"screenshots: error: the browser: {err}", file=sys.stderr)
            return 1
        raise
    except KeyboardInterrupt:
        return 130
    finally:
        say("stopping script/develop")
        develop.stop()
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
