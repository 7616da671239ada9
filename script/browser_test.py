"""Browser test of the cards: Chromium drives a real Home Assistant with the mock containers.

Run by script/test, which installs what this needs. One start of `script/develop` (on spare
ports, with a config directory of its own) serves every check:

- the site card lists both mock containers, and each container card draws its kind's loop;
  the cards' modules come from the path of the integration's version;
- a fault raised on the mock HK3 shows on both cards within one poll;
- the keyboard focus in the setpoint box, what is typed there and the running animations
  survive a poll, and a state change of another integration's entity draws no card again;
- a setpoint out of range or off its step is refused with its reason; one typed right reaches
  the container;
- switching the cooling off while the options forbid it says so at once, with no confirmation;
  once allowed it asks first, and cancelling switches nothing; *Reset* asks first;
- with every fault of both kinds raised, in English and Russian at 1440 and 400 px (and every
  other language at 400 px): no two texts of a container card's picture overlap and none leaves
  the card (measured on the text boxes in the page), alerts come worst first, and every chip's
  text has a contrast of 4.5:1 at least, in the light and the dark theme;
- 40 containers fit the site card on one screen at 1440 px;
- a stopped mock shows as unreachable within one poll: a red bar, the switches unavailable (not
  off), the setpoint box empty, and a time since that ticks and agrees between the two cards;
- the HK3's miners view lists its miners, marks and puts first one stopped and one heated on
  the mock, names a miner on hover, colours by hashrate with one tap, and goes when closed;
- a row of the site card opens the container's device page.

The checks of the cards in a crisis are in browser_crisis.py; what all checks share is in
browser_kit.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
import re
import shutil
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any

import aiohttp
from browser_crisis import (
    check_every_language,
    check_site_of_forty,
    check_unreachable,
    raise_every_fault,
)
from browser_kit import (
    FAULT,
    FAULT_PART,
    HK3_CARD,
    ONE_POLL,
    POLL,
    RENDER_TIMEOUT,
    STRINGS,
    WIDE,
    WORDS,
    CheckError,
    entity_state,
    mock_post,
    open_dashboard,
    say,
    texts,
    wait_for,
)
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
    from playwright.async_api import Page


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
        if len(figures) != 5 or any(value.startswith("—") for value in figures[:3]):
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
            if await card.locator(f"[data-part='{part}']").count() < 1:
                raise CheckError(f"the {kind}'s card has no {part}")
        if not await card.locator(".running").count():
            raise CheckError(f"the {kind}'s card shows nothing running")
        values = await texts(card.locator(".value text"))
        if not values or "—" in values[:2]:
            raise CheckError(f"the {kind}'s card lacks live readings: {values}")
    say("both cards render for an HK3 and an Immersion, with live readings")
    return devices


async def check_versioned_modules(page: Page) -> None:
    """Every module of the cards is fetched from the path of the integration's version."""
    urls: list[str] = await page.evaluate(
        """() => performance.getEntriesByType("resource").map((e) => e.name)
            .filter((u) => u.includes("/antspace_frontend/"))"""
    )
    versions = {re.sub(r".*/antspace_frontend/([^/]+)/.*", r"\1", url) for url in urls}
    modules = [url for url in urls if "/vendor/" not in url]
    if len(modules) < 8 or len(versions) != 1 or any(url in versions for url in urls):
        raise CheckError(f"the cards' modules are not all under one version: {urls}")
    say(f"the cards' {len(modules)} modules come from the path of version {versions.pop()}")


async def check_fault(page: Page, session: aiohttp.ClientSession, hk3_port: int) -> None:
    """A fault raised on the mock shows on both cards within one poll."""
    name = STRINGS["entity"]["binary_sensor"][f"alert_{FAULT}"]["name"]
    site_row = page.locator("antspace-site-card .row").filter(has_text="HK3")
    part = page.locator(f"{HK3_CARD} g.fault[data-part='{FAULT_PART}']")
    listed = page.locator(f"{HK3_CARD} .alert-list li")

    async def shown() -> bool:
        on_site = name in " ".join(await texts(site_row.locator(".alerts")))
        on_card = await part.count() == 1 and name in await texts(listed)
        return on_site and on_card

    await mock_post(session, hk3_port, f"fault?flag={FAULT}&active=1")
    took = await wait_for(f"{FAULT} on both cards", shown, ONE_POLL)
    severity = await site_row.get_attribute("data-severity")
    if severity != "high":
        raise CheckError(f"the site card's HK3 row has severity {severity!r} with {FAULT}")
    first = (await page.locator("antspace-site-card .row .name").first.inner_text()).strip()
    if "HK3" not in first:
        raise CheckError(f"the HK3 with a fault is not first on the site card, {first!r} is")
    label = await texts(page.locator(f"{HK3_CARD} [data-room='spray_pump.label'] text"))
    if " ".join(label) != name:
        raise CheckError(f"the spray pump's label reads {label}, not its one fault {name!r}")
    say(f"{FAULT} raised on the mock shows on both cards after {took:.1f} s, by its part")


async def check_survives_poll(
    page: Page, api: HomeAssistantAPI, session: aiohttp.ClientSession, ports: Sequence[int]
) -> None:
    """Focus, typing and animations survive a poll; another entity's change draws nothing."""
    card = page.locator(HK3_CARD)
    field = card.locator("input.setpoint")
    await field.focus()
    await field.press("End")
    await page.keyboard.type("9")
    typed = await field.input_value()
    marked: bool = await card.evaluate(
        """(card) => {
            const rotor = card.shadowRoot.querySelector(".running .rotor");
            if (!rotor) return false;
            rotor.dataset.browserTest = "kept";
            card.__renders = card.renders;
            card.__started = rotor.getAnimations()[0]?.startTime ?? null;
            return true;
        }"""
    )
    if not marked:
        raise CheckError("the HK3's card shows no running part to watch")

    async def polled() -> bool:
        renders: bool = await card.evaluate("(card) => card.renders > card.__renders")
        return renders

    await wait_for("a poll that changes the HK3's card", polled, ONE_POLL * 2)
    kept = await card.evaluate(
        """(card) => {
            const root = card.shadowRoot;
            const rotor = root.querySelector("[data-browser-test='kept']");
            return { focus: root.activeElement?.id ?? null,
              value: root.querySelector("input.setpoint").value,
              rotor: Boolean(rotor && rotor.isConnected),
              sameAnimation: rotor ? (rotor.getAnimations()[0]?.startTime ?? null) === card.__started
                : false };
        }"""
    )
    if kept["focus"] != "setpoint" or kept["value"] != typed:
        raise CheckError(f"a poll took the setpoint box's focus or text: {kept}")
    if not kept["rotor"] or not kept["sameAnimation"]:
        raise CheckError(f"a poll redrew the running parts, restarting their animation: {kept}")
    await field.press("Escape")
    await field.blur()
    # Frozen, the mocks' values stand still: a poll then changes no entity, and draws nothing.
    for port in ports:
        await mock_post(session, port, "freeze?frozen=1")
    site = page.locator("antspace-site-card")

    async def renders() -> tuple[int, int]:
        own: int = await card.evaluate("(card) => card.renders")
        other: int = await site.evaluate("(card) => card.renders")
        return own, other

    async def still() -> bool:
        before = await renders()
        await page.wait_for_timeout(POLL * 1000 / 2)
        return await renders() == before

    await wait_for("the cards to stand still with the mocks frozen", still, ONE_POLL * 3)
    before = await renders()
    for value in ("one", "two", "three"):
        await api.request(
            "POST", "/api/states/sensor.browser_test_elsewhere", json_body={"state": value}
        )
        await page.wait_for_timeout(500)
    await page.wait_for_timeout(1000)
    if await renders() != before:
        raise CheckError(
            f"a state change of another integration's entity drew the cards again: "
            f"{before} → {await renders()} times"
        )
    for port in ports:
        await mock_post(session, port, "freeze?frozen=0")
    say("focus, typing and animations survive a poll; other entities' changes draw no card")


async def check_setpoint(page: Page, device_id: str) -> None:
    """Values out of range or off the step are refused with their reason; a right one is sent."""
    card = page.locator(HK3_CARD)
    field = card.locator("input.setpoint")
    note = card.locator(".setpoint-message")
    now = float(str(await entity_state(page, device_id, "supply_liquid_set_temp")))
    top = float(str(await field.get_attribute("data-max")))
    step = float(str(await field.get_attribute("data-step")))
    reasons = {
        f"{top + 10:g}": STRINGS["exceptions"]["invalid_setpoint"]["message"].split("{")[0],
        f"{now + step / 2 + 0.1:.1f}": WORDS["setpoint_off_step"].split("{step}")[0].split("}")[-1],
    }
    for value, reason in reasons.items():
        await field.fill(value)
        await field.press("Enter")
        await note.wait_for(timeout=5000)
        shown = (await note.inner_text()).strip()
        if reason.strip() not in shown:
            raise CheckError(f"{value} refused with {shown!r}, not its reason {reason!r}")
        if float(str(await entity_state(page, device_id, "supply_liquid_set_temp"))) != now:
            raise CheckError(f"the refused setpoint {value} changed the container's")
        await field.press("Tab")
        if (await field.input_value()).replace(",", ".") != f"{now:.1f}":
            raise CheckError(f"after {value} was refused the box shows {await field.input_value()}")
    wanted = now + 1 if now + 1 <= top else now - 1
    await field.fill(f"{wanted:g}")
    await field.press("Tab")

    async def reached() -> bool:
        state = await entity_state(page, device_id, "supply_liquid_set_temp")
        return state is not None and float(state) == wanted

    took = await wait_for("the new setpoint", reached, ONE_POLL)
    if await note.count():
        raise CheckError("a setpoint that was sent still shows a refusal")
    say(
        f"{' and '.join(reasons)} refused with their reason; {wanted:g} reached the container "
        f"in {took:.1f} s"
    )


async def set_options(api: HomeAssistantAPI, entry_id: str, **changes: Any) -> None:
    """Change some of a container's options, the others as they are, as its options form does."""
    form = await api.request(
        "POST", "/api/config/config_entries/options/flow", json_body={"handler": entry_id}
    )
    values: dict[str, Any] = {}
    for field in form["data_schema"]:
        suggested = (field.get("description") or {}).get("suggested_value")
        values[field["name"]] = suggested if suggested is not None else field.get("default")
    values.update(changes)
    result = await api.request(
        "POST", f"/api/config/config_entries/options/flow/{form['flow_id']}", json_body=values
    )
    if result.get("type") != "create_entry":
        raise CheckError(f"the options form did not take {changes}: {result}")


async def allow_cooling_off(api: HomeAssistantAPI, entry_id: str) -> None:
    """Allow switching the cooling off in a container's options."""
    await set_options(api, entry_id, allow_cooling_off=True)


async def check_miners_view(
    page: Page, api: HomeAssistantAPI, session: aiohttp.ClientSession, device_id: str, port: int
) -> None:
    """The HK3's miners view works as a technician uses it.

    A cell for each miner the container counts; a miner stopped and one heated on the mock come
    first (struck, outlined) at the miner summary's pace, and the card's line counts as the
    cells do; a cell says its miner in words on hover; one tap colours by hashrate; closed, it is gone.
    """
    await set_options(api, await entry_of(api, device_id), miner_interval=POLL)
    card = page.locator(HK3_CARD)
    await card.locator(".miners-toggle").click()
    view = card.locator("antspace-miners-view")
    cells = view.locator(".cell")
    await cells.first.wait_for(timeout=RENDER_TIMEOUT * 1000)
    counted = await entity_state(page, device_id, "miner_count")
    if str(await cells.count()) != counted:
        raise CheckError(f"the miners view has {await cells.count()} cells for {counted} miners")
    positions = [
        int(p)
        for p in await view.locator(".cell").evaluate_all(
            "(cells) => cells.map((cell) => cell.dataset.position)"
        )
    ]
    stopped, heated = positions[-1], positions[-2]  # the coolest of those that hash
    await mock_post(session, port, f"miner?position={stopped}&hashing=0")
    await mock_post(session, port, f"miner?position={heated}&chip_temp=101")

    async def marked() -> bool:
        stop = view.locator(f".cell[data-position='{stopped}']")
        hot = view.locator(f".cell[data-position='{heated}']")
        return (
            await stop.count() == 1
            and "stopped" in (await stop.get_attribute("class") or "")
            and (await stop.inner_text()).strip() == str(stopped)
            and await hot.get_attribute("data-level") == "critical"
            and "hot" in (await hot.get_attribute("class") or "")
        )

    took = await wait_for("a stopped and a heated miner marked", marked, POLL * 3 + ONE_POLL)
    # The card's line counts as the cells do, before the sensors' next miner summary.
    hashing = await view.evaluate("(v) => v._answer.miners.filter((m) => m.hashing).length")
    line = (await card.locator(".miners-bar").inner_text()).strip()
    if WORDS["miners_hashing_of"].format(hashing=hashing, count=counted) not in line:
        raise CheckError(f"the card says {line!r} where the view has {hashing} miners hashing")
    order: list[list[str]] = await view.locator(".cell").evaluate_all(
        "(cells) => cells.map((cell) => [cell.dataset.position, cell.className])"
    )
    struck = [position for position, classes in order if "stopped" in classes.split()]
    if [position for position, _ in order[: len(struck)]] != struck or str(stopped) not in struck:
        raise CheckError(f"the miners that do not hash are not first: {order[:12]}")
    await view.locator(f".cell[data-position='{heated}']").hover()
    detail = (await view.locator(".detail").inner_text()).strip()
    if WORDS["miner_position"].format(position=heated) not in detail or "TH/s" not in detail:
        raise CheckError(f"hovering miner {heated} says {detail!r}")
    await view.locator("button[data-mode='hashrate']").click()
    level = await view.locator(f".cell[data-position='{stopped}']").get_attribute("data-level")
    pressed = await view.locator("button[data-mode='hashrate']").get_attribute("aria-pressed")
    if (level, pressed) != ("critical", "true"):
        raise CheckError(f"by hashrate, the stopped miner is {level}, the button {pressed}")
    await card.locator(".miners-toggle").click()
    if await view.count():
        raise CheckError("the miners view stays after it was closed")
    await mock_post(session, port, f"miner?position={stopped}&hashing=1")
    await mock_post(session, port, f"miner?position={heated}&chip_temp=auto")
    say(
        f"the miners view lists {counted} miners; a stopped and a heated one marked and first "
        f"after {took:.1f} s; hover names one; by hashrate with one tap; closed, it is gone"
    )


async def entry_of(api: HomeAssistantAPI, device_id: str) -> str:
    """The config entry of a container's device."""
    (devices,) = await api.websocket({"type": "config/device_registry/list"})
    for device in devices:
        if device["id"] == device_id:
            return str(device["config_entries"][0])
    raise CheckError(f"no device {device_id}")


async def check_cooling_and_reset(page: Page, api: HomeAssistantAPI, device_id: str) -> None:
    """Cooling off: refused at once while forbidden, asked first once allowed; Reset asks."""
    card = page.locator(HK3_CARD)
    confirm = card.locator(".confirm")
    if await entity_state(page, device_id, "cooling") != "on":
        raise CheckError("the HK3's cooling is not on to begin with")
    await card.locator("ha-switch.cooling").click()
    refusal = card.locator(".cooling-message")
    await refusal.wait_for(timeout=5000)
    said = (await refusal.inner_text()).strip()
    expected = STRINGS["exceptions"]["cooling_off_not_allowed"]["message"].split("{")[0]
    if expected.strip() not in said or await confirm.count():
        raise CheckError(
            f"forbidden cooling off: {said!r}, confirmation shown: {await confirm.count()}"
        )
    await allow_cooling_off(api, await entry_of(api, device_id))
    await page.wait_for_timeout(3000)  # the options reload the container
    await page.locator(f"{HK3_CARD} ha-switch.cooling").wait_for(timeout=RENDER_TIMEOUT * 1000)
    await card.locator("ha-switch.cooling").click()
    await confirm.wait_for(timeout=5000)
    question = WORDS["confirm_cooling_off"].split("{", 1)[0].strip()
    if question not in await confirm.inner_text():
        raise CheckError("the confirmation does not ask to switch the cooling off")
    await page.wait_for_timeout(1000)
    if await entity_state(page, device_id, "cooling") != "on":
        raise CheckError("the cooling switched off before it was confirmed")
    await confirm.locator("button.cancel").click()
    await confirm.wait_for(state="detached", timeout=5000)
    if await entity_state(page, device_id, "cooling") != "on":
        raise CheckError("cancelling the confirmation switched the cooling off")
    await card.locator("button.reset").click()
    await confirm.wait_for(timeout=5000)
    if WORDS["confirm_reset"].split("{", 1)[0].strip() not in await confirm.inner_text():
        raise CheckError("Reset does not ask first")
    await confirm.locator("button.cancel").click()
    await confirm.wait_for(state="detached", timeout=5000)
    say("forbidden cooling off refused at once with its reason; allowed, it asks first; Reset asks")


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
        await api.login(credentials)
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = await browser.new_context(
                viewport={"width": WIDE, "height": 1200}, locale="en-US", timezone_id="UTC"
            )
            await context.route("**/*", _local_only)
            page = await context.new_page()
            await log_in(page, api.url, credentials)
            await open_dashboard(page, api.url)
            devices = await check_render(page)
            await check_versioned_modules(page)
            await check_fault(page, session, develop.mock_ports[0])
            await check_survives_poll(page, api, session, develop.mock_ports)
            await check_setpoint(page, devices["hk3"])
            await check_cooling_and_reset(page, api, devices["hk3"])
            await check_miners_view(page, api, session, devices["hk3"], develop.mock_ports[0])
            await raise_every_fault(page, session, develop.mock_ports)
            await check_every_language(page)
            await check_site_of_forty(page)
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
