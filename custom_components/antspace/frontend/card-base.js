// What every Antspace card shares: its words, one clock, the measuring of text for the picture,
// the severity colours and chips, and the base class that redraws only on its own entities'
// changes. Drawn with the vendored Lit (vendor/README.md): an update changes only what changed,
// so that animations and the keyboard focus survive a poll.
//
// The cards' modules are served under a path that names the integration's version
// (cards.py), so that their relative imports reach every browser anew after an update.
import { LitElement, css, html, svg, unsafeCSS } from "./vendor/lit-all-3.1.2.min.js";
import { changed, findContainers, formatSince, nextTick, parseColor, readableOn } from "./logic.js";
import { SEVERITY_COLORS } from "./parts.js";
import { loadWords, wordsOf } from "./words.js";

export const SITE = "antspace-site-card";
export const CONTAINER = "antspace-container-card";
export const EDITOR = "antspace-card-editor";

// --- one clock for every card --------------------------------------------------------------

/**
 * The time the cards show "since when" against: one for all of them, so that two cards agree,
 * and ticking while a relative time is shown ("now", "11 seconds ago", "2 minutes ago").
 */
export const clock = {
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

export const FONT = "Roboto, Noto, sans-serif"; // Home Assistant's, where its theme names none
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
export function measurer(family) {
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

export const COLORS = css`
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

export const STYLE = css`
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
export function severityIcon(severity) {
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
export function severityChip(severity, text, label = text) {
  return html`<span class="chip sev-${severity}" data-severity=${severity} title=${label}
    aria-label=${label}>${severityIcon(severity)}<span aria-hidden="true">${text}</span></span>`;
}

export function navigate(path) {
  history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
}

export class AntspaceCard extends LitElement {
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
