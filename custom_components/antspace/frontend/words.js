// The cards' words: the integration's translations (the entities' names, the cards' own words
// under selector.card.options, and its exceptions), loaded once per connection and language.
import { cardKey, entityNameKey, exceptionKey, severityKey, translate } from "./logic.js";
import { DOMAIN } from "./parts.js";

const loaded = new WeakMap(); // hass.connection → Map of language → Promise of localize
const listeners = new Set(); // called with each newly loaded localize

/** Call `listener(localize)` whenever a language's words arrive (the card pickers' names). */
export function onWordsLoaded(listener) {
  listeners.add(listener);
}

/** Load the integration's words (entities, cards, exceptions) once per connection and language. */
export function loadWords(hass) {
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
      for (const listener of listeners) listener(localize);
      return localize;
    }));
  }
  return byLanguage.get(key);
}

export function wordsOf(localize) {
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
export function errorText(localize, err) {
  if (err?.translation_key && err?.translation_domain) {
    const text = localize?.(
      `component.${err.translation_domain}.exceptions.${err.translation_key}.message`,
      ...Object.entries(err.translation_placeholders ?? {}).flat(),
    );
    if (text) return text;
  }
  return err?.message ?? String(err);
}
