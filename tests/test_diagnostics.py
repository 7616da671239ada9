"""Diagnostics carry everything useful and nothing private."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from mock.plant import MockContainer

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
