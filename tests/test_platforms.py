"""Every entity of every platform, for both kinds of container, pinned by snapshots."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.antspace import PLATFORMS
from mock.plant import MockContainer

from .conftest import setup_container


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", PLATFORMS)
async def test_platform(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    container: MockContainer,
    platform: Platform,
) -> None:
    """The entities of one platform, their states and attributes."""
    with patch("custom_components.antspace.PLATFORMS", [platform]):
        entry = await setup_container(hass, container)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_device(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
    container: MockContainer,
) -> None:
    """One device per container, named after the entry, with model and protocol version."""
    entry = await setup_container(hass, container)
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert len(devices) == 1
    assert devices[0] == snapshot


async def test_disabled_by_default(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, container: MockContainer
) -> None:
    """Rarely useful entities are created disabled; the everyday ones are enabled."""
    entry = await setup_container(hass, container)
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    disabled = {e.unique_id.removeprefix(f"{entry.entry_id}_") for e in entries if e.disabled_by}
    enabled = {e.unique_id.removeprefix(f"{entry.entry_id}_") for e in entries if not e.disabled_by}
    assert "status" in enabled
    assert "total_power" in enabled
    assert "energy" in enabled
    assert "protocol_version" in disabled or container.kind.value == "hk3"
    assert disabled
    assert len(enabled) > len(disabled)


async def test_fields_a_kind_lacks_are_not_created(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    hk3: MockContainer,
    immersion: MockContainer,
) -> None:
    """An HK3 has no dry cooler; an Immersion container has no cooling tower."""
    hk3_entry = await setup_container(hass, hk3)
    imm_entry = await setup_container(hass, immersion)

    def keys(entry_id: str) -> set[str]:
        return {
            e.unique_id.removeprefix(f"{entry_id}_")
            for e in er.async_entries_for_config_entry(entity_registry, entry_id)
        }

    assert "cooling_tower_fan1" in keys(hk3_entry.entry_id)
    assert "dry_cooler" not in keys(hk3_entry.entry_id)
    assert "dry_cooler" in keys(imm_entry.entry_id)
    assert "cooling_tower_fan1" not in keys(imm_entry.entry_id)
    assert "protocol_version" not in keys(hk3_entry.entry_id)
    assert "alert_supply_liquid_temp_low" in keys(hk3_entry.entry_id)
    assert "alert_supply_liquid_temp_low" not in keys(imm_entry.entry_id)
