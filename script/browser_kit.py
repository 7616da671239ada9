"""What the browser test's checks share: the page's words and timings, waiting, and reading the page.

The checks are in browser_test.py (the cards at work) and browser_crisis.py (the cards with
every fault raised, in every language, for a site of 40 containers, and unreachable).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import time
from typing import TYPE_CHECKING, Any, Final

import aiohttp

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
