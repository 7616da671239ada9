"""The alert table: every fault an Antspace container can report, with its severity.

One row per alert. A row names the device flag that raises it, or none for an alert computed
from a measurement. Rows follow the reference worker's grouping and severities, with one row
per flag so that an operator sees which fan or pump failed, and close the reference's gaps:
the Immersion container's `leakage_fault`, `supply_liquid_temp_high`,
`supply_liquid_temp_too_high` and `pump_alarm` are alerts here, the running state
`primary_circulating_pump` is not, and a fault flag that no row knows raises
`unrecognised_fault` instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from .kinds import BOTH, HK3, IMMERSION, Kind


class Severity(IntEnum):
    """How soon an alert needs an operator; higher is more urgent."""

    MEDIUM = 1  # watch
    HIGH = 2  # act soon
    CRITICAL = 3  # act now

    def __str__(self) -> str:
        """Name the severity in lower case, as events and repair issues carry it."""
        return self.name.lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertSpec:
    """One row of the alert table."""

    key: str
    """Stable identifier: entity keys, repair issue ids and events use it."""
    kinds: frozenset[Kind]
    severity: Severity
    flag: str | None = None
    """The device's fault flag; None for a computed alert."""
    reference: str
    """The reference worker's alert name, for those who know it."""
    optional: bool = False
    """The flag is sent by some controllers only: an answer without it does not raise it.

    Every other flag is sent by every controller of its kinds, and an answer that lacks it
    says nothing about it."""
    latched: bool = False
    """A fault of equipment (a pump, a fan, a drive, a relay) that the controller holds until
    its cooling system is reset, once the cause is dealt with: `reset` clears it. Faults of a
    measurement (a temperature, a pressure, a level) and computed alerts end by themselves."""


def _row(
    key: str,
    kinds: frozenset[Kind],
    severity: Severity,
    *,
    flag: str | None = "",
    reference: str | None = None,
    optional: bool = False,
    latched: bool = False,
) -> AlertSpec:
    return AlertSpec(
        key=key,
        kinds=kinds,
        severity=severity,
        flag=key if flag == "" else flag,
        reference=reference or key,
        optional=optional,
        latched=latched,
    )


CRITICAL: Final = Severity.CRITICAL
HIGH: Final = Severity.HIGH
MEDIUM: Final = Severity.MEDIUM

CONTAINER_UNREACHABLE: Final = "container_unreachable"
COOLING_STOPPED_WHILE_MINING: Final = "cooling_stopped_while_mining"
LOOP_STOPPED_WHILE_MINING: Final = ("loop1_stopped_while_mining", "loop2_stopped_while_mining")
"""An Immersion's secondary loops 1 and 2, each stopped while the other runs."""
MINERS_NOT_HASHING: Final = "miners_not_hashing"
MINER_OVERHEATING: Final = "miner_overheating"
SUPPLY_LIQUID_TEMP_LOW: Final = "supply_liquid_temp_low"
UNRECOGNISED_FAULT: Final = "unrecognised_fault"
"""The alerts that the code, not a fault flag, decides on: named once for all."""

ALERTS: Final[tuple[AlertSpec, ...]] = (
    # HK3
    _row("power_fault", HK3, MEDIUM, latched=True),
    _row("liquid_level_low", HK3, MEDIUM),
    _row("circulating_pump_fault", HK3, CRITICAL, latched=True),
    _row("fan1_fault", HK3, HIGH, reference="fan_fault", latched=True),
    _row("fan2_fault", HK3, HIGH, reference="fan_fault", latched=True),
    _row("fluid_infusion_pump_fault", HK3, HIGH, latched=True),
    _row("spray_pump_fault", HK3, HIGH, latched=True),
    _row("cooling_tower_fan1_fault", HK3, HIGH, reference="cooling_tower_fan_fault", latched=True),
    _row("cooling_tower_fan2_fault", HK3, HIGH, reference="cooling_tower_fan_fault", latched=True),
    _row("cooling_tower_fan3_fault", HK3, HIGH, reference="cooling_tower_fan_fault", latched=True),
    _row("leakage_fault", BOTH, CRITICAL),
    _row("supply_liquid_temp_high", BOTH, HIGH),
    _row("supply_liquid_temp_too_high", BOTH, CRITICAL),
    _row("supply_liquid_pressure_high", HK3, CRITICAL),
    _row("return_liquid_pressure_low", HK3, CRITICAL),
    _row("supply_liquid_flow_low", HK3, CRITICAL),
    _row("freezing_alarm", HK3, MEDIUM),
    _row("cooling_tower_liquid_level_low", HK3, HIGH),
    _row(SUPPLY_LIQUID_TEMP_LOW, HK3, HIGH, flag=None),
    # Immersion
    _row("dry_cooler_power_fre_fault", IMMERSION, HIGH, latched=True),
    _row("dry_cooler_fre_conv", IMMERSION, HIGH, latched=True),
    _row("second_pump1_fault", IMMERSION, CRITICAL, reference="secondary_pump_fault", latched=True),
    _row("second_pump2_fault", IMMERSION, CRITICAL, reference="secondary_pump_fault", latched=True),
    _row("pump_alarm", IMMERSION, HIGH, latched=True),
    _row("fan_fault", IMMERSION, HIGH, latched=True),
    _row("phase_failure", IMMERSION, HIGH, flag="phasefailure"),
    _row("supply_liquid_temp_fault", IMMERSION, CRITICAL),
    _row("return_liquid_temp_fault", IMMERSION, CRITICAL),
    _row("power_distribution_fault", IMMERSION, HIGH, flag="power_distribution_Fault"),
    _row("lever_sensor_fault", IMMERSION, CRITICAL),
    _row("smoke_sensor_fault", IMMERSION, HIGH),
    _row("return_liquid_temp_high", IMMERSION, HIGH),
    _row("return_liquid_temp_too_high", IMMERSION, CRITICAL),
    _row("power_distribution_temp_high", IMMERSION, HIGH),
    _row("lever_high", IMMERSION, HIGH),
    _row("lever_low", IMMERSION, CRITICAL),
    # Any kind: flags that field tools for real controllers ("AntBox") know, and that the
    # reference's controllers do not send.
    _row("power_relay_fault", BOTH, CRITICAL, optional=True, latched=True),
    _row("liquid_level_high", BOTH, HIGH, optional=True),
    # Any kind: the controller has lost its PLC; readings are stale, commands do nothing.
    _row("controller_disconnected", BOTH, CRITICAL, flag="disconnect"),
    # Any kind: a fault flag that no row above knows.
    _row(UNRECOGNISED_FAULT, BOTH, HIGH, flag=None),
    # Any kind, computed: the cooling does not circulate while the miners hash.
    _row(COOLING_STOPPED_WHILE_MINING, BOTH, CRITICAL, flag=None),
    # Immersion, computed: one secondary loop stopped while the other runs and miners hash.
    _row(LOOP_STOPPED_WHILE_MINING[0], IMMERSION, CRITICAL, flag=None),
    _row(LOOP_STOPPED_WHILE_MINING[1], IMMERSION, CRITICAL, flag=None),
    # Any kind, computed from the miner summary: a share of the miners that report do not hash
    # while the cooling circulates; a miner's chip runs above the limit.
    _row(MINERS_NOT_HASHING, BOTH, HIGH, flag=None),
    _row(MINER_OVERHEATING, BOTH, HIGH, flag=None),
    # Any kind: the container has not answered the last polls (its caller decides when).
    _row(CONTAINER_UNREACHABLE, BOTH, CRITICAL, flag=None),
)

ALERTS_BY_KEY: Final[Mapping[str, AlertSpec]] = {spec.key: spec for spec in ALERTS}

DEFAULT_LOW_SUPPLY_TEMP: Final = 20.0
"""°C; below this supply temperature `supply_liquid_temp_low` is raised (HK3)."""
DEFAULT_NOT_HASHING_SHARE: Final = 10.0
"""%; from this share of the miners that report a hashrate not hashing, while the cooling
circulates, `miners_not_hashing` is raised."""
DEFAULT_CHIP_TEMP_LIMIT: Final = 95.0
"""°C; a miner whose chip runs above this raises `miner_overheating`."""


def alerts_for(kind: Kind) -> tuple[AlertSpec, ...]:
    """The rows of the table that a kind of container can raise."""
    return tuple(spec for spec in ALERTS if kind in spec.kinds)
