"""The pictures of the translations for the README, taken by `screenshots.py` (`--only translations`).

In each of TRANSLATED, with Home Assistant's and the user's language that one: the HK3's device
page, the repair of its spray pump fault (what to check, the reset it offers) and its card at a
phone's width; and which texts the device page cuts with "…" at that width.
"""

from __future__ import annotations

from collections.abc import Callable
import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypedDict

if TYPE_CHECKING:
    from playwright.async_api import Page

TRANSLATED: Final = ("ru", "pt-BR")
"""The languages of the pictures of the HK3's device page, its repair issue and its card."""
TRANSLATIONS: Final = (
    Path(__file__).resolve().parent.parent / "custom_components/antspace/translations"
)
HK3_CARD: Final = "antspace-container-card:has([data-part='cooling_tower'])"
DASHBOARD_PATH: Final = "dashboard-antspace/site"
CUT_NAMES: Final = """() => {
  const deep = (root = document, found = []) => {
    for (const el of root.querySelectorAll("*")) {
      found.push(el);
      if (el.shadowRoot) deep(el.shadowRoot, found);
    }
    return found;
  };
  return deep().filter((el) => !el.children.length && el.textContent.trim()
      && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow === "ellipsis")
    .map((el) => el.textContent.trim());
}"""
"""The texts of a page cut with "…"."""


class Sizes(TypedDict):
    """The windows of the pictures.

    The pages' width and height, the repair's height, and a phone's width.
    """

    wide: tuple[int, int]
    short: int
    phone: int


async def shoot_translated(
    page: Page,
    url: str,
    language: str,
    device_id: str,
    out: Path,
    *,
    fault: str,
    sizes: Sizes,
    settle: float,
    say: Callable[[str], None],
) -> None:
    """The three pictures of one language, on a page logged in; the HK3 has `fault` raised."""
    from playwright.async_api import TimeoutError as PageTimeout  # noqa: PLC0415

    issue = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))["issues"]
    issue = issue[f"alert_{fault}"]
    width, height = sizes["wide"]
    await page.evaluate(
        "(code) => localStorage.setItem('selectedLanguage', JSON.stringify(code))", language
    )
    device_url = f"{url}/config/devices/device/{device_id}"
    await page.goto(device_url)
    with contextlib.suppress(PageTimeout):
        await page.wait_for_load_state("networkidle", timeout=15_000)
    await page.wait_for_timeout(settle * 1000)
    await page.screenshot(path=str(path := out / f"hk3-device-{language}.png"))
    say(f"saved {path.name}")

    await page.set_viewport_size({"width": width, "height": sizes["short"]})
    await page.goto(f"{url}/config/repairs")
    await page.wait_for_timeout(settle * 1000 / 2)
    await page.get_by_text(issue["title"].format(container="Antspace HK3")).first.click()
    submit = issue["fix_flow"]["step"]["confirm"]["submit"]
    await page.get_by_role("button", name=submit).wait_for(timeout=30_000)
    await page.wait_for_timeout(settle * 1000 / 2)
    await page.screenshot(path=str(path := out / f"repair-{language}.png"))
    say(f"saved {path.name}")
    await page.keyboard.press("Escape")

    await page.set_viewport_size({"width": sizes["phone"], "height": height})
    await page.goto(device_url)
    await page.wait_for_timeout(settle * 1000)
    cut: list[str] = await page.evaluate(CUT_NAMES)
    say(f"{language}: the device page at {sizes['phone']} px cuts {len(cut)} texts with '…': {cut}")
    await page.goto(f"{url}/{DASHBOARD_PATH}")
    card = page.locator(HK3_CARD)
    await card.locator(".alert-list li").first.wait_for(timeout=60_000)
    await page.wait_for_timeout(settle * 1000)
    await card.screenshot(path=str(path := out / f"card-hk3-{language}.png"))
    say(f"saved {path.name}")
