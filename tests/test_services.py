"""Actions on many containers at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
import math

from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.setup import async_setup_component
import pytest

from custom_components.antspace.const import CONF_ALLOW_COOLING_OFF, DOMAIN
from custom_components.antspace.pyantspace import Kind
from mock.plant import ContainerSpec
from mock.server import MockServer

from .conftest import device_id, setup_container

TITLES = ("Row A", "Row B", "Row C")


@pytest.fixture
async def farm(socket_enabled: None) -> AsyncIterator[MockServer]:
    """Three containers: two HK3 and one Immersion."""
    async with MockServer(
        [
            ContainerSpec(kind=Kind.HK3, frozen=True, seed=1),
            ContainerSpec(kind=Kind.HK3, frozen=True, seed=2),
            ContainerSpec(kind=Kind.IMMERSION, frozen=True, seed=3),
        ]
    ) as server:
        yield server


async def _setup_farm(hass: HomeAssistant, farm: MockServer, **options: object) -> list[str]:
    """Set the farm up; return the device ids in order."""
    device_ids = []
    for index, (container, title) in enumerate(zip(farm.containers, TITLES, strict=True)):
        entry = await setup_container(
            hass, container, entry_id=f"01JFARM{index:019d}", title=title, **options
        )
        device_ids.append(device_id(hass, entry))
    return device_ids


async def test_set_supply_temperature_on_all(hass: HomeAssistant, farm: MockServer) -> None:
    """One call sets the setpoint of every targeted container."""
    devices = await _setup_farm(hass, farm)
    await hass.services.async_call(
        DOMAIN,
        "set_supply_temperature",
        {ATTR_DEVICE_ID: devices, "temperature": 33},
        blocking=True,
    )
    assert [c.setpoint for c in farm.containers] == [33, 33, 33]
    await hass.services.async_call(
        DOMAIN, "set_supply_temperature", {ATTR_DEVICE_ID: devices[:2], "pid": True}, blocking=True
    )
    assert [c.pid_mode for c in farm.containers] == [True, True, False]


async def test_target_by_entity_and_area(hass: HomeAssistant, farm: MockServer) -> None:
    """An entity or an area of the container is a target too."""
    devices = await _setup_farm(hass, farm)
    await hass.services.async_call(
        DOMAIN,
        "reset",
        {ATTR_ENTITY_ID: "sensor.row_b_status"},
        blocking=True,
    )
    assert [c.requests["reset"] for c in farm.containers] == [0, 1, 0]

    shed = ar.async_get(hass).async_create("Shed")
    dr.async_get(hass).async_update_device(devices[2], area_id=shed.id)
    await hass.services.async_call(DOMAIN, "reset", {"area_id": shed.id}, blocking=True)
    assert [c.requests["reset"] for c in farm.containers] == [0, 1, 1]


async def test_one_unreachable_others_act(hass: HomeAssistant, farm: MockServer) -> None:
    """If one container fails the others still act, and the error names the one that failed."""
    devices = await _setup_farm(hass, farm)
    await farm.stop_container(farm.containers[1])
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "set_supply_temperature",
            {ATTR_DEVICE_ID: devices, "temperature": 30.5},
            blocking=True,
        )
    assert err.value.translation_key == "action_failed"
    assert err.value.translation_placeholders == {
        "action": "set_supply_temperature",
        "failed": "Row B: Could not reach the container to send the command: could not reach "
        "the container for setTemp: connection refused",
        "count": "1",
        "total": "3",
    }
    assert str(err.value).startswith(
        "set_supply_temperature failed on 1 of 3 containers; the others carried it out. Row B: "
    )
    assert farm.containers[0].setpoint == 30.5
    assert farm.containers[2].setpoint == 30.5


@pytest.mark.parametrize(
    "data",
    [
        {"temperature": math.nan},
        {"temperature": math.inf},
        {"temperature": -math.inf},
        {"temperature": 99},
        {"temperature": 3},
        {"temperature": "warm"},
        {"temperature": "nan"},
        {"temperature": True},
        {"temperature": 30, "pid": True},
        {},
    ],
)
async def test_bad_values_refused_before_sending(
    hass: HomeAssistant, farm: MockServer, data: dict[str, object]
) -> None:
    """A bad value is a ServiceValidationError and nothing reaches any container."""
    devices = await _setup_farm(hass, farm)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "set_supply_temperature", {ATTR_DEVICE_ID: devices, **data}, blocking=True
        )
    assert all(c.requests["setTemp"] == 0 for c in farm.containers)


async def test_numeric_string_is_accepted(hass: HomeAssistant, farm: MockServer) -> None:
    """A template that renders to a numeric string works."""
    devices = await _setup_farm(hass, farm)
    await hass.services.async_call(
        DOMAIN,
        "set_supply_temperature",
        {ATTR_DEVICE_ID: devices[:1], "temperature": "34"},
        blocking=True,
    )
    assert farm.containers[0].setpoint == 34


async def test_cooling_off_obeys_each_option(hass: HomeAssistant, farm: MockServer) -> None:
    """Off acts on containers that allow it and names those that refuse."""
    devices = await _setup_farm(hass, farm)
    allowed = hass.config_entries.async_get_entry("01JFARM0000000000000000000")
    assert allowed is not None
    hass.config_entries.async_update_entry(allowed, options={CONF_ALLOW_COOLING_OFF: True})
    await hass.config_entries.async_reload(allowed.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "set_cooling", {ATTR_DEVICE_ID: devices, "on": False}, blocking=True
        )
    # Each refusal says why.
    refused = (
        'Turning the cooling system of {} off is not allowed. Enable "Allow turning the '
        'cooling system off" in its options first'
    )
    assert err.value.translation_placeholders["failed"] == (
        f"Row B: {refused.format('Row B')}; Row C: {refused.format('Row C')}"
    )
    assert [c.cooling_on for c in farm.containers] == [False, True, True]

    # Refused by one container alone: its own error, which says why.
    with pytest.raises(ServiceValidationError) as one:
        await hass.services.async_call(
            DOMAIN, "set_cooling", {ATTR_DEVICE_ID: devices[1:2], "on": False}, blocking=True
        )
    assert one.value.translation_key == "cooling_off_not_allowed"
    assert one.value.translation_placeholders == {"container": "Row B"}
    assert str(one.value) == refused.format("Row B")

    # Refused by every container targeted: no "others" to speak of.
    with pytest.raises(HomeAssistantError) as every:
        await hass.services.async_call(
            DOMAIN, "set_cooling", {ATTR_DEVICE_ID: devices[1:], "on": False}, blocking=True
        )
    assert every.value.translation_key == "action_failed_all"
    assert str(every.value).startswith("set_cooling failed on all 2 containers. Row B: ")
    assert [c.cooling_on for c in farm.containers] == [False, True, True]

    await hass.services.async_call(
        DOMAIN, "set_cooling", {ATTR_DEVICE_ID: devices, "on": True}, blocking=True
    )
    assert [c.cooling_on for c in farm.containers] == [True, True, True]


async def test_no_antspace_target(hass: HomeAssistant, farm: MockServer) -> None:
    """A target with no container is a validation error."""
    await _setup_farm(hass, farm)
    assert await async_setup_component(hass, "input_boolean", {"input_boolean": {"x": {}}})
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "reset", {ATTR_ENTITY_ID: "input_boolean.x"}, blocking=True
        )
    assert err.value.translation_key == "no_containers"


async def test_unloaded_container_target(hass: HomeAssistant, farm: MockServer) -> None:
    """A targeted container that is not loaded is named."""
    devices = await _setup_farm(hass, farm)
    await hass.config_entries.async_unload("01JFARM0000000000000000001")
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "reset", {ATTR_DEVICE_ID: devices}, blocking=True)
    assert err.value.translation_placeholders == {"containers": "Row B"}
    assert all(c.requests["reset"] == 0 for c in farm.containers)


async def test_reasons_in_the_server_language(hass: HomeAssistant, farm: MockServer) -> None:
    """The reasons of a failure on several containers are in Home Assistant's language."""
    hass.config.language = "de"
    devices = await _setup_farm(hass, farm)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "set_cooling", {ATTR_DEVICE_ID: devices[:2], "on": False}, blocking=True
        )
    assert err.value.translation_placeholders["failed"].startswith(
        "Row A: Das Abschalten des Kühlsystems von Row A ist nicht erlaubt"
    )


async def test_one_container_unreachable_is_its_own_error(
    hass: HomeAssistant, farm: MockServer
) -> None:
    """An action on one container that fails raises that container's error, as its entity does."""
    devices = await _setup_farm(hass, farm)
    await farm.stop_container(farm.containers[0])
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "reset", {ATTR_DEVICE_ID: devices[:1]}, blocking=True
        )
    assert err.value.translation_key == "command_cannot_connect"
    assert str(err.value).endswith("could not reach the container for reset: connection refused")
