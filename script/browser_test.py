"""Browser test of the cards: Chromium drives a real Home Assistant with the mock containers.

Run by script/test, which installs what this needs. One start of `script/develop` (on spare
ports, with a config directory of its own) serves every check:

- the site card lists both mock containers, and each container card draws its kind's loop;
- a fault raised on the mock HK3 shows on both cards within one poll;
- switching the cooling off from the container card asks first, and switches nothing;
- a setpoint typed into the container card reaches the container;
- a stopped mock shows as unreachable on the site card, within one poll;
- a row of the site card opens the container's device page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
import json
import os
from pathlib import Path
import re
import shutil
import signal
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from develop_setup import Credentials, HomeAssistantAPI, SetupError
from screenshots import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Develop,
    _local_only,
    install_playwright,
    log_in,
    spare_ports,
)

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

ROOT: Final = Path(__file__).resolve().parent.parent
STRINGS: Final = json.loads(
    (ROOT / "custom_components" / "antspace" / "translations" / "en.json").read_text("utf-8")
)
WORDS: Final = STRINGS["selector"]["card"]["options"]
"""The cards' own words."""
DASHBOARD_PATH: Final = "/dashboard-antspace/site"
POLL: Final = 10.0
"""s between two polls of a container (the integration's default)."""
ONE_POLL: Final = POLL + 5.0
"""s a change on the mock gets to show: one poll, and the time to draw it."""
RENDER_TIMEOUT: Final = 30.0
FAULT: Final = "spray_pump_fault"
"""The fault raised on the mock HK3; its part on the schematic is the spray pump."""
FAULT_PART: Final = "spray_pump"


class CheckError(Exception):
    """A check of the cards failed; the message says which."""


def say(message: str) -> None:
    """Print one line of progress."""
    print(f"browser test: {message}", flush=True)


async def wait_for(what: str, condition: Any, limit: float, *, interval: float = 0.25) -> float:
    """Wait until the async condition holds; the seconds it took."""
    started = time.monotonic()
    while True:
        if await condition():
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            raise CheckError(f"{what}: not within {limit:.0f} s")
        await asyncio.sleep(interval)


async def texts(locator: Locator) -> list[str]:
    """The text of every element a locator finds."""
    return [text.strip() for text in await locator.all_text_contents()]


async def open_dashboard(page: Page, url: str) -> None:
    """Open the Antspace dashboard and wait until both kinds of card have drawn."""
    from playwright.async_api import TimeoutError as PageTimeout  # noqa: PLC0415

    # Right after Home Assistant started, its first page may show the cards before their
    # module loaded (as a configuration error); a reload shows them.
    for _attempt in range(3):
        await page.goto(f"{url}{DASHBOARD_PATH}")
        site_rows = page.locator("antspace-site-card .row")
        try:
            await site_rows.nth(1).wait_for(timeout=RENDER_TIMEOUT * 1000 / 3)
        except PageTimeout:
            continue
        return
    raise CheckError("the site card did not list two containers")


async def mock_post(session: aiohttp.ClientSession, port: int, path: str) -> None:
    """Send one control action to a mock container."""
    async with session.post(f"http://127.0.0.1:{port}/_mock/{path}") as response:
        if response.status != 200:
            raise CheckError(f"the mock refused {path}: HTTP {response.status}")


async def cooling_state(page: Page, device_id: str) -> str | None:
    """The state of a container's cooling switch, as the page's Home Assistant has it."""
    return await entity_state(page, device_id, "cooling")


async def check_render(page: Page) -> dict[str, str]:
    """Both cards render for both kinds; the device id of each kind."""
    site = page.locator("antspace-site-card")
    title = site.locator(".title")
    try:
        await title.filter(has_text=WORDS["site_title"]).wait_for(timeout=RENDER_TIMEOUT * 1000)
    except Exception as err:
        shown = (await title.inner_text()).strip()
        raise CheckError(f"the site card's title is {shown!r}: its words did not load") from err
    rows = site.locator(".row")
    devices: dict[str, str] = {}
    for index in range(await rows.count()):
        row = rows.nth(index)
        name = (await row.locator(".name").inner_text()).strip()
        kind = "hk3" if "HK3" in name else "immersion"
        devices[kind] = str(await row.get_attribute("data-device"))
        figures = await texts(row.locator(".figure .value"))
        if len(figures) != 5 or any(value == "—" for value in figures[:3]):
            raise CheckError(f"the site card's row of {name} lacks readings: {figures}")
    if set(devices) != {"hk3", "immersion"}:
        raise CheckError(f"the site card lists {sorted(devices)}, not an HK3 and an Immersion")
    for kind, parts in (
        ("hk3", ("cooling_tower", "tower_fan3", "circulating_pump", "fluid_infusion")),
        ("immersion", ("dry_cooler", "secondary_pump2", "tank_d", "valve1")),
    ):
        card = page.locator(f"antspace-container-card:has([data-part='{parts[0]}'])")
        if await card.count() != 1:
            raise CheckError(f"no container card draws the loop of the {kind}")
        for part in parts:
            if await card.locator(f"[data-part='{part}']").count() != 1:
                raise CheckError(f"the {kind}'s card has no {part}")
        if not await card.locator(".running").count():
            raise CheckError(f"the {kind}'s card shows nothing running")
        values = await texts(card.locator("text.value, tspan.value"))
        if not values or "—" in values[:2]:
            raise CheckError(f"the {kind}'s card lacks live readings: {values}")
    say("both cards render for an HK3 and an Immersion, with live readings")
    return devices


async def check_fault(page: Page, session: aiohttp.ClientSession, hk3_port: int) -> None:
    """A fault raised on the mock shows on both cards within one poll."""
    name = STRINGS["entity"]["binary_sensor"][f"alert_{FAULT}"]["name"]
    site_row = page.locator("antspace-site-card .row").filter(has_text="HK3")
    part = page.locator(f"antspace-container-card g.fault[data-part='{FAULT_PART}']")
    labels = page.locator("antspace-container-card text.fault-label")

    async def shown() -> bool:
        on_site = name in " ".join(await texts(site_row.locator(".alerts")))
        on_card = await part.count() == 1 and name in await texts(labels)
        return on_site and on_card

    await mock_post(session, hk3_port, f"fault?flag={FAULT}&active=1")
    took = await wait_for(f"{FAULT} on both cards", shown, ONE_POLL)
    severity = await site_row.get_attribute("data-severity")
    if severity in {None, "none"}:
        raise CheckError(f"the site card's HK3 row has severity {severity!r} with {FAULT}")
    first = (await page.locator("antspace-site-card .row .name").first.inner_text()).strip()
    if "HK3" not in first:
        raise CheckError(f"the HK3 with a fault is not first on the site card, {first!r} is")
    say(f"{FAULT} raised on the mock shows on both cards after {took:.1f} s")


async def check_cooling_confirmation(page: Page, device_id: str) -> None:
    """Switching the cooling off from the card asks first; cancelling switches nothing."""
    card = page.locator(f"antspace-container-card:has([data-part='{FAULT_PART}'])")
    if await cooling_state(page, device_id) != "on":
        raise CheckError("the HK3's cooling is not on to begin with")
    await card.locator("ha-switch.cooling").click()
    confirm = card.locator(".confirm")
    await confirm.wait_for(timeout=5000)
    question = WORDS["confirm_cooling_off"].split("{", 1)[0].strip()
    if question not in await confirm.inner_text():
        raise CheckError("the confirmation does not ask to switch the cooling off")
    await page.wait_for_timeout(1000)
    if await cooling_state(page, device_id) != "on":
        raise CheckError("the cooling switched off before it was confirmed")
    await confirm.locator("button.cancel").click()
    await confirm.wait_for(state="detached", timeout=5000)
    if await cooling_state(page, device_id) != "on":
        raise CheckError("cancelling the confirmation switched the cooling off")
    say("switching the cooling off asks first; cancelled, the cooling stays on")


async def entity_state(page: Page, device_id: str, key: str) -> str | None:
    """The state of one of a container's entities, by translation key, as the page has it."""
    result: str | None = await page.evaluate(
        """([device, key]) => {
            const hass = document.querySelector("home-assistant").hass;
            const entry = Object.values(hass.entities).find((e) => e.device_id === device
              && e.platform === "antspace" && e.translation_key === key);
            return entry ? hass.states[entry.entity_id]?.state ?? null : null;
        }""",
        [device_id, key],
    )
    return result


async def check_setpoint(page: Page, device_id: str) -> None:
    """A setpoint typed into the container card reaches the container."""
    card = page.locator(f"antspace-container-card:has([data-part='{FAULT_PART}'])")
    field = card.locator("input.setpoint")
    now = float(str(await entity_state(page, device_id, "supply_liquid_set_temp")))
    wanted = now + 1 if now + 1 <= float(str(await field.get_attribute("max"))) else now - 1
    await field.fill(f"{wanted:g}")
    await field.press("Tab")

    async def reached() -> bool:
        state = await entity_state(page, device_id, "supply_liquid_set_temp")
        return state is not None and float(state) == wanted

    took = await wait_for("the new setpoint", reached, ONE_POLL)
    say(f"a setpoint of {wanted:g} typed into the card reached the container in {took:.1f} s")


async def check_unreachable(page: Page, mock_pid: int) -> None:
    """A stopped mock shows as unreachable on the site card within one poll."""
    os.killpg(mock_pid, signal.SIGTERM)
    rows = page.locator("antspace-site-card .row")
    unreachable = WORDS["unreachable_since"].split("{", 1)[0].strip()

    async def shown() -> bool:
        states = [await rows.nth(i).get_attribute("data-severity") for i in range(2)]
        words = " ".join(await texts(page.locator("antspace-site-card .unreachable-text")))
        return states == ["unreachable", "unreachable"] and words.count(unreachable) == 2

    took = await wait_for("the stopped mock as unreachable", shown, ONE_POLL)
    say(f"the stopped mock shows as unreachable on the site card after {took:.1f} s")


async def check_row_opens_device(page: Page) -> None:
    """A row of the site card opens its container's device page."""
    row = page.locator("antspace-site-card .row").first
    device_id = await row.get_attribute("data-device")
    await row.click()
    await page.wait_for_url(f"**/config/devices/device/{device_id}", timeout=10_000)
    say("a row of the site card opens the container's device page")


def mock_pid_of(log: Path) -> int:
    """The mock's process id, as script/develop printed it."""
    found = re.search(r"mock: started \(pid (\d+)\)", log.read_text("utf-8", errors="replace"))
    if found is None:
        raise SetupError("script/develop did not say which process the mock is")
    return int(found.group(1))


async def run_checks(develop: Develop, ha_port: int) -> None:
    """Log in and check the cards, one check after another on one page."""
    from playwright.async_api import async_playwright  # noqa: PLC0415 - installed late

    credentials = Credentials.load(develop.config)
    if credentials is None:
        raise SetupError("script/develop left no credentials")
    async with aiohttp.ClientSession() as session, async_playwright() as playwright:
        api = HomeAssistantAPI(session, ha_port)
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = await browser.new_context(
                viewport={"width": 1280, "height": 1200}, locale="en-US", timezone_id="UTC"
            )
            await context.route("**/*", _local_only)
            page = await context.new_page()
            await log_in(page, api.url, credentials)
            await open_dashboard(page, api.url)
            devices = await check_render(page)
            await check_fault(page, session, develop.mock_ports[0])
            await check_cooling_confirmation(page, devices["hk3"])
            await check_setpoint(page, devices["hk3"])
            await check_unreachable(page, mock_pid_of(develop.log))
            await check_row_opens_device(page)
        finally:
            await browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the checks; 0 when all pass, 1 with a message otherwise."""
    del argv
    work = Path(tempfile.mkdtemp(prefix="antspace-browser-test-"))
    ha_port, *mock_ports = spare_ports(3)
    develop = Develop(work, ha_port, mock_ports)
    started = time.monotonic()
    try:
        say(f"starting script/develop (Home Assistant on port {ha_port})")
        develop.start()
        say(f"script/develop ready after {develop.wait_ready():.1f} s")
        install_playwright()
        asyncio.run(run_checks(develop, ha_port))
    except (SetupError, CheckError) as err:
        print(f"browser test: FAILED: {err}", file=sys.stderr)
        print(develop.log.read_text("utf-8", errors="replace")[-3000:], file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        develop.stop()
        shutil.rmtree(work, ignore_errors=True)
    say(f"passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
