"""What a container is (its resolved address and port), and its default title."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest

from custom_components.antspace.identity import (
    async_resolve,
    container_id,
    default_title,
    is_address_title,
)
from custom_components.antspace.pyantspace import Kind


def test_default_title_names_the_kind_numbered_when_taken() -> None:
    """The first of a kind is its model; the next ones are numbered from 2, gaps refilled."""
    assert default_title(Kind.HK3, []) == "Antspace HK3"
    assert default_title(Kind.HK3, ["Antspace HK3"]) == "Antspace HK3 2"
    assert default_title(Kind.HK3, ["Antspace HK3", "Antspace HK3 2"]) == "Antspace HK3 3"
    assert default_title(Kind.HK3, ["Antspace HK3", "Antspace HK3 3"]) == "Antspace HK3 2"
    assert default_title(Kind.IMMERSION, ["Antspace HK3", "Row 3"]) == "Antspace Immersion"


@pytest.mark.parametrize(
    ("kind", "title", "expected"),
    [
        (Kind.HK3, "Antspace HK3 (10.0.0.5)", True),
        (Kind.HK3, "Antspace HK3 (127.0.0.1:8011)", True),
        (Kind.IMMERSION, "Antspace Immersion (container-7.lan:8001)", True),
        (Kind.HK3, "Antspace HK3", False),
        (Kind.HK3, "Antspace HK3 2", False),
        (Kind.HK3, "Antspace Immersion (10.0.0.5)", False),
        (Kind.HK3, "Row 3 (north)", False),
    ],
)
def test_address_titles_of_the_first_version(kind: Kind, title: str, expected: bool) -> None:
    """Only the first version's default titles, which named the address, are recognised."""
    assert is_address_title(kind, title) is expected


async def test_resolve(hass: HomeAssistant, hosts: dict[str, list[str]]) -> None:
    """Addresses come back normalised, IPv4 first; an unknown name gives none."""
    hosts["farm.example"] = ["fd00::5", "10.0.0.10", "10.0.0.9", "10.0.0.9"]
    assert await async_resolve(hass, "farm.example") == ["10.0.0.9", "10.0.0.10", "fd00::5"]
    assert await async_resolve(hass, "FD00:0:0::5") == ["fd00::5"]
    assert await async_resolve(hass, "10.0.0.9") == ["10.0.0.9"]
    assert await async_resolve(hass, "nowhere.example") == []
    assert container_id("10.0.0.9", 8000) == "10.0.0.9:8000"
