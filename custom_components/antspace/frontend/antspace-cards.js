// The Antspace cards: the site at a glance, and one container's cooling loop.
// Plain ES modules that Home Assistant loads as they are; every word comes from the
// integration's translations (the entities' names, and the cards' own words under
// selector.card.options).
import {
  COMMON,
  DOMAIN,
  PARTS,
  READINGS,
  cardKey,
  entityNameKey,
  findContainers,
  formatSince,
  formatState,
  isAvailable,
  isOn,
  partFaults,
  partRunning,
  severityColor,
  stateOf,
  summarize,
  translate,
  worstFirst,
} from "./logic.js";
import { schematic } from "./schematic.js";

const SITE = "antspace-site-card";
const CONTAINER = "antspace-container-card";
const EDITOR = "antspace-card-editor";

// --- words -------------------------------------------------------------------------------

const loaded = new WeakMap(); // hass.connection → Promise of a localize function

/** Load the integration's card and entity words once per connection and language. */
function loadWords(hass) {
  const key = `${hass.language}`;
  let byLanguage = loaded.get(hass.connection);
  if (!byLanguage) loaded.set(hass.connection, (byLanguage = new Map()));
  if (!byLanguage.has(key)) {
    const load = async () => {
      if (typeof hass.loadBackendTranslation !== "function") return hass.localize;
      await hass.loadBackendTranslation("entity", DOMAIN);
      return hass.loadBackendTranslation("selector", DOMAIN);
    };
    byLanguage.set(key, load().then((localize) => {
      nameCardsInPicker(localize);
      return localize;
    }));
  }
  return byLanguage.get(key);
}

function wordsOf(localize) {
  return {
    card: (key, placeholders) => translate(localize, cardKey(key), placeholders),
    entity: (platform, key) => translate(localize, entityNameKey(platform, key)),
  };
}

const ALERT_SEVERITY_KEY = (severity) =>
  `component.${DOMAIN}.entity.sensor.highest_severity.state.${severity}`;

// --- shared ------------------------------------------------------------------------------

const STYLE = `
  :host { display: block; }
  ha-card { overflow: hidden; }
  .header { display: flex; align-items: baseline; justify-content: space-between; gap: 8px;
    padding: 16px 16px 8px; flex-wrap: wrap; }
  .title { font-size: var(--ha-card-header-font-size, 22px); color: var(--ha-card-header-color,
    var(--primary-text-color)); line-height: 1.3; }
  .muted { color: var(--secondary-text-color); }
  .chip { display: inline-flex; align-items: center; gap: 4px; border-radius: 12px;
    padding: 1px 8px; font-size: 12px; font-weight: 500; color: #fff; white-space: nowrap; }
  .chip.medium { color: #000; }
  .unreachable-text { color: var(--error-color, #db4437); font-weight: 500; }
  .empty { padding: 0 16px 16px; }
`;

function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function navigate(path) {
  history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
}

function severityChip(words, localize, severity, label) {
  const color = severityColor(severity);
  const text = label ?? translate(localize, ALERT_SEVERITY_KEY(severity));
  return `<span class="chip ${severity}" style="background:${color}">${escape(text)}</span>`;
}

function sinceText(words, locale, since) {
  const when = formatSince(since, new Date(), locale);
  return when
    ? words.card("unreachable_since", { time: when.at, ago: when.ago })
    : words.card("unreachable");
}

class AntspaceCard extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._localize = null;
  }

  setConfig(config) {
    if (!config || typeof config !== "object") throw new Error("config");
    this._config = config;
    this._render();
  }

  set hass(hass) {
    this._hass = hass;
    // Drawn once the words are there, not with their keys first; without them, with the keys.
    loadWords(hass).then(
      (localize) => this._useWords(localize),
      () => this._useWords(hass.localize),
    );
    if (this._localize) this._render();
  }

  _useWords(localize) {
    if (localize && localize !== this._localize) {
      this._localize = localize;
      this._signature = null;
      this._render();
    }
  }

  get hass() {
    return this._hass;
  }

  get _words() {
    return wordsOf(this._localize);
  }

  get _locale() {
    return this._hass?.locale?.language ?? this._hass?.language ?? navigator.language;
  }
}

// --- site card -----------------------------------------------------------------------------

class AntspaceSiteCard extends AntspaceCard {
  static getConfigElement() {
    return document.createElement(EDITOR);
  }

  static getStubConfig() {
    return {};
  }

  getCardSize() {
    return 1 + (this._rows ?? 1) * 2;
  }

  _render() {
    if (!this._hass || !this._config || !this._localize) return;
    const hass = this._hass;
    const words = this._words;
    const localize = this._localize;
    const summaries = worstFirst(findContainers(hass).map((c) => summarize(hass, c)));
    this._rows = summaries.length;
    const signature = JSON.stringify([
      this._config,
      this._localize !== null,
      summaries.map((s) => [s.container.deviceId, s.unreachable, s.severity, s.alerts,
        ...["status", "supply", "return", "setpoint", "power", "hashrate"].map(
          (k) => s[k]?.state)]),
      summaries.some((s) => s.unreachable) ? Math.floor(Date.now() / 60000) : 0,
    ]);
    if (signature === this._signature) return;
    this._signature = signature;

    const rows = summaries.map((s) => this._row(words, localize, s)).join("");
    const title = this._config.title || words.card("site_title");
    this.shadowRoot.innerHTML = `
      <style>${STYLE}
        .rows { display: flex; flex-direction: column; padding: 0 8px 8px; }
        .row { display: grid; grid-template-columns: 4px minmax(0, 1fr); gap: 4px 12px;
          padding: 10px 8px; border-radius: 8px; cursor: pointer; align-items: center;
          border-top: 1px solid var(--divider-color); }
        .row:first-child { border-top: none; }
        .row:hover, .row:focus-visible { background: var(--secondary-background-color);
          outline: none; }
        .bar { grid-row: 1 / span 3; align-self: stretch; border-radius: 2px; }
        .head { display: flex; flex-wrap: wrap; justify-content: space-between;
          align-items: baseline; gap: 2px 12px; min-width: 0; }
        .name { font-weight: 500; font-size: 16px; min-width: 0; overflow-wrap: anywhere; }
        .state { margin-left: auto; text-align: right; }
        .figures { grid-column: 2; display: flex; flex-wrap: wrap; gap: 2px 16px;
          font-size: 14px; }
        .figure .label { color: var(--secondary-text-color); margin-right: 4px; }
        .figure .value { font-variant-numeric: tabular-nums; }
        .alerts { grid-column: 2; font-size: 13px; display: flex; flex-wrap: wrap;
          gap: 4px 8px; align-items: center; }
        .alerts .names { color: var(--primary-text-color); }
        .unreachable .figures, .unreachable .name { opacity: 0.7; }
      </style>
      <ha-card>
        <div class="header"><div class="title">${escape(title)}</div>
          <div class="muted">${escape(words.card("containers", { count: summaries.length }))}</div></div>
        ${summaries.length ? `<div class="rows">${rows}</div>`
          : `<div class="empty muted">${escape(words.card("no_containers"))}</div>`}
      </ha-card>`;
    for (const row of this.shadowRoot.querySelectorAll(".row")) {
      const open = () => navigate(`/config/devices/device/${row.dataset.device}`);
      row.addEventListener("click", open);
      row.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); }
      });
    }
  }

  _row(words, localize, s) {
    const hass = this._hass;
    const locale = this._locale;
    const color = s.unreachable ? severityColor("unreachable") : severityColor(s.severity);
    const figure = (label, stateObj) =>
      `<span class="figure"><span class="label">${escape(label)}</span><span class="value">${
        escape(formatState(hass, stateObj, locale))}</span></span>`;
    const state = s.unreachable
      ? `<span class="unreachable-text">${escape(sinceText(words, locale, s.since))}</span>`
      : `<span class="status">${escape(formatState(hass, s.status, locale))}</span>`;
    const alertNames = s.alerts.map((key) => words.entity("binary_sensor", key));
    const alerts = s.alerts.length && !s.unreachable
      ? `<div class="alerts">${severityChip(words, localize, s.severity,
          words.card("alerts", { count: s.alerts.length }))}
          <span class="names">${escape(alertNames.join(" · "))}</span></div>`
      : "";
    return `
      <div class="row ${s.unreachable ? "unreachable" : ""}" role="link" tabindex="0"
           data-device="${escape(s.container.deviceId)}" data-severity="${s.unreachable ? "unreachable" : s.severity}">
        <div class="bar" style="background:${color}"></div>
        <div class="head"><div class="name">${escape(s.container.name)}</div>
          <div class="state">${state}</div></div>
        <div class="figures">
          ${figure(words.card("supply"), s.supply)}
          ${figure(words.card("return"), s.return)}
          ${figure(words.card("setpoint"), s.setpoint)}
          ${figure(words.card("power"), s.power)}
          ${figure(words.card("hashrate"), s.hashrate)}
        </div>
        ${alerts}
      </div>`;
  }
}

// --- container card ------------------------------------------------------------------------

class AntspaceContainerCard extends AntspaceCard {
  static getConfigElement() {
    return document.createElement(EDITOR);
  }

  static getStubConfig(hass) {
    const [first] = findContainers(hass);
    return { device_id: first?.deviceId ?? "" };
  }

  getCardSize() {
    return 8;
  }

  _container() {
    return findContainers(this._hass).find((c) => c.deviceId === this._config.device_id);
  }

  _render() {
    if (!this._hass || !this._config || !this._localize) return;
    const hass = this._hass;
    const words = this._words;
    const localize = this._localize;
    const container = this._container();
    if (!container) {
      this._signature = null;
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><ha-card><div class="header">
        <div class="muted">${escape(words.card("pick_container"))}</div></div></ha-card>`;
      return;
    }
    // Typing a setpoint: the next poll must not replace the field under the cursor.
    if (this.shadowRoot.activeElement?.classList?.contains("setpoint")) return;
    const summary = summarize(hass, container);
    const states = Object.values(container.entities).map((id) => hass.states[id]?.state);
    const signature = JSON.stringify([this._config, this._localize !== null, states,
      this._confirming, summary.unreachable ? Math.floor(Date.now() / 60000) : 0]);
    if (signature === this._signature) return;
    this._signature = signature;

    const locale = this._locale;
    const value = (key) => formatState(hass, stateOf(hass, container, key), locale);
    const parts = PARTS[container.kind] ?? {};
    const activeAlerts = [...summary.alerts];
    const part = (name) => {
      const faults = summary.unreachable ? [] : partFaults(parts[name], activeAlerts);
      return {
        running: !summary.unreachable && partRunning(hass, container, parts[name]),
        faults: faults.map((key) => words.entity("binary_sensor", key)),
      };
    };
    const svg = schematic(container.kind, {
      part,
      value,
      word: words.card,
      running: !summary.unreachable && isOn(stateOf(hass, container, COMMON.cooling)),
    });

    const setpoint = stateOf(hass, container, COMMON.setpoint);
    const cooling = stateOf(hass, container, COMMON.cooling);
    const attrs = setpoint?.attributes ?? {};
    const header = summary.unreachable
      ? `<span class="unreachable-text">${escape(sinceText(words, locale, summary.since))}</span>`
      : `<span>${escape(formatState(hass, summary.status, locale))}</span>
         ${summary.alerts.length ? severityChip(words, localize, summary.severity,
           words.card("alerts", { count: summary.alerts.length })) : ""}`;
    const alertList = summary.alerts.length && !summary.unreachable
      ? `<ul class="alert-list">${summary.alerts.map((key) =>
          `<li>${escape(words.entity("binary_sensor", key))}</li>`).join("")}</ul>` : "";
    this.shadowRoot.innerHTML = `
      <style>${STYLE}
        .state { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
        .schematic { padding: 0 8px; }
        .schematic svg { width: 100%; height: auto; display: block; }
        .schematic.unreachable svg { opacity: 0.45; filter: grayscale(1); }
        .alert-list { margin: 4px 16px 0; padding-left: 20px; color: ${severityColor(summary.severity)};
          font-size: 14px; }
        .alert-list li span { color: var(--primary-text-color); }
        .controls { display: flex; flex-direction: column; gap: 8px; padding: 8px 16px 16px; }
        .control { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
        .control input { width: 6em; font: inherit; padding: 4px 6px; text-align: right;
          color: var(--primary-text-color); background: var(--card-background-color);
          border: 1px solid var(--divider-color); border-radius: 4px; }
        .control .unit { color: var(--secondary-text-color); margin-left: 4px; }
        .control .entry { display: inline-flex; align-items: baseline; white-space: nowrap; }
        .confirm { margin: 0 16px 16px; padding: 12px; border-radius: 8px;
          border: 2px solid var(--error-color, #db4437); background: var(--secondary-background-color); }
        .confirm p { margin: 0 0 8px; }
        .buttons { display: flex; justify-content: flex-end; gap: 8px; flex-wrap: wrap; }
        button { font: inherit; padding: 6px 14px; border-radius: 6px; cursor: pointer;
          border: 1px solid var(--divider-color); background: var(--card-background-color);
          color: var(--primary-text-color); }
        button.danger { background: var(--error-color, #db4437); color: #fff; border-color: transparent; }
        ${SCHEMATIC_STYLE}
      </style>
      <ha-card>
        <div class="header"><div class="title">${escape(container.name)}</div>
          <div class="state">${header}</div></div>
        <div class="schematic ${summary.unreachable ? "unreachable" : ""}">${svg}</div>
        ${alertList}
        <div class="controls">
          <label class="control"><span>${escape(words.entity("number", "supply_liquid_set_temp"))}</span>
            <span class="entry"><input type="number" class="setpoint" min="${attrs.min ?? ""}" max="${attrs.max ?? ""}"
              step="${attrs.step ?? "any"}" value="${isAvailable(setpoint) ? escape(setpoint.state) : ""}"
              ${isAvailable(setpoint) ? "" : "disabled"}><span class="unit">${escape(attrs.unit_of_measurement ?? "")}</span></span></label>
          <div class="control"><span>${escape(words.entity("switch", "cooling"))}</span>
            <ha-switch class="cooling" ${isOn(cooling) ? "checked" : ""} ${isAvailable(cooling) ? "" : "disabled"}></ha-switch></div>
        </div>
        ${this._confirming ? `<div class="confirm" role="alertdialog">
          <p>${escape(words.card("confirm_cooling_off", { container: container.name }))}</p>
          <div class="buttons"><button class="cancel">${escape(words.card("cancel"))}</button>
          <button class="danger confirm-off">${escape(words.card("turn_cooling_off"))}</button></div></div>` : ""}
      </ha-card>`;
    this._wire(container, setpoint, cooling);
  }

  _forceRender() {
    this._signature = null;
    this._render();
  }

  _wire(container, setpoint, cooling) {
    const root = this.shadowRoot;
    const input = root.querySelector("input.setpoint");
    input?.addEventListener("change", () => {
      const value = Number(input.value);
      const { min, max } = setpoint?.attributes ?? {};
      if (!Number.isFinite(value) || (min !== undefined && value < min)
          || (max !== undefined && value > max)) {
        input.value = setpoint?.state ?? "";
        return;
      }
      // Home Assistant shows why an action failed; the field shows the setpoint again.
      this._hass.callService("number", "set_value", { value },
        { entity_id: container.entities[COMMON.setpoint] }).catch(() => {
        input.value = setpoint?.state ?? "";
      });
    });
    input?.addEventListener("blur", () => {
      this._signature = null;
      this._render();
    });
    const toggle = root.querySelector("ha-switch.cooling");
    if (toggle) toggle.checked = isOn(cooling);
    toggle?.addEventListener("change", () => {
      const entityId = container.entities[COMMON.cooling];
      if (toggle.checked) {
        this._hass.callService("switch", "turn_on", {}, { entity_id: entityId })
          .catch(() => this._forceRender());
        return;
      }
      toggle.checked = true; // stays on until confirmed
      this._confirming = true;
      this._signature = null;
      this._render();
    });
    root.querySelector("button.cancel")?.addEventListener("click", () => {
      this._confirming = false;
      this._signature = null;
      this._render();
    });
    root.querySelector("button.confirm-off")?.addEventListener("click", () => {
      this._confirming = false;
      this._signature = null;
      this._hass.callService("switch", "turn_off", {},
        { entity_id: container.entities[COMMON.cooling] }).catch(() => this._forceRender());
      this._render();
    });
  }
}

const SCHEMATIC_STYLE = `
  .pipe { fill: none; stroke-width: 6; stroke-linecap: round; stroke-linejoin: round; }
  .pipe.supply { stroke: var(--info-color, #039be5); }
  .pipe.return { stroke: var(--error-color, #db4437); opacity: 0.75; }
  .flow { fill: none; stroke: var(--card-background-color, #fff); stroke-width: 2;
    stroke-dasharray: 4 12; opacity: 0.9; }
  .flowing .flow { animation: flow 1s linear infinite; }
  @keyframes flow { to { stroke-dashoffset: -16; } }
  .box { fill: var(--secondary-background-color, #f5f5f5); stroke: var(--divider-color, #ccc);
    stroke-width: 1.5; }
  .part { fill: var(--card-background-color, #fff); stroke: var(--secondary-text-color, #777);
    stroke-width: 2; }
  .running .part, .part.running { stroke: var(--success-color, #43a047); }
  .running .rotor { animation: spin 1.2s linear infinite; transform-box: fill-box;
    transform-origin: center; }
  .rotor { fill: var(--secondary-text-color, #777); }
  .running .rotor { fill: var(--success-color, #43a047); }
  .fault .part, .fault.box { stroke: var(--error-color, #db4437); stroke-width: 3; }
  .fault-label { fill: var(--error-color, #db4437); font-weight: 600; }
  @keyframes spin { to { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .running .rotor, .flowing .flow { animation: none; } }
  text { fill: var(--primary-text-color, #212121); font-size: 14px;
    font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, sans-serif));
    paint-order: stroke; stroke: var(--card-background-color, #fff); stroke-width: 3px;
    stroke-linejoin: round; }
  .label { fill: var(--secondary-text-color, #777); font-size: 12px; }
  .value { font-weight: 600; font-variant-numeric: tabular-nums; }
  .small { font-size: 12px; }
  .tank-fill { fill: var(--info-color, #039be5); opacity: 0.35; }
`;

// --- editor --------------------------------------------------------------------------------

class AntspaceCardEditor extends HTMLElement {
  setConfig(config) {
    this._config = config;
    this._render();
  }

  set hass(hass) {
    this._hass = hass;
    loadWords(hass).then((localize) => {
      this._localize = localize;
      this._render();
    });
    this._render();
  }

  _render() {
    if (!this._hass || !this._config) return;
    const words = wordsOf(this._localize ?? this._hass.localize);
    const isSite = this._config.type === `custom:${SITE}`;
    const schema = isSite
      ? [{ name: "title", selector: { text: {} } }]
      : [{ name: "device_id", required: true,
          selector: { device: { filter: { integration: DOMAIN } } } }];
    if (!this._form) {
      this._form = document.createElement("ha-form");
      this._form.addEventListener("value-changed", (ev) => {
        const config = { ...this._config, ...ev.detail.value };
        for (const [key, value] of Object.entries(config)) if (value === "") delete config[key];
        this._config = config;
        this.dispatchEvent(new CustomEvent("config-changed", {
          detail: { config }, bubbles: true, composed: true }));
      });
      this.appendChild(this._form);
    }
    this._form.hass = this._hass;
    this._form.schema = schema;
    this._form.data = this._config;
    this._form.computeLabel = (item) => words.card(`editor_${item.name}`);
  }
}

// --- registration --------------------------------------------------------------------------

const define = (name, element) => customElements.get(name) || customElements.define(name, element);
define(SITE, AntspaceSiteCard);
define(CONTAINER, AntspaceContainerCard);
define(EDITOR, AntspaceCardEditor);

const PICKER = [
  { type: SITE, word: "site" },
  { type: CONTAINER, word: "container" },
];
window.customCards = window.customCards || [];
for (const { type, word } of PICKER) {
  if (!window.customCards.some((card) => card.type === type)) {
    window.customCards.push({
      type,
      name: cardKey(`${word}_name`),
      description: cardKey(`${word}_description`),
      preview: true,
      documentationURL: "https://github.com/antspace-ha/antspace-homeassistant#cards",
    });
  }
}

/** Give the card picker's entries their words, once they are loaded. */
function nameCardsInPicker(localize) {
  const words = wordsOf(localize);
  for (const { type, word } of PICKER) {
    const card = window.customCards.find((entry) => entry.type === type);
    if (card) {
      card.name = words.card(`${word}_name`);
      card.description = words.card(`${word}_description`);
    }
  }
}

// The picker may open before any Antspace card is shown: load the words from the page's hass.
const app = document.querySelector("home-assistant");
if (app?.hass) loadWords(app.hass);
else customElements.whenDefined("home-assistant").then(() => {
  const waitForHass = (tries) => {
    const hass = document.querySelector("home-assistant")?.hass;
    if (hass) loadWords(hass);
    else if (tries > 0) setTimeout(() => waitForHass(tries - 1), 1000);
  };
  waitForHass(60);
});

export { AntspaceSiteCard, AntspaceContainerCard, READINGS };
