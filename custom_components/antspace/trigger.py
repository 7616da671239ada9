"""The integration's triggers: an alert raised, an alert cleared.

Both follow the `antspace_alert` events of the targeted containers (devices, areas, labels,
or any entity of a container, its Alert event entity first), and filter them: by the least
severity, by which alerts (none chosen: every one), and whether alerts raised in maintenance
count (by default they do not: they reach no one). Each change is its own event, also when
one poll brings several: the Alert event entity, whose state is the time of its last event to
the millisecond, would show them as one change.

The target is read when an alert changes, so that a container moved into an area, or given
a label, is covered from then on. The trigger's variables hold the container's `device_id`
and `entry_id`, and the alert's `alert` (its key), `name` (in the server's language),
`severity` and `maintenance`.
"""

from __future__ import annotations

from typing import Any, Final, cast, override

from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids
from homeassistant.helpers.trigger import (
    NotTriggeredInfo,
    Trigger,
    TriggerActionRunner,
    TriggerConfig,
    TriggerNotTriggeredReporter,
)
from homeassistant.helpers.typing import ConfigType
import probatio as vol

from .alerting import alert_name
from .const import EVENT_ALERT
from .pyantspace import Severity
from .pyantspace.alerts import ALERTS_BY_KEY

CONF_SEVERITY: Final = "severity"
CONF_ALERTS: Final = "alerts"
CONF_MAINTENANCE: Final = "maintenance"

SEVERITIES: Final = [str(severity) for severity in reversed(Severity)]
"""The severities, most urgent first, as options name them."""

ALERT_TRIGGER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_TARGET): cv.TARGET_FIELDS,
        vol.Required(CONF_OPTIONS, default={}): {
            vol.Required(CONF_SEVERITY, default=str(Severity.MEDIUM)): vol.In(SEVERITIES),
            vol.Required(CONF_ALERTS, default=list): vol.All(
                cv.ensure_list, [vol.In(list(ALERTS_BY_KEY))]
            ),
            vol.Required(CONF_MAINTENANCE, default=False): cv.boolean,
        },
    }
)


def targeted_devices(hass: HomeAssistant, target: TargetSelection) -> set[str]:
    """The devices a target covers: named, in its areas or labels, or of its entities."""
    selected = async_extract_referenced_entity_ids(
        hass, target, expand_group=False, primary_entities_only=False
    )
    registry = er.async_get(hass)
    devices = set(selected.referenced_devices)
    for entity_id in selected.referenced | selected.indirectly_referenced:
        if (entry := registry.async_get(entity_id)) is not None and entry.device_id:
            devices.add(entry.device_id)
    return devices


class _AlertTrigger(Trigger):
    """An alert of a targeted container raised or cleared, filtered by the options."""

    _active: bool
    _change: str

    @override
    @classmethod
    async def async_validate_config(cls, hass: HomeAssistant, config: ConfigType) -> ConfigType:
        """Check the target and the options."""
        return cast("ConfigType", ALERT_TRIGGER_SCHEMA(config))

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        """Read the target and the options."""
        super().__init__(hass, config)
        options = config.options or {}
        self._target = TargetSelection(config.target or {})
        self._least = Severity[str(options[CONF_SEVERITY]).upper()]
        self._alerts = frozenset(options[CONF_ALERTS])
        self._maintenance = bool(options[CONF_MAINTENANCE])

    def _refusal(self, data: dict[str, Any]) -> str | None:
        """Why an alert's change does not trigger, or None if it does."""
        if (spec := ALERTS_BY_KEY.get(data["alert"])) is None or spec.severity < self._least:
            return "severity_below_minimum"
        if self._alerts and data["alert"] not in self._alerts:
            return "alert_not_selected"
        if data.get("maintenance") and not self._maintenance:
            return "in_maintenance"
        return None

    @override
    async def async_attach_runner(
        self,
        run_action: TriggerActionRunner,
        did_not_trigger: TriggerNotTriggeredReporter | None = None,
    ) -> CALLBACK_TYPE:
        """Follow the alert events."""

        @callback
        def alert_changed(event: Event[dict[str, Any]]) -> None:
            data = event.data
            if data["active"] is not self._active:
                return
            if data["device_id"] not in targeted_devices(self._hass, self._target):
                return
            if (reason := self._refusal(data)) is not None:
                if did_not_trigger is not None:
                    did_not_trigger(NotTriggeredInfo(reason=reason, data=data), event.context)
                return
            name = alert_name(self._hass, data["alert"])
            run_action(
                {
                    "device_id": data["device_id"],
                    "entry_id": data["entry_id"],
                    "alert": data["alert"],
                    "name": name,
                    "severity": data["severity"],
                    "maintenance": bool(data.get("maintenance")),
                },
                f"{name} {self._change}",
                event.context,
            )

        return self._hass.bus.async_listen(EVENT_ALERT, alert_changed)


class AlertRaisedTrigger(_AlertTrigger):
    """An alert of a targeted container was raised."""

    _active = True
    _change = "raised"


class AlertClearedTrigger(_AlertTrigger):
    """An alert of a targeted container was cleared."""

    _active = False
    _change = "cleared"


TRIGGERS: dict[str, type[Trigger]] = {
    "alert_raised": AlertRaisedTrigger,
    "alert_cleared": AlertClearedTrigger,
}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """The triggers of the Antspace integration."""
    return TRIGGERS
