"""The notification blueprint sends a message for critical and high alerts only."""

from __future__ import annotations

from pathlib import Path
import shutil

from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component

BLUEPRINT = (
    Path(__file__).parent.parent / "blueprints" / "automation" / "antspace" / "notify_on_alert.yaml"
)


async def test_blueprint_notifies_on_high_and_critical(hass: HomeAssistant) -> None:
    """Raised critical and high alerts send a message; medium and cleared ones do not."""
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
                "use_blueprint": {
                    "path": f"antspace/{BLUEPRINT.name}",
                    "input": {"notify_service": "notify.ops"},
                }
            }
        },
    )
    base = {"device_id": "nope", "entry_id": "e1", "alert": "leakage_fault"}
    for severity, active in (
        ("critical", True),
        ("high", True),
        ("medium", True),
        ("critical", False),
    ):
        hass.bus.async_fire("antspace_alert", {**base, "severity": severity, "active": active})
        await hass.async_block_till_done()

    assert len(calls) == 2
    assert calls[0].data["title"] == "Antspace container: leakage fault"
    assert "Critical alert" in calls[0].data["message"]
    assert "High alert" in calls[1].data["message"]
