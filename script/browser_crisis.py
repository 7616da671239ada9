"""The browser test's checks of the cards in a crisis.

With every fault of both kinds raised, in each language, at a desktop's and a phone's width, in
the light and the dark theme: no text overlaps or leaves a card, alerts come worst first, chips
are readable; 40 containers fit the site card on one screen; a stopped mock shows as
unreachable, with a time since that ticks and agrees between the cards.
"""

from __future__ import annotations

from collections.abc import Sequence
import json
import os
import signal
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from browser_kit import (
    CRISIS_LANGUAGES,
    DEEP,
    HK3_CARD,
    IMMERSION_CARD,
    LANGUAGES,
    MIN_CONTRAST,
    NARROW,
    ONE_POLL,
    RENDER_TIMEOUT,
    SCREEN_HEIGHT,
    SEVERITY_ORDER,
    SITE_CONTAINERS,
    TRANSLATIONS,
    WIDE,
    CheckError,
    mock_post,
    say,
    wait_for,
)

if TYPE_CHECKING:
    from playwright.async_api import Page

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
