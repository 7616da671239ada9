"""The picture of the miners view for the README, taken by `screenshots.py` (`--only miners`).

The HK3's container card with its miners view open, coloured by chip temperature, with a miner
described as a pointer over it does: the mock's miners as they start (a few idle, a few hot).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from playwright.async_api import Page

HK3_CARD: Final = "antspace-container-card:has([data-part='cooling_tower'])"
DASHBOARD_PATH: Final = "dashboard-antspace/site"


async def shoot_miners(
    page: Page, url: str, path: Path, *, settle: float, say: Callable[[str], None]
) -> None:
    """Open the HK3's miners view, point at its hottest miner, photograph the card."""
    await page.goto(f"{url}/{DASHBOARD_PATH}")
    card = page.locator(HK3_CARD)
    await card.locator(".miners-toggle").wait_for(timeout=30_000)
    await card.locator(".miners-toggle").click()
    view = card.locator("antspace-miners-view")
    await view.locator(".cell").first.wait_for(timeout=30_000)
    await view.locator(".cell[data-hottest]").first.hover()
    await page.wait_for_timeout(settle * 1000)
    await card.screenshot(path=str(path))
    say(f"saved {path.name}")
