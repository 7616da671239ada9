"""The two cases the benchmark compares, for the same containers.

Case A is this integration: one config entry per container, as the config flow creates it.

Case B is what a user gets without it: Home Assistant's generic `rest` integration with two
resources per container (`coolerState` and `minerInfo`), and one `rest` sensor or binary sensor
per entity that case A enables by default, its value computed by a `value_template` (the wire
scalings, the total power, the status rule, the alerts). The list is derived from case A's own
entity descriptions, so that a new entity in the integration fails here until case B has it too.
Read-only fans and switches become binary sensors, the setpoint a sensor, and the energy sensor
the `integration` (Riemann sum) sensor over the total power. Case A's reset button and alert
event entity have no counterpart: they hold no polled value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Any, Final

from homeassistant.config_entries import SOURCE_USER, ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT

from custom_components.antspace.binary_sensor import BINARY_SENSORS
from custom_components.antspace.const import CONF_KIND, CONF_SCAN_INTERVAL, DOMAIN
from custom_components.antspace.entity import MODELS
from custom_components.antspace.number import SUPPLY_SETPOINT
from custom_components.antspace.pyantspace import (
    ALERTS,
    COOLING_STOPPED_WHILE_MINING,
    LOOP_STOPPED_WHILE_MINING,
    MINER_OVERHEATING,
    MINERS_NOT_HASHING,
    SUPPLY_LIQUID_TEMP_LOW,
    UNRECOGNISED_FAULT,
    Kind,
    Severity,
)
from custom_components.antspace.pyantspace.alerts import (
    DEFAULT_CHIP_TEMP_LIMIT,
    DEFAULT_LOW_SUPPLY_TEMP,
    DEFAULT_NOT_HASHING_SHARE,
)
from custom_components.antspace.pyantspace.models import fault_flags, wire_fields
from custom_components.antspace.sensor import ENERGY, SENSORS
from custom_components.antspace.switch import SWITCHES

HOST: Final = "127.0.0.1"
A_ONLY: Final = {"switch": 1}
"""Case A's entities per platform that read nothing from the container, and so have no `rest`
counterpart in case B: the maintenance switch."""
FAULT_FLAG: Final = "leakage_fault"
"""The fault the benchmark raises: both kinds of container report it."""
MINER_KEYS: Final = {
    "miner_count": "miner_num",
    "total_hashrate": "total_hashrate",
    "chip_max_temp": "chip_max_temp",
    "pcb_max_temp": "pcb_max_temp",
    "chip_temp_mean": "chip_temp_mean",
}
"""Case A's miner sensors and the `minerInfo` keys they read."""
_MINERS: Final = "value_json.params.miner_info.values() | list"
_HASHING: Final = f"({_MINERS} | selectattr('GHS_5s', 'gt', 0) | list | count)"
_NOT_HASHING: Final = f"({_MINERS} | selectattr('GHS_5s', 'le', 0) | list | count)"
MINER_TEMPLATES: Final = {
    "miners_hashing": "{{ " + _HASHING + " }}",
    "miners_not_hashing": "{{ " + _NOT_HASHING + " }}",
    "miners_not_reporting": (
        "{{ [value_json.params.miner_num - (value_json.params.miner_info | count), 0] | max }}"
    ),
    "hottest_miner": "{{ " + _MINERS + " | map(attribute='chip_max_temp') | max }}",
    # `rest` reads one resource per sensor: the power comes from the cooling state's sensor.
    "efficiency": (
        "{% set ghs = value_json.params.total_hashrate %}"
        "{{ (states('sensor.c{index}_total_power') | float(0)) / (ghs / 1000)"
        " if ghs > 0 else none }}"
    ),
}
"""Case A's sensors computed from each miner of `minerInfo`; `{index}` is the container's."""
_FAULT_WORDS: Final = "fault|alarm|failure|fre_conv|_too_high|_high|_low"


@dataclass(frozen=True, slots=True)
class Container:
    """One mock container the benchmark polls."""

    index: int
    kind: Kind
    port: int

    @property
    def title(self) -> str:
        """The title the config flow would give it, made unique by its index."""
        return f"{MODELS[self.kind]} {self.index}"


# Case A --------------------------------------------------------------------------------------
def config_entry(container: Container, interval: float) -> ConfigEntry:
    """The config entry the config flow creates for a container, polled every `interval` s."""
    return ConfigEntry(
        data={CONF_HOST: HOST, CONF_PORT: container.port, CONF_KIND: container.kind.value},
        discovery_keys=MappingProxyType({}),
        domain=DOMAIN,
        minor_version=1,
        options={CONF_SCAN_INTERVAL: interval},
        source=SOURCE_USER,
        subentries_data=None,
        title=container.title,
        unique_id=f"{HOST}:{container.port}",
        version=1,
    )


def alert_unique_id(entry_id: str, alert: str = FAULT_FLAG) -> str:
    """Unique id of case A's problem binary sensor of one alert."""
    return f"{entry_id}_alert_{alert}"


# Case B --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RestEntity:
    """One entity of case B: platform, resource, template and what case A says of it."""

    platform: str  # "sensor" or "binary_sensor"
    operation: str  # "coolerState" or "minerInfo"
    key: str  # case A's description key
    template: str
    device_class: str | None = None
    unit: str | None = None
    state_class: str | None = None
    a_platform: str = ""  # the platform case A has it on, if another


def _params(key: str) -> str:
    return f"value_json.params.{key}"


def _any(flags: list[str]) -> str:
    return " or ".join(_params(flag) for flag in flags) or "false"


def _state_value(key: str) -> str:
    """A `coolerState` value, scaled as the device layer scales it."""
    wire = wire_fields()[key]
    expr = _params(wire.key)
    if wire.is_bool:
        return "{{ " + expr + " }}"
    if wire.scale != 1:
        expr = f"({expr} * {wire.scale:g})"
    if wire.integer:
        expr = f"{expr} | int"
    elif wire.ndigits is not None:
        expr = f"{expr} | round({wire.ndigits})"
    return "{{ " + expr + " }}"


def _flags_by_severity(kind: Kind) -> dict[Severity, list[str]]:
    result: dict[Severity, list[str]] = {severity: [] for severity in Severity}
    for spec in ALERTS:
        if kind in spec.kinds and spec.flag is not None:
            result[spec.severity].append(spec.flag)
    return result


def _low_supply(kind: Kind) -> str:
    """The computed low supply temperature alert (HK3 only), as a Jinja condition."""
    if kind is not Kind.HK3:
        return "false"
    return f"{_params('supply_liquid_temp')} < {DEFAULT_LOW_SUPPLY_TEMP:g}"


def _special_sensor(kind: Kind, key: str) -> str:
    """Templates of case A's computed sensors."""
    flags = sorted(fault_flags(kind))
    match key:
        case "total_power" if kind is Kind.HK3:
            return (
                "{{ "
                + _params("distribution_box1_power")
                + " + "
                + _params("distribution_box2_power")
                + " }}"
            )
        case "total_power":
            return "{{ " + _params("distribution_box_power") + " * 100000 }}"
        case "dry_cooler_speed":
            run, freq = _params("dry_cooler_freq_run"), _params("drycooler_freq")
            return (
                "{{ ([100, [0, " + freq + " / 50 * 100] | max] | min | round(0) | int)"
                " if " + run + " else 0 }}"
            )
        case "status":
            running = _cooling_running(kind)
            return (
                "{% if " + _any(flags) + " %}error"
                "{% elif " + running + " %}running{% else %}stopped{% endif %}"
            )
        case "active_alerts":
            listed = ", ".join(_params(flag) for flag in flags)
            return (
                "{{ [" + listed + "] | select | list | count"
                " + (1 if " + _low_supply(kind) + " else 0) }}"
            )
        case "highest_severity":
            by = _flags_by_severity(kind)
            high = _any(by[Severity.HIGH]) + " or " + _low_supply(kind)
            return (
                "{% if " + _any(by[Severity.CRITICAL]) + " %}critical"
                "{% elif " + high + " %}high"
                "{% elif " + _any(by[Severity.MEDIUM]) + " %}medium"
                "{% else %}none{% endif %}"
            )
    raise ValueError(f"case B has no template for case A's sensor {key!r}")


def _alert_template(kind: Kind, alert: str) -> str:
    spec = next(spec for spec in ALERTS if spec.key == alert)
    if spec.flag is not None and spec.optional:
        return "{{ " + _params(spec.flag) + " | default(false) }}"
    if spec.flag is not None:
        return "{{ " + _params(spec.flag) + " }}"
    if alert == SUPPLY_LIQUID_TEMP_LOW:
        return "{{ " + _low_supply(kind) + " }}"
    if alert == UNRECOGNISED_FAULT:
        known = ", ".join(f"'{flag}'" for flag in sorted(fault_flags(kind)))
        return (
            "{{ value_json.params.items() | rejectattr('0', 'in', [" + known + "])"
            " | selectattr('0', 'search', '" + _FAULT_WORDS + "')"
            " | selectattr('1', 'sameas', true) | list | count > 0 }}"
        )
    if alert == COOLING_STOPPED_WHILE_MINING:
        # `rest` reads one resource per sensor: the cooling half of the rule, from coolerState.
        return "{{ not (" + _cooling_running(kind) + ") }}"
    if alert in LOOP_STOPPED_WHILE_MINING:
        # The same half: this loop's pump stopped while the other runs.
        pump = _params(f"second_pump{LOOP_STOPPED_WHILE_MINING.index(alert) + 1}")
        return "{{ (" + _cooling_running(kind) + ") and not " + pump + " }}"
    if alert == MINERS_NOT_HASHING:
        # The miners' half of the rule, from minerInfo: the cooling half is the other resource's.
        share = f"{DEFAULT_NOT_HASHING_SHARE:g}"
        return (
            "{{ "
            + _NOT_HASHING
            + " > 0 and "
            + _NOT_HASHING
            + " * 100 >= "
            + share
            + " * ("
            + _HASHING
            + " + "
            + _NOT_HASHING
            + ") }}"
        )
    if alert == MINER_OVERHEATING:
        limit = f"{DEFAULT_CHIP_TEMP_LIMIT:g}"
        return (
            "{{ " + _MINERS + " | selectattr('chip_max_temp', 'gt', " + limit + ")"
            " | list | count > 0 }}"
        )
    if alert == "container_unreachable":
        # A `rest` sensor goes unavailable when the container does not answer.
        return "{{ value_json is not defined }}"
    raise ValueError(f"case B has no template for case A's alert {alert!r}")


def _cooling_running(kind: Kind) -> str:
    if kind is Kind.HK3:
        return _params("circulating_pump")
    return _any(["second_pump1", "second_pump2"])


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def rest_entities(kind: Kind) -> list[RestEntity]:
    """Case B's entities for one kind of container: case A's enabled-by-default ones."""
    entities: list[RestEntity] = []
    for desc in SENSORS:
        if kind not in desc.kinds or desc.entity_registry_enabled_default is False:
            continue
        operation, template = "coolerState", ""
        if desc.key in MINER_KEYS:
            operation, template = "minerInfo", "{{ " + _params(MINER_KEYS[desc.key]) + " }}"
        elif desc.key in MINER_TEMPLATES:
            operation, template = "minerInfo", MINER_TEMPLATES[desc.key]
        elif desc.key in wire_fields():
            template = _state_value(desc.key)
        else:
            template = _special_sensor(kind, desc.key)
        device_class = _str(desc.device_class)
        entities.append(
            RestEntity(
                platform="sensor",
                operation=operation,
                key=desc.key,
                template=template,
                device_class=None if device_class == "enum" else device_class,
                unit=desc.native_unit_of_measurement,
                state_class=_str(desc.state_class),
            )
        )
    entities.append(
        RestEntity(
            platform="sensor",
            operation="coolerState",
            key=SUPPLY_SETPOINT.key,
            template=_state_value(SUPPLY_SETPOINT.key),
            device_class=_str(SUPPLY_SETPOINT.device_class),
            unit=SUPPLY_SETPOINT.native_unit_of_measurement,
            a_platform="number",
        )
    )
    for bdesc in BINARY_SENSORS:
        if kind not in bdesc.kinds or bdesc.entity_registry_enabled_default is False:
            continue
        operation = "coolerState"
        if bdesc.key.startswith("alert_"):
            alert = bdesc.key.removeprefix("alert_")
            template = _alert_template(kind, alert)
            if alert in (MINERS_NOT_HASHING, MINER_OVERHEATING):
                operation = "minerInfo"
        elif bdesc.key == "dry_cooler":
            template = _state_value("dry_cooler_freq_run")
        else:
            template = _state_value(bdesc.key)
        entities.append(
            RestEntity(
                platform="binary_sensor",
                operation=operation,
                key=bdesc.key,
                template=template,
                device_class=_str(bdesc.device_class),
            )
        )
    for sdesc in SWITCHES:
        if sdesc.key == "cooling":
            running = ["circulating_pump"] if kind is Kind.HK3 else ["second_pump1", "second_pump2"]
            template = "{{ " + _any(running) + " }}"
        else:
            template = _state_value(sdesc.key)
        entities.append(
            RestEntity(
                platform="binary_sensor",
                operation="coolerState",
                key=f"switch_{sdesc.key}",
                template=template,
                a_platform="switch",
            )
        )
    return entities


def energy_unique_id(index: int) -> str:
    """Unique id of case B's energy sensor of a container."""
    return f"bench_{index}_{ENERGY.key}"


def b_unique_id(index: int, key: str) -> str:
    """Unique id of one of case B's rest entities."""
    return f"bench_{index}_{key}"


def b_entity_id(platform: str, index: int, key: str) -> str:
    """The entity id Home Assistant gives a case B entity, from its name."""
    return f"{platform}.c{index}_{key}".lower()


def rest_config(containers: list[Container], interval: float) -> dict[str, Any]:
    """Case B's configuration.yaml, as a dict: `rest:` resources and `sensor:` platforms."""
    resources: list[dict[str, Any]] = []
    integrals: list[dict[str, Any]] = []
    by_kind = {kind: rest_entities(kind) for kind in Kind}
    for container in containers:
        for operation in ("coolerState", "minerInfo"):
            platforms: dict[str, list[dict[str, Any]]] = {"sensor": [], "binary_sensor": []}
            for entity in by_kind[container.kind]:
                if entity.operation != operation:
                    continue
                conf: dict[str, Any] = {
                    "name": f"c{container.index} {entity.key}",
                    "unique_id": b_unique_id(container.index, entity.key),
                    "value_template": entity.template.replace("{index}", str(container.index)),
                }
                if entity.device_class:
                    conf["device_class"] = entity.device_class
                if entity.unit:
                    conf["unit_of_measurement"] = entity.unit
                if entity.state_class:
                    conf["state_class"] = entity.state_class
                platforms[entity.platform].append(conf)
            resources.append(
                {
                    "resource": f"http://{HOST}:{container.port}/cooler?operation={operation}",
                    "scan_interval": timedelta(seconds=interval),
                    "timeout": 10,
                    **{platform: confs for platform, confs in platforms.items() if confs},
                }
            )
        integrals.append(
            {
                "platform": "integration",
                "name": f"c{container.index} {ENERGY.key}",
                "unique_id": energy_unique_id(container.index),
                "source": b_entity_id("sensor", container.index, "total_power"),
                "method": "left",
                "unit_prefix": "k",
                "round": 3,
            }
        )
    return {"rest": resources, "sensor": integrals}


def b_counts(kind: Kind) -> Counter[str]:
    """How many entities case B has per platform, and per case A platform they stand for."""
    counts: Counter[str] = Counter()
    for entity in rest_entities(kind):
        counts[entity.platform] += 1
        counts[f"as_{entity.a_platform or entity.platform}"] += 1
    counts["sensor"] += 1  # the energy integral
    counts["as_sensor"] += 1
    return counts
