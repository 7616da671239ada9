"""Polling: the cooling state every interval, the miner summary at its own pace."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from custom_components.antspace.const import (
    CONF_MINER_INTERVAL,
    CONF_SCAN_INTERVAL,
    DOMAIN,
)
from mock.plant import Failure, MockContainer

from .conftest import poll, setup_container

HASHRATE = "sensor.antspace_hk3_total_hashrate"
MINER_COUNT = "sensor.antspace_hk3_miners"
RESET = "button.antspace_hk3_reset"


async def test_miner_summary_at_its_own_pace(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """By default the cooling state is read every 10 s and the miner summary every 60 s."""
    entry = await setup_container(hass, hk3)
    assert hk3.requests == {"coolerState": 1, "minerInfo": 1}
    count = hass.states.get(MINER_COUNT).state
    assert count == "120"
    first = entry.runtime_data.data.snapshot.miners

    for polls in range(2, 7):
        await poll(hass, freezer)
        assert hk3.requests == {"coolerState": polls, "minerInfo": 1}
        # Between two reads the miner sensors keep the last summary read.
        assert entry.runtime_data.data.snapshot.miners is first
        assert hass.states.get(MINER_COUNT).state == count

    await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 7, "minerInfo": 2}
    for _ in range(6):
        await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 13, "minerInfo": 3}


async def test_miner_sensors_show_the_new_summary(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """What changed in the miners shows with the next summary read, not before."""
    await setup_container(hass, hk3, **{CONF_SCAN_INTERVAL: 10, CONF_MINER_INTERVAL: 20})
    before = hass.states.get(HASHRATE).state
    hk3.current_load = 0.5  # the miners throttle down
    await poll(hass, freezer)
    assert hk3.requests["minerInfo"] == 1
    assert hass.states.get(HASHRATE).state == before
    await poll(hass, freezer)
    assert hk3.requests["minerInfo"] == 2
    assert float(hass.states.get(HASHRATE).state) < float(before)


async def test_miner_interval_never_below_polling_interval(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A miner summary interval below the polling interval reads both at every poll."""
    entry = await setup_container(hass, hk3, **{CONF_SCAN_INTERVAL: 30, CONF_MINER_INTERVAL: 5})
    assert entry.runtime_data.miner_interval == timedelta(seconds=30)
    await poll(hass, freezer, 30)
    await poll(hass, freezer, 30)
    assert hk3.requests == {"coolerState": 3, "minerInfo": 3}


async def test_miner_summary_read_after_outage(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The first good poll after an outage reads the miner summary too."""
    await setup_container(hass, hk3)
    hk3.set_failure(Failure.DROP)
    await poll(hass, freezer)
    assert hass.states.get(MINER_COUNT).state == STATE_UNAVAILABLE
    hk3.set_failure(Failure.NONE)
    before = dict(hk3.requests)
    await poll(hass, freezer)
    assert hk3.requests["coolerState"] == before["coolerState"] + 1
    assert hk3.requests["minerInfo"] == before["minerInfo"] + 1
    assert hass.states.get(MINER_COUNT).state == "120"
    # And then at its own pace again.
    await poll(hass, freezer)
    assert hk3.requests["minerInfo"] == before["minerInfo"] + 1


async def test_miner_summary_read_after_command(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A command of an entity or an action is followed by a read of both resources."""
    await setup_container(hass, hk3)
    await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 2, "minerInfo": 1}

    await hass.services.async_call("button", SERVICE_PRESS, {ATTR_ENTITY_ID: RESET}, blocking=True)
    assert hk3.requests == {"coolerState": 3, "minerInfo": 2, "reset": 1}

    await hass.services.async_call(DOMAIN, "reset", {ATTR_ENTITY_ID: RESET}, blocking=True)
    assert hk3.requests == {"coolerState": 4, "minerInfo": 3, "reset": 2}

    await poll(hass, freezer)
    assert hk3.requests == {"coolerState": 5, "minerInfo": 3, "reset": 2}
