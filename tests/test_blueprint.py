"""The blueprint: the integration's triggers, a severity filter, and actions of one's own."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.setup import async_setup_component

from mock.plant import MockContainer

from .conftest import device_id, poll, setup_container

BLUEPRINT = (
    Path(__file__).parent.parent / "blueprints" / "automation" / "antspace" / "notify_on_alert.yaml"
)
NOTIFY = {"action": "notify.ops", "data": {"title": "{{ title }}", "message": "{{ message }}"}}


async def _install(hass: HomeAssistant, **inputs: Any) -> list[ServiceCall]:
    target = Path(hass.config.path("blueprints", "automation", "antspace"))

    def install() -> None:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(BLUEPRINT, target / BLUEPRINT.name)

    await hass.async_add_executor_job(install)
    calls: list[ServiceCall] = []
    hass.services.async_register("notify", "ops", calls.append)
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: {
                "use_blueprint": {"path": f"antspace/{BLUEPRINT.name}", "input": inputs}
            }
        },
    )
    await hass.async_block_till_done()
    return calls


async def _row(hass: HomeAssistant, container: MockContainer) -> str:
    """Set a container up in area "Row 3"."""
    area = ar.async_get(hass).async_get_or_create("Row 3")
    entry = await setup_container(hass, container)
    dr.async_get(hass).async_update_device(device_id(hass, entry), area_id=area.id)
    return area.id


async def test_critical_and_high_by_default(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Raised critical and high alerts run the actions; medium and cleared ones do not."""
    area = await _row(hass, hk3)
    calls = await _install(hass, containers={"area_id": area}, actions=[NOTIFY])
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    hk3.set_fault("power_fault")
    await poll(hass, freezer)
    hk3.set_all_faults(False)
    await poll(hass, freezer)
    assert [(call.data["title"], call.data["message"]) for call in calls] == [
        (
            "Antspace HK3: Leakage",
            "Critical alert on Antspace HK3: Leakage. Open Settings → Repairs for what to check.",
        ),
        (
            "Antspace HK3: Spray pump fault",
            (
                "High alert on Antspace HK3: Spray pump fault. Open Settings → Repairs for what"
                " to check."
            ),
        ),
    ]


async def test_severity_and_cleared(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Critical only, and again when it clears."""
    area = await _row(hass, hk3)
    calls = await _install(
        hass,
        containers={"area_id": area},
        severity="critical",
        include_cleared=True,
        actions=[NOTIFY],
    )
    hk3.set_fault("leakage_fault")
    hk3.set_fault("spray_pump_fault")
    await poll(hass, freezer)
    hk3.set_all_faults(False)
    await poll(hass, freezer)
    assert [call.data["title"] for call in calls] == [
        "Antspace HK3: Leakage",
        "Antspace HK3: Leakage cleared",
    ]
    assert calls[1].data["message"] == "Antspace HK3 no longer reports Leakage."


async def test_actions_are_optional(
    hass: HomeAssistant, hk3: MockContainer, freezer: FrozenDateTimeFactory
) -> None:
    """Without actions the automation loads and runs; the integration notifies by itself."""
    area = await _row(hass, hk3)
    await _install(hass, containers={"area_id": area})
    [state] = hass.states.async_all(automation.DOMAIN)
    assert state.state == "on"
    hk3.set_fault("leakage_fault")
    await poll(hass, freezer)
    assert hass.states.get(state.entity_id).attributes["last_triggered"] is not None
