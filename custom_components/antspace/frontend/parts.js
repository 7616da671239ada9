// What the Antspace cards know of the integration's entities and alerts: the readings each kind
// shows, the parts of each kind's picture with their entities and alerts, and each alert's
// severity (tests/test_cards.py ties these tables to the integration's).

export const DOMAIN = "antspace";
export const UNAVAILABLE = new Set(["unavailable", "unknown"]);
export const SEVERITIES = ["critical", "high", "medium"];

/** The model Home Assistant gives each kind's device (const.MODELS of the integration). */
export const MODELS = { "Antspace HK3": "hk3", "Antspace Immersion": "immersion" };

/**
 * The readings the site card shows, per container kind: `<domain>.<translation key>`, or a
 * list when the kind has one per loop. The Immersion's setpoint governs its secondary loops:
 * its supply and return are theirs, not the primary loop's.
 */
export const READINGS = {
  hk3: {
    supply: ["sensor.supply_liquid_temp"],
    return: ["sensor.return_liquid_temp"],
  },
  immersion: {
    supply: ["sensor.second_supply_temp1", "sensor.second_supply_temp2"],
    return: ["sensor.second_return_temp1", "sensor.second_return_temp2"],
  },
};
/** An entity each kind has and the other has not: its kind when the device has no model. */
export const KIND_MARKERS = { hk3: "sensor.supply_liquid_temp", immersion: "sensor.primary_supply_temp" };

export const COMMON = {
  status: "sensor.status",
  severity: "sensor.highest_severity",
  activeAlerts: "sensor.active_alerts",
  setpoint: "number.supply_liquid_set_temp",
  power: "sensor.total_power",
  hashrate: "sensor.total_hashrate",
  cooling: "switch.cooling",
  pid: "switch.pid_mode",
  reset: "button.reset",
  maintenance: "switch.maintenance",
  miners: "sensor.miner_count",
  minersHashing: "sensor.miners_hashing",
  unreachable: "binary_sensor.alert_container_unreachable",
};

/**
 * The parts of each kind's schematic: what shows them running (`running`: the key of a
 * running sensor, see runningEntity), the reading they show (`reading`: an entity, or a list
 * of which the first the container has counts) and which alerts are faults of that part (or,
 * `faultsOf`, the part whose faults it shares).
 */
export const PARTS = {
  hk3: {
    miners: {
      reading: "sensor.total_hashrate",
      alerts: [
        "alert_controller_disconnected",
        "alert_power_relay_fault",
        "alert_leakage_fault",
        "alert_fan1_fault",
        "alert_fan2_fault",
        "alert_miners_not_hashing",
        "alert_miner_overheating",
      ],
    },
    supply_temp: {
      reading: "sensor.supply_liquid_temp",
      alerts: [
        "alert_supply_liquid_temp_high",
        "alert_supply_liquid_temp_too_high",
        "alert_supply_liquid_temp_low",
      ],
    },
    supply_pressure: {
      reading: "sensor.supply_liquid_pressure",
      alerts: ["alert_supply_liquid_pressure_high"],
    },
    supply_flow: { reading: "sensor.supply_liquid_flow", alerts: ["alert_supply_liquid_flow_low"] },
    return_temp: { reading: "sensor.return_liquid_temp", alerts: [] },
    return_pressure: {
      reading: "sensor.return_liquid_pressure",
      alerts: ["alert_return_liquid_pressure_low"],
    },
    circulating_pump: { running: "circulating_pump", alerts: ["alert_circulating_pump_fault"] },
    cooling_tower: {
      alerts: ["alert_cooling_tower_liquid_level_low", "alert_freezing_alarm"],
    },
    tower_fan1: { running: "cooling_tower_fan1", alerts: ["alert_cooling_tower_fan1_fault"] },
    tower_fan2: { running: "cooling_tower_fan2", alerts: ["alert_cooling_tower_fan2_fault"] },
    tower_fan3: { running: "cooling_tower_fan3", alerts: ["alert_cooling_tower_fan3_fault"] },
    spray_pump: { running: "spray_pump", alerts: ["alert_spray_pump_fault"] },
    fluid_infusion: {
      running: "fluid_infusion_pump",
      alerts: ["alert_fluid_infusion_pump_fault", "alert_liquid_level_low", "alert_liquid_level_high"],
    },
  },
  immersion: {
    dry_cooler: {
      running: "dry_cooler",
      reading: ["sensor.dry_cooler_speed", "sensor.drycooler_freq"],
      alerts: ["alert_dry_cooler_power_fre_fault", "alert_dry_cooler_fre_conv", "alert_fan_fault"],
    },
    primary_pump: { running: "primary_circulating_pump", alerts: ["alert_pump_alarm"] },
    primary_supply: {
      reading: "sensor.primary_supply_temp",
      alerts: ["alert_supply_liquid_temp_high", "alert_supply_liquid_temp_too_high"],
    },
    primary_return: {
      reading: "sensor.primary_return_temp",
      alerts: ["alert_return_liquid_temp_high", "alert_return_liquid_temp_too_high"],
    },
    secondary_pump1: {
      running: "second_pump1",
      alerts: ["alert_second_pump1_fault", "alert_loop1_stopped_while_mining"],
    },
    secondary_pump2: {
      running: "second_pump2",
      alerts: ["alert_second_pump2_fault", "alert_loop2_stopped_while_mining"],
    },
    secondary_supply1: { reading: "sensor.second_supply_temp1", alerts: [] },
    secondary_return1: { reading: "sensor.second_return_temp1", alerts: [] },
    secondary_supply2: { reading: "sensor.second_supply_temp2", alerts: [] },
    secondary_return2: { reading: "sensor.second_return_temp2", alerts: [] },
    valve1: { running: "valve1_open", reading: "sensor.open1", alerts: [] },
    valve2: { running: "valve2_open", reading: "sensor.open2", alerts: [] },
    // The tanks hold the miners: the container's own faults show there.
    tanks: {
      alerts: [
        "alert_controller_disconnected",
        "alert_power_relay_fault",
        "alert_leakage_fault",
        "alert_lever_high",
        "alert_lever_low",
        "alert_liquid_level_high",
        "alert_miners_not_hashing",
        "alert_miner_overheating",
      ],
    },
    tank_a: { reading: "sensor.tank_a_level", alerts: [], faultsOf: "tanks" },
    tank_b: { reading: "sensor.tank_b_level", alerts: [], faultsOf: "tanks" },
    tank_c: { reading: "sensor.tank_c_level", alerts: [], faultsOf: "tanks" },
    tank_d: { reading: "sensor.tank_d_level", alerts: [], faultsOf: "tanks" },
  },
};

/**
 * The severity of each alert, as the integration's alert table has it (tests/test_frontend.py
 * compares the two). An alert's problem sensor that states its own `severity` attribute wins.
 */
export const ALERT_SEVERITY = {
  power_fault: "medium",
  liquid_level_low: "medium",
  circulating_pump_fault: "critical",
  fan1_fault: "high",
  fan2_fault: "high",
  fluid_infusion_pump_fault: "high",
  spray_pump_fault: "high",
  cooling_tower_fan1_fault: "high",
  cooling_tower_fan2_fault: "high",
  cooling_tower_fan3_fault: "high",
  leakage_fault: "critical",
  supply_liquid_temp_high: "high",
  supply_liquid_temp_too_high: "critical",
  supply_liquid_pressure_high: "critical",
  return_liquid_pressure_low: "critical",
  supply_liquid_flow_low: "critical",
  freezing_alarm: "medium",
  cooling_tower_liquid_level_low: "high",
  supply_liquid_temp_low: "high",
  dry_cooler_power_fre_fault: "high",
  dry_cooler_fre_conv: "high",
  second_pump1_fault: "critical",
  second_pump2_fault: "critical",
  pump_alarm: "high",
  fan_fault: "high",
  phase_failure: "high",
  supply_liquid_temp_fault: "critical",
  return_liquid_temp_fault: "critical",
  power_distribution_fault: "high",
  lever_sensor_fault: "critical",
  smoke_sensor_fault: "high",
  return_liquid_temp_high: "high",
  return_liquid_temp_too_high: "critical",
  power_distribution_temp_high: "high",
  lever_high: "high",
  lever_low: "critical",
  power_relay_fault: "critical",
  liquid_level_high: "high",
  controller_disconnected: "critical",
  unrecognised_fault: "high",
  cooling_stopped_while_mining: "critical",
  loop1_stopped_while_mining: "critical",
  loop2_stopped_while_mining: "critical",
  container_unreachable: "critical",
  miners_not_hashing: "high",
  miner_overheating: "high",
};

/** Colour of each severity (Home Assistant theme variables, with their defaults). */
export const SEVERITY_COLORS = {
  critical: "var(--error-color, #db4437)",
  high: "var(--deep-orange-color, #ff6f22)",
  medium: "var(--warning-color, #ffa600)",
  none: "var(--success-color, #43a047)",
  unreachable: "var(--error-color, #db4437)",
};

export function severityColor(severity) {
  return SEVERITY_COLORS[severity] ?? SEVERITY_COLORS.none;
}

/** The worst of some severities ("none" when there is none). */
export function worstSeverity(severities) {
  for (const severity of SEVERITIES) if (severities.includes(severity)) return severity;
  return "none";
}
