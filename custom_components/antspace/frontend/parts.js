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
 * its supply and return are theirs, not the primary loop's. Each key is the card word the site
 * card labels the reading with.
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

/**
 * The entities both kinds have that the cards show. A key that is also a card word (setpoint,
 * power, hashrate, miners, unreachable) is the word the cards label that entity's state with;
 * the container card labels its controls (the switches, the number and the button) with their
 * entities' names.
 */
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
 * The parts of each kind's schematic: the card word that names a part on the picture (`word`,
 * a key of selector.card.options), the kind of room that name goes into (`room`, a key of
 * NAME_BUDGET), what shows the part running (`running`: the key of a running sensor, see
 * runningEntity), the reading it shows (`reading`: an entity, or a list of which the first the
 * container has counts), which alerts are faults of that part (or, `faultsOf`, the part whose
 * faults it shares) and other entities whose names carry its word (`named`).
 *
 * A part's word is its entities' term: the word their names use for that part, in every
 * language (tests/test_translations.py compares them). A part whose room is a label shows the
 * name of its one fault there instead of its word.
 */
export const PARTS = {
  hk3: {
    miners: {
      word: "miners",
      room: "small_label",
      reading: "sensor.total_hashrate",
      named: ["sensor.miner_count"],
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
      word: "supply",
      room: "reading",
      reading: "sensor.supply_liquid_temp",
      alerts: [
        "alert_supply_liquid_temp_high",
        "alert_supply_liquid_temp_too_high",
        "alert_supply_liquid_temp_low",
      ],
    },
    supply_pressure: {
      word: "pressure",
      room: "reading",
      reading: "sensor.supply_liquid_pressure",
      alerts: ["alert_supply_liquid_pressure_high"],
    },
    supply_flow: {
      word: "flow",
      room: "reading",
      reading: "sensor.supply_liquid_flow",
      alerts: ["alert_supply_liquid_flow_low"],
    },
    return_temp: { word: "return", room: "reading", reading: "sensor.return_liquid_temp", alerts: [] },
    return_pressure: {
      word: "pressure",
      room: "reading",
      reading: "sensor.return_liquid_pressure",
      alerts: ["alert_return_liquid_pressure_low"],
    },
    circulating_pump: {
      word: "circulating_pump",
      room: "wide_label",
      running: "circulating_pump",
      alerts: ["alert_circulating_pump_fault"],
    },
    cooling_tower: {
      word: "cooling_tower",
      room: "small_label",
      named: ["binary_sensor.cooling_tower_fan1"],
      alerts: ["alert_cooling_tower_liquid_level_low", "alert_freezing_alarm"],
    },
    tower_fan1: { running: "cooling_tower_fan1", alerts: ["alert_cooling_tower_fan1_fault"] },
    tower_fan2: { running: "cooling_tower_fan2", alerts: ["alert_cooling_tower_fan2_fault"] },
    tower_fan3: { running: "cooling_tower_fan3", alerts: ["alert_cooling_tower_fan3_fault"] },
    spray_pump: {
      word: "spray_pump",
      room: "small_label",
      running: "spray_pump",
      alerts: ["alert_spray_pump_fault"],
    },
    fluid_infusion: {
      word: "fluid_infusion",
      room: "wide_label",
      running: "fluid_infusion_pump",
      alerts: ["alert_fluid_infusion_pump_fault", "alert_liquid_level_low", "alert_liquid_level_high"],
    },
  },
  immersion: {
    dry_cooler: {
      word: "dry_cooler",
      room: "small_label",
      running: "dry_cooler",
      reading: ["sensor.dry_cooler_speed", "sensor.drycooler_freq"],
      alerts: ["alert_dry_cooler_power_fre_fault", "alert_dry_cooler_fre_conv", "alert_fan_fault"],
    },
    primary_pump: { running: "primary_circulating_pump", alerts: ["alert_pump_alarm"] },
    primary_supply: {
      word: "primary_supply",
      room: "wide_reading",
      reading: "sensor.primary_supply_temp",
      alerts: ["alert_supply_liquid_temp_high", "alert_supply_liquid_temp_too_high"],
    },
    primary_return: {
      word: "primary_return",
      room: "wide_reading",
      reading: "sensor.primary_return_temp",
      alerts: ["alert_return_liquid_temp_high", "alert_return_liquid_temp_too_high"],
    },
    secondary_pump1: {
      word: "secondary_loop_1",
      room: "label",
      running: "second_pump1",
      alerts: ["alert_second_pump1_fault", "alert_loop1_stopped_while_mining"],
    },
    secondary_pump2: {
      word: "secondary_loop_2",
      room: "label",
      running: "second_pump2",
      alerts: ["alert_second_pump2_fault", "alert_loop2_stopped_while_mining"],
    },
    secondary_supply1: { word: "supply", room: "reading", reading: "sensor.second_supply_temp1", alerts: [] },
    secondary_return1: { word: "return", room: "reading", reading: "sensor.second_return_temp1", alerts: [] },
    secondary_supply2: { word: "supply", room: "reading", reading: "sensor.second_supply_temp2", alerts: [] },
    secondary_return2: { word: "return", room: "reading", reading: "sensor.second_return_temp2", alerts: [] },
    valve1: { word: "valve_1", room: "reading", running: "valve1_open", reading: "sensor.open1", alerts: [] },
    valve2: { word: "valve_2", room: "reading", running: "valve2_open", reading: "sensor.open2", alerts: [] },
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
    tank_a: { word: "tank_a", room: "reading", reading: "sensor.tank_a_level", alerts: [], faultsOf: "tanks" },
    tank_b: { word: "tank_b", room: "reading", reading: "sensor.tank_b_level", alerts: [], faultsOf: "tanks" },
    tank_c: { word: "tank_c", room: "reading", reading: "sensor.tank_c_level", alerts: [], faultsOf: "tanks" },
    tank_d: { word: "tank_d", room: "reading", reading: "sensor.tank_d_level", alerts: [], faultsOf: "tanks" },
  },
};

/**
 * How wide a letter is, in Latin letters: a Cyrillic one and a Chinese (wide) one, as Roboto and
 * Noto draw them at the cards' sizes (measured over the entities' names: 0.46 em for a Latin,
 * 0.54 em for a Cyrillic letter, about 1 em for a Chinese character). The unit of NAME_BUDGET.
 */
export const LETTER_WIDTH = { cyrillic: 1.15, wide: 2 };

/**
 * How long a name may be, in Latin letters (LETTER_WIDTH), by the kind of place it is shown,
 * in every language: what fits there at 400 px, measured with the cards' fonts.
 * tests/test_translations.py measures every language's names against it; the browser test
 * (script/browser_crisis.py) draws them and checks that each one fits whole.
 */
export const NAME_BUDGET = {
  // An alert's name: a row of the device page beside its state (about 250 px of 14 px text),
  // a line of the container card's alert list, a Repairs title.
  alert: 38,
  // Every other entity's name: a row of the device page beside its reading (about 235 px).
  entity: 34,
  // The label of a pump of the HK3's loop, two lines of 176 px: its word or its one fault.
  wide_label: 40,
  // The label of a secondary pump, two lines of 104 px: its word or its one fault.
  label: 36,
  // The label of the miners, the cooling tower and the spray pump (three lines of 66 to 80 px)
  // and of the dry cooler (one line of 150 px): its word or its one fault.
  small_label: 34,
  // The word over a reading, a valve or a tank: one line of 58 px.
  reading: 11,
  // The word over a primary loop's reading: one line of 108 px.
  wide_reading: 20,
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
