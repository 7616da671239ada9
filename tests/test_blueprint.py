"""The notification blueprint sends a message for critical and high alerts only."""

from __future__ import annotations

from pathlib import Path
import shutil

from homeassistant.components import automation, persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component

from custom_components.antspace.pyantspace.alerts import ALERTS_BY_KEY

BLUEPRINT = (
    Path(__file__).parent.parent / "blueprints" / "automation" / "antspace" / "notify_on_alert.yaml"
)


async def test_blueprint_notifies_on_high_and_critical(hass: HomeAssistant) -> None:
    """Raised critical and high alerts send a message; medium and cleared ones do not."""
    calls = await _install(hass)
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


async def _install(hass: HomeAssistant, **inputs: object) -> list[ServiceCall]:
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
                    "input": {"notify_service": "notify.ops", **inputs},
                }
            }
        },
    )
    return calls


async def test_defaults_cover_the_unreachable_and_cooling_alerts(hass: HomeAssistant) -> None:
    """Both alerts are critical: the default severities send them."""
    calls = await _install(hass)
    for alert in ("container_unreachable", "cooling_stopped_while_mining"):
        hass.bus.async_fire(
            "antspace_alert",
            {
                "device_id": "nope",
                "entry_id": "e1",
                "alert": alert,
                "severity": str(ALERTS_BY_KEY[alert].severity),
                "active": True,
            },
        )
        await hass.async_block_till_done()
    assert [call.data["title"] for call in calls] == [
        "Antspace container: container unreachable",
        "Antspace container: cooling stopped while mining",
    ]


async def test_persistent_notification_posted_and_dismissed(hass: HomeAssistant) -> None:
    """With the option on, a raised alert posts a persistent notification; clearing drops it."""
    assert await async_setup_component(hass, persistent_notification.DOMAIN, {})
    calls = await _install(hass, persistent_notification=True)
    base = {"device_id": "nope", "entry_id": "e1", "alert": "container_unreachable"}
    hass.bus.async_fire("antspace_alert", {**base, "severity": "critical", "active": True})
    await hass.async_block_till_done()
    shown = persistent_notification._async_get_or_create_notifications(hass)
    assert list(shown) == ["antspace_e1_container_unreachable"]
    assert "Critical alert" in shown["antspace_e1_container_unreachable"]["message"]
    assert len(calls) == 1

    hass.bus.async_fire("antspace_alert", {**base, "severity": "critical", "active": False})
    await hass.async_block_till_done()
    assert not persistent_notification._async_get_or_create_notifications(hass)
    # Cleared alerts are not sent unless asked for.
    assert len(calls) == 1
