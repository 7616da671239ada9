"""Diagnostics carry everything useful and nothing private."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from mock.plant import MockContainer
from mock.server import MockServer

from .conftest import setup_container


async def test_diagnostics_redact_private_data(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, container: MockContainer
) -> None:
    """Host, coordinates and miner addresses are redacted; the rest is there."""
    container.set_value("latitude", 52.3731)
    container.set_value("longitude", 4.8922)
    entry = await setup_container(hass, container)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)

    assert "127.0.0.1" not in text
    assert "52.3731" not in text
    assert "4.8922" not in text
    miners = diagnostics["miners"]["miners"]
    assert len(miners) == 120
    assert all(miner["address"] == "**REDACTED**" for miner in miners)
    # The miners the summary names, by position only.
    assert diagnostics["miners"]["not_hashing"] == list(container.idle_miners)
    assert not any(part.startswith("10.") for part in text.replace('"', " ").split())
    assert diagnostics["state"]["kind"] == container.kind.value
    assert diagnostics["entry"]["data"]["host"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["port"] == container.port
    assert diagnostics["state"]["latitude"] == "**REDACTED**"
    assert diagnostics["status"] in {"running", "stopped", "error"}
    assert diagnostics["poll_batch"] == 0  # the first batch of containers


async def test_diagnostics_of_an_unreachable_container(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, mock_server: MockServer
) -> None:
    """With the container away, diagnostics still come, from the last poll, without miners."""
    hk3 = mock_server.containers[0]
    entry = await setup_container(hass, hk3)
    await mock_server.stop_container(hk3)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["miners"]["miners"] == []
    assert diagnostics["miners"]["miner_count"] == 120
    assert diagnostics["state"]["kind"] == "hk3"
    assert "127.0.0.1" not in json.dumps(diagnostics)


async def test_diagnostics_redact_what_they_do_not_know(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hk3: MockContainer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fields a firmware adds are shown by name, their values redacted (an allow-list)."""
    answer = hk3.cooler_state
    added = {
        "ip": "192.0.2.44",
        "mac": "00:11:22:33:44:55",
        "gps": [52.3731, 4.8922],
        "sn": "SN0123456789",
        "k" * 500: "long",
        "gadget_fault": True,
    }
    monkeypatch.setattr(hk3, "cooler_state", lambda: answer() | added)
    entry = await setup_container(hass, hk3, title="Antspace HK3 (192.0.2.44)")
    hass.config_entries.async_update_entry(
        entry, options=entry.options | {"future_option": "secret-value"}
    )
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    for private in ("192.0.2.44", "00:11:22", "52.3731", "SN0123456789", "secret-value"):
        assert private not in text
    extra = diagnostics["state"]["extra"]
    assert extra == {
        "ip": "**REDACTED**",
        "mac": "**REDACTED**",
        "gps": "**REDACTED**",
        "sn": "**REDACTED**",
        "k" * 63 + "…": "**REDACTED**",
    }
    assert diagnostics["state"]["faults"]["gadget_fault"] is True
    assert diagnostics["entry"]["options"]["future_option"] == "**REDACTED**"
    assert diagnostics["entry"]["title"] == "**REDACTED**"
    # What it knows is there.
    assert diagnostics["state"]["supply_liquid_temp"] == hk3.value("supply_liquid_temp")
    assert diagnostics["miners"]["miners"][0]["miner_type"]
