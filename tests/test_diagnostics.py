"""Diagnostics carry everything useful and nothing private."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
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
