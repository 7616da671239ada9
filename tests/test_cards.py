"""The integration serves its cards and has the frontend load them."""

from __future__ import annotations

import re

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, UrlManager
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.antspace.cards import (
    CARDS_DIRECTORY,
    ENTRY_MODULE,
    async_register_cards,
    cards_url,
    cards_version,
)
from custom_components.antspace.const import DOMAIN
from custom_components.antspace.pyantspace import (
    ALERTS,
    CONTAINER_UNREACHABLE,
    COOLING_STOPPED_WHILE_MINING,
    UNRECOGNISED_FAULT,
    Kind,
    alerts_for,
)

CARDS = CARDS_DIRECTORY


async def test_without_a_frontend_nothing_is_registered(hass: HomeAssistant) -> None:
    """Home Assistant without its frontend (as in these tests) loads the integration alone."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert not await async_register_cards(hass)


async def test_cards_are_served_and_loaded_by_the_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """The cards' modules are served under their version, to be cached, and the frontend is
    told to load the entry module; every module a card imports is there."""
    assert await async_setup_component(hass, "http", {})
    # The frontend's own setup needs its compiled files; its list of extra modules is enough.
    hass.data[DATA_EXTRA_MODULE_URL] = UrlManager(lambda *_: None, [])
    hass.config.components.add("frontend")

    assert await async_register_cards(hass)

    (url,) = hass.data[DATA_EXTRA_MODULE_URL].urls
    assert url == f"{cards_url(cards_version())}/{ENTRY_MODULE}"
    base = url.rsplit("/", 1)[0]
    client = await hass_client()
    modules = sorted(CARDS_DIRECTORY.glob("*.js"))
    for module in modules:
        response = await client.get(f"{base}/{module.name}")
        assert response.status == 200, module.name
        assert "max-age" in response.headers["Cache-Control"]
        source = module.read_text(encoding="utf-8")
        assert await response.text() == source
        for imported in re.findall(r'(?:from |import\()"\./([^"]+)"', source):
            assert (CARDS_DIRECTORY / imported).is_file(), f"{module.name} imports {imported}"


def _schematic_alerts() -> dict[Kind, set[str]]:
    """The alert keys each kind's schematic places on its parts (the PARTS table of parts.js)."""
    source = (CARDS / "parts.js").read_text(encoding="utf-8")
    table = source[source.index("export const PARTS") :]
    table = table[: table.index("\n};")]
    immersion = table.index("\n  immersion: {")
    found = {}
    for kind, text in ((Kind.HK3, table[:immersion]), (Kind.IMMERSION, table[immersion:])):
        found[kind] = set(re.findall(r'"alert_([a-z0-9_]+)"', text))
    return found


# Shown on the whole card, not on a part.
WHOLE_CARD = frozenset({CONTAINER_UNREACHABLE, COOLING_STOPPED_WHILE_MINING, UNRECOGNISED_FAULT})
# Of parts the schematic does not draw (power supply, sensors, distribution box): shown in the
# card's list of alerts only.
UNDRAWN = {
    Kind.HK3: {"power_fault"},
    Kind.IMMERSION: {
        "lever_sensor_fault",
        "phase_failure",
        "power_distribution_fault",
        "power_distribution_temp_high",
        "return_liquid_temp_fault",
        "smoke_sensor_fault",
        "supply_liquid_temp_fault",
    },
}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_alert_has_its_place_on_the_card(kind: Kind) -> None:
    """Each alert a kind can raise sits on a part of its schematic, or is listed as undrawn;
    no part names an alert its kind cannot raise."""
    placed = _schematic_alerts()[kind]
    own = {spec.key for spec in alerts_for(kind)}
    assert own - WHOLE_CARD - placed == UNDRAWN[kind]
    assert placed - own == set()


def test_the_cards_know_each_alerts_severity() -> None:
    """The cards sort and colour alerts by severity: their table (ALERT_SEVERITY of parts.js)
    says what the alert table says, for every alert."""
    source = (CARDS / "parts.js").read_text(encoding="utf-8")
    table = source[source.index("export const ALERT_SEVERITY") :]
    table = table[: table.index("\n};")]
    cards = dict(re.findall(r'^  ([a-z0-9_]+): "(critical|high|medium)",$', table, re.MULTILINE))
    assert cards == {spec.key: str(spec.severity) for spec in ALERTS}
