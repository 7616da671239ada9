// The miners view of the container card: every miner of the container a cell, coloured by its
// chip temperature or by its hashrate (one tap switches), the ones that do not hash and the
// worst first; a cell's miner in words on hover, focus or tap. It reads the miners through the
// integration's websocket command `antspace/miners` while it is shown, at the pace of the
// miner summary, and stops reading when it is closed.
import { LitElement, css, html, nothing, repeat } from "./vendor/lit-all-3.1.2.min.js";
import { COLORS } from "./card-base.js";
import {
  DEFAULT_CHIP_LIMIT,
  HOT_BELOW,
  LOW_SHARE,
  MODES,
  SLOW_SHARE,
  WARM_BELOW,
  formatHashrate,
  formatTemp,
  formatUptime,
  minerCells,
  minerCounts,
  refreshDelay,
} from "./miners.js";
import { DOMAIN } from "./parts.js";
import { errorText } from "./words.js";

export const MINERS_VIEW = "antspace-miners-view";

export class AntspaceMinersView extends LitElement {
  static properties = {
    entryId: { attribute: false },
    words: { attribute: false },
    localize: { attribute: false },
    locale: { attribute: false },
    _answer: { state: true },
    _error: { state: true },
    _mode: { state: true },
    _shown: { state: true },
  };

  static styles = [COLORS, css`
    :host { display: block; margin: 8px 16px 0; }
    .bar { display: flex; align-items: center; justify-content: space-between; gap: 8px;
      flex-wrap: wrap; font-size: 14px; }
    .modes { display: inline-flex; border: 1px solid var(--divider-color); border-radius: 6px;
      overflow: hidden; }
    .modes button { font: inherit; font-size: 13px; padding: 4px 10px; border: none;
      background: var(--card-background-color); color: var(--primary-text-color); cursor: pointer; }
    .modes button[aria-pressed="true"] { background: var(--primary-color, #03a9f4);
      color: var(--text-primary-color, #fff); font-weight: 600; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(34px, 1fr)); gap: 3px;
      margin-top: 8px; }
    .cell { position: relative; font: inherit; font-size: 11px; line-height: 26px; height: 28px;
      padding: 0; border-radius: 4px; border: 1px solid transparent; cursor: pointer;
      background: var(--as-level); color: var(--as-on-level); font-variant-numeric: tabular-nums; }
    .cell:focus-visible { outline: 2px solid var(--primary-text-color); outline-offset: 1px; }
    .cell.picked { outline: 2px solid var(--primary-text-color); }
    .level-critical { --as-level: var(--as-critical); --as-on-level: var(--as-on-critical); }
    .level-high { --as-level: var(--as-high); --as-on-level: var(--as-on-high); }
    .level-medium { --as-level: var(--as-medium); --as-on-level: var(--as-on-medium); }
    .level-ok { --as-level: var(--as-none); --as-on-level: #fff; }
    .level-none { --as-level: var(--secondary-background-color);
      --as-on-level: var(--secondary-text-color); border-color: var(--divider-color); }
    .cell.stopped, .legend .stopped::before { background-image: repeating-linear-gradient(135deg,
      transparent 0 4px, rgba(0, 0, 0, 0.3) 4px 6px); }
    .cell.stopped { font-weight: 700; text-decoration: line-through; }
    .cell.hot { box-shadow: inset 0 0 0 2px var(--primary-text-color); font-weight: 700; }
    .detail { margin-top: 6px; padding: 6px 10px; border-radius: 6px; font-size: 13px;
      background: var(--secondary-background-color); min-height: 20px; }
    .legend { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 6px; font-size: 12px;
      color: var(--secondary-text-color); }
    .legend span::before { content: ""; display: inline-block; width: 10px; height: 10px;
      border-radius: 2px; margin-right: 4px; vertical-align: -1px; background: var(--as-level); }
    .muted { color: var(--secondary-text-color); }
    .error { color: var(--as-critical); }
  `];

  constructor() {
    super();
    this._answer = null;
    this._counts = null; // minerCounts of the answer
    this._error = null;
    this._mode = MODES[0];
    this._shown = null; // position of the miner described
    this._timer = null;
    this._reading = false;
  }

  set hass(hass) {
    const first = !this._hass;
    this._hass = hass;
    if (first && this.isConnected) this._read();
  }

  get hass() {
    return this._hass;
  }

  connectedCallback() {
    super.connectedCallback();
    if (this._hass) this._read();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._timer);
    this._timer = null;
  }

  updated(changed) {
    if (changed.has("entryId") && changed.get("entryId") !== undefined) {
      this._answer = null;
      this._read();
    }
  }

  /** Read the container's miners now, then again at the miner summary's pace while shown. */
  async _read() {
    clearTimeout(this._timer);
    this._timer = null;
    if (this._reading || !this._hass || !this.entryId) return;
    this._reading = true;
    try {
      this._answer = await this._hass.connection.sendMessagePromise({
        type: `${DOMAIN}/miners`,
        entry_id: this.entryId,
      });
      this._error = null;
      this._counts = minerCounts(this._answer.miners ?? []);
      this._tellCounts();
    } catch (err) {
      this._error = errorText(this.localize, err);
    } finally {
      this._reading = false;
    }
    if (this.isConnected) this._timer = setTimeout(() => this._read(), refreshDelay(this._answer));
  }

  /** Tell the card how many miners hash in this answer: fresher than the sensors, which
   * follow the miner summary's pace, so that the card's line agrees with the cells. */
  _tellCounts() {
    const { hashing, listed } = this._counts;
    this.dispatchEvent(new CustomEvent("antspace-miners-counts", {
      detail: { hashing, count: this._answer.miner_count ?? listed },
    }));
  }

  render() {
    const words = this.words;
    if (!words) return nothing;
    const answer = this._answer;
    if (!answer) {
      return html`<div class="muted" role="status">${this._error ?? words.card("miners_loading")}</div>`;
    }
    const miners = answer.miners ?? [];
    const limit = answer.chip_temp_limit ?? DEFAULT_CHIP_LIMIT;
    const cells = minerCells(miners, this._mode, { limit });
    const counts = this._counts; // counted once per answer, not at every hover
    const shown = miners.find((m) => m.position === this._shown);
    return html`
      <div class="bar">
        <span>${this._countsText(answer, counts)}</span>
        <span class="modes" role="group" aria-label=${words.card("miners_colour_by")}>
          ${MODES.map((mode) => html`<button type="button" data-mode=${mode}
            aria-pressed=${String(mode === this._mode)}
            @click=${() => { this._mode = mode; }}>${words.card(`miners_by_${mode}`)}</button>`)}
        </span>
      </div>
      ${this._error ? html`<div class="error" role="alert">${this._error}</div>` : nothing}
      <div class="grid" role="list" aria-label=${words.card("miners")}>
        ${repeat(cells, (cell) => cell.miner.position, (cell) => this._cell(cell))}
      </div>
      ${this._legend(limit)}
      <div class="detail" role="status">${shown ? this._describe(shown, limit) : words.card("miners_pick")}</div>`;
  }

  _cell({ miner, level, stopped, hot, hottest }) {
    const classes = ["cell", `level-${level}`, stopped ? "stopped" : "", hot ? "hot" : "",
      miner.position === this._shown ? "picked" : ""].join(" ");
    const show = () => { this._shown = miner.position; };
    return html`<button type="button" role="listitem" class=${classes} data-position=${miner.position}
      data-level=${level} ?data-hottest=${hottest} aria-label=${this._label(miner, stopped, hot)}
      @mouseenter=${show} @focus=${show} @click=${show}>${miner.position}</button>`;
  }

  _label(miner, stopped, hot) {
    const words = this.words;
    const parts = [words.card("miner_position", { position: miner.position })];
    if (stopped) parts.push(words.card("miner_not_hashing"));
    if (hot) parts.push(words.card("miner_hot"));
    parts.push(formatTemp(miner.chip_temp, this.locale));
    return parts.join(", ");
  }

  /** The miners not hashing and not reporting, and the hottest (the card's line above
   * counts those hashing). */
  _countsText(answer, counts) {
    const words = this.words;
    const text = [words.card("miners_not_hashing", { count: counts.stopped })];
    if (answer.miner_count > counts.listed) {
      text.push(words.card("miners_not_reporting", { count: answer.miner_count - counts.listed }));
    }
    if (counts.hottest) {
      text.push(words.card("miners_hottest", {
        position: counts.hottest.position, temp: formatTemp(counts.hottest.chip_temp, this.locale),
      }));
    }
    return text.join(" · ");
  }

  _legend(limit) {
    const words = this.words;
    const locale = this.locale;
    const temp = (value) => formatTemp(value, locale);
    const share = (value) => new Intl.NumberFormat(locale, { style: "percent" }).format(value);
    const levels = this._mode === "hashrate"
      ? [["ok", words.card("legend_hash_ok", { share: share(SLOW_SHARE) })],
        ["medium", words.card("legend_range", { from: share(LOW_SHARE), to: share(SLOW_SHARE) })],
        ["high", words.card("legend_below", { value: share(LOW_SHARE) })],
        ["critical", words.card("legend_not_hashing")]]
      : [["ok", words.card("legend_below", { value: temp(limit - WARM_BELOW) })],
        ["medium", words.card("legend_range", { from: limit - WARM_BELOW, to: temp(limit - HOT_BELOW) })],
        ["high", words.card("legend_range", { from: limit - HOT_BELOW, to: temp(limit) })],
        ["critical", words.card("legend_above", { value: temp(limit) })]];
    const stopped = this._mode === "hashrate" ? nothing
      : html`<span class="level-none stopped">${words.card("legend_not_hashing")}</span>`;
    return html`<div class="legend" aria-hidden="true">${levels.map(([level, text]) =>
      html`<span class="level-${level}" data-level=${level}>${text}</span>`)}${stopped}</div>`;
  }

  _describe(miner, limit) {
    const words = this.words;
    const locale = this.locale;
    const name = words.card("miner_position", { position: miner.position });
    const facts = [
      miner.address ? `${name} (${miner.address})` : name,
      [miner.type, miner.firmware].filter(Boolean).join(", "),
      miner.hashing === false ? words.card("miner_not_hashing") : "",
      words.card("miner_hashrate", {
        now: formatHashrate(miner.hashrate_5s, locale),
        average: formatHashrate(miner.hashrate_avg, locale),
      }),
      words.card("miner_temps", {
        chip: formatTemp(miner.chip_temp, locale),
        board: formatTemp(miner.board_temp, locale),
      }),
      typeof miner.chip_temp === "number" && miner.chip_temp > limit ? words.card("miner_hot") : "",
      words.card("miner_uptime", { uptime: formatUptime(miner.uptime, locale) }),
    ];
    return facts.filter(Boolean).join(" · ");
  }
}

if (!customElements.get(MINERS_VIEW)) customElements.define(MINERS_VIEW, AntspaceMinersView);
