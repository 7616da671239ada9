// The cards' logic, with Node's own test runner: node --test tests/frontend/
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  findContainers,
  formatNumber,
  formatSince,
  formatState,
  partFaults,
  partRunning,
  PARTS,
  severityColor,
  summarize,
  translate,
  worstFirst,
  worstSeverity,
} from "../../custom_components/antspace/frontend/logic.js";

const CHANGED = "2026-11-29T10:00:00+00:00";

/** A hass with Antspace containers: name → { kind, states by "<domain>.<translation key>" }. */
function makeHass(containers, extra = {}) {
  const hass = { entities: {}, devices: {}, states: {}, ...extra };
  for (const [name, { kind, states }] of Object.entries(containers)) {
    const deviceId = `dev_${name}`;
    hass.devices[deviceId] = { id: deviceId, name };
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
      const [value, unit] = Array.isArray(state) ? state : [state, undefined];
      hass.states[entityId] = {
        entity_id: entityId,
        state: value,
        last_changed: CHANGED,
        attributes: unit ? { unit_of_measurement: unit } : {},
      };
    }
  }
  return hass;
}

test("finds each container once, with its kind, by name, and nothing of other platforms", () => {
  const hass = makeHass({
    zeta: { kind: "hk3", states: { "sensor.status": "running" } },
    alpha: { kind: "immersion", states: { "sensor.status": "running" } },
  });
  hass.entities["sensor.other"] = { device_id: "dev_x", platform: "mqtt", translation_key: "status" };
  hass.entities["sensor.loose"] = { device_id: null, platform: "antspace", translation_key: "status" };
  const found = findContainers(hass);
  assert.deepEqual(found.map((c) => [c.name, c.kind]), [["alpha", "immersion"], ["zeta", "hk3"]]);
  assert.ok(found[1].entities["sensor.status"].startsWith("sensor.zeta_"));
});

test("a device renamed by the user shows under its new name", () => {
  const hass = makeHass({ one: { kind: "hk3", states: {} } });
  hass.devices.dev_one.name_by_user = "Row 3";
  assert.equal(findContainers(hass)[0].name, "Row 3");
});

test("worst first: unreachable, critical, high, medium, error, stopped, running", () => {
  const hass = makeHass({
    running: { kind: "hk3", states: { "sensor.status": "running", "sensor.highest_severity": "none" } },
    stopped: { kind: "hk3", states: { "sensor.status": "stopped", "sensor.highest_severity": "none" } },
    medium: { kind: "hk3", states: { "sensor.status": "running", "sensor.highest_severity": "medium" } },
    critical: { kind: "immersion", states: { "sensor.status": "running", "sensor.highest_severity": "critical" } },
    high: { kind: "hk3", states: { "sensor.status": "running", "sensor.highest_severity": "high" } },
    error: { kind: "hk3", states: { "sensor.status": "error", "sensor.highest_severity": "none" } },
    gone: { kind: "hk3", states: { "sensor.status": "unavailable", "sensor.highest_severity": "unavailable" } },
  });
  const order = worstFirst(findContainers(hass).map((c) => summarize(hass, c)));
  assert.deepEqual(
    order.map((s) => s.container.name),
    ["gone", "critical", "high", "medium", "error", "stopped", "running"],
  );
});

test("equally bad containers keep the order of their names", () => {
  const hass = makeHass({
    b: { kind: "hk3", states: { "sensor.status": "running" } },
    a: { kind: "hk3", states: { "sensor.status": "running" } },
  });
  const order = worstFirst(findContainers(hass).map((c) => summarize(hass, c)));
  assert.deepEqual(order.map((s) => s.container.name), ["a", "b"]);
});

test("unreachable since the status became unavailable, or since the unreachable alert", () => {
  const hass = makeHass({
    gone: { kind: "hk3", states: { "sensor.status": "unavailable" } },
    flagged: {
      kind: "hk3",
      states: { "sensor.status": "running", "binary_sensor.alert_container_unreachable": "on" },
    },
  });
  const [flagged, gone] = findContainers(hass).map((c) => summarize(hass, c));
  assert.equal(gone.unreachable, true);
  assert.equal(gone.since.toISOString(), "2026-11-29T10:00:00.000Z");
  assert.equal(flagged.unreachable, true);
  assert.deepEqual(flagged.alerts, [], "the unreachable alert is the row's state, not an alert");
});

test("active alerts are the alert binary sensors that are on", () => {
  const hass = makeHass({
    one: {
      kind: "hk3",
      states: {
        "sensor.status": "running",
        "sensor.highest_severity": "critical",
        "binary_sensor.alert_leakage_fault": "on",
        "binary_sensor.alert_spray_pump_fault": "off",
        "binary_sensor.circulating_pump": "on",
      },
    },
  });
  const [summary] = findContainers(hass).map((c) => summarize(hass, c));
  assert.deepEqual(summary.alerts, ["alert_leakage_fault"]);
  assert.equal(summary.severity, "critical");
});

test("severity colours are the theme's, worst severity wins", () => {
  assert.match(severityColor("critical"), /--error-color/);
  assert.match(severityColor("high"), /--deep-orange-color/);
  assert.match(severityColor("medium"), /--warning-color/);
  assert.match(severityColor("none"), /--success-color/);
  assert.match(severityColor("bogus"), /--success-color/);
  assert.equal(worstSeverity(["medium", "critical", "high"]), "critical");
  assert.equal(worstSeverity([]), "none");
});

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

test("a part runs when its entity is on, and shows the faults that belong to it", () => {
  const hass = makeHass({
    one: { kind: "hk3", states: { "binary_sensor.spray_pump": "on", "fan.cooling_tower_fan1": "off" } },
  });
  const [container] = findContainers(hass);
  assert.equal(partRunning(hass, container, PARTS.hk3.spray_pump), true);
  assert.equal(partRunning(hass, container, PARTS.hk3.tower_fan1), false);
  assert.equal(partRunning(hass, container, PARTS.hk3.miners), false);
  assert.deepEqual(
    partFaults(PARTS.hk3.spray_pump, ["alert_leakage_fault", "alert_spray_pump_fault"]),
    ["alert_spray_pump_fault"],
  );
});

test("every alert a schematic part names is an alert the integration has", async () => {
  const { readFile } = await import("node:fs/promises");
  const strings = JSON.parse(
    await readFile(new URL("../../custom_components/antspace/translations/en.json", import.meta.url)),
  );
  const known = new Set(Object.keys(strings.entity.binary_sensor));
  for (const parts of Object.values(PARTS)) {
    for (const [name, part] of Object.entries(parts)) {
      for (const key of part.alerts) assert.ok(known.has(key), `${name}: ${key}`);
      if (part.running) {
        const [platform, key] = part.running.split(".");
        assert.ok(key in strings.entity[platform], `${name}: ${part.running}`);
      }
    }
  }
});

test("words: the translation, or the key itself while there is none", () => {
  const localize = (key, ...args) => (key === "known" ? `n=${args[1]}` : "");
  assert.equal(translate(localize, "known", { count: 3 }), "n=3");
  assert.equal(translate(localize, "component.antspace.selector.card.options.x"), "component.antspace.selector.card.options.x");
  assert.equal(translate(undefined, "k"), "k");
});
