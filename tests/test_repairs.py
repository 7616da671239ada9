"""Repairs that act: reset a latched fault, start the cooling, reconfigure the unreachable."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.antspace.const import DOMAIN
from custom_components.antspace.coordinator import alert_issue_id
from custom_components.antspace.pyantspace.alerts import ALERTS
from custom_components.antspace.repairs import Fix, fix_of
from mock.plant import MockContainer
from mock.server import MockServer

from .conftest import poll, setup_container


@pytest.fixture(autouse=True)
async def repairs(hass: HomeAssistant) -> None:
    """Home Assistant's repairs, which run the fix flows."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})


def _issue(hass: HomeAssistant, entry_id: str, alert: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, alert_issue_id(entry_id, alert))


async def _start(hass: HomeAssistant, entry_id: str, alert: str) -> dict[str, Any]:
    manager = hass.data[REPAIRS_DOMAIN]["flow_manager"]
    result: dict[str, Any] = await manager.async_init(
        DOMAIN, context={"issue_id": alert_issue_id(entry_id, alert)}
    )
    return result


async def _submit(hass: HomeAssistant, flow_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await hass.data[REPAIRS_DOMAIN]["flow_manager"].async_configure(
        flow_id, {}
    )
    await hass.async_block_till_done()
    return result


async def _spray_pump_fault_fix(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> tuple[MockConfigEntry, dict[str, Any]]:
    """An HK3 with a spray pump fault raised, and its repair's fix flow started."""
    entry = await setup_container(hass, hk3)
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    return entry, await _start(hass, entry.entry_id, "spray_pump_fault")


def test_which_alerts_offer_which_fix() -> None:
    """Latched equipment faults reset; the cooling starts; the unreachable reconfigures."""
    fixes = {alert.key: fix_of(alert) for alert in ALERTS}
    assert fixes["circulating_pump_fault"] is Fix.RESET
    assert fixes["second_pump1_fault"] is Fix.RESET
    assert fixes["cooling_stopped_while_mining"] is Fix.START_COOLING
    assert fixes["container_unreachable"] is Fix.RECONFIGURE
    # A leak, a temperature, a level: the reset would hide nothing worth hiding.
    for informational in ("leakage_fault", "supply_liquid_temp_high", "lever_low"):
        assert fixes[informational] is None


async def test_reset_clears_a_latched_fault(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Confirm first; then reset, read again, and say the fault is gone."""
    entry = await setup_container(hass, hk3)
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    issue = _issue(hass, entry.entry_id, "spray_pump_fault")
    assert issue is not None
    assert issue.is_fixable

    result = await _start(hass, entry.entry_id, "spray_pump_fault")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert hk3.requests["reset"] == 0  # nothing sent before the confirmation

    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["description_placeholders"] == {"container": entry.title}
    assert hk3.requests["reset"] == 1
    assert _issue(hass, entry.entry_id, "spray_pump_fault") is None
    assert hass.states.get("binary_sensor.antspace_hk3_spray_pump_fault").state == "off"


async def test_reset_says_when_the_fault_stays(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A fault whose cause is still there: the issue stays, and the flow says so."""
    entry = await setup_container(hass, hk3)
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    hk3.reset = lambda: None  # type: ignore[method-assign]  # the cause is still there
    result = await _start(hass, entry.entry_id, "spray_pump_fault")
    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "still_active"
    assert _issue(hass, entry.entry_id, "spray_pump_fault") is not None


async def test_reset_of_a_container_that_does_not_answer(
    hass: HomeAssistant,
    hk3: MockContainer,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The reset cannot be sent: the form says why, and can be sent again."""
    _entry, result = await _spray_pump_fault_fix(hass, hk3, freezer)
    await mock_server.stop_container(hk3)
    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert result["description_placeholders"]["error"]

    await mock_server.start_container(hk3)
    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_reset_reads_again_and_the_container_is_gone(
    hass: HomeAssistant,
    hk3: MockContainer,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The reset is sent, but the reading after it fails: that is said, not "still active"."""
    entry, result = await _spray_pump_fault_fix(hass, hk3, freezer)
    # The reset is taken; the answers after it are not.
    hk3.reset = lambda: hk3.set_failure("http500", count=5)  # type: ignore[method-assign]
    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert hk3.requests["reset"] == 1
    assert _issue(hass, entry.entry_id, "spray_pump_fault") is not None


async def test_start_the_cooling(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Cooling stopped under hashing miners: confirm, start it, read again, fixed."""
    entry = await setup_container(hass, hk3)
    hk3.close_cooling()
    await poll(hass, freezer)
    assert _issue(hass, entry.entry_id, "cooling_stopped_while_mining") is not None
    result = await _start(hass, entry.entry_id, "cooling_stopped_while_mining")
    assert result["step_id"] == "confirm"
    assert not hk3.cooling_on
    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert hk3.cooling_on
    assert _issue(hass, entry.entry_id, "cooling_stopped_while_mining") is None


async def test_start_the_cooling_that_does_not_start(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """The container takes the command but the cooling still does not circulate."""
    entry = await setup_container(hass, hk3)
    hk3.close_cooling()
    await poll(hass, freezer)
    hk3.open_cooling = lambda: None  # type: ignore[method-assign]
    result = await _start(hass, entry.entry_id, "cooling_stopped_while_mining")
    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "still_active"


async def test_unreachable_leads_to_the_reconfiguration(
    hass: HomeAssistant,
    hk3: MockContainer,
    mock_server: MockServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Confirm, and the container's reconfigure step opens, with the issue left as it is."""
    entry = await setup_container(hass, hk3)
    await mock_server.stop_container(hk3)
    for _ in range(4):
        await poll(hass, freezer)
    assert _issue(hass, entry.entry_id, "container_unreachable") is not None
    result = await _start(hass, entry.entry_id, "container_unreachable")
    assert result["step_id"] == "confirm"
    result = await _submit(hass, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure"
    flow_type, flow_id = result["next_flow"]
    assert flow_type == "config_flow"
    flow = hass.config_entries.flow.async_get(flow_id)
    assert flow["context"]["source"] == SOURCE_RECONFIGURE
    assert flow["context"]["entry_id"] == entry.entry_id
    assert flow["step_id"] == "reconfigure"
    assert _issue(hass, entry.entry_id, "container_unreachable") is not None


async def test_informational_issues_and_a_container_not_loaded(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """A leak has nothing to fix from here; a fix of an unloaded container sends nothing."""
    entry = await setup_container(hass, hk3)
    hk3.set_fault("leakage_fault")
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    leak = _issue(hass, entry.entry_id, "leakage_fault")
    assert leak is not None
    assert not leak.is_fixable
    assert leak.translation_placeholders["device"].startswith("[Antspace HK3](/config/devices/")

    assert await hass.config_entries.async_unload(entry.entry_id)
    result = await _start(hass, entry.entry_id, "spray_pump_fault")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_loaded"
    assert hk3.requests["reset"] == 0
