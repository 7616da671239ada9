// The Antspace cards: the site at a glance, and one container's cooling loop; and the
// Antspace dashboard strategy that lays them out for every container Home Assistant has.
// Plain ES modules that Home Assistant loads as they are, drawn with the vendored Lit
// (vendor/README.md): an update changes only what changed, so that animations and the
// keyboard focus survive a poll. Every word comes from the integration's translations (the
// entities' names, the cards' own words under selector.card.options, and its exceptions).
//
// The modules load one another with the query of this module's URL (the integration's
// version), so that an update of the integration reaches every browser.
const VERSION = new URL(import.meta.url).search;
window.litDisableBundleWarning = true;
const { LitElement, html, svg, nothing, css, unsafeCSS, live, repeat } = await import(
  "./vendor/lit-all-3.1.2.min.js"
);
const {
  COMMON,
  DOMAIN,
  PARTS,
  SEVERITY_COLORS,
  bySeverity,
  cardKey,
  changed,
  checkSetpoint,
  coolingOffAllowed,
  dashboardConfig,
  entityNameKey,
  exceptionKey,
  findContainers,
  formatNumber,
  formatSince,
  formatState,
  formatStates,
  isAvailable,
  isOn,
  isProblem,
  nextTick,
  partAlerts,
  parseColor,
  readableOn,
  runningEntity,
  severityKey,
  siteTotals,
  stateOf,
  summarize,
  translate,
  worstFirst,
  worstSeverity,
} = await import(`./logic.js${VERSION}`);
const { schematic, SCHEMATIC_STYLE } = await import(`./schematic.js${VERSION}`);

const SITE = "antspace-site-card";
const CONTAINER = "antspace-container-card";
const EDITOR = "antspace-card-editor";
const STRATEGY = "antspace";
const PENDING_FOR = 30_000; // ms a sent setpoint is shown before the container's again

// --- words -------------------------------------------------------------------------------

const loaded = new WeakMap(); // hass.connection → Map of language → Promise of localize

/** Load the integration's words (entities, cards, exceptions) once per connection and language. */
function loadWords(hass) {
  const key = `${hass.language}`;
  let byLanguage = loaded.get(hass.connection);
  if (!byLanguage) loaded.set(hass.connection, (byLanguage = new Map()));
  if (!byLanguage.has(key)) {
    const load = async () => {
      if (typeof hass.loadBackendTranslation !== "function") return hass.localize;
      await hass.loadBackendTranslation("entity", DOMAIN);
      await hass.loadBackendTranslation("exceptions", DOMAIN);
      return hass.loadBackendTranslation("selector", DOMAIN);
    };
    byLanguage.set(key, load().then((localize) => {
      nameInPickers(localize);
      return localize;
    }));
  }
  return byLanguage.get(key);
}

function wordsOf(localize) {
  const known = (key) => (localize ? localize(key) : "") || null;
  return {
    card: (key, placeholders) => translate(localize, cardKey(key), placeholders),
    entity: (platform, key) => translate(localize, entityNameKey(platform, key)),
    exception: (key, placeholders) => translate(localize, exceptionKey(key), placeholders),
    severity: (severity) => translate(localize, severityKey(severity)),
    /** A card word where there is one, else null. */
    cardOrNull: (key) => known(cardKey(key)),
    /** Home Assistant's word for a state every entity may have: unavailable, unknown. */
    state: (state) => known(`state.default.${state}`) ?? state,
  };
}

/** An action's error as the user reads it: its translation where it has one. */
function errorText(localize, err) {
  if (err?.translation_key && err?.translation_domain) {
    const text = localize?.(
      `component.${err.translation_domain}.exceptions.${err.translation_key}.message`,
      ...Object.entries(err.translation_placeholders ?? {}).flat(),
    );
    if (text) return text;
  }
  return err?.message ?? String(err);
}

// --- one clock for every card --------------------------------------------------------------

/**
 * The time the cards show "since when" against: one for all of them, so that two cards agree,
 * and ticking while a relative time is shown ("now", "11 seconds ago", "2 minutes ago").
 */
const clock = {
  now: new Date(),
  cards: new Map(), // card → the times since which it shows how long ago
  timer: null,
  watch(card, sinces) {
    const known = this.cards.get(card) ?? [];
    if (sinces.length) this.cards.set(card, sinces);
    else this.cards.delete(card);
    const same = known.length === sinces.length && known.every((t, i) => +t === +sinces[i]);
    if (!same) this._schedule();
  },
  /**
   * The time to show "how long ago" against. A card that draws between two ticks moves it on
   * for every card, so that two cards never show different times.
   */
  current(drawing) {
    const now = Date.now();
    if (now - this.now.getTime() >= 1000) {
      this.now = new Date(now);
      for (const card of this.cards.keys()) if (card !== drawing) card.requestUpdate();
    }
    return this.now;
  },
  /** Wake when the first of the texts shown changes ("now", then each second, each minute…). */
  _schedule() {
    clearTimeout(this.timer);
    this.timer = null;
    const now = new Date();
    const waits = [...this.cards.values()].flat().map((since) => nextTick(since, now));
    if (!waits.length) return;
    const wait = Math.min(Math.max(Math.min(...waits) + 5, 200), 60_000);
    this.timer = setTimeout(() => {
      this.now = new Date();
      for (const card of this.cards.keys()) card.requestUpdate();
      this._schedule();
    }, wait);
  },
};

// --- measuring text for the picture --------------------------------------------------------

const FONT = "Roboto, Noto, sans-serif"; // Home Assistant's, where its theme names none
const widths = new Map();
let context = null;
const fontsAsked = new Set();
const cards = new Set(); // cards on the page, to re-fit their texts when a font arrives

function refit() {
  widths.clear();
  for (const card of cards) card.requestUpdate();
}
document.fonts?.addEventListener?.("loadingdone", refit);

/** The width of a text in a font, px, as the browser draws it (canvas; cached). */
function measurer(family) {
  context ??= document.createElement("canvas").getContext("2d");
  return (text, size, weight = 400) => {
    const font = `${weight} ${size}px ${family}`;
    const key = `${font}\u0000${text}`;
    let width = widths.get(key);
    if (width === undefined) {
      if (document.fonts && !document.fonts.check(font, text)) {
        const ask = `${font}\u0000${[...text].find((c) => c.charCodeAt(0) > 127) ?? ""}`;
        if (!fontsAsked.has(ask)) {
          fontsAsked.add(ask);
          document.fonts.load(font, text).then(refit, () => {});
        }
      }
      context.font = font;
      width = context.measureText(text).width;
      widths.set(key, width);
    }
    return width;
  };
}

// --- shared look ---------------------------------------------------------------------------

const COLORS = css`
  :host {
    --as-critical: ${unsafeCSS(SEVERITY_COLORS.critical)};
    --as-high: ${unsafeCSS(SEVERITY_COLORS.high)};
    --as-medium: ${unsafeCSS(SEVERITY_COLORS.medium)};
    --as-none: ${unsafeCSS(SEVERITY_COLORS.none)};
    --as-on-critical: #000;
    --as-on-high: #000;
    --as-on-medium: #000;
  }
  .sev-critical { --as-sev: var(--as-critical); --as-on-sev: var(--as-on-critical); }
  .sev-high { --as-sev: var(--as-high); --as-on-sev: var(--as-on-high); }
  .sev-medium { --as-sev: var(--as-medium); --as-on-sev: var(--as-on-medium); }
  .sev-none { --as-sev: var(--as-none); }
`;

const STYLE = css`
  :host { display: block; }
  ha-card { overflow: hidden; }
  .header { display: flex; align-items: center; justify-content: space-between; gap: 4px 8px;
    padding: 16px 16px 8px; flex-wrap: wrap; }
  .title { font-size: var(--ha-card-header-font-size, 22px); color: var(--ha-card-header-color,
    var(--primary-text-color)); line-height: 1.3; min-width: 0; overflow-wrap: anywhere; }
  .muted { color: var(--secondary-text-color); }
  .chip { display: inline-flex; align-items: center; gap: 4px; border-radius: 12px;
    padding: 1px 8px; font-size: 12px; font-weight: 600; line-height: 18px;
    background: var(--as-sev); color: var(--as-on-sev); white-space: nowrap; }
  .chip.neutral { background: var(--secondary-background-color); color: var(--primary-text-color);
    border: 1px solid var(--divider-color); }
  .icon { width: 14px; height: 14px; flex: none; }
  .icon .shape { fill: currentColor; }
  .icon .mark { fill: var(--as-sev); }
  .unreachable-text .chip { white-space: normal; }
  .empty { padding: 0 16px 16px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** The shape of a severity, so that it is told by more than its colour. */
function severityIcon(severity) {
  const shapes = {
    critical: svg`<path class="shape" d="M4.7 1h6.6L15 4.7v6.6L11.3 15H4.7L1 11.3V4.7z"></path>`,
    high: svg`<path class="shape" d="M8 1l7.5 14h-15z"></path>`,
    medium: svg`<circle class="shape" cx="8" cy="8" r="7"></circle>`,
  };
  const markY = severity === "high" ? 6 : 4;
  return html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true">${shapes[severity] ?? shapes.medium}
    <rect class="mark" x="7" y=${markY} width="2" height="5" rx="1"></rect>
    <rect class="mark" x="7" y=${markY + 6.5} width="2" height="2" rx="1"></rect></svg>`;
}

/** A chip of a severity: its colour, its shape and a text. */
function severityChip(severity, text, label = text) {
  return html`<span class="chip sev-${severity}" data-severity=${severity} title=${label}
    aria-label=${label}>${severityIcon(severity)}<span aria-hidden="true">${text}</span></span>`;
}

function navigate(path) {
  history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
}

class AntspaceCard extends LitElement {
  static properties = { _localize: { state: true } };

  constructor() {
    super();
    this._localize = null;
    this._ids = [];
    this._containers = [];
    /** How many times the card was drawn: the browser test checks that a state change of
     * another integration's entity draws nothing. */
    this.renders = 0;
  }

  connectedCallback() {
    super.connectedCallback();
    cards.add(this);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    cards.delete(this);
    clock.watch(this, []);
  }

  setConfig(config) {
    if (!config || typeof config !== "object") throw new Error("config");
    this._config = config;
    this.requestUpdate();
  }

  get hass() {
    return this._hass;
  }

  /**
   * A new state of Home Assistant: drawn again only when one of this card's own entities, the
   * registries, the language or the theme changed; a change elsewhere costs a look at the
   * card's own entities only.
   */
  set hass(hass) {
    const old = this._hass;
    this._hass = hass;
    if (!old || old.language !== hass.language || old.connection !== hass.connection) {
      loadWords(hass).then(
        (localize) => this._useWords(localize),
        () => this._useWords(hass.localize),
      );
    }
    let redraw = !old || old.themes !== hass.themes || old.locale !== hass.locale;
    if (!old || old.entities !== hass.entities || old.devices !== hass.devices) {
      this._containers = findContainers(hass);
      this._ids = this._ownIds(this._containers);
      redraw = true;
    }
    if (redraw || changed(old?.states, hass.states, this._ids)) this.requestUpdate();
  }

  _useWords(localize) {
    if (localize && localize !== this._localize) this._localize = localize;
  }

  get _words() {
    return wordsOf(this._localize);
  }

  get _locale() {
    return this._hass?.locale?.language ?? this._hass?.language ?? navigator.language;
  }

  get _ready() {
    return Boolean(this._hass && this._config && this._localize);
  }

  _nameOf() {
    const words = this._words;
    return (key) => words.entity("binary_sensor", key);
  }

  /** "Unreachable since 14:03 (2 minutes ago)", against the clock all cards share. */
  _unreachableChip(since) {
    const when = formatSince(since, clock.current(this), this._locale);
    const text = when
      ? this._words.card("unreachable_since", { time: when.at, ago: when.ago })
      : this._words.card("unreachable");
    return html`<span class="unreachable-text">${severityChip("critical", text)}</span>`;
  }

  /** The text colour of each severity's chips, black or white, whichever reads better. */
  _pickTextColors() {
    const probe = this.renderRoot?.querySelector(".probe");
    if (!probe) return;
    for (const severity of ["critical", "high", "medium"]) {
      probe.style.color = `var(--as-${severity})`;
      const background = parseColor(getComputedStyle(probe).color);
      this.style.setProperty(`--as-on-${severity}`, readableOn(background));
    }
  }

  updated(changedProperties) {
    super.updated(changedProperties);
    const themes = this._hass?.themes;
    if (themes !== this._themes) {
      this._themes = themes;
      this._pickTextColors();
      // The picture's texts are fitted in the theme's font.
      const family = getComputedStyle(this).getPropertyValue("--ha-font-family-body").trim() || FONT;
      if (family !== (this._family ?? FONT)) {
        this._family = family;
        this.requestUpdate();
      }
    }
  }
}

// --- site card -----------------------------------------------------------------------------

class AntspaceSiteCard extends AntspaceCard {
  static styles = [COLORS, STYLE, css`
    .header { padding-bottom: 8px; align-items: center; }
    .header .title { margin-right: 8px; }
    .filter { font: inherit; font-size: 13px; padding: 3px 10px; border-radius: 16px;
      cursor: pointer; border: 1px solid var(--divider-color); color: var(--primary-text-color);
      background: var(--card-background-color); margin-left: auto; }
    .filter[aria-pressed="true"] { background: var(--primary-color); border-color: transparent;
      color: var(--text-primary-color, #fff); }
    .totals { flex: 1 1 auto; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 14px;
      align-items: center; }
    .totals .figure .label { color: var(--secondary-text-color); margin-right: 4px; }
    .totals .counts { display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: center; }
    .rows { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr));
      gap: 0 8px; padding: 0 8px 8px; }
    .row { display: grid; grid-template-columns: 4px minmax(0, 1fr); gap: 0 8px;
      padding: 3px 6px; border-radius: 6px; cursor: pointer; line-height: 17px;
      border-top: 1px solid var(--divider-color); min-width: 0; }
    .row:hover, .row:focus-visible { background: var(--secondary-background-color);
      outline: none; }
    .row:focus-visible { box-shadow: inset 0 0 0 2px var(--primary-color); }
    .bar { align-self: stretch; border-radius: 2px; background: var(--as-sev); }
    .main { min-width: 0; display: flex; flex-direction: column; }
    .line { display: flex; flex-wrap: wrap; align-items: center; gap: 0 6px; min-width: 0; }
    .name { font-weight: 500; font-size: 15px; flex: 0 1 auto; max-width: 100%; overflow: hidden;
      text-overflow: ellipsis; white-space: nowrap; }
    .status { font-size: 13px; flex: none; color: var(--secondary-text-color); }
    .line .chip { flex: none; line-height: 16px; padding: 0 6px; }
    .names { font-size: 13px; flex: 1 1 0; min-width: 0; overflow: hidden;
      text-overflow: ellipsis; white-space: nowrap; }
    .figures { display: flex; flex-wrap: wrap; gap: 0 10px; font-size: 13px; }
    .figure .label { color: var(--secondary-text-color); margin-right: 3px; }
    .figure .value { font-variant-numeric: tabular-nums; white-space: nowrap; }
    .probe { display: none; }
  `];

  static getConfigElement() {
    return document.createElement(EDITOR);
  }

  static getStubConfig() {
    return {};
  }

  getCardSize() {
    return 2 + Math.ceil((this._containers?.length ?? 1) * 1.2);
  }

  _ownIds(containers) {
    return containers.flatMap((c) => c.ids);
  }

  get _problemsOnly() {
    return this._filter ?? Boolean(this._config?.problems_only);
  }

  render() {
    if (!this._ready) return nothing;
    this.renders += 1;
    const hass = this._hass;
    const words = this._words;
    const locale = this._locale;
    const nameOf = this._nameOf();
    const summaries = worstFirst(this._containers.map((c) => summarize(hass, c, nameOf, locale)));
    const shown = this._problemsOnly ? summaries.filter(isProblem) : summaries;
    const totals = siteTotals(summaries);
    clock.watch(this, summaries.filter((s) => s.unreachable && s.since).map((s) => s.since));
    const title = this._config.title || words.card("site_title");
    return html`<ha-card>
      <span class="probe"></span>
      <div class="header"><div class="title">${title}</div>
        ${summaries.length ? this._totals(totals) : nothing}
        ${summaries.length ? html`<button class="filter" aria-pressed=${this._problemsOnly ? "true" : "false"}
          @click=${this._toggleFilter}>${words.card("problems_only")}</button>` : nothing}</div>
      ${!summaries.length
        ? html`<div class="empty muted">${words.card("no_containers")}</div>`
        : !shown.length
          ? html`<div class="empty muted">${words.card("no_problems")}</div>`
          : html`<div class="rows">${repeat(shown, (s) => s.container.deviceId, (s) => this._row(s))}</div>`}
    </ha-card>`;
  }

  _toggleFilter() {
    this._filter = !this._problemsOnly;
    this.requestUpdate();
  }

  _totals(totals) {
    const words = this._words;
    const locale = this._locale;
    const figure = (label, value) => value
      ? html`<span class="figure"><span class="label">${label}</span><span class="value">${
        formatNumber(value.value, locale)} ${value.unit}</span></span>`
      : nothing;
    const counts = [];
    for (const severity of ["critical", "high", "medium"]) {
      const count = totals.byWorst[severity];
      if (count) {
        counts.push(severityChip(severity, `${words.severity(severity)} ${count}`));
      }
    }
    const state = (key, label) => totals.byState[key]
      ? html`<span class="count" data-state=${key}>${label}: ${totals.byState[key]}</span>` : nothing;
    const status = (key) => translate(this._localize, `component.${DOMAIN}.entity.sensor.status.state.${key}`);
    return html`<div class="totals">
      <span class="muted">${words.card("containers", { count: totals.count })}</span>
      ${figure(words.card("power"), totals.power)}
      ${figure(words.card("hashrate"), totals.hashrate)}
      <span class="counts">${counts}
        ${totals.byState.unreachable ? severityChip("critical",
          `${words.card("unreachable")} ${totals.byState.unreachable}`) : nothing}
        ${state("running", status("running"))}${state("stopped", status("stopped"))}
        ${state("error", status("error"))}${state("unknown", words.state("unknown"))}
      </span></div>`;
  }

  /**
   * One container in two lines (three when the readings need it): its name, status and alerts
   * by severity, the names of the alerts as far as they go (all of them on hover); then its
   * readings. An unreachable one says since when instead of readings.
   */
  _row(s) {
    const hass = this._hass;
    const words = this._words;
    const locale = this._locale;
    const severity = s.unreachable ? "critical" : s.severity;
    const figure = (label, value, cls) => html`<span class="figure ${cls}">${label
      ? html`<span class="label">${label}</span>` : nothing}<span class="value">${value}</span></span>`;
    const groups = bySeverity(s.alerts);
    const names = s.alerts.map((a) => a.name).join(" · ");
    const open = () => navigate(`/config/devices/device/${s.container.deviceId}`);
    const maintenance = s.maintenance
      ? html`<span class="chip neutral">${words.entity("switch", "maintenance")}</span>` : nothing;
    const first = s.unreachable
      ? html`<div class="line unreachable-line"><span class="name" title=${s.container.name}>${s.container.name}</span>
          ${maintenance}${this._unreachableChip(s.since)}</div>`
      : html`<div class="line"><span class="name" title=${s.container.name}>${s.container.name}</span>
          <span class="status">${formatState(hass, s.status, locale)}</span>${maintenance}
          ${groups.map((g) => severityChip(g.severity, String(g.alerts.length),
            `${words.severity(g.severity)}: ${g.alerts.length}`))}
          <span class="names alerts" title=${names}>${names}</span></div>`;
    return html`<div class="row sev-${severity} ${s.unreachable ? "unreachable" : ""}" role="link"
        tabindex="0" data-device=${s.container.deviceId} data-severity=${s.unreachable ? "unreachable" : s.severity}
        aria-label=${[s.container.name, names].filter(Boolean).join(": ")}
        @click=${open} @keydown=${(ev) => {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); }
        }}>
      <div class="bar"></div>
      <div class="main">
        ${first}
        ${s.unreachable ? nothing : html`<div class="figures">
          ${figure(words.card("supply"), formatStates(hass, s.supply, locale), "supply")}
          ${figure(words.card("setpoint"), formatState(hass, s.setpoint, locale), "setpoint")}
          ${figure(words.card("return"), formatStates(hass, s.return, locale), "return")}
          ${figure(null, formatState(hass, s.power, locale), "power")}
          ${figure(null, formatState(hass, s.hashrate, locale), "hashrate")}
        </div>`}
      </div>
    </div>`;
  }
}

// --- container card ------------------------------------------------------------------------

class AntspaceContainerCard extends AntspaceCard {
  static styles = [COLORS, STYLE, unsafeCSS(SCHEMATIC_STYLE), css`
    .header .state { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
    .schematic { padding: 0 8px; }
    .schematic svg { width: 100%; height: auto; display: block; }
    .schematic.unreachable svg { opacity: 0.45; filter: grayscale(1); }
    .detail { margin: 4px 16px 0; padding: 6px 10px; border-radius: 6px; font-size: 14px;
      background: var(--secondary-background-color); }
    .alert-list { margin: 8px 16px 0; display: flex; flex-direction: column; gap: 6px; }
    .group { display: flex; gap: 8px; align-items: flex-start; }
    .group .chip { margin-top: 1px; }
    .group ul { margin: 0; padding: 0; list-style: none; font-size: 14px; line-height: 20px; }
    .group li { display: inline; }
    .group li + li::before { content: " · "; color: var(--secondary-text-color); }
    .group li.picked span { font-weight: 600; text-decoration: underline; }
    .controls { display: flex; flex-direction: column; gap: 4px; padding: 12px 16px 16px; }
    .control { display: flex; align-items: center; justify-content: space-between; gap: 12px;
      min-height: 40px; }
    .control .entry { display: inline-flex; align-items: baseline; white-space: nowrap; }
    .control input { width: 5.5em; font: inherit; padding: 6px 8px; text-align: right;
      color: var(--primary-text-color); background: var(--card-background-color);
      border: 1px solid var(--divider-color); border-radius: 4px; }
    .control input[aria-invalid="true"] { border-color: var(--as-critical); border-width: 2px; }
    .control input:disabled { color: var(--secondary-text-color); }
    .control .unit { color: var(--secondary-text-color); margin-left: 4px; }
    .hint { font-size: 12px; color: var(--secondary-text-color); margin-top: -4px; }
    .message { font-size: 13px; padding: 6px 10px; border-radius: 6px;
      border-left: 4px solid var(--as-critical); background: var(--secondary-background-color);
      color: var(--primary-text-color); }
    .state-word { color: var(--secondary-text-color); font-style: italic; }
    .confirm { margin: 0 16px 16px; padding: 12px; border-radius: 8px;
      border: 2px solid var(--as-critical); background: var(--secondary-background-color); }
    .confirm p { margin: 0 0 8px; }
    .buttons { display: flex; justify-content: flex-end; gap: 8px; flex-wrap: wrap; }
    button { font: inherit; padding: 6px 14px; border-radius: 6px; cursor: pointer;
      border: 1px solid var(--divider-color); background: var(--card-background-color);
      color: var(--primary-text-color); }
    button:disabled { cursor: default; color: var(--disabled-text-color, #9e9e9e); }
    button.danger { background: var(--as-critical); color: var(--as-on-critical);
      border-color: transparent; font-weight: 600; }
    .probe { display: none; }
  `];

  static getConfigElement() {
    return document.createElement(EDITOR);
  }

  static getStubConfig(hass) {
    const [first] = findContainers(hass);
    return { device_id: first?.deviceId ?? "" };
  }

  constructor() {
    super();
    this._draft = null; // what the operator is typing in the setpoint box
    this._pending = null; // { value, at }: a setpoint sent, not yet reported back
    this._notes = {}; // control → message
    this._confirm = null; // "cooling_off" | "reset"
    this._picked = null; // the part tapped on the picture
  }

  getCardSize() {
    return 9;
  }

  _ownIds(containers) {
    this._container = containers.find((c) => c.deviceId === this._config?.device_id);
    return this._container?.ids ?? [];
  }

  setConfig(config) {
    super.setConfig(config);
    if (this._hass) this._ids = this._ownIds(this._containers);
  }

  _state(key) {
    return this._container ? stateOf(this._hass, this._container, key) : undefined;
  }

  willUpdate() {
    const pending = this._pending;
    if (pending) {
      const reported = Number(this._state(COMMON.setpoint)?.state);
      if (reported === pending.value || Date.now() - pending.at > PENDING_FOR) this._pending = null;
    }
  }

  render() {
    if (!this._ready) return nothing;
    this.renders += 1;
    const container = this._container;
    const words = this._words;
    if (!container) {
      return html`<ha-card><div class="header"><div class="muted">${words.card("pick_container")}</div></div></ha-card>`;
    }
    const hass = this._hass;
    const locale = this._locale;
    const summary = summarize(hass, container, this._nameOf(), locale);
    clock.watch(this, summary.unreachable && summary.since ? [summary.since] : []);
    const picture = schematic(container.kind, this._view(container, summary));
    return html`<ha-card>
      <span class="probe"></span>
      <div class="header"><div class="title">${container.name}</div>
        <div class="state">${this._headerState(summary)}</div></div>
      <div class="schematic ${summary.unreachable ? "unreachable" : ""}" @click=${this._onPicture}>${picture}</div>
      ${this._detail(container, summary)}
      ${this._alertList(summary)}
      ${this._controls(container, summary)}
      ${this._confirmation(container)}
    </ha-card>`;
  }

  _headerState(summary) {
    const words = this._words;
    if (summary.unreachable) return this._unreachableChip(summary.since);
    const status = html`<span class="status">${formatState(this._hass, summary.status, this._locale)}</span>`;
    const maintenance = summary.maintenance
      ? html`<span class="chip neutral">${words.entity("switch", "maintenance")}</span>` : nothing;
    if (!summary.alerts.length) return html`${maintenance}${status}`;
    const worst = worstSeverity(summary.alerts.map((a) => a.severity));
    const text = `${words.severity(worst)} · ${words.card("alerts", { count: summary.alerts.length })}`;
    return html`${maintenance}${status}${severityChip(worst, text)}`;
  }

  /** What the picture needs of the container: each part's state, readings, words, widths. */
  _view(container, summary) {
    const hass = this._hass;
    const words = this._words;
    const locale = this._locale;
    const parts = PARTS[container.kind] ?? {};
    const active = new Map(summary.alerts.map((a) => [a.key, a]));
    return {
      word: words.card,
      measure: measurer(this._family ?? FONT),
      flowing: !summary.unreachable && isOn(this._state(COMMON.cooling)),
      value: (name) => {
        const reading = parts[name]?.reading;
        return reading ? formatState(hass, this._state(reading), locale) : "—";
      },
      part: (name) => {
        const part = parts[name] ?? { alerts: [] };
        const faults = summary.unreachable ? []
          : partAlerts(container.kind, name).filter((key) => active.has(key)).map((key) => active.get(key));
        const runningKey = part.running ? runningEntity(container, part.running) : null;
        const running = runningKey ? this._state(runningKey) : undefined;
        return {
          running: !summary.unreachable && isOn(running),
          faults,
          severity: worstSeverity(faults.map((f) => f.severity)),
          label: this._partName(container, name, part),
          stateText: running ? formatState(hass, running, locale) : null,
        };
      },
    };
  }

  /** A part's name: the card's word for it, else its running entity's or its reading's name. */
  _partName(container, name, part) {
    const words = this._words;
    const own = words.cardOrNull(name);
    if (own) return own;
    const key = part.running ? runningEntity(container, part.running) : part.reading
      ? [part.reading].flat().find((k) => k in container.entities) : null;
    if (!key) return name;
    const [platform, translationKey] = key.split(".");
    return words.entity(platform, translationKey);
  }

  _onPicture(ev) {
    const target = ev.composedPath().find((el) => el.dataset?.part || el.dataset?.full);
    if (!target) return;
    const pick = target.dataset.part ?? `text:${target.dataset.full}`;
    this._picked = this._picked === pick ? null : pick;
    this.requestUpdate();
  }

  /** The whole of what was tapped on the picture: a part and its faults, or a cut text. */
  _detail(container, summary) {
    const picked = this._picked;
    if (!picked) return nothing;
    if (picked.startsWith("text:")) {
      return html`<div class="detail" role="status">${picked.slice(5)}</div>`;
    }
    const view = this._view(container, summary);
    const part = view.part(picked);
    const faults = part.faults.map((f) => `${f.name} (${this._words.severity(f.severity)})`);
    const reading = PARTS[container.kind]?.[picked]?.reading ? view.value(picked) : null;
    const text = [part.label, part.stateText, reading].filter(Boolean).join(": ");
    return html`<div class="detail" role="status">${text}${faults.length ? ` — ${faults.join(", ")}` : ""}</div>`;
  }

  _alertList(summary) {
    if (!summary.alerts.length) return nothing;
    const words = this._words;
    const picked = new Set(partAlerts(this._container.kind, this._picked));
    return html`<div class="alert-list" aria-label=${words.card("alerts", { count: summary.alerts.length })}>
      ${bySeverity(summary.alerts).map((group) => html`<div class="group sev-${group.severity}"
          data-severity=${group.severity}>
        ${severityChip(group.severity, `${words.severity(group.severity)} · ${group.alerts.length}`)}
        <ul>${repeat(group.alerts, (a) => a.key, (a) => html`<li data-alert=${a.key}
          class=${picked.has(a.key) ? "picked" : ""}><span>${a.name}</span></li>`)}</ul></div>`)}
    </div>`;
  }

  // --- controls ---

  _controls(container, summary) {
    const words = this._words;
    const setpoint = this._state(COMMON.setpoint);
    const cooling = this._state(COMMON.cooling);
    const pid = this._state(COMMON.pid);
    const reset = this._state(COMMON.reset);
    const coolingName = words.entity("switch", "cooling");
    const pidName = words.entity("switch", "pid_mode");
    return html`<div class="controls">
      ${this._setpointControl(setpoint, pid)}
      ${pid !== undefined ? html`<div class="control"><span>${pidName}</span>${this._switch(pid, "pid", pidName, this._onPid)}</div>` : nothing}
      <div class="control"><span>${coolingName}</span>${this._switch(cooling, "cooling", coolingName, this._onCooling)}</div>
      ${this._note("cooling")}
      ${reset !== undefined ? html`<div class="control"><span></span>
        <button class="reset" ?disabled=${reset.state === "unavailable" || this._confirm === "reset"}
          @click=${this._askReset}>${words.entity("button", "reset")}</button></div>
        ${this._note("reset")}` : nothing}
    </div>`;
  }

  /** A switch, or the state it is in when that is not on or off (unavailable, unknown). */
  _switch(stateObj, cls, name, onChange) {
    if (!isAvailable(stateObj)) {
      const state = stateObj?.state ?? "unavailable";
      return html`<span class="state-word ${cls}" data-state=${state}>${this._words.state(state)}</span>`;
    }
    return html`<ha-switch class=${cls} aria-label=${name} .checked=${live(isOn(stateObj))}
      @change=${onChange}></ha-switch>`;
  }

  _note(control) {
    const note = this._notes[control];
    return note ? html`<div class="message ${control}-message" role="alert">${note}</div>` : nothing;
  }

  _setNote(control, text) {
    this._notes = { ...this._notes, [control]: text };
    this.requestUpdate();
  }

  _setpointControl(setpoint, pid) {
    const words = this._words;
    const attrs = setpoint?.attributes ?? {};
    const unit = attrs.unit_of_measurement ?? "";
    const available = isAvailable(setpoint);
    const format = (value) => this._formatSetpoint(value, attrs);
    const shown = this._draft ?? (this._pending ? format(this._pending.value)
      : available && Number.isFinite(Number(setpoint.state)) ? format(Number(setpoint.state)) : "");
    const range = attrs.min !== undefined && attrs.max !== undefined
      ? words.card("setpoint_range", { min: format(attrs.min), max: format(attrs.max),
        step: formatNumber(attrs.step ?? 0.1, this._locale, 2), unit })
      : "";
    const hint = [range, isOn(pid) ? words.card("pid_on") : ""].filter(Boolean).join(" ");
    const invalid = Boolean(this._notes.setpoint) && this._draft !== null;
    return html`<div class="control"><label for="setpoint">${words.entity("number", "supply_liquid_set_temp")}</label>
        <span class="entry"><input id="setpoint" class="setpoint" type="text" inputmode="decimal"
          autocomplete="off" .value=${live(shown)} ?disabled=${!available}
          placeholder=${available ? "" : words.state(setpoint?.state ?? "unavailable")}
          data-min=${attrs.min ?? nothing} data-max=${attrs.max ?? nothing} data-step=${attrs.step ?? nothing}
          aria-describedby="setpoint-hint setpoint-note" aria-invalid=${invalid ? "true" : "false"}
          @input=${this._onSetpointInput} @keydown=${this._onSetpointKey}
          @change=${this._onSetpointChange} @blur=${this._onSetpointBlur}><span class="unit">${unit}</span></span></div>
      ${hint ? html`<div id="setpoint-hint" class="hint">${hint}</div>` : nothing}
      <div id="setpoint-note">${this._note("setpoint")}</div>`;
  }

  /** A setpoint as the box shows it: with the decimals of its step ("35.0" for steps of 0.5). */
  _formatSetpoint(value, attrs) {
    const decimals = String(attrs.step ?? 0.1).split(".")[1]?.length ?? 0;
    return new Intl.NumberFormat(this._locale, { minimumFractionDigits: decimals,
      maximumFractionDigits: Math.max(decimals, 2), useGrouping: false }).format(value);
  }

  _onSetpointInput(ev) {
    this._draft = ev.target.value;
    if (this._notes.setpoint) this._setNote("setpoint", null);
  }

  _onSetpointKey(ev) {
    if (ev.key === "Escape") {
      this._draft = null;
      this._setNote("setpoint", null);
      return;
    }
    if (ev.key !== "ArrowUp" && ev.key !== "ArrowDown") return;
    const attrs = this._state(COMMON.setpoint)?.attributes ?? {};
    const step = attrs.step ?? 0.5;
    const from = Number(String(this._draft ?? ev.target.value).replace(",", "."));
    if (!Number.isFinite(from)) return;
    ev.preventDefault();
    let next = Math.round((from + (ev.key === "ArrowUp" ? step : -step)) / step) * step;
    if (attrs.min !== undefined) next = Math.max(attrs.min, next);
    if (attrs.max !== undefined) next = Math.min(attrs.max, next);
    this._draft = new Intl.NumberFormat(this._locale, { minimumFractionDigits: 1,
      maximumFractionDigits: 2, useGrouping: false }).format(next);
    this.requestUpdate();
  }

  _onSetpointChange(ev) {
    this._submitSetpoint(ev.target.value);
  }

  _onSetpointBlur() {
    // Leaving the box: it shows the container's setpoint again (a refused value's reason stays).
    if (this._draft !== null) {
      this._draft = null;
      this.requestUpdate();
    }
  }

  _submitSetpoint(text) {
    const setpoint = this._state(COMMON.setpoint);
    if (!isAvailable(setpoint)) return;
    const attrs = setpoint.attributes ?? {};
    const words = this._words;
    const check = checkSetpoint(text, attrs);
    const unit = attrs.unit_of_measurement ?? "";
    const format = (value) => this._formatSetpoint(value, attrs);
    if (!check.ok) {
      this._draft = text;
      this._setNote("setpoint", check.reason === "step"
        ? words.card("setpoint_off_step", { value: formatNumber(check.value, this._locale, 3),
          step: formatNumber(attrs.step, this._locale, 2),
          unit, lower: format(check.lower), upper: format(check.upper) })
        : words.exception("invalid_setpoint", { min: format(attrs.min), max: format(attrs.max),
          value: String(text).trim() || "—" }));
      return;
    }
    this._draft = null;
    this._setNote("setpoint", null);
    if (check.value === Number(setpoint.state)) return;
    this._pending = { value: check.value, at: Date.now() };
    this._hass.callService("number", "set_value", { value: check.value },
      { entity_id: this._container.entities[COMMON.setpoint] }).catch((err) => {
      this._pending = null;
      this._setNote("setpoint", errorText(this._localize, err));
    });
  }

  _onPid(ev) {
    const entityId = this._container.entities[COMMON.pid];
    this._hass.callService("switch", ev.target.checked ? "turn_on" : "turn_off", {},
      { entity_id: entityId }).catch((err) => {
      this._setNote("cooling", errorText(this._localize, err));
    });
  }

  async _onCooling(ev) {
    const toggle = ev.target;
    const entityId = this._container.entities[COMMON.cooling];
    this._setNote("cooling", null);
    if (toggle.checked) {
      this._hass.callService("switch", "turn_on", {}, { entity_id: entityId })
        .catch((err) => this._setNote("cooling", errorText(this._localize, err)));
      return;
    }
    toggle.checked = true; // stays on until confirmed
    const allowed = await this._coolingOffAllowed();
    if (allowed === false) {
      this._confirm = null;
      this._setNote("cooling", this._words.exception("cooling_off_not_allowed",
        { container: this._container.name }));
      return;
    }
    this._confirm = "cooling_off";
    this.requestUpdate();
  }

  /**
   * Whether the container's options allow switching its cooling off: the cooling switch's
   * `allow_cooling_off` attribute says so (null while it is unavailable).
   */
  async _coolingOffAllowed() {
    return coolingOffAllowed(this._state(COMMON.cooling));
  }

  _askReset() {
    this._setNote("reset", null);
    this._confirm = "reset";
    this.requestUpdate();
  }

  _confirmation(container) {
    if (!this._confirm) return nothing;
    const words = this._words;
    const off = this._confirm === "cooling_off";
    const question = off
      ? words.card("confirm_cooling_off", { container: container.name })
      : words.card("confirm_reset", { container: container.name });
    const action = off ? words.card("turn_cooling_off") : words.entity("button", "reset");
    return html`<div class="confirm ${this._confirm}" role="alertdialog" aria-label=${action}>
      <p>${question}</p>
      <div class="buttons"><button class="cancel" @click=${this._cancel}>${words.card("cancel")}</button>
        <button class="danger confirm-${off ? "off" : "reset"}" @click=${this._confirmed}>${action}</button></div>
    </div>`;
  }

  _cancel() {
    this._confirm = null;
    this.requestUpdate();
  }

  _confirmed() {
    const which = this._confirm;
    this._confirm = null;
    this.requestUpdate();
    const container = this._container;
    const call = which === "cooling_off"
      ? this._hass.callService("switch", "turn_off", {}, { entity_id: container.entities[COMMON.cooling] })
      : this._hass.callService("button", "press", {}, { entity_id: container.entities[COMMON.reset] });
    const control = which === "cooling_off" ? "cooling" : "reset";
    call.catch((err) => this._setNote(control, errorText(this._localize, err)));
  }

  updated(changedProperties) {
    super.updated(changedProperties);
    // The confirmation takes the focus, so that a keyboard user answers it next.
    if (this._confirm && this._confirm !== this._focusedConfirm) {
      this.renderRoot.querySelector(".confirm button.cancel")?.focus();
    }
    this._focusedConfirm = this._confirm;
  }
}

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

// --- dashboard strategy --------------------------------------------------------------------

/**
 * The Antspace dashboard (`strategy: {type: custom:antspace}`): the site card, then each
 * container's card and 24-hour history, for the containers Home Assistant has when the
 * dashboard opens; a new container gets its card without editing anything.
 */
class AntspaceDashboardStrategy extends HTMLElement {
  static async generate(config, hass) {
    return dashboardConfig(findContainers(hass), config?.title ?? "Antspace");
  }
}

// --- registration --------------------------------------------------------------------------

const define = (name, element) => customElements.get(name) || customElements.define(name, element);
define(SITE, AntspaceSiteCard);
define(CONTAINER, AntspaceContainerCard);
define(EDITOR, AntspaceCardEditor);
define(`ll-strategy-dashboard-${STRATEGY}`, AntspaceDashboardStrategy);

const DOCUMENTATION = "https://github.com/antspace-ha/antspace-homeassistant#cards";
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
      documentationURL: DOCUMENTATION,
    });
  }
}
window.customStrategies = window.customStrategies || [];
if (!window.customStrategies.some((s) => s.type === STRATEGY && s.strategyType === "dashboard")) {
  window.customStrategies.push({
    type: STRATEGY,
    strategyType: "dashboard",
    name: "Antspace",
    description: cardKey("strategy_description"),
    documentationURL: DOCUMENTATION,
  });
}

/** Give the card picker's and the dashboard picker's entries their words, once loaded. */
function nameInPickers(localize) {
  const words = wordsOf(localize);
  for (const { type, word } of PICKER) {
    const card = window.customCards.find((entry) => entry.type === type);
    if (card) {
      card.name = words.card(`${word}_name`);
      card.description = words.card(`${word}_description`);
    }
  }
  const strategy = window.customStrategies.find((s) => s.type === STRATEGY);
  if (strategy) strategy.description = words.card("strategy_description");
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

export { AntspaceSiteCard, AntspaceContainerCard, AntspaceDashboardStrategy };
