"""Repairs that act: the fix flows of the alerts that Home Assistant can do something about.

- A latched fault (a pump, fan, drive or relay the controller holds until reset) offers
  *Reset the cooling system*: confirm, reset, read the container again, and say whether the
  fault is gone.
- `cooling_stopped_while_mining` offers *Start the cooling*: confirm, start, read again.
- `container_unreachable` leads to the container's reconfiguration, where a new address is
  entered.

Every other alert's issue is informational: what to check, and the link to the device.
"""

from __future__ import annotations

from enum import StrEnum

from homeassistant.components.repairs import RepairsFlow
from homeassistant.components.repairs.const import FlowType
from homeassistant.components.repairs.models import RepairsFlowResult
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigEntryState
from homeassistant.core import HomeAssistant
import probatio as vol

from .const import DOMAIN
from .coordinator import AntspaceConfigEntry
from .pyantspace import AntspaceError
from .pyantspace.alerts import (
    ALERTS_BY_KEY,
    CONTAINER_UNREACHABLE,
    COOLING_STOPPED_WHILE_MINING,
    AlertSpec,
)


class Fix(StrEnum):
    """What an alert's repair issue offers to do."""

    RESET = "reset"
    START_COOLING = "start_cooling"
    RECONFIGURE = "reconfigure"


def fix_of(spec: AlertSpec) -> Fix | None:
    """The fix an alert's repair issue offers; None for an informational one."""
    if spec.latched:
        return Fix.RESET
    if spec.key == COOLING_STOPPED_WHILE_MINING:
        return Fix.START_COOLING
    if spec.key == CONTAINER_UNREACHABLE:
        return Fix.RECONFIGURE
    return None


class AlertFixFlow(RepairsFlow):
    """Confirm, then act on the container and read it again; or go on to reconfigure it."""

    def __init__(self, entry_id: str, alert: str) -> None:
        """Fix one alert of one container."""
        self._entry_id = entry_id
        self._alert = alert
        self._fix = fix_of(ALERTS_BY_KEY[alert]) or Fix.RESET

    def _entry(self) -> AntspaceConfigEntry | None:
        entry: AntspaceConfigEntry | None = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.domain != DOMAIN:
            return None
        if self._fix is not Fix.RECONFIGURE and entry.state is not ConfigEntryState.LOADED:
            return None
        return entry

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """The issue's text and the fix it offers."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Ask first; then act."""
        if (entry := self._entry()) is None:
            return self.async_abort(reason="not_loaded")
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            if self._fix is Fix.RECONFIGURE:
                flow = await self.hass.config_entries.flow.async_init(
                    DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
                )
                return self.async_abort(
                    reason="reconfigure", next_flow=(FlowType.CONFIG_FLOW, flow["flow_id"])
                )
            coordinator = entry.runtime_data
            try:
                if self._fix is Fix.RESET:
                    await coordinator.client.reset()
                else:
                    await coordinator.client.start_cooling()
            except AntspaceError as err:
                errors["base"], placeholders["error"] = "cannot_connect", str(err)
            else:
                await coordinator.async_refresh_after_command()
                if not coordinator.last_update_success:
                    errors["base"] = "cannot_connect"
                    placeholders["error"] = str(coordinator.last_exception)
                elif self._alert in coordinator.alerts.active:
                    return self.async_abort(reason="still_active")
                else:
                    return self.async_create_entry(
                        data={}, description_placeholders={"container": entry.title}
                    )
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders=placeholders,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of an alert's repair issue."""
    data = data or {}
    return AlertFixFlow(str(data.get("entry_id")), str(data.get("alert")))
