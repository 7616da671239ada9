"""The sensors that compute: the miners' counts, efficiency and hottest, and the energy (total
power integrated over time and short outages, kept across restarts)."""

from __future__ import annotations

import math

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import (
    mock_restore_cache_with_extra_data,
)

from custom_components.antspace.const import DEFAULT_MINER_INTERVAL
from mock.plant import MockContainer
from mock.server import MockServer

from .conftest import poll, setup_container

ENERGY = "sensor.antspace_immersion_energy"


async def test_miner_sensors_follow_the_miners(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The counts follow miners stopped, started and gone quiet on the mock, with each miner
    summary; the efficiency is the power over the hashrate; the hottest miner is named by its
    position."""
    await setup_container(hass, hk3)

    def state(key: str) -> State:
        found = hass.states.get(f"sensor.antspace_hk3_{key}")
        assert found is not None
        return found

    def counts() -> tuple[str, ...]:
        keys = ("miners", "miners_hashing", "miners_not_hashing", "miners_not_reporting")
        return tuple(state(key).state for key in keys)

    idle = hk3.idle_miners  # the mock's miners as drawn: three of 120 stand idle
    assert counts() == ("120", "117", "3", "0")
    hashing = next(position for position in range(1, 121) if position not in idle)
    hk3.set_miner_hashing(hashing, False)
    hk3.set_miner_reporting(idle[0], False)
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    assert counts() == ("120", "116", "3", "1")
    hk3.restore_miners()
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    assert counts() == ("120", "117", "3", "0")

    kilowatts = float(state("total_power").state)  # shown in kW
    terahashes = float(state("total_hashrate").state)
    assert state("efficiency").attributes["unit_of_measurement"] == "J/TH"
    assert float(state("efficiency").state) == pytest.approx(
        kilowatts * 1000 / terahashes, abs=0.05
    )

    chips = [miner["chip_max_temp"] for miner in hk3.miner_info()["miner_info"].values()]
    hottest = state("hottest_miner")
    assert float(hottest.state) == max(chips)
    assert hottest.attributes["position"] == chips.index(max(chips)) + 1

    hk3.miners_hashing = False
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    assert (state("miners_hashing").state, state("efficiency").state) == ("0", "unknown")


async def test_energy_integrates_power(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """An hour at constant power adds the power times an hour, even while no value changes."""
    await setup_container(hass, immersion)
    watts = immersion.value("distribution_box_power")
    assert isinstance(watts, float)
    assert float(hass.states.get(ENERGY).state) == 0.0
    for _ in range(360):
        await poll(hass, freezer)
    assert float(hass.states.get(ENERGY).state) == pytest.approx(watts / 1000, rel=1e-3)


async def _outage(
    hass: HomeAssistant,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
    minutes: int,
) -> tuple[float, float]:
    """The Immersion set up, a minute answered, then `minutes` without an answer, then two
    answered minutes at half the power: the power before and after the outage, W."""
    immersion = mock_server.containers[1]
    await setup_container(hass, immersion)
    before = immersion.value("distribution_box_power")
    assert isinstance(before, float)
    after = before / 2
    await poll(hass, freezer, 60)
    await mock_server.stop_container(immersion)
    immersion.set_value("distribution_box_power", after)
    for _ in range(minutes):
        await poll(hass, freezer, 60)
    assert hass.states.get(ENERGY).state == STATE_UNAVAILABLE
    await mock_server.start_container(immersion)
    await poll(hass, freezer, 60)
    await poll(hass, freezer, 60)
    return before, after


async def test_energy_over_a_short_outage(
    hass: HomeAssistant, mock_server: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """A gap of up to ten minutes counts at the mean of the power before and after it."""
    before, after = await _outage(hass, mock_server, freezer, 2)
    # Minute 0-1 at the power before; 1-4 (two failed polls, then an answer) at the mean;
    # minute 4-5 at the power after.
    joules = before * 60 + (before + after) / 2 * 180 + after * 60
    assert float(hass.states.get(ENERGY).state) == pytest.approx(joules / 3.6e6, rel=1e-3)


async def test_energy_skips_a_long_outage(
    hass: HomeAssistant, mock_server: MockServer, freezer: FrozenDateTimeFactory
) -> None:
    """A gap longer than ten minutes counts nothing: the container's power is unknown then."""
    before, after = await _outage(hass, mock_server, freezer, 20)
    # Minute 0-1 at the power before, the last minute at the power after; 21 minutes between.
    joules = before * 60 + after * 60
    assert float(hass.states.get(ENERGY).state) == pytest.approx(joules / 3.6e6, rel=1e-3)


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
    await poll(hass, freezer, 3600)
    watts = immersion.value("distribution_box_power")
    assert isinstance(watts, float)
    assert float(hass.states.get(ENERGY).state) == pytest.approx(1234.5 + watts / 1000, rel=1e-4)


@pytest.mark.parametrize("stored", [-312.0, math.inf, math.nan])
async def test_energy_restored_only_if_a_total(
    hass: HomeAssistant, immersion: MockContainer, freezer: FrozenDateTimeFactory, stored: float
) -> None:
    """A stored total that no energy counter can have (negative, not finite) starts at 0."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(ENERGY, str(stored)),
                {"native_value": stored, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    await setup_container(hass, immersion)
    assert float(hass.states.get(ENERGY).state) == 0.0
    await poll(hass, freezer, 3600)
    watts = immersion.value("distribution_box_power")
    assert isinstance(watts, float)
    assert float(hass.states.get(ENERGY).state) == pytest.approx(watts / 1000, rel=1e-4)
