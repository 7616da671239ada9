"""The energy sensor: total power integrated over time, kept across restarts."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

from mock.plant import MockContainer
from mock.server import MockServer

from .conftest import setup_container

ENERGY = "sensor.antspace_immersion_energy"


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int = 10) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_energy_integrates_power(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """An hour at constant power adds the power times an hour, even while no value changes."""
    await setup_container(hass, immersion)
    watts = immersion.value("distribution_box_power")
    assert isinstance(watts, float)
    assert float(hass.states.get(ENERGY).state) == 0.0
    for _ in range(360):
        await _poll(hass, freezer)
    assert float(hass.states.get(ENERGY).state) == pytest.approx(watts / 1000, rel=1e-3)


async def test_energy_skips_outages(
    hass: HomeAssistant, mock_server: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """Time without an answer adds nothing: the container's power is unknown then."""
    immersion = mock_server.containers[1]
    await setup_container(hass, immersion)
    watts = immersion.value("distribution_box_power")
    assert isinstance(watts, float)
    await _poll(hass, freezer, 60)
    await mock_server.stop_container(immersion)
    for _ in range(30):
        await _poll(hass, freezer, 60)
    assert hass.states.get(ENERGY).state == STATE_UNAVAILABLE
    await mock_server.start_container(immersion)
    await _poll(hass, freezer, 60)
    await _poll(hass, freezer, 60)
    # Minutes 0-1 and 31-32 were answered; the half hour between was not.
    assert float(hass.states.get(ENERGY).state) == pytest.approx(watts / 1000 * 2 / 60, rel=1e-3)


async def test_energy_restored_after_restart(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The total goes on from where it was before a restart."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(ENERGY, "1234.5"),
                {"native_value": 1234.5, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    await setup_container(hass, immersion)
    assert float(hass.states.get(ENERGY).state) == 1234.5
    await _poll(hass, freezer, 3600)
    watts = immersion.value("distribution_box_power")
    assert isinstance(watts, float)
    assert float(hass.states.get(ENERGY).state) == pytest.approx(1234.5 + watts / 1000, rel=1e-4)
