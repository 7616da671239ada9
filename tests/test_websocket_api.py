"""The miners view's websocket command: every miner of a container, for those allowed to ask."""

from __future__ import annotations

from typing import Any

from aiohttp import WSMsgType
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.antspace.const import (
    DEFAULT_CHIP_TEMPERATURE_LIMIT,
    DEFAULT_MINER_INTERVAL,
    DOMAIN,
)
from custom_components.antspace.helpers import plain_text
from mock.plant import Failure, MockContainer

from .conftest import poll, setup_container

COMMAND = "antspace/miners"


async def test_every_miner_of_a_container(
    hass: HomeAssistant,
    hk3: MockContainer,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Each miner in the container's order with its figures, its address for an administrator
    only. One read serves every view for a miner summary interval."""
    entry = await setup_container(hass, hk3)
    hk3.set_miner_chip_temp(5, 91.0)
    admin = await hass_ws_client(hass)
    reads = hk3.requests["minerInfo"]
    for _ in range(2):  # two views at once
        await admin.send_json_auto_id({"type": COMMAND, "entry_id": entry.entry_id})
    first, second = await admin.receive_json(), await admin.receive_json()
    assert first["success"]
    assert second["result"] == first["result"]
    assert hk3.requests["minerInfo"] == reads + 1

    result = first["result"]
    assert (result["interval"], result["miner_count"]) == (DEFAULT_MINER_INTERVAL, 120)
    assert result["chip_temp_limit"] == DEFAULT_CHIP_TEMPERATURE_LIMIT
    wire = hk3.miner_info()["miner_info"]  # a frozen plant: the figures just read
    assert len(result["miners"]) == len(wire) == 120
    for position, (miner, (address, raw)) in enumerate(
        zip(result["miners"], wire.items(), strict=True), start=1
    ):
        assert miner == {
            "position": position,
            "address": plain_text(address),
            "type": plain_text(raw["miner_type"]),
            "firmware": plain_text(raw["miner_version"]),
            "uptime": raw["elapsed"],
            "hashrate_5s": raw["GHS_5s"],
            "hashrate_avg": raw["GHS_avg"],
            "board_temp": raw["pcb_max_temp"],
            "chip_temp": raw["chip_max_temp"],
            "hashing": raw["GHS_5s"] > 0,
        }
    assert [m["position"] for m in result["miners"] if not m["hashing"]] == list(hk3.idle_miners)
    assert result["miners"][4]["chip_temp"] == 91

    # Within the interval a view gets the same read; after it, a read of its own. The polls'
    # summary reads never bring the detail.
    await poll(hass, freezer)
    await admin.send_json_auto_id({"type": COMMAND, "entry_id": entry.entry_id})
    assert (await admin.receive_json())["result"] == result
    assert hk3.requests["minerInfo"] == reads + 1
    await poll(hass, freezer, DEFAULT_MINER_INTERVAL)
    assert hk3.requests["minerInfo"] == reads + 2  # the summary, without the detail
    await admin.send_json_auto_id({"type": COMMAND, "entry_id": entry.entry_id})
    assert (await admin.receive_json())["success"]
    assert hk3.requests["minerInfo"] == reads + 3

    reader = await hass_ws_client(hass, hass_read_only_access_token)
    await reader.send_json_auto_id({"type": COMMAND, "entry_id": entry.entry_id})
    miners = (await reader.receive_json())["result"]["miners"]
    assert len(miners) == 120
    assert {miner["address"] for miner in miners} == {None}


async def test_who_and_what_is_refused(
    hass: HomeAssistant,
    hk3: MockContainer,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An entry that is not an Antspace container's is not found; a container that does not
    answer, or is not loaded, is an error that says so."""
    entry = await setup_container(hass, hk3)
    other = MockConfigEntry(domain="sun", title="Sun")
    other.add_to_hass(hass)
    client = await hass_ws_client(hass)

    async def error(entry_id: str) -> dict[str, Any]:
        await client.send_json_auto_id({"type": COMMAND, "entry_id": entry_id})
        answer = await client.receive_json()
        assert not answer["success"]
        found: dict[str, Any] = answer["error"]
        return found

    for entry_id in ("no-such-entry", other.entry_id):
        found = await error(entry_id)
        assert (found["code"], found["translation_key"]) == ("not_found", "miners_not_found")

    # The polls still answer, the detail read does not; then the polls fail too, and no
    # request is made for the view.
    hk3.set_failure(Failure.HTTP_500)
    reads = hk3.requests["minerInfo"]
    found = await error(entry.entry_id)
    assert (found["code"], found["translation_key"]) == ("unreachable", "miners_unreachable")
    assert found["translation_placeholders"] == {"container": "Antspace HK3"}
    assert hk3.requests["minerInfo"] == reads + 1
    await poll(hass, freezer)
    assert not entry.runtime_data.last_update_success
    assert (await error(entry.entry_id))["code"] == "unreachable"
    assert hk3.requests["minerInfo"] == reads + 1

    assert await hass.config_entries.async_unload(entry.entry_id)
    found = await error(entry.entry_id)
    assert (found["code"], found["translation_key"]) == ("not_loaded", "miners_not_loaded")


# Home Assistant's websocket leaves a heartbeat timer of a connection it refused behind.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_no_command_before_authentication(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Home Assistant's websocket takes no command before a user has authenticated."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert await async_setup_component(hass, "websocket_api", {})
    anonymous = await (await hass_client_no_auth()).ws_connect("/api/websocket", autoclose=False)
    assert (await anonymous.receive_json())["type"] == "auth_required"
    await anonymous.send_json({"id": 1, "type": COMMAND, "entry_id": "any"})
    assert (await anonymous.receive_json())["type"] == "auth_invalid"
    assert (await anonymous.receive()).type is WSMsgType.CLOSE  # Home Assistant hangs up
