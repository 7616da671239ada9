// The cards' logic and layout, with Node's own test runner: node --test tests/frontend/
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import {
  activeAlerts,
  alertSeverity,
  bySeverity,
  changed,
  checkSetpoint,
  contrastRatio,
  coolingOffAllowed,
  dashboardConfig,
  findContainers,
  formatNumber,
  formatSince,
  formatState,
  formatStates,
  historyEntities,
  isProblem,
  nextTick,
  partAlerts,
  parseColor,
  parseNumber,
  readableOn,
  runningEntity,
  siteTotals,
  sortAlerts,
  stateOf,
  summarize,
  translate,
  worstFirst,
} from "../../custom_components/antspace/frontend/logic.js";
import {
  ALERT_SEVERITY,
  PARTS,
  severityColor,
  worstSeverity,
} from "../../custom_components/antspace/frontend/parts.js";
import {
  fitText,
  lineHeight,
  overlaps,
  partLabel,
  roomBox,
} from "../../custom_components/antspace/frontend/text-fit.js";
import { badgeBox, LAYOUTS } from "../../custom_components/antspace/frontend/layout.js";

const CHANGED = "2026-11-29T10:00:00+00:00";
const STRINGS = JSON.parse(
  await readFile(new URL("../../custom_components/antspace/translations/en.json", import.meta.url)),
);
const MODELS = { hk3: "Antspace HK3", immersion: "Antspace Immersion" };

/** A hass with Antspace containers: name → { kind, states by "<domain>.<translation key>" }. */
function makeHass(containers, extra = {}) {
  const hass = { entities: {}, devices: {}, states: {}, ...extra };
  for (const [name, { kind, states, model = true }] of Object.entries(containers)) {
    const deviceId = `dev_${name}`;
    hass.devices[deviceId] = { id: deviceId, name, config_entries: [`entry_${name}`] };
    if (model) hass.devices[deviceId].model = MODELS[kind];
    const supply = kind === "hk3" ? "sensor.supply_liquid_temp" : "sensor.primary_supply_temp";
    for (const [key, state] of Object.entries({ [supply]: "30", ...states })) {
      const [domain, translationKey] = key.split(".");
      // Entity ids do not follow the keys: renamed entities keep their registry entry.
      const entityId = `${domain}.${name}_${Object.keys(hass.entities).length}`;
      hass.entities[entityId] = {
        entity_id: entityId,
        device_id: deviceId,
        platform: "antspace",
        translation_key: translationKey,
      };
      const [value, unit, attributes] = Array.isArray(state) ? state : [state, undefined, {}];
      hass.states[entityId] = {
        entity_id: entityId,
        state: value,
        last_changed: CHANGED,
        attributes: { ...(unit ? { unit_of_measurement: unit } : {}), ...attributes },
      };
    }
  }
  return hass;
}

const summaries = (hass) => findContainers(hass).map((c) => summarize(hass, c));

// --- containers ------------------------------------------------------------------------------

test("finds each container once, with its kind, by name, and nothing of other platforms", () => {
  const hass = makeHass({
    zeta: { kind: "hk3", states: { "sensor.status": "running" } },
    alpha: { kind: "immersion", states: { "sensor.status": "running" }, model: false },
  });
  hass.entities["sensor.other"] = { device_id: "dev_x", platform: "mqtt", translation_key: "status" };
  hass.entities["sensor.loose"] = { device_id: null, platform: "antspace", translation_key: "status" };
  const found = findContainers(hass);
  assert.deepEqual(found.map((c) => [c.name, c.kind]), [["alpha", "immersion"], ["zeta", "hk3"]]);
  assert.ok(found[1].entities["sensor.status"].startsWith("sensor.zeta_"));
  assert.equal(found[1].entryId, "entry_zeta");
  assert.equal(found[1].ids.length, 2);
});

test("a device renamed by the user shows under its new name", () => {
  const hass = makeHass({ one: { kind: "hk3", states: {} } });
  hass.devices.dev_one.name_by_user = "Row 3";
  assert.equal(findContainers(hass)[0].name, "Row 3");
});

test("a part's running state: the running sensor where there is one, else the fan", () => {
  const fans = makeHass({ old: { kind: "hk3", states: { "fan.cooling_tower_fan1": "on" } } });
  const sensors = makeHass({
    new: { kind: "hk3", states: { "binary_sensor.cooling_tower_fan1": "on", "fan.cooling_tower_fan1": "off" } },
  });
  const [old] = findContainers(fans);
  const [renewed] = findContainers(sensors);
  assert.equal(runningEntity(old, "cooling_tower_fan1"), "fan.cooling_tower_fan1");
  assert.equal(runningEntity(renewed, "cooling_tower_fan1"), "binary_sensor.cooling_tower_fan1");
  assert.equal(stateOf(sensors, renewed, runningEntity(renewed, "cooling_tower_fan1")).state, "on");
  // A container that has neither shows the part stopped (the key of the sensor, absent).
  assert.equal(runningEntity(old, "spray_pump"), "binary_sensor.spray_pump");
  assert.equal(stateOf(fans, old, runningEntity(old, "spray_pump")), undefined);
});

test("the dry cooler shows its speed where the container has it, else its frequency", () => {
  const speed = makeHass({ a: { kind: "immersion", states: { "sensor.dry_cooler_speed": ["70", "%"], "sensor.drycooler_freq": ["45", "Hz"] } } });
  const frequency = makeHass({ b: { kind: "immersion", states: { "sensor.drycooler_freq": ["45", "Hz"] } } });
  const reading = PARTS.immersion.dry_cooler.reading;
  assert.equal(stateOf(speed, findContainers(speed)[0], reading).state, "70");
  assert.equal(stateOf(frequency, findContainers(frequency)[0], reading).state, "45");
});

test("a tank shows the faults of all the tanks: the container's own, its miners are in them", () => {
  assert.deepEqual(partAlerts("immersion", "tank_c"), PARTS.immersion.tanks.alerts);
  assert.ok(partAlerts("immersion", "tank_c").includes("alert_controller_disconnected"));
  assert.deepEqual(partAlerts("hk3", "spray_pump"), ["alert_spray_pump_fault"]);
  assert.deepEqual(partAlerts("hk3", "nothing"), []);
});

test("only the card's own entities count as a change", () => {
  const before = { "sensor.a": { state: "1" }, "sensor.b": { state: "2" } };
  assert.equal(changed(before, { ...before, "sensor.c": { state: "3" } }, ["sensor.a"]), false);
  assert.equal(changed(before, { ...before, "sensor.a": { state: "1" } }, ["sensor.a"]), true);
  assert.equal(changed(undefined, before, ["sensor.a"]), true);
});

// --- alerts and order ----------------------------------------------------------------------

test("worst first: unreachable, critical, high, medium, error, stopped, running", () => {
  const hass = makeHass({
    running: { kind: "hk3", states: { "sensor.status": "running", "sensor.highest_severity": "none" } },
    stopped: { kind: "hk3", states: { "sensor.status": "stopped", "sensor.highest_severity": "none" } },
    medium: { kind: "hk3", states: { "sensor.status": "running", "sensor.highest_severity": "medium" } },
    critical: { kind: "immersion", states: { "sensor.status": "running", "sensor.highest_severity": "critical" } },
    high: { kind: "hk3", states: { "sensor.status": "running", "sensor.highest_severity": "high" } },
    error: { kind: "hk3", states: { "sensor.status": "error", "sensor.highest_severity": "none" } },
    gone: { kind: "hk3", states: { "sensor.status": "unavailable", "sensor.highest_severity": "critical" } },
  });
  const order = worstFirst(summaries(hass));
  assert.deepEqual(
    order.map((s) => s.container.name),
    ["gone", "critical", "high", "medium", "error", "stopped", "running"],
  );
  assert.deepEqual(order.map(isProblem), [true, true, true, true, true, true, false]);
});

test("equally bad containers keep the order of their names", () => {
  const hass = makeHass({
    b: { kind: "hk3", states: { "sensor.status": "running" } },
    a: { kind: "hk3", states: { "sensor.status": "running" } },
  });
  assert.deepEqual(worstFirst(summaries(hass)).map((s) => s.container.name), ["a", "b"]);
});

test("unreachable since the status became unavailable, or since the unreachable alert", () => {
  const hass = makeHass({
    gone: { kind: "hk3", states: { "sensor.status": "unavailable" } },
    flagged: {
      kind: "hk3",
      states: {
        "sensor.status": "unavailable",
        "binary_sensor.alert_container_unreachable": "on",
        "binary_sensor.alert_leakage_fault": "unavailable",
        "sensor.highest_severity": "critical",
      },
    },
  });
  const [container] = findContainers(hass);
  hass.states[container.entities["binary_sensor.alert_container_unreachable"]].last_changed =
    "2026-11-29T10:00:30+00:00";
  const [flagged, gone] = summaries(hass);
  assert.equal(flagged.since.toISOString(), "2026-11-29T10:00:00.000Z",
    "since the readings went, not since the alert rose three polls later");
  assert.equal(gone.unreachable, true);
  assert.equal(gone.since.toISOString(), "2026-11-29T10:00:00.000Z");
  assert.equal(flagged.unreachable, true);
  assert.equal(flagged.severity, "critical");
  assert.deepEqual(flagged.alerts, [], "the unreachable alert is the row's state, not an alert");
});

test("a status of the wrong type is unknown: reachable, a problem, not running", () => {
  const hass = makeHass({
    odd: { kind: "hk3", states: { "sensor.status": "unknown", "binary_sensor.alert_leakage_fault": "unknown" } },
  });
  const [odd] = summaries(hass);
  assert.equal(odd.unreachable, false);
  assert.deepEqual(odd.alerts, []);
  assert.equal(isProblem(odd), true);
  assert.equal(siteTotals([odd]).byState.unknown, 1);
});

test("active alerts: on problem sensors only, worst first, then by name", () => {
  const hass = makeHass({
    one: {
      kind: "hk3",
      states: {
        "sensor.status": "running",
        "binary_sensor.alert_spray_pump_fault": "on",
        "binary_sensor.alert_power_fault": "on",
        "binary_sensor.alert_leakage_fault": "on",
        "binary_sensor.alert_circulating_pump_fault": "on",
        "binary_sensor.alert_freezing_alarm": "off",
        "binary_sensor.alert_fan1_fault": "unknown",
        "binary_sensor.circulating_pump": "on",
      },
    },
  });
  const [container] = findContainers(hass);
  const nameOf = (key) => STRINGS.entity.binary_sensor[key].name;
  const alerts = activeAlerts(hass, container, nameOf, "en");
  assert.deepEqual(alerts.map((a) => [a.severity, a.name]), [
    ["critical", "Circulating pump fault"],
    ["critical", "Leakage"],
    ["high", "Spray pump fault"],
    ["medium", "Power fault"],
  ]);
  assert.deepEqual(bySeverity(alerts).map((g) => [g.severity, g.alerts.length]),
    [["critical", 2], ["high", 1], ["medium", 1]]);
  const [summary] = findContainers(hass).map((c) => summarize(hass, c, nameOf, "en"));
  assert.equal(summary.severity, "critical", "without the severity sensor: the worst alert's");
});

test("an alert's severity: its sensor's own attribute, else the table, else high", () => {
  assert.equal(alertSeverity("leakage_fault"), "critical");
  assert.equal(alertSeverity("leakage_fault", { attributes: { severity: "medium" } }), "medium");
  assert.equal(alertSeverity("new_alert_nobody_knows"), "high");
  assert.deepEqual(
    sortAlerts([
      { severity: "medium", name: "b" },
      { severity: "critical", name: "z" },
      { severity: "high", name: "a" },
      { severity: "critical", name: "c" },
    ]).map((a) => a.name),
    ["c", "z", "a", "b"],
  );
});

test("every alert of the integration has a severity in the cards' table", () => {
  for (const key of Object.keys(STRINGS.entity.binary_sensor)) {
    if (key.startsWith("alert_")) assert.ok(key.slice(6) in ALERT_SEVERITY, key);
  }
});

test("severity colours are the theme's, worst severity wins", () => {
  assert.match(severityColor("critical"), /--error-color/);
  assert.match(severityColor("high"), /--deep-orange-color/);
  assert.match(severityColor("medium"), /--warning-color/);
  assert.match(severityColor("none"), /--success-color/);
  assert.match(severityColor("unreachable"), /--error-color/, "unreachable is red, not grey");
  assert.equal(worstSeverity(["medium", "critical", "high"]), "critical");
  assert.equal(worstSeverity([]), "none");
});

// --- site totals ---------------------------------------------------------------------------

test("totals: power and hashrate of all, containers by state and by worst alert", () => {
  const hass = makeHass({
    a: { kind: "hk3", states: { "sensor.status": "running", "sensor.highest_severity": "critical",
      "sensor.total_power": ["600", "kW"], "sensor.total_hashrate": ["16000", "TH/s"] } },
    b: { kind: "immersion", states: { "sensor.status": "error", "sensor.highest_severity": "none",
      "sensor.total_power": ["500000", "W"], "sensor.total_hashrate": ["17", "PH/s"] } },
    c: { kind: "hk3", states: { "sensor.status": "unavailable", "sensor.highest_severity": "critical",
      "sensor.total_power": "unavailable", "sensor.total_hashrate": "unavailable" } },
    d: { kind: "hk3", states: { "sensor.status": "stopped", "sensor.highest_severity": "medium" } },
  });
  const totals = siteTotals(summaries(hass));
  assert.equal(totals.count, 4);
  assert.deepEqual(totals.byState, { running: 1, stopped: 1, error: 1, unknown: 0, unreachable: 1 });
  assert.deepEqual(totals.byWorst, { critical: 1, high: 0, medium: 1, none: 1 });
  assert.deepEqual(totals.power, { value: 1.1, unit: "MW" });
  assert.deepEqual(totals.hashrate, { value: 33, unit: "PH/s" });
  assert.equal(siteTotals([]).power, null);
});

// --- formatting and time -------------------------------------------------------------------

test("states are formatted by Home Assistant where it can, else with unit and locale", () => {
  const plain = {};
  assert.equal(formatState(plain, { state: "30.25", attributes: { unit_of_measurement: "°C" } }, "en"), "30.3 °C");
  assert.equal(formatState(plain, { state: "1234.5", attributes: { unit_of_measurement: "kW" } }, "de"), "1.234,5 kW");
  assert.equal(formatState(plain, { state: "42", attributes: { unit_of_measurement: "%" } }, "en"), "42%");
  assert.equal(formatState(plain, { state: "running", attributes: {} }, "en"), "running");
  assert.equal(formatState(plain, { state: "unavailable", attributes: {} }, "en"), "—");
  assert.equal(formatState(plain, undefined, "en"), "—");
  const hass = { formatEntityState: (s) => `<${s.state}>` };
  assert.equal(formatState(hass, { state: "1", attributes: {} }, "en"), "<1>");
  assert.equal(formatNumber(2.0, "en"), "2");
});

test("one reading per loop shows as one text, the unit once", () => {
  const hass = { formatEntityState: (s) => `${Number(s.state).toFixed(1)} °C` };
  const t = (state) => ({ state, attributes: { unit_of_measurement: "°C" } });
  assert.equal(formatStates(hass, [t("35.1"), t("35")], "en"), "35.1 / 35.0 °C");
  assert.equal(formatStates(hass, [t("35.1"), t("unavailable")], "en"), "35.1 / — °C");
  assert.equal(formatStates(hass, [t("unavailable"), t("unavailable")], "en"), "— / —");
  assert.equal(formatStates(hass, [t("31")], "en"), "31.0 °C");
});

test("the Immersion's site row compares its secondary supply with the setpoint", () => {
  const hass = makeHass({
    imm: { kind: "immersion", states: {
      "sensor.primary_supply_temp": ["31", "°C"],
      "sensor.second_supply_temp1": ["35.1", "°C"],
      "sensor.second_supply_temp2": ["34.9", "°C"],
      "number.supply_liquid_set_temp": ["35", "°C"],
    } },
  });
  const [summary] = summaries(hass);
  assert.deepEqual(summary.supply.map((s) => s.state), ["35.1", "34.9"]);
  const [container] = findContainers(hass);
  const curves = historyEntities(container).map((id) => hass.entities[id].translation_key);
  assert.deepEqual(curves, ["second_supply_temp1", "second_supply_temp2", "supply_liquid_set_temp"]);
});

test("since when: the time today, the date on another day, and how long ago", () => {
  const now = new Date("2026-11-29T10:05:30Z");
  const today = formatSince(new Date("2026-11-29T10:00:00Z"), now, "en-GB");
  assert.equal(today.ago, "5 minutes ago");
  assert.match(today.at, /^\d{1,2}:\d\d$/);
  const before = formatSince(new Date("2026-11-27T09:00:00Z"), now, "en-GB");
  assert.equal(before.ago, "2 days ago");
  assert.match(before.at, /Nov/);
  assert.equal(formatSince(null, now, "en"), null);
});

test("relative times tick: now, then each second, then each minute", () => {
  const since = new Date("2026-11-29T10:00:00Z");
  const at = (seconds) => new Date(since.getTime() + seconds * 1000);
  assert.equal(formatSince(since, at(0.4), "en").ago, "now");
  assert.equal(formatSince(since, at(11.9), "en").ago, "11 seconds ago");
  assert.equal(formatSince(since, at(61), "en").ago, "1 minute ago");
  assert.equal(nextTick(since, at(11.25)), 750);
  assert.equal(nextTick(since, at(90)), 30_000);
  assert.equal(nextTick(null, at(1)), null);
});

// --- the setpoint --------------------------------------------------------------------------

test("a typed setpoint: a number in range on the step, else the reason it is refused", () => {
  const bounds = { min: 10, max: 40, step: 0.5 };
  assert.deepEqual(checkSetpoint("32.5", bounds), { ok: true, value: 32.5 });
  assert.deepEqual(checkSetpoint(" 32,5 ", bounds), { ok: true, value: 32.5 }, "a decimal comma");
  assert.deepEqual(checkSetpoint("40", bounds), { ok: true, value: 40 });
  assert.equal(checkSetpoint("60", bounds).reason, "range");
  assert.equal(checkSetpoint("9.5", bounds).reason, "range");
  assert.equal(checkSetpoint("abc", bounds).reason, "number");
  assert.equal(checkSetpoint("", bounds).reason, "number");
  assert.deepEqual(checkSetpoint("32.3", bounds),
    { ok: false, reason: "step", value: 32.3, lower: 32, upper: 32.5 });
  assert.deepEqual(checkSetpoint("39.9", bounds),
    { ok: false, reason: "step", value: 39.9, lower: 39.5, upper: 40 });
  assert.deepEqual(checkSetpoint("33.3", {}), { ok: true, value: 33.3 }, "no bounds, no step");
  assert.ok(Number.isNaN(parseNumber("1e3")));
});

test("cooling off: the switch's attribute says whether it is allowed", () => {
  assert.equal(coolingOffAllowed({ attributes: { allow_cooling_off: false } }), false);
  assert.equal(coolingOffAllowed({ attributes: { allow_cooling_off: true } }), true);
  assert.equal(coolingOffAllowed({ attributes: {} }), null, "not known: the integration decides");
  assert.equal(coolingOffAllowed(undefined), null);
});

// --- colours -------------------------------------------------------------------------------

test("chip text is black or white, whichever reads at 4.5:1 or better on its colour", () => {
  assert.deepEqual(parseColor("#db4437"), [219, 68, 55]);
  assert.deepEqual(parseColor("rgb(255, 111, 34)"), [255, 111, 34]);
  assert.deepEqual(parseColor("rgba(0, 0, 0, 0.5)"), [0, 0, 0]);
  assert.equal(parseColor("var(--x)"), null);
  assert.equal(Math.round(contrastRatio([255, 255, 255], [0, 0, 0])), 21);
  // Home Assistant's own severity colours: white on them is below 4.5:1, black is above.
  for (const color of ["#db4437", "#ff6f22", "#ffa600"]) {
    const background = parseColor(color);
    assert.ok(contrastRatio(background, [255, 255, 255]) < 4.5, color);
    assert.equal(readableOn(background), "#000000", color);
    assert.ok(contrastRatio(background, parseColor(readableOn(background))) >= 4.5, color);
  }
  assert.equal(readableOn([120, 20, 20]), "#ffffff", "a dark theme's red takes white");
});

// --- fitting text --------------------------------------------------------------------------

/** A font where each character is 0.6 of the size wide; CJK characters are 1. */
const measure = (text, size) =>
  [...text].reduce((w, c) => w + (/[\u3000-\u9fff]/.test(c) ? 1 : 0.6) * size, 0);

test("a text that fits stays whole, on one line at its size", () => {
  const fitted = fitText("Spray pump", { w: 100, lines: 1, size: 12 }, measure);
  assert.deepEqual(fitted, { lines: ["Spray pump"], size: 12, truncated: false });
});

test("a long text wraps between words before it gets smaller, and smaller before it is cut", () => {
  const room = { w: 60, lines: 2, size: 12, minSize: 10 };
  assert.deepEqual(fitText("Cooling tower", room, measure).lines, ["Cooling", "tower"]);
  const smaller = fitText("Heat exchanger", { w: 60, lines: 2, size: 12, minSize: 10 }, measure);
  assert.deepEqual(smaller, { lines: ["Heat", "exchanger"], size: 11, truncated: false });
  const cut = fitText("Power distribution temperature high", room, measure);
  assert.equal(cut.truncated, true);
  assert.deepEqual(cut.lines, ["Power", "distribut…"]);
  const word = fitText("Неисправность насоса вторичного контура 1", room, measure);
  assert.deepEqual(word.lines, ["Неисправн…"], "a first word wider than the room: cut at once");
  for (const line of cut.lines) assert.ok(measure(line, cut.size) <= room.w, line);
});

test("Chinese wraps between characters; a word longer than the room is cut", () => {
  const zh = fitText("二次侧泵 1 故障", { w: 50, lines: 2, size: 12 }, measure);
  assert.equal(zh.truncated, false);
  assert.equal(zh.lines.length, 2);
  const word = fitText("Теплообменник", { w: 40, lines: 1, size: 12 }, measure);
  assert.equal(word.truncated, true);
  assert.ok(measure(word.lines[0], 12) <= 40);
});

test("a part shows its one fault's name where it fits, else its own name", () => {
  const room = { w: 100, lines: 2, size: 12 };
  const fault = (name) => ({ name, severity: "high" });
  assert.equal(partLabel("Spray pump", [fault("Spray pump fault")], room, measure).text,
    "Spray pump fault");
  assert.equal(partLabel("Spray pump", [fault("Spray pump fault"), fault("Leakage")], room, measure).text,
    "Spray pump", "two faults: the badge counts them, the list names them");
  assert.equal(partLabel("Pump", [fault("A very long name of a fault that will not fit at all")],
    room, measure).text, "Pump");
  assert.equal(partLabel("Pump", [], room, measure).fault, false);
});

test("the rooms of each picture never overlap one another or leave the picture", () => {
  for (const [kind, layout] of Object.entries(LAYOUTS)) {
    const boxes = [
      ...Object.entries(layout.rooms).map(([name, room]) => [name, roomBox(room)]),
      ...Object.entries(layout.badges).map(([name, at]) => [`badge ${name}`, badgeBox(at)]),
    ];
    for (const [name, [left, top, right, bottom]] of boxes) {
      assert.ok(left >= 0 && top >= 0 && right <= layout.width && bottom <= layout.height,
        `${kind}: ${name} leaves the picture`);
    }
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        assert.ok(!overlaps(boxes[i][1], boxes[j][1]), `${kind}: ${boxes[i][0]} overlaps ${boxes[j][0]}`);
      }
    }
    for (const room of Object.values(layout.rooms)) {
      assert.ok(lineHeight(room.size) >= room.size * 1.2, "a line's box holds its text");
    }
  }
});

test("every part of the picture has its rooms, and every room its part", () => {
  for (const [kind, layout] of Object.entries(LAYOUTS)) {
    const parts = new Set(Object.keys(PARTS[kind]));
    for (const name of Object.keys(layout.rooms)) {
      const part = name.split(".")[0];
      assert.ok(parts.has(part) || part === "heat_exchanger", `${kind}: room ${name}`);
    }
    for (const [name, part] of Object.entries(PARTS[kind])) {
      if (part.reading) assert.ok(`${name}.value` in layout.rooms, `${kind}: ${name} has no value`);
      if (part.alerts.length && !part.reading && !name.startsWith("tower_fan")) {
        assert.ok(name in layout.badges, `${kind}: ${name} has no badge`);
      }
    }
  }
});

test("every alert and running sensor a part names is one the integration has", () => {
  const known = STRINGS.entity;
  for (const parts of Object.values(PARTS)) {
    for (const [name, part] of Object.entries(parts)) {
      for (const key of part.alerts) assert.ok(key in known.binary_sensor, `${name}: ${key}`);
      if (part.running) {
        const has = part.running in (known.binary_sensor ?? {}) || part.running in (known.fan ?? {});
        assert.ok(has, `${name}: ${part.running}`);
      }
      for (const reading of [part.reading ?? []].flat()) {
        const [platform, key] = reading.split(".");
        if (reading !== "sensor.dry_cooler_speed") assert.ok(key in known[platform], `${name}: ${reading}`);
      }
    }
  }
});

// --- the dashboard strategy ----------------------------------------------------------------

test("the dashboard: the site card, then each container's card and history, by name", () => {
  const hass = makeHass({
    b: { kind: "immersion", states: { "sensor.second_supply_temp1": "35", "sensor.second_supply_temp2": "35",
      "number.supply_liquid_set_temp": "35" } },
    a: { kind: "hk3", states: { "sensor.return_liquid_temp": "40", "number.supply_liquid_set_temp": "35" } },
  });
  const config = dashboardConfig(findContainers(hass));
  const [view] = config.views;
  assert.equal(view.type, "sections");
  assert.equal(view.sections[0].cards[0].type, "custom:antspace-site-card");
  assert.deepEqual(view.sections.slice(1).map((s) => s.cards[0].device_id), ["dev_a", "dev_b"]);
  const hk3Curves = view.sections[1].cards[1].entities.map((id) => hass.entities[id].translation_key);
  assert.deepEqual(hk3Curves, ["supply_liquid_temp", "return_liquid_temp", "supply_liquid_set_temp"]);
});

// --- words ---------------------------------------------------------------------------------

test("words: the translation, or the key itself while there is none", () => {
  const localize = (key, ...args) => (key === "known" ? `n=${args[1]}` : "");
  assert.equal(translate(localize, "known", { count: 3 }), "n=3");
  assert.equal(translate(localize, "component.antspace.selector.card.options.x"), "component.antspace.selector.card.options.x");
  assert.equal(translate(undefined, "k"), "k");
});

test("every card word the cards use is in the English translation", async () => {
  const source = [
    await readFile(new URL("../../custom_components/antspace/frontend/antspace-cards.js", import.meta.url), "utf8"),
    await readFile(new URL("../../custom_components/antspace/frontend/schematic.js", import.meta.url), "utf8"),
  ].join("\n");
  const used = new Set([...source.matchAll(/(?:card|word)\("([a-z_0-9]+)"/g)].map((m) => m[1]));
  const card = STRINGS.selector.card.options;
  for (const key of used) assert.ok(key in card, `selector.card.options.${key}`);
});
