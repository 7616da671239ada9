// The site card: every container at a glance, the worst first.
import { css, html, nothing, repeat } from "./vendor/lit-all-3.1.2.min.js";
import {
  bySeverity,
  formatNumber,
  formatState,
  formatStates,
  isProblem,
  siteTotals,
  summarize,
  translate,
  worstFirst,
} from "./logic.js";
import { DOMAIN } from "./parts.js";
import { AntspaceCard, COLORS, EDITOR, STYLE, clock, navigate, severityChip } from "./card-base.js";

export class AntspaceSiteCard extends AntspaceCard {
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
