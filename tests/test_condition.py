"""The integration's conditions, in automations written in YAML."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.setup import async_setup_component
import pytest

from mock.plant import MockContainer
from mock.server import MockServer

from .conftest import device_id, poll, setup_container


async def _automation(hass: HomeAssistant, condition: dict[str, Any]) -> list[ServiceCall]:
    """An automation run by the event `go` that records a call when the condition holds."""
    calls: list[ServiceCall] = []
    hass.services.async_register("test", "record", calls.append)
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    "triggers": [{"trigger": "event", "event_type": "go"}],
                    "conditions": [condition],
                    "actions": [{"action": "test.record"}],
                }
            ]
        },
    )
    await hass.async_block_till_done()
    return calls


async def _holds(hass: HomeAssistant, calls: list[ServiceCall]) -> bool:
    before = len(calls)
    hass.bus.async_fire("go")
    await hass.async_block_till_done()
    return len(calls) > before


@pytest.fixture
async def area(
    hass: HomeAssistant,
    hk3: MockContainer,
    immersion: MockContainer,
    freezer: FrozenDateTimeFactory,
) -> str:
    """Both containers set up, in area "Row 3"."""
    row = ar.async_get(hass).async_create("Row 3")
    for container in (hk3, immersion):
        entry = await setup_container(hass, container)
        dr.async_get(hass).async_update_device(device_id(hass, entry), area_id=row.id)
    return row.id


async def test_has_an_active_alert_of_a_severity(
    hass: HomeAssistant, hk3: MockContainer, area: str, freezer: FrozenDateTimeFactory
) -> None:
    """At least high: a spray pump fault holds it, a power fault alone does not."""
    calls = await _automation(
        hass,
        {
            "condition": "antspace.has_alert",
            "target": {"area_id": area},
            "options": {"severity": "high"},
        },
    )
    assert not await _holds(hass, calls)
    hk3.set_fault("power_fault")  # medium
    await poll(hass, freezer)
    assert not await _holds(hass, calls)
    hk3.set_fault("spray_pump_fault")  # high
    await poll(hass, freezer)
    assert await _holds(hass, calls)
    hk3.set_all_faults(False)
    await poll(hass, freezer)
    assert not await _holds(hass, calls)


async def test_has_an_alert_on_all_of_them(
    hass: HomeAssistant,
    hk3: MockContainer,
    immersion: MockContainer,
    area: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    """`all`: every container of the area has one."""
    calls = await _automation(
        hass,
        {
            "condition": "antspace.has_alert",
            "target": {"area_id": area},
            "options": {"behavior": "all"},
        },
    )
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert not await _holds(hass, calls)
    immersion.set_fault("fan_fault")
    await poll(hass, freezer)
    assert await _holds(hass, calls)


async def test_cooling_circulating(
    hass: HomeAssistant,
    hk3: MockContainer,
    immersion: MockContainer,
    *,
    mock_server: MockServer,
    area: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Holds while the cooling runs; stopped, or a container that does not answer, does not."""
    calls = await _automation(
        hass,
        {
            "condition": "antspace.cooling_circulating",
            "target": {"area_id": area},
            "options": {"behavior": "all"},
        },
    )
    assert await _holds(hass, calls)
    hk3.close_cooling()
    await poll(hass, freezer)
    assert not await _holds(hass, calls)
    hk3.open_cooling()
    await poll(hass, freezer)
    assert await _holds(hass, calls)
    await mock_server.stop_container(immersion)
    await poll(hass, freezer)
    assert not await _holds(hass, calls)


async def test_cooling_circulating_for_a_while(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """`for`: it has circulated for at least that long (the switch's last change)."""
    entry = await setup_container(hass, hk3)
    calls = await _automation(
        hass,
        {
            "condition": "antspace.cooling_circulating",
            "target": {"device_id": device_id(hass, entry)},
            "options": {"for": {"minutes": 5}},
        },
    )
    assert not await _holds(hass, calls)
    for _ in range(31):
        await poll(hass, freezer)
    assert await _holds(hass, calls)
