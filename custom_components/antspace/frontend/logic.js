// What the Antspace cards show, worked out from Home Assistant's state alone: no DOM here,
// so that Node's test runner checks it (tests/frontend/logic.test.mjs).

export const DOMAIN = "antspace";
export const UNAVAILABLE = new Set(["unavailable", "unknown"]);
export const SEVERITIES = ["critical", "high", "medium"];

/** The entity of each reading a card shows, per container kind: `<domain>.<translation key>`. */
export const READINGS = {
  hk3: {
    supply: "sensor.supply_liquid_temp",
    return: "sensor.return_liquid_temp",
  },
  immersion: {
    supply: "sensor.primary_supply_temp",
    return: "sensor.primary_return_temp",
  },
};
export const COMMON = {
  status: "sensor.status",
  severity: "sensor.highest_severity",
  setpoint: "number.supply_liquid_set_temp",
  power: "sensor.total_power",
  hashrate: "sensor.total_hashrate",
  cooling: "switch.cooling",
  unreachable: "binary_sensor.alert_container_unreachable",
};

/**
 * The parts of each kind's schematic: what shows them running (an entity that is on, or a
 * reading) and which alerts are faults of that part.
 */
export const PARTS = {
  hk3: {
    miners: {
      alerts: [
        "alert_controller_disconnected",
        "alert_power_relay_fault",
        "alert_leakage_fault",
        "alert_fan1_fault",
        "alert_fan2_fault",
      ],
    },
    supply_pipe: {
      alerts: [
        "alert_supply_liquid_temp_high",
        "alert_supply_liquid_temp_too_high",
        "alert_supply_liquid_temp_low",
        "alert_supply_liquid_pressure_high",
        "alert_supply_liquid_flow_low",
      ],
    },
    return_pipe: { alerts: ["alert_return_liquid_pressure_low"] },
    circulating_pump: {
      running: "binary_sensor.circulating_pump",
      alerts: ["alert_circulating_pump_fault"],
    },
    cooling_tower: {
      alerts: ["alert_cooling_tower_liquid_level_low", "alert_freezing_alarm"],
    },
    tower_fan1: { running: "fan.cooling_tower_fan1", alerts: ["alert_cooling_tower_fan1_fault"] },
    tower_fan2: { running: "fan.cooling_tower_fan2", alerts: ["alert_cooling_tower_fan2_fault"] },
    tower_fan3: { running: "fan.cooling_tower_fan3", alerts: ["alert_cooling_tower_fan3_fault"] },
    spray_pump: { running: "binary_sensor.spray_pump", alerts: ["alert_spray_pump_fault"] },
    fluid_infusion: {
      running: "binary_sensor.fluid_infusion_pump",
      alerts: ["alert_fluid_infusion_pump_fault", "alert_liquid_level_low", "alert_liquid_level_high"],
    },
  },
  immersion: {
    dry_cooler: {
      running: "fan.dry_cooler",
      alerts: ["alert_dry_cooler_power_fre_fault", "alert_dry_cooler_fre_conv", "alert_fan_fault"],
    },
    primary_pump: {
      running: "binary_sensor.primary_circulating_pump",
      alerts: ["alert_pump_alarm"],
    },
    secondary_pump1: {
      running: "binary_sensor.second_pump1",
      alerts: ["alert_second_pump1_fault", "alert_loop1_stopped_while_mining"],
    },
    secondary_pump2: {
      running: "binary_sensor.second_pump2",
      alerts: ["alert_second_pump2_fault", "alert_loop2_stopped_while_mining"],
    },
    valve1: { running: "binary_sensor.valve1_open", alerts: [] },
    valve2: { running: "binary_sensor.valve2_open", alerts: [] },
    // The tanks hold the miners: the container's own faults show there.
    tanks: {
      alerts: [
        "alert_controller_disconnected",
        "alert_power_relay_fault",
        "alert_leakage_fault",
        "alert_lever_high",
        "alert_lever_low",
        "alert_liquid_level_high",
      ],
    },
    primary_supply_pipe: {
      alerts: ["alert_supply_liquid_temp_high", "alert_supply_liquid_temp_too_high"],
    },
    primary_return_pipe: {
      alerts: ["alert_return_liquid_temp_high", "alert_return_liquid_temp_too_high"],
    },
  },
};

/** Colour of each severity (Home Assistant theme variables, with their defaults). */
export const SEVERITY_COLORS = {
  critical: "var(--error-color, #db4437)",
  high: "var(--deep-orange-color, #ff6f22)",
  medium: "var(--warning-color, #ffa600)",
  none: "var(--success-color, #43a047)",
  unreachable: "var(--disabled-color, #bdbdbd)",
};

export function severityColor(severity) {
  return SEVERITY_COLORS[severity] ?? SEVERITY_COLORS.none;
}

/** The worst of some severities ("none" when there is none). */
export function worstSeverity(severities) {
  for (const severity of SEVERITIES) if (severities.includes(severity)) return severity;
  return "none";
}

/**
 * Every Antspace container Home Assistant knows: one per device that has entities of the
 * integration, with its entities by `<domain>.<translation key>` and its kind, by name.
 */
export function findContainers(hass) {
  const byDevice = new Map();
  for (const [entityId, entry] of Object.entries(hass.entities ?? {})) {
    if (entry.platform !== DOMAIN || !entry.device_id || !entry.translation_key) continue;
    let container = byDevice.get(entry.device_id);
    if (!container) {
      const device = hass.devices?.[entry.device_id];
      container = {
        deviceId: entry.device_id,
        name: device?.name_by_user || device?.name || entry.device_id,
        entities: {},
      };
      byDevice.set(entry.device_id, container);
    }
    const domain = entityId.split(".", 1)[0];
    container.entities[`${domain}.${entry.translation_key}`] = entityId;
  }
  const containers = [...byDevice.values()];
  for (const container of containers) container.kind = kindOf(container);
  return containers.sort((a, b) => a.name.localeCompare(b.name));
}

export function kindOf(container) {
  for (const [kind, readings] of Object.entries(READINGS)) {
    if (readings.supply in container.entities) return kind;
  }
  return null;
}

/** The state object of one of a container's entities, by `<domain>.<translation key>`. */
export function stateOf(hass, container, key) {
  const entityId = container.entities[key];
  return entityId ? hass.states?.[entityId] : undefined;
}

export function isOn(stateObj) {
  return stateObj?.state === "on";
}

export function isAvailable(stateObj) {
  return stateObj !== undefined && !UNAVAILABLE.has(stateObj.state);
}

/** The keys (translation keys) of a container's active alerts, in the order of the registry. */
export function activeAlerts(hass, container) {
  return Object.keys(container.entities)
    .filter((key) => key.startsWith("binary_sensor.alert_"))
    .filter((key) => isOn(stateOf(hass, container, key)))
    .map((key) => key.slice("binary_sensor.".length));
}

/** Whether a container does not answer, and since when (a Date, or null). */
export function reachability(hass, container) {
  const status = stateOf(hass, container, COMMON.status);
  const alert = stateOf(hass, container, COMMON.unreachable);
  if (isOn(alert)) return { unreachable: true, since: new Date(alert.last_changed) };
  if (status === undefined || status.state === "unavailable") {
    return { unreachable: true, since: status ? new Date(status.last_changed) : null };
  }
  return { unreachable: false, since: null };
}

/** What the site card shows of one container. */
export function summarize(hass, container) {
  const readings = READINGS[container.kind] ?? {};
  const { unreachable, since } = reachability(hass, container);
  const alerts = activeAlerts(hass, container).filter((key) => key !== "alert_container_unreachable");
  const reported = stateOf(hass, container, COMMON.severity)?.state;
  const severity = SEVERITIES.includes(reported) ? reported : "none";
  const status = stateOf(hass, container, COMMON.status);
  return {
    container,
    unreachable,
    since,
    severity,
    alerts,
    status,
    supply: stateOf(hass, container, readings.supply),
    return: stateOf(hass, container, readings.return),
    setpoint: stateOf(hass, container, COMMON.setpoint),
    power: stateOf(hass, container, COMMON.power),
    hashrate: stateOf(hass, container, COMMON.hashrate),
  };
}

/** How bad a summary is, 0 the worst: unreachable, then by alert severity, then by status. */
export function rank(summary) {
  if (summary.unreachable) return 0;
  const bySeverity = SEVERITIES.indexOf(summary.severity);
  if (bySeverity >= 0) return 1 + bySeverity;
  const status = summary.status?.state;
  if (status === "error") return 4;
  if (status === "stopped") return 5;
  return 6;
}

/** Summaries worst first; equally bad ones by name. */
export function worstFirst(summaries) {
  return [...summaries].sort(
    (a, b) => rank(a) - rank(b) || a.container.name.localeCompare(b.container.name),
  );
}

/** A number in the user's locale with at most `digits` decimals. */
export function formatNumber(value, locale, digits = 1) {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
}

/** An entity's state as text: Home Assistant's own formatting where it has it. */
export function formatState(hass, stateObj, locale) {
  if (!isAvailable(stateObj)) return "—";
  if (typeof hass.formatEntityState === "function") return hass.formatEntityState(stateObj);
  const number = Number(stateObj.state);
  const unit = stateObj.attributes?.unit_of_measurement;
  if (stateObj.state === "" || Number.isNaN(number)) return stateObj.state;
  const text = formatNumber(number, locale);
  if (!unit) return text;
  return unit === "%" ? `${text}${unit}` : `${text} ${unit}`;
}

const UNITS = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

/** "14:03" (or the date too when not today) and "5 minutes ago", in the user's locale. */
export function formatSince(since, now, locale) {
  if (!(since instanceof Date) || Number.isNaN(since.getTime())) return null;
  const seconds = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  const sameDay = since.toDateString() === now.toDateString();
  const at = new Intl.DateTimeFormat(locale, {
    ...(sameDay ? {} : { day: "numeric", month: "short" }),
    hour: "numeric",
    minute: "2-digit",
  }).format(since);
  const [unit, size] = UNITS.find(([, length]) => seconds >= length) ?? UNITS[UNITS.length - 1];
  const ago = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(
    -Math.floor(seconds / size),
    unit,
  );
  return { at, ago };
}

/** The active alerts of a part of the schematic. */
export function partFaults(part, alerts) {
  return (part.alerts ?? []).filter((key) => alerts.includes(key));
}

/** Whether a part of the schematic runs: its entity is on. */
export function partRunning(hass, container, part) {
  return part.running ? isOn(stateOf(hass, container, part.running)) : false;
}

/** Text of a translation key, or the key itself when there is no translation (yet). */
export function translate(localize, key, placeholders) {
  const args = Object.entries(placeholders ?? {}).flat();
  const text = localize ? localize(key, ...args) : "";
  return text || key;
}

// The cards' own words: options of a "card" selector, a translation category that Home
// Assistant's frontend loads for any integration and that hassfest accepts.
export const cardKey = (key) => `component.${DOMAIN}.selector.card.options.${key}`;
export const entityNameKey = (platform, key) =>
  `component.${DOMAIN}.entity.${platform}.${key}.name`;
