// What the Antspace cards show, worked out from Home Assistant's state alone: no DOM here,
// so that Node's test runner checks it (tests/frontend/logic.test.mjs).

import {
  ALERT_SEVERITY,
  COMMON,
  DOMAIN,
  KIND_MARKERS,
  MODELS,
  PARTS,
  READINGS,
  SEVERITIES,
  UNAVAILABLE,
  worstSeverity,
} from "./parts.js";

// --- containers and their entities ---------------------------------------------------------

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
        model: device?.model ?? null,
        entryId: device?.config_entries?.[0] ?? null,
        entities: {},
      };
      byDevice.set(entry.device_id, container);
    }
    const domain = entityId.split(".", 1)[0];
    container.entities[`${domain}.${entry.translation_key}`] = entityId;
  }
  const containers = [...byDevice.values()];
  for (const container of containers) {
    container.kind = kindOf(container);
    container.ids = Object.values(container.entities);
  }
  return containers.sort((a, b) => a.name.localeCompare(b.name));
}

export function kindOf(container) {
  if (container.model && MODELS[container.model]) return MODELS[container.model];
  for (const [kind, marker] of Object.entries(KIND_MARKERS)) {
    if (marker in container.entities) return kind;
  }
  return null;
}

/** The first of some keys (`<domain>.<translation key>`) that the container has, else the first. */
export function present(container, keys) {
  const list = Array.isArray(keys) ? keys : [keys];
  return list.find((key) => key in container.entities) ?? list[0];
}

/**
 * The entity that tells whether a part runs: the running binary sensor `binary_sensor.<key>`
 * where the container has it, else the fan `fan.<key>` (the integration's fans become running
 * sensors). The one place that knows.
 */
export function runningEntity(container, key) {
  return present(container, [`binary_sensor.${key}`, `fan.${key}`]);
}

/** The state object of one of a container's entities, by `<domain>.<translation key>`. */
export function stateOf(hass, container, key) {
  const entityId = container.entities[present(container, key)];
  return entityId ? hass.states?.[entityId] : undefined;
}

export function isOn(stateObj) {
  return stateObj?.state === "on";
}

export function isAvailable(stateObj) {
  return stateObj !== undefined && !UNAVAILABLE.has(stateObj.state);
}

/** The alerts that are faults of a part of a kind's schematic. */
export function partAlerts(kind, name) {
  const part = PARTS[kind]?.[name];
  if (!part) return [];
  return part.faultsOf ? PARTS[kind][part.faultsOf].alerts : part.alerts;
}

/** Whether any of these entities changed between two `hass.states`: a card's own ones only. */
export function changed(before, after, ids) {
  if (!before) return true;
  for (const id of ids) if (before[id] !== after[id]) return true;
  return false;
}

// --- alerts --------------------------------------------------------------------------------

/** The severity of one alert (its key without `alert_`). */
export function alertSeverity(key, stateObj) {
  const stated = stateObj?.attributes?.severity;
  if (SEVERITIES.includes(stated)) return stated;
  return ALERT_SEVERITY[key] ?? "high";
}

/**
 * A container's active alerts, worst first and then by name: `{ key, severity, name }` with
 * `key` the problem sensor's translation key (`alert_…`). The unreachable alert is the
 * container's state, not one of its alerts.
 */
export function activeAlerts(hass, container, nameOf = (key) => key, locale = undefined) {
  const found = [];
  for (const key of Object.keys(container.entities)) {
    if (!key.startsWith("binary_sensor.alert_") || key === COMMON.unreachable) continue;
    const stateObj = stateOf(hass, container, key);
    if (!isOn(stateObj)) continue;
    const alert = key.slice("binary_sensor.".length);
    found.push({
      key: alert,
      severity: alertSeverity(alert.slice("alert_".length), stateObj),
      name: nameOf(alert),
    });
  }
  return sortAlerts(found, locale);
}

/** Alerts worst first (critical, high, medium), equally bad ones by name. */
export function sortAlerts(alerts, locale = undefined) {
  const rankOf = (severity) => {
    const index = SEVERITIES.indexOf(severity);
    return index < 0 ? SEVERITIES.length : index;
  };
  return [...alerts].sort(
    (a, b) => rankOf(a.severity) - rankOf(b.severity) || a.name.localeCompare(b.name, locale),
  );
}

/** Sorted alerts in groups of one severity each, worst first: `[{ severity, alerts }]`. */
export function bySeverity(alerts) {
  const groups = [];
  for (const alert of alerts) {
    const last = groups[groups.length - 1];
    if (last?.severity === alert.severity) last.alerts.push(alert);
    else groups.push({ severity: alert.severity, alerts: [alert] });
  }
  return groups;
}

/**
 * Whether a container does not answer, and since when (a Date, or null): since its readings
 * went unavailable (the first poll without an answer), or since its unreachable alert rose
 * (three polls later), whichever was first.
 */
export function reachability(hass, container) {
  const status = stateOf(hass, container, COMMON.status);
  const alert = stateOf(hass, container, COMMON.unreachable);
  const silent = status === undefined || status.state === "unavailable";
  if (!silent && !isOn(alert)) return { unreachable: false, since: null };
  const times = [silent ? status : undefined, isOn(alert) ? alert : undefined]
    .filter((s) => s?.last_changed)
    .map((s) => new Date(s.last_changed))
    .filter((t) => !Number.isNaN(t.getTime()));
  return { unreachable: true, since: times.length ? new Date(Math.min(...times)) : null };
}

/** What the site card shows of one container. */
export function summarize(hass, container, nameOf, locale) {
  const readings = READINGS[container.kind] ?? { supply: [], return: [] };
  const { unreachable, since } = reachability(hass, container);
  const alerts = unreachable ? [] : activeAlerts(hass, container, nameOf, locale);
  const reported = stateOf(hass, container, COMMON.severity)?.state;
  const severity = unreachable
    ? "critical"
    : SEVERITIES.includes(reported) ? reported : worstSeverity(alerts.map((a) => a.severity));
  const status = stateOf(hass, container, COMMON.status);
  return {
    container,
    unreachable,
    since,
    severity,
    alerts,
    status,
    maintenance: isOn(stateOf(hass, container, COMMON.maintenance)),
    supply: readings.supply.map((key) => stateOf(hass, container, key)),
    return: readings.return.map((key) => stateOf(hass, container, key)),
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
  if (status === "stopped" || status === "unknown") return 5;
  return 6;
}

/** Whether the site card's "problems only" shows a container. */
export function isProblem(summary) {
  return rank(summary) < 6;
}

/** Summaries worst first; equally bad ones by name. */
export function worstFirst(summaries) {
  return [...summaries].sort(
    (a, b) => rank(a) - rank(b) || a.container.name.localeCompare(b.container.name),
  );
}

// --- site totals ---------------------------------------------------------------------------

const POWER_UNITS = { W: 0.001, kW: 1, MW: 1000 };
const HASHRATE_UNITS = { "GH/s": 0.001, "TH/s": 1, "PH/s": 1000, "EH/s": 1e6 };

/** The sum of some readings in a base unit (kW, TH/s), or null when none has a value. */
function total(states, units) {
  let sum = null;
  for (const stateObj of states) {
    if (!isAvailable(stateObj)) continue;
    const value = Number(stateObj.state);
    const factor = units[stateObj.attributes?.unit_of_measurement ?? ""];
    if (!Number.isFinite(value) || factor === undefined) continue;
    sum = (sum ?? 0) + value * factor;
  }
  return sum;
}

/** A total in the largest of its units that keeps it at 1 or more: `{ value, unit }`. */
export function scaled(value, units) {
  if (value === null) return null;
  const ordered = Object.entries(units).sort((a, b) => a[1] - b[1]);
  let [unit, factor] = ordered.find(([, f]) => f === 1);
  for (const [name, size] of ordered) if (size >= 1 && Math.abs(value) >= size) [unit, factor] = [name, size];
  return { value: value / factor, unit };
}

/**
 * What the site card's header counts: containers by state (running, stopped, error, unknown,
 * unreachable) and by worst alert (critical, high, medium, none), the power and hashrate of all.
 */
export function siteTotals(summaries) {
  const byState = { running: 0, stopped: 0, error: 0, unknown: 0, unreachable: 0 };
  const byWorst = { critical: 0, high: 0, medium: 0, none: 0 };
  for (const summary of summaries) {
    if (summary.unreachable) byState.unreachable += 1;
    else {
      const status = summary.status?.state;
      byState[status in byState && status !== "unreachable" ? status : "unknown"] += 1;
    }
    if (!summary.unreachable) byWorst[summary.severity in byWorst ? summary.severity : "none"] += 1;
  }
  return {
    count: summaries.length,
    byState,
    byWorst,
    power: scaled(total(summaries.map((s) => s.power), POWER_UNITS), POWER_UNITS),
    hashrate: scaled(total(summaries.map((s) => s.hashrate), HASHRATE_UNITS), HASHRATE_UNITS),
  };
}

// --- formatting ----------------------------------------------------------------------------

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

/** Several readings of one kind (one per loop) as one text: "35.1 / 35.0 °C". */
export function formatStates(hass, states, locale) {
  const texts = states.map((stateObj) => formatState(hass, stateObj, locale));
  if (texts.length <= 1) return texts[0] ?? "—";
  const unit = texts.find((t) => t !== "—")?.match(/\s\S+$/)?.[0];
  if (!unit || !texts.every((t) => t === "—" || t.endsWith(unit))) return texts.join(" / ");
  return `${texts.map((t) => (t === "—" ? t : t.slice(0, -unit.length))).join(" / ")}${unit}`;
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
  const seconds = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
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

/** How long until a relative time shown at `now` changes its text, ms (1 s while in seconds). */
export function nextTick(since, now) {
  if (!(since instanceof Date)) return null;
  const elapsed = Math.max(0, now.getTime() - since.getTime());
  const [, size] = UNITS.find(([, length]) => elapsed >= length * 1000) ?? UNITS[UNITS.length - 1];
  return size * 1000 - (elapsed % (size * 1000));
}

// --- the setpoint --------------------------------------------------------------------------

/** A number typed in the user's locale ("32,5" or "32.5"), or NaN. */
export function parseNumber(text) {
  const cleaned = String(text ?? "").trim().replace(/\s/g, "").replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return Number.NaN;
  return Number(cleaned);
}

/**
 * Whether a typed setpoint can be sent: `{ ok: true, value }`, or `{ ok: false, reason }` with
 * reason "number" (not a number), "range" (outside min–max) or "step" (between two steps,
 * with the two nearest as `lower` and `upper`).
 */
export function checkSetpoint(text, { min, max, step } = {}) {
  const value = parseNumber(text);
  if (!Number.isFinite(value)) return { ok: false, reason: "number", value: null };
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { ok: false, reason: "range", value };
  }
  if (step && step > 0) {
    const base = min ?? 0;
    const steps = (value - base) / step;
    const nearest = Math.round(steps);
    if (Math.abs(steps - nearest) > 1e-6) {
      const round = (n) => Number((base + n * step).toFixed(6));
      const lower = round(Math.floor(steps));
      const upper = round(Math.ceil(steps));
      return {
        ok: false,
        reason: "step",
        value,
        lower: min !== undefined ? Math.max(lower, min) : lower,
        upper: max !== undefined ? Math.min(upper, max) : upper,
      };
    }
  }
  return { ok: true, value };
}

// --- whether cooling may be switched off ---------------------------------------------------

/** Whether the cooling may be switched off: the cooling switch's `allow_cooling_off`, or null. */
export function coolingOffAllowed(coolingState) {
  const stated = coolingState?.attributes?.allow_cooling_off;
  return typeof stated === "boolean" ? stated : null;
}

// --- colours -------------------------------------------------------------------------------

/** "rgb(219, 68, 55)", "rgba(…)" or "#db4437" as [r, g, b] (0–255), or null. */
export function parseColor(text) {
  const value = String(text ?? "").trim();
  let match = value.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (match) {
    const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join("") : match[1];
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  match = value.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i);
  return match ? match.slice(1, 4).map(Number) : null;
}

/** WCAG relative luminance of [r, g, b]. */
export function luminance([r, g, b]) {
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of two colours, from 1 to 21. */
export function contrastRatio(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The text colour, black or white, that reads best on a background. */
export function readableOn(background) {
  if (!background) return "#000000";
  return contrastRatio(background, [0, 0, 0]) >= contrastRatio(background, [255, 255, 255])
    ? "#000000"
    : "#ffffff";
}

// --- the dashboard strategy ----------------------------------------------------------------

/** The curves of a container's history graph: its supply (each loop's), return and setpoint. */
export function historyEntities(container) {
  const readings = READINGS[container.kind];
  if (!readings) return [];
  const keys = container.kind === "immersion"
    ? [...readings.supply, COMMON.setpoint]
    : [...readings.supply, ...readings.return, COMMON.setpoint];
  return keys.map((key) => container.entities[key]).filter(Boolean);
}

/** The Antspace dashboard: the site card, then each container's card and 24-hour history. */
export function dashboardConfig(containers, title = "Antspace") {
  const full = { grid_options: { columns: "full" } };
  const sections = [
    { type: "grid", column_span: 2, cards: [{ type: "custom:antspace-site-card", ...full }] },
  ];
  for (const container of containers) {
    if (!container.kind) continue;
    sections.push({
      type: "grid",
      cards: [
        { type: "custom:antspace-container-card", device_id: container.deviceId, ...full },
        { type: "history-graph", hours_to_show: 24, entities: historyEntities(container), ...full },
      ],
    });
  }
  return {
    views: [{ title, path: "site", type: "sections", max_columns: 2, sections }],
  };
}

// --- words ---------------------------------------------------------------------------------

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
export const exceptionKey = (key) => `component.${DOMAIN}.exceptions.${key}.message`;
export const severityKey = (severity) =>
  `component.${DOMAIN}.entity.sensor.highest_severity.state.${severity}`;
