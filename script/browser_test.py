"""Browser test of the cards: Chromium drives a real Home Assistant with the mock containers.

Run by script/test, which installs what this needs. One start of `script/develop` (on spare
ports, with a config directory of its own) serves every check:

- the site card lists both mock containers, and each container card draws its kind's loop;
  the cards' modules carry a version in their URL;
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
TRANSLATIONS: Final = ROOT / "custom_components" / "antspace" / "translations"
STRINGS: Final = json.loads((TRANSLATIONS / "en.json").read_text("utf-8"))
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
HK3_CARD: Final = f"antspace-container-card:has([data-part='{FAULT_PART}'])"
IMMERSION_CARD: Final = "antspace-container-card:has([data-part='dry_cooler'])"
WIDE: Final = 1440
NARROW: Final = 400
"""px of the windows the picture must fit: a desktop, a phone."""
CRISIS_LANGUAGES: Final = ("en", "ru")
"""Languages checked at both widths and in both themes; the others at phone width."""
LANGUAGES: Final = tuple(
    sorted((path.stem for path in TRANSLATIONS.glob("*.json")), key=lambda code: code != "en")
)
MIN_CONTRAST: Final = 4.5
SITE_CONTAINERS: Final = 40
SCREEN_HEIGHT: Final = 900
"""px of a 1440 px wide screen that the site card with 40 containers must fit in."""
SEVERITY_ORDER: Final = {"critical": 0, "high": 1, "medium": 2}

DEEP: Final = """
const deep = (selector, root = document, found = []) => {
  for (const el of root.querySelectorAll("*")) {
    if (el.matches(selector)) found.push(el);
    if (el.shadowRoot) deep(selector, el.shadowRoot, found);
  }
  return found;
};
"""

COLLISIONS: Final = (
    "() => {"
    + DEEP
    + """
  return deep("antspace-container-card").map((card) => {
    const root = card.shadowRoot;
    const box = root.querySelector("ha-card").getBoundingClientRect();
    const texts = [...root.querySelectorAll("svg text")]
      .map((el) => ({ text: el.textContent.trim(), r: el.getBoundingClientRect() }))
      .filter((t) => t.text && t.r.width > 0);
    const overlaps = [];
    const outside = [];
    for (let i = 0; i < texts.length; i++) {
      const a = texts[i].r;
      if (a.left < box.left - 0.5 || a.right > box.right + 0.5 || a.top < box.top - 0.5
          || a.bottom > box.bottom + 0.5) outside.push(texts[i].text);
      for (let j = i + 1; j < texts.length; j++) {
        const b = texts[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0.5 && h > 0.5) overlaps.push(`${texts[i].text} / ${texts[j].text}`);
      }
    }
    const html = [...root.querySelectorAll(".header, .alert-list, .controls")];
    for (const el of html) {
      const r = el.getBoundingClientRect();
      if (el.scrollWidth > el.clientWidth + 1 || r.right > box.right + 0.5) outside.push(el.className);
    }
    const cut = [...root.querySelectorAll("svg [data-full]")].map((el) => el.dataset.full);
    return { name: root.querySelector(".title")?.textContent.trim(), texts: texts.length,
      width: Math.round(box.width), overlaps, outside, cut };
  });
}"""
)

CONTRAST: Final = (
    "() => {"
    + DEEP
    + """
  const rgb = (text) => {
    const m = String(text).match(/rgba?\\(([\\d.]+)[ ,]+([\\d.]+)[ ,]+([\\d.]+)/);
    return m ? m.slice(1, 4).map(Number) : null;
  };
  const lum = ([r, g, b]) => [r, g, b].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const found = [];
  for (const card of [...deep("antspace-container-card"), ...deep("antspace-site-card")]) {
    const root = card.shadowRoot;
    for (const chip of root.querySelectorAll(".chip")) {
      const style = getComputedStyle(chip);
      found.push({ what: `chip ${chip.textContent.trim()}`,
        ratio: ratio(rgb(style.color), rgb(style.backgroundColor)) });
    }
    const pairs = [[".badge", "circle", "text"], [".alarm", "rect", "text"]];
    for (const [group, back, front] of pairs) {
      for (const el of root.querySelectorAll(group)) {
        const b = getComputedStyle(el.querySelector(back)).fill;
        const f = getComputedStyle(el.querySelector(front)).fill;
        found.push({ what: `${group} ${el.textContent.trim()}`, ratio: ratio(rgb(f), rgb(b)) });
      }
    }
  }
  return found;
}"""
)

ORDER: Final = (
    "() => {"
    + DEEP
    + """
  return deep("antspace-container-card").map((card) => {
    const root = card.shadowRoot;
    return { name: root.querySelector(".title")?.textContent.trim(),
      groups: [...root.querySelectorAll(".alert-list .group")].map((g) => ({
        severity: g.dataset.severity,
        names: [...g.querySelectorAll("li")].map((li) => li.textContent.trim()) })) };
  });
}"""
)

SITE_OF_FORTY: Final = (
    "([count, width]) => {"
    + DEEP
    + """
  const hass = document.querySelector("home-assistant").hass;
  const ours = Object.entries(hass.entities).filter(([, e]) => e.platform === "antspace");
  const devices = [...new Set(ours.map(([, e]) => e.device_id))];
  const entities = { ...hass.entities };
  const states = { ...hass.states };
  const registry = { ...hass.devices };
  for (let n = 0; n < count - devices.length; n++) {
    const device = devices[n % devices.length];
    const copy = `${device}_copy${n}`;
    registry[copy] = { ...hass.devices[device], id: copy, name: `Container ${String(n + 1).padStart(2, "0")}` };
    for (const [id, entry] of ours.filter(([, e]) => e.device_id === device)) {
      const newId = `${id}_copy${n}`;
      entities[newId] = { ...entry, entity_id: newId, device_id: copy };
      if (states[id]) states[newId] = { ...states[id], entity_id: newId };
    }
  }
  const holder = document.createElement("div");
  holder.style.cssText = `position:absolute;left:0;top:0;width:${width}px;z-index:10`;
  document.body.append(holder);
  const card = document.createElement("antspace-site-card");
  card.setConfig({});
  // Home Assistant formats a copy's state as its original's (their precision and unit).
  const format = hass.formatEntityState;
  const formatEntityState = (stateObj, state) =>
    format({ ...stateObj, entity_id: stateObj.entity_id.replace(/_copy\\d+$/, "") }, state);
  card.hass = { ...hass, entities, states, devices: registry, formatEntityState };
  holder.append(card);
  return new Promise((resolve) => setTimeout(() => {
    const rows = card.shadowRoot.querySelectorAll(".row").length;
    const height = card.getBoundingClientRect().height;
    holder.remove();
    resolve({ rows, height });
  }, 1500));
}"""
)


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
        try:
            await (
                page.locator("antspace-site-card .row")
                .nth(1)
                .wait_for(timeout=RENDER_TIMEOUT * 1000 / 3)
            )
            await page.locator(f"{IMMERSION_CARD} svg text").first.wait_for(
                timeout=RENDER_TIMEOUT * 1000 / 3
            )
        except PageTimeout:
            continue
        return
    raise CheckError("the dashboard did not show the site card and both container cards")


async def mock_post(session: aiohttp.ClientSession, port: int, path: str) -> None:
    """Send one control action to a mock container."""
    async with session.post(f"http://127.0.0.1:{port}/_mock/{path}") as response:
        if response.status != 200:
            raise CheckError(f"the mock refused {path}: HTTP {response.status}")


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
    """Every module of the cards is fetched with the integration's version in its URL."""
    urls: list[str] = await page.evaluate(
        """() => performance.getEntriesByType("resource").map((e) => e.name)
            .filter((u) => u.includes("/antspace_frontend/"))"""
    )
    modules = [url for url in urls if "/vendor/" not in url]
    unversioned = [url for url in modules if "?v=" not in url]
    if len(modules) < 4 or unversioned:
        raise CheckError(f"the cards' modules without a version: {unversioned or urls}")
    say(f"the cards' {len(modules)} modules carry the version in their URL")


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


async def allow_cooling_off(api: HomeAssistantAPI, entry_id: str) -> None:
    """Allow switching the cooling off in a container's options, as its options form does."""
    form = await api.request(
        "POST", "/api/config/config_entries/options/flow", json_body={"handler": entry_id}
    )
    values: dict[str, Any] = {}
    for field in form["data_schema"]:
        suggested = (field.get("description") or {}).get("suggested_value")
        values[field["name"]] = suggested if suggested is not None else field.get("default")
    values["allow_cooling_off"] = True
    result = await api.request(
        "POST", f"/api/config/config_entries/options/flow/{form['flow_id']}", json_body=values
    )
    if result.get("type") != "create_entry":
        raise CheckError(f"the options form did not take allow_cooling_off: {result}")


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


async def raise_every_fault(
    page: Page, session: aiohttp.ClientSession, ports: Sequence[int]
) -> None:
    """Raise every fault flag of both mocks and wait until both cards list many alerts."""
    for port in ports:
        await mock_post(session, port, "fault?flag=all&active=1")

    async def shown() -> bool:
        counts: list[int] = [
            await page.locator(f"{kind} .alert-list li").count()
            for kind in (HK3_CARD, IMMERSION_CARD)
        ]
        return min(counts) >= 15

    took = await wait_for("every fault on both cards", shown, ONE_POLL * 2)
    say(f"every fault of both mocks raised: on the cards after {took:.1f} s")


async def set_language(page: Page, language: str) -> None:
    """Show the page in one language, as the user's profile does."""
    await page.evaluate(f"localStorage.setItem('selectedLanguage', '\"{language}\"')")
    await page.reload()
    await page.locator(f"{IMMERSION_CARD} .alert-list li").first.wait_for(
        timeout=RENDER_TIMEOUT * 1000
    )
    strings = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))
    title = strings["selector"]["card"]["options"]["site_title"]
    await (
        page.locator("antspace-site-card .title")
        .filter(has_text=title)
        .wait_for(timeout=RENDER_TIMEOUT * 1000)
    )
    await page.evaluate("document.fonts.ready")
    await page.wait_for_timeout(800)  # texts refitted once the language's fonts are in


async def check_crisis_layout(page: Page, language: str, width: int, scheme: str) -> list[str]:
    """With every fault on: no text overlaps or leaves a card, worst first, chips readable."""
    await page.set_viewport_size({"width": width, "height": 1200})
    await page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    await page.wait_for_timeout(600)
    cards: list[dict[str, Any]] = await page.evaluate(COLLISIONS)
    problems = [
        f"{card['name']}: {len(card['overlaps'])} overlaps {card['overlaps'][:4]}, "
        f"off the card: {card['outside'][:4]}"
        for card in cards
        if card["overlaps"] or card["outside"]
    ]
    contrast: list[dict[str, Any]] = await page.evaluate(CONTRAST)
    low = [f"{c['what']} {c['ratio']:.2f}" for c in contrast if c["ratio"] < MIN_CONTRAST]
    if low:
        problems.append(f"chips under {MIN_CONTRAST}:1: {low[:6]}")
    for card in await page.evaluate(ORDER):
        ranks = [SEVERITY_ORDER[group["severity"]] for group in card["groups"]]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            problems.append(f"{card['name']}: alerts not worst first: {card['groups']}")
    if problems:
        raise CheckError(f"{language} at {width} px, {scheme}: " + "; ".join(problems))
    cut = sorted({text for card in cards for text in card["cut"]})
    lowest = min((c["ratio"] for c in contrast), default=0.0)
    counted = sum(card["texts"] for card in cards)
    say(
        f"{language} at {width} px, {scheme}: {counted} texts, 0 overlaps, 0 off the card; "
        f"alerts worst first; chips' contrast ≥ {lowest:.1f}:1"
        + (f"; {len(cut)} cut to fit: {cut}" if cut else "")
    )
    return cut


async def check_every_language(page: Page) -> None:
    """The crisis layout in every language: both widths and themes for en and ru."""
    for language in LANGUAGES:
        await set_language(page, language)
        if language in CRISIS_LANGUAGES:
            for width, scheme in (
                (WIDE, "light"),
                (NARROW, "dark"),
                (WIDE, "dark"),
                (NARROW, "light"),
            ):
                await check_crisis_layout(page, language, width, scheme)
        else:
            await check_crisis_layout(page, language, NARROW, "light")
    await page.emulate_media(color_scheme="light")
    await page.set_viewport_size({"width": WIDE, "height": 1200})
    await set_language(page, "en")


async def check_site_of_forty(page: Page) -> None:
    """40 containers, every fault on, fit the site card on one screen at 1440 px."""
    width = await page.locator("antspace-site-card").evaluate(
        "(card) => card.getBoundingClientRect().width"
    )
    found: dict[str, float] = await page.evaluate(SITE_OF_FORTY, [SITE_CONTAINERS, width])
    if found["rows"] != SITE_CONTAINERS or found["height"] > SCREEN_HEIGHT:
        raise CheckError(
            f"the site card with {found['rows']} containers is {found['height']:.0f} px tall "
            f"at {width:.0f} px, more than {SCREEN_HEIGHT} px"
        )
    say(
        f"{SITE_CONTAINERS} containers with every fault on: the site card is "
        f"{found['height']:.0f} px tall at {width:.0f} px wide"
    )


async def check_unreachable(page: Page, mock_pid: int) -> None:
    """A stopped mock: unreachable on both cards, red, controls unavailable, a live since."""
    os.killpg(mock_pid, signal.SIGTERM)
    rows = page.locator("antspace-site-card .row")
    card = page.locator(HK3_CARD)

    async def shown() -> bool:
        states = [await rows.nth(i).get_attribute("data-severity") for i in range(2)]
        chip = await card.locator(".header .unreachable-text").count()
        return states == ["unreachable", "unreachable"] and chip == 1

    took = await wait_for("the stopped mock as unreachable", shown, ONE_POLL)
    look = await page.evaluate(
        "() => {"
        + DEEP
        + """
        const [site] = deep("antspace-site-card");
        const bar = site.shadowRoot.querySelector(".row .bar");
        const probe = document.createElement("span");
        probe.style.color = "var(--error-color, #db4437)";
        site.shadowRoot.append(probe);
        const red = getComputedStyle(probe).color;
        probe.remove();
        const [card] = deep("antspace-container-card").filter((c) =>
          c.shadowRoot.querySelector("[data-part='spray_pump']"));
        const root = card.shadowRoot;
        const input = root.querySelector("input.setpoint");
        return { bar: getComputedStyle(bar).backgroundColor, red,
          switches: root.querySelectorAll("ha-switch").length,
          words: [...root.querySelectorAll(".state-word")].map((w) => w.dataset.state),
          setpoint: input.value, disabled: input.disabled };
    }"""
    )
    if look["bar"] != look["red"]:
        raise CheckError(f"the unreachable row's bar is {look['bar']}, not red {look['red']}")
    if look["switches"] or set(look["words"]) - {"unavailable", "unknown"} or not look["words"]:
        raise CheckError(f"an unreachable container's switches look on or off: {look}")
    if look["setpoint"] or not look["disabled"]:
        raise CheckError(f"an unreachable container's setpoint box shows {look['setpoint']!r}")

    async def since_texts() -> tuple[str, str]:
        site = (await rows.first.locator(".unreachable-text").inner_text()).strip()
        own = (await page.locator(f"{HK3_CARD} .header .unreachable-text").inner_text()).strip()
        return site, own

    first = await since_texts()
    await page.wait_for_timeout(2200)
    second = await since_texts()
    if first == second:
        raise CheckError(f"the time since the container is unreachable stands still: {first}")
    if second[0] != second[1]:
        raise CheckError(f"the two cards disagree on since when: {second}")
    say(
        f"the stopped mock is unreachable after {took:.1f} s: red bar, switches unavailable, "
        f"setpoint empty; {second[1]!r} ticks and agrees on both cards"
    )


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
