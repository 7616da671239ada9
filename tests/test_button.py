"""The reset button, and a command the container cannot take."""

from __future__ import annotations

from homeassistant.components.button import SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from mock.plant import Failure, MockContainer

from .conftest import setup_container

RESET = "button.antspace_hk3_reset"


async def test_reset(hass: HomeAssistant, hk3: MockContainer) -> None:
    """The reset button resets the container and clears its latched faults."""
    await setup_container(hass, hk3)
    hk3.set_fault("spray_pump_fault")
    await hass.services.async_call("button", SERVICE_PRESS, {ATTR_ENTITY_ID: RESET}, blocking=True)
    assert hk3.requests["reset"] == 1


async def test_command_to_unreachable_container(hass: HomeAssistant, hk3: MockContainer) -> None:
    """A command that cannot reach the container raises a translated error."""
    await setup_container(hass, hk3)
    hk3.failure = Failure.DROP
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "button", SERVICE_PRESS, {ATTR_ENTITY_ID: RESET}, blocking=True
        )
    assert err.value.translation_key == "command_cannot_connect"
    hk3.failure = Failure.OK_FALSE
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "button", SERVICE_PRESS, {ATTR_ENTITY_ID: RESET}, blocking=True
        )
    assert err.value.translation_key == "command_failed"
