"""The supply setpoint set in Home Assistant reaches the container, checked first."""

from __future__ import annotations

import math

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from mock.plant import MockContainer

from .conftest import setup_container

SETPOINT = "number.antspace_hk3_supply_setpoint"


async def test_setpoint(hass: HomeAssistant, hk3: MockContainer) -> None:
    """The setpoint number sets the supply temperature and leaves PID."""
    await setup_container(hass, hk3)
    await hass.services.async_call(
        "number", SERVICE_SET_VALUE, {ATTR_ENTITY_ID: SETPOINT, ATTR_VALUE: 31.5}, blocking=True
    )
    assert hk3.setpoint == 31.5
    assert not hk3.pid_mode
    assert hass.states.get(SETPOINT).state == "31.5"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 5, 99])
async def test_setpoint_refuses_nonsense(
    hass: HomeAssistant, hk3: MockContainer, value: float
) -> None:
    """Out-of-range and non-finite setpoints are refused before anything is sent."""
    await setup_container(hass, hk3)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "number",
            SERVICE_SET_VALUE,
            {ATTR_ENTITY_ID: SETPOINT, ATTR_VALUE: value},
            blocking=True,
        )
    assert hk3.requests["setTemp"] == 0
