"""The integration serves its cards and has the frontend load them."""

from __future__ import annotations

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, UrlManager
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.antspace.const import DOMAIN
from custom_components.antspace.frontend import (
    CARDS_DIRECTORY,
    ENTRY_MODULE,
    URL_BASE,
    async_register_cards,
)


async def test_without_a_frontend_nothing_is_registered(hass: HomeAssistant) -> None:
    """Home Assistant without its frontend (as in these tests) loads the integration alone."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert not await async_register_cards(hass)


async def test_cards_are_served_and_loaded_by_the_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """The cards' modules are served, and the frontend is told to load the entry module."""
    assert await async_setup_component(hass, "http", {})
    # The frontend's own setup needs its compiled files; its list of extra modules is enough.
    hass.data[DATA_EXTRA_MODULE_URL] = UrlManager(lambda *_: None, [])
    hass.config.components.add("frontend")

    assert await async_register_cards(hass)

    (url,) = hass.data[DATA_EXTRA_MODULE_URL].urls
    assert url.startswith(f"{URL_BASE}/{ENTRY_MODULE}?v=")
    client = await hass_client()
    for module in sorted(CARDS_DIRECTORY.glob("*.js")):
        response = await client.get(f"{URL_BASE}/{module.name}")
        assert response.status == 200, module.name
        assert await response.text() == module.read_text(encoding="utf-8")
