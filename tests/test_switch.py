"""The cooling and PID switches turned in Home Assistant change the container."""

from __future__ import annotations

from homeassistant.components.switch import SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.antspace.const import CONF_ALLOW_COOLING_OFF
from mock.plant import MockContainer

from .conftest import setup_container

COOLING = "switch.antspace_hk3_cooling_system"
PID = "switch.antspace_hk3_pid_control"
SETPOINT = "number.antspace_hk3_supply_setpoint"


async def test_cooling_on_and_off(hass: HomeAssistant, hk3: MockContainer) -> None:
    """With the option on, the cooling switch opens and closes the container."""
    await setup_container(hass, hk3, **{CONF_ALLOW_COOLING_OFF: True})
    assert hass.states.get(COOLING).state == (STATE_ON if hk3.cooling_on else STATE_OFF)
    await hass.services.async_call(
        "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: COOLING}, blocking=True
    )
    assert not hk3.cooling_on
    assert hk3.requests["close"] == 1
    assert hass.states.get(COOLING).state == STATE_OFF
    await hass.services.async_call(
        "switch", SERVICE_TURN_ON, {ATTR_ENTITY_ID: COOLING}, blocking=True
    )
    assert hk3.cooling_on
    assert hass.states.get(COOLING).state == STATE_ON


async def test_cooling_off_refused_by_default(hass: HomeAssistant, hk3: MockContainer) -> None:
    """Switching cooling off is refused, translated, and nothing is sent."""
    await setup_container(hass, hk3)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: COOLING}, blocking=True
        )
    assert err.value.translation_key == "cooling_off_not_allowed"
    assert hk3.requests["close"] == 0
    assert hk3.cooling_on


async def test_pid_on_and_off(hass: HomeAssistant, hk3: MockContainer) -> None:
    """PID on hands the setpoint to the device; off keeps the setpoint it reports."""
    await setup_container(hass, hk3)
    await hass.services.async_call("switch", SERVICE_TURN_ON, {ATTR_ENTITY_ID: PID}, blocking=True)
    assert hk3.pid_mode
    assert hass.states.get(PID).state == STATE_ON
    held = hk3.setpoint
    await hass.services.async_call("switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: PID}, blocking=True)
    assert not hk3.pid_mode
    assert hk3.setpoint == held
    assert hass.states.get(PID).state == STATE_OFF


async def test_pid_off_without_a_setpoint(hass: HomeAssistant, hk3: MockContainer) -> None:
    """Leaving PID needs a setpoint to keep; without one the switch says so."""
    hk3.set_temp("pid")
    hk3.set_temp("abc")  # the device accepts nonsense and then reports no setpoint
    await setup_container(hass, hk3)
    assert hass.states.get(SETPOINT).state == "unknown"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: PID}, blocking=True
        )
    assert err.value.translation_key == "no_setpoint_to_keep"


@pytest.mark.parametrize("allowed", [False, True])
async def test_cooling_says_whether_it_may_be_turned_off(
    hass: HomeAssistant, hk3: MockContainer, allowed: bool
) -> None:
    """The cards ask before turning the cooling off only where the options allow it at all."""
    await setup_container(hass, hk3, **{CONF_ALLOW_COOLING_OFF: allowed})
    assert hass.states.get(COOLING).attributes[CONF_ALLOW_COOLING_OFF] is allowed
