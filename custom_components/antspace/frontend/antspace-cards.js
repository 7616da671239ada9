// The Antspace cards: the site at a glance (site-card.js), one container's cooling loop
// (container-card.js), their editor, and the Antspace dashboard strategy that lays them out for
// every container Home Assistant has. Plain ES modules that Home Assistant loads as they are.
// Every word comes from the integration's translations (words.js).
// Lit warns of a second copy unless told before it loads: hence the imports after this line.
window.litDisableBundleWarning = true;
const { CONTAINER, EDITOR, SITE } = await import("./card-base.js");
const { AntspaceSiteCard } = await import("./site-card.js");
const { AntspaceContainerCard } = await import("./container-card.js");
const { cardKey, dashboardConfig, findContainers } = await import("./logic.js");
const { DOMAIN } = await import("./parts.js");
const { loadWords, onWordsLoaded, wordsOf } = await import("./words.js");

const STRATEGY = "antspace";

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

onWordsLoaded(nameInPickers);

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
