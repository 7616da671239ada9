"""Sensors of an Antspace container: measurements, power and energy, status, miners, alerts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
import math
from operator import attrgetter
from typing import Any, Final

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .coordinator import AlertBoard, AntspaceConfigEntry, AntspaceData
from .entity import (
    AntspaceEntity,
    AntspaceEntityDescription,
    field_kinds,
    for_container,
    state_reader,
)
from .pyantspace import Severity, Status

PARALLEL_UPDATES = 0

SEVERITY_NONE = "none"


@dataclass(frozen=True, kw_only=True)
class AntspaceSensorDescription(SensorEntityDescription, AntspaceEntityDescription):
    """A sensor: how to read its value, and which container kinds have it."""

    value_fn: Callable[[AntspaceData], StateType] | None = None
    attributes_fn: Callable[[AntspaceData], dict[str, Any] | None] | None = None
    alerts_fn: Callable[[AlertBoard], StateType] | None = None
    """For an alarm's sensor: its value from the alert board."""


def _state_field(key: str, **kwargs: Any) -> AntspaceSensorDescription:
    """A sensor for one measurement of `coolerState`, present on the kinds that report it."""
    kwargs.setdefault("state_class", SensorStateClass.MEASUREMENT)
    return AntspaceSensorDescription(
        key=key,
        translation_key=key,
        value_fn=state_reader(key),
        kinds=field_kinds(key),
        **kwargs,
    )


def _temperature(key: str, **kwargs: Any) -> AntspaceSensorDescription:
    return _state_field(
        key,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        **kwargs,
    )


def _humidity(key: str, **kwargs: Any) -> AntspaceSensorDescription:
    return _state_field(
        key,
        device_class=SensorDeviceClass.HUMIDITY,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        **kwargs,
    )


def _power(key: str, **kwargs: Any) -> AntspaceSensorDescription:
    return _state_field(
        key,
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1,
        **kwargs,
    )


def _voltage(key: str) -> AntspaceSensorDescription:
    return _state_field(
        key,
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
    )


def _current(key: str) -> AntspaceSensorDescription:
    return _state_field(
        key,
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
    )


def _plain(key: str, **kwargs: Any) -> AntspaceSensorDescription:
    """A measurement whose unit the device does not state."""
    return _state_field(key, suggested_display_precision=1, **kwargs)


def _miners(field: str, *, key: str | None = None, **kwargs: Any) -> AntspaceSensorDescription:
    """A sensor for one value of the miner summary; its key defaults to the field's name."""
    getter = attrgetter(field)
    kwargs.setdefault("state_class", SensorStateClass.MEASUREMENT)
    return AntspaceSensorDescription(
        key=key or field,
        translation_key=key or field,
        value_fn=lambda data: getter(data.snapshot.miners),
        **kwargs,
    )


def _efficiency(data: AntspaceData) -> float | None:
    """J/TH: the container's power over its miners' hashrate; unknown while they do not hash.

    The hashrate is GH/s on the wire: W / (TH/s) = J/TH. To a tenth (half a percent of what
    miners use): finer, it would change at every poll with the power's noise, and be written.
    """
    watts = data.snapshot.state.total_power
    ghs = data.snapshot.miners.total_hashrate
    if watts is None or ghs is None or ghs <= 0:
        return None
    return round(watts / (ghs / 1000), 1)


def _hottest_miner(data: AntspaceData) -> dict[str, Any] | None:
    """Which miner is the hottest, by its position (its address is private)."""
    position = data.snapshot.miners.hottest
    return None if position is None else {"position": position}


def _highest_severity(board: AlertBoard) -> str:
    if not board.active:
        return SEVERITY_NONE
    return str(max(alert.severity for alert in board.active.values()))


DRY_COOLER_RATED_FREQUENCY: Final = 50.0
"""Hz at which the dry cooler's fans run at full speed (mains frequency of its drive)."""


def _dry_cooler_speed(data: AntspaceData) -> int | None:
    """The dry cooler's fan speed, % of full: its drive's frequency over the rated one."""
    state = data.snapshot.state
    if state.drycooler_freq is None or state.dry_cooler_freq_run is None:
        return None
    if not state.dry_cooler_freq_run:
        return 0
    share = state.drycooler_freq / DRY_COOLER_RATED_FREQUENCY * 100
    return round(min(100.0, max(0.0, share)))


def _status(data: AntspaceData) -> str | None:
    status = data.snapshot.state.status
    return None if status is None else status.value


SENSORS: tuple[AntspaceSensorDescription, ...] = (
    # HK3
    _temperature("supply_liquid_temp"),
    _temperature("return_liquid_temp"),
    _temperature("cooling_tower_inlet_temp"),
    _temperature("antbox_internal_temp"),
    _humidity("antbox_internal_humidity"),
    _plain("supply_liquid_pressure"),
    _plain("return_liquid_pressure"),
    _plain("supply_liquid_flow"),
    _power("distribution_box1_power", entity_registry_enabled_default=False),
    _power("distribution_box2_power", entity_registry_enabled_default=False),
    # Immersion
    _temperature("primary_supply_temp"),
    _temperature("primary_return_temp"),
    _temperature("second_supply_temp1"),
    _temperature("second_return_temp1"),
    _temperature("second_supply_temp2"),
    _temperature("second_return_temp2"),
    _temperature("out_temp"),
    _temperature("container_temp"),
    _temperature("power_distribution_temp"),
    _humidity("container_humidity"),
    _humidity("power_distribution_humidity", entity_registry_enabled_default=False),
    _plain("tank_a_level"),
    _plain("tank_b_level"),
    _plain("tank_c_level"),
    _plain("tank_d_level"),
    _state_field(
        "drycooler_freq",
        device_class=SensorDeviceClass.FREQUENCY,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        suggested_display_precision=1,
    ),
    AntspaceSensorDescription(
        key="dry_cooler_speed",
        translation_key="dry_cooler_speed",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_dry_cooler_speed,
        kinds=field_kinds("drycooler_freq"),
    ),
    _state_field(
        "feedback_fre",
        device_class=SensorDeviceClass.FREQUENCY,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
    ),
    _plain("open1", native_unit_of_measurement=PERCENTAGE),
    _plain("open2", native_unit_of_measurement=PERCENTAGE),
    _voltage("vol_a_distribution"),
    _voltage("vol_b_distribution"),
    _voltage("vol_c_distribution"),
    _current("cur_a_distribution"),
    _current("cur_b_distribution"),
    _current("cur_c_distribution"),
    _power("distribution_box_power", entity_registry_enabled_default=False),
    _power("power_distribution"),
    # Both kinds
    AntspaceSensorDescription(
        key="total_power",
        translation_key="total_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=1,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.snapshot.state.total_power,
    ),
    AntspaceSensorDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in Status],
        value_fn=_status,
    ),
    _state_field(
        "protocol_version",
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=None,
        entity_registry_enabled_default=False,
    ),
    # Miners
    _miners("miner_count"),
    _miners("hashing", key="miners_hashing"),
    _miners("not_hashing_count", key="miners_not_hashing"),
    _miners("not_reporting", key="miners_not_reporting"),
    AntspaceSensorDescription(
        key="total_hashrate",
        translation_key="total_hashrate",
        native_unit_of_measurement="TH/s",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda data: (
            None if (ghs := data.snapshot.miners.total_hashrate) is None else round(ghs / 1000, 3)
        ),
    ),
    _miners(
        "chip_max_temp",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
    ),
    _miners(
        "pcb_max_temp",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
    ),
    _miners(
        "chip_temp_mean",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
    ),
    _miners(
        "hottest_chip_temp",
        key="hottest_miner",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        attributes_fn=_hottest_miner,
    ),
    AntspaceSensorDescription(
        key="efficiency",
        translation_key="efficiency",
        native_unit_of_measurement="J/TH",  # Home Assistant has no unit of energy per hash
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_efficiency,
    ),
    # Alerts
    AntspaceSensorDescription(
        key="active_alerts",
        translation_key="active_alerts",
        state_class=SensorStateClass.MEASUREMENT,
        alarm=True,
        alerts_fn=lambda board: len(board.active),
    ),
    AntspaceSensorDescription(
        key="highest_severity",
        translation_key="highest_severity",
        device_class=SensorDeviceClass.ENUM,
        options=[SEVERITY_NONE, *(str(severity) for severity in Severity)],
        alarm=True,
        alerts_fn=_highest_severity,
    ),
)

MAX_GAP: Final = timedelta(minutes=10)
"""The longest gap of failed polls whose energy the power around it estimates."""

ENERGY = SensorEntityDescription(
    key="energy",
    translation_key="energy",
    device_class=SensorDeviceClass.ENERGY,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    state_class=SensorStateClass.TOTAL_INCREASING,
    suggested_display_precision=1,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AntspaceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors the container's kind has."""
    entities: list[SensorEntity] = [
        AntspaceSensor(entry, description) for description in for_container(entry, SENSORS)
    ]
    entities.append(AntspaceEnergySensor(entry, ENERGY))
    async_add_entities(entities)


class AntspaceSensor(AntspaceEntity, SensorEntity):
    """A sensor of an Antspace container."""

    entity_description: AntspaceSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value from the last good poll, or from the alert board."""
        description = self.entity_description
        if description.alerts_fn is not None:
            return description.alerts_fn(self.coordinator.alerts)
        if description.value_fn is None:
            return None
        return description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Which miner a miner's sensor names, by position."""
        attributes_fn = self.entity_description.attributes_fn
        if attributes_fn is None or self.coordinator.data is None:
            return None
        return attributes_fn(self.coordinator.data)

    def _showing(self) -> tuple[object, ...]:
        """What the sensor shows, by its native value.

        Its state is that value in the unit and precision the user chose; a change of those
        writes the state by itself.
        """
        if not self.available:
            return (False,)
        return (True, self.native_value, self.extra_state_attributes)


class AntspaceEnergySensor(AntspaceEntity, RestoreSensor):
    """Energy used by the container, kWh: total power integrated over time.

    The total is kept across restarts. Between two good polls the power of the first counts.
    A gap of failed polls of up to `MAX_GAP` counts at the mean of the power before and after
    it, as Home Assistant's Integral helper does with a maximum sub-interval; a longer gap
    counts nothing: too little is known of the power then.

    Only a plausible power is a reading (the device layer's `MAX_CONTAINER_POWER`: finite, not
    negative, under 10 MW); a poll without one counts as a failed poll. So the total only
    grows, by finite amounts, whatever a broken or hostile controller sends.
    """

    _attr_native_value: float = 0.0
    _last_sample: tuple[float, float] | None = None  # (UTC timestamp, W)
    _gap = False
    """Whether a poll failed since the last sample."""

    async def async_added_to_hass(self) -> None:
        """Resume from the last stored total."""
        await super().async_added_to_hass()
        if (
            (last := await self.async_get_last_sensor_data()) is not None
            and isinstance(last.native_value, (int, float))
            and math.isfinite(last.native_value)
            and last.native_value >= 0
        ):
            self._attr_native_value = float(last.native_value)
        self._take_sample()

    def _take_sample(self) -> None:
        if not self.coordinator.last_update_success or (
            (power := self.coordinator.data.snapshot.state.total_power) is None
        ):
            self._gap = True  # no reading: no answer, or no plausible power in it
            return
        now = dt_util.utcnow().timestamp()
        if self._last_sample is not None:
            then, last_power = self._last_sample
            seconds = max(0.0, now - then)
            watts = 0.0
            if not self._gap:
                watts = last_power
            elif seconds <= MAX_GAP.total_seconds():
                watts = (last_power + power) / 2
            total = self._attr_native_value + watts / 1000 * seconds / 3600
            if math.isfinite(total):
                self._attr_native_value = total
        self._last_sample = (now, power)
        self._gap = False

    @callback
    def _handle_coordinator_update(self) -> None:
        """Add the energy of the time since the last good poll."""
        self._take_sample()
        super()._handle_coordinator_update()
