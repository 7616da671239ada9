"""The Lovelace cards that ship with the integration: served by it, loaded by every dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import DOMAIN

CARDS_DIRECTORY: Final = Path(__file__).parent / "frontend"
URL_BASE: Final = f"/{DOMAIN}_frontend"
ENTRY_MODULE: Final = "antspace-cards.js"


def cards_version() -> str:
    """A tag of the cards' files, so a browser fetches them anew when they change."""
    newest = max(path.stat().st_mtime_ns for path in CARDS_DIRECTORY.rglob("*.js"))
    return format(newest, "x")


def cards_url(version: str) -> str:
    """Where the cards of a version are served.

    The version is a part of the path, so that the modules' relative imports carry it too: a
    browser may keep every file as long as it likes, and fetches all of them anew after an
    update.
    """
    return f"{URL_BASE}/{version}"


async def async_register_cards(hass: HomeAssistant) -> bool:
    """Serve the cards and have the frontend load them; False without a frontend."""
    if hass.http is None or "frontend" not in hass.config.components:
        return False
    version = await hass.async_add_executor_job(cards_version)
    url = cards_url(version)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(url, str(CARDS_DIRECTORY), cache_headers=True)]
    )
    add_extra_js_url(hass, f"{url}/{ENTRY_MODULE}")
    return True
