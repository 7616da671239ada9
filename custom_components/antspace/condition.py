"""The integration's conditions: a container has an active alert; its cooling circulates.

Both test one entity of each targeted container (devices, areas, labels or the entities
themselves), and pass if any, or all, of them do (`behavior`), for at least a while if asked
(`for`), as Home Assistant's own entity conditions do:

- *has an active alert*: its *Highest alert severity* sensor is at least the severity asked
  (medium, the default: any alert).
- *cooling circulating*: its *Cooling system* switch is on, the container's own report that
  the cooling circulates. A container that does not answer is not known to circulate: it
  counts as not circulating, also for *all*.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, override

from homeassistant.const import CONF_OPTIONS, STATE_ON, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers.automation import DomainSpec
from homeassistant.helpers.condition import (
    ENTITY_STATE_CONDITION_SCHEMA_ANY_ALL,
    Condition,
    ConditionConfig,
    EntityConditionBase,
    EntityStateConditionBase,
)
import probatio as vol

from .entity import entities_of
from .pyantspace import Severity
from .sensor import SENSORS
from .switch import SWITCHES
from .trigger import CONF_SEVERITY, SEVERITIES

HIGHEST_SEVERITY: Final = next(d for d in SENSORS if d.key == "highest_severity")
COOLING: Final = next(d for d in SWITCHES if d.key == "cooling")

HAS_ALERT_SCHEMA = ENTITY_STATE_CONDITION_SCHEMA_ANY_ALL.extend(
    {
        vol.Required(CONF_OPTIONS, default={}): {
            vol.Required(CONF_SEVERITY, default=str(Severity.MEDIUM)): vol.In(SEVERITIES),
        },
    }
)


class HasAlertCondition(EntityConditionBase):
    """A targeted container has an active alert of at least the severity asked."""

    _domain_specs: Mapping[str, DomainSpec] = {Platform.SENSOR: DomainSpec()}
    _schema = HAS_ALERT_SCHEMA

    def __init__(self, hass: HomeAssistant, config: ConditionConfig) -> None:
        """Read the least severity."""
        super().__init__(hass, config)
        options = config.options or {}
        self._least = Severity[str(options[CONF_SEVERITY]).upper()]

    @override
    def entity_filter(self, entities: set[str]) -> set[str]:
        """The *Highest alert severity* sensors among the targeted entities."""
        return entities_of(self._hass, entities, Platform.SENSOR, HIGHEST_SEVERITY)

    @override
    def is_valid_state(self, entity_state: State) -> bool:
        """Whether the highest active severity is at least the one asked."""
        state = entity_state.state
        return state in SEVERITIES and Severity[state.upper()] >= self._least


class CoolingCirculatingCondition(EntityStateConditionBase):
    """The cooling of a targeted container circulates."""

    _domain_specs: Mapping[str, DomainSpec] = {Platform.SWITCH: DomainSpec()}

    def __init__(self, hass: HomeAssistant, config: ConditionConfig) -> None:
        """On is circulating."""
        super().__init__(hass, config)
        self._states = {STATE_ON}

    @override
    def entity_filter(self, entities: set[str]) -> set[str]:
        """The *Cooling system* switches among the targeted entities."""
        return entities_of(self._hass, entities, Platform.SWITCH, COOLING)

    @override
    def _should_include(self, _state: State) -> bool:
        """Every container counts: one that does not answer is not known to circulate."""
        return True


CONDITIONS: dict[str, type[Condition]] = {
    "has_alert": HasAlertCondition,
    "cooling_circulating": CoolingCirculatingCondition,
}


async def async_get_conditions(hass: HomeAssistant) -> dict[str, type[Condition]]:
    """The conditions of the Antspace integration."""
    return CONDITIONS
