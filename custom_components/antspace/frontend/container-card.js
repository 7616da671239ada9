// The container card: one container's cooling loop as a picture, its alerts by severity, and
// its controls (the cooling, the supply setpoint).
import { css, html, live, nothing, repeat, svg, unsafeCSS } from "./vendor/lit-all-3.1.2.min.js";
import {
  bySeverity,
  checkSetpoint,
  coolingOffAllowed,
  findContainers,
  formatNumber,
  formatState,
  isAvailable,
  isOn,
  partAlerts,
  runningEntity,
  stateOf,
  summarize,
} from "./logic.js";
import { COMMON, PARTS, worstSeverity } from "./parts.js";
import { SCHEMATIC_STYLE, schematic } from "./schematic.js";
import {
  AntspaceCard,
  COLORS,
  EDITOR,
  FONT,
  STYLE,
  clock,
  measurer,
  severityChip,
} from "./card-base.js";
import { errorText } from "./words.js";
import "./miners-view.js";

const PENDING_FOR = 30_000; // ms a sent setpoint is shown before the container's again

export class AntspaceContainerCard extends AntspaceCard {
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
    .miners-bar { display: flex; align-items: center; justify-content: space-between; gap: 8px;
      flex-wrap: wrap; margin: 10px 16px 0; font-size: 14px; }
    .miners-word { font-weight: 600; }
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
    this._minersOpen = false; // whether the miners view is shown (it reads while shown)
    this._minersSeen = null; // {hashing, count} of the open view's last read
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
      ${this._miners(container)}
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

  /** A part's name: its card word (PARTS), else its running entity's or its reading's name. */
  _partName(container, name, part) {
    const words = this._words;
    if (part.word) return words.card(part.word);
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

  // --- miners ---

  /** A line with the miners hashing, and the button that shows or hides the miners view. */
  _miners(container) {
    if (!container.entryId) return nothing;
    const words = this._words;
    const open = this._minersOpen;
    const count = this._state(COMMON.miners);
    const hashing = this._state(COMMON.minersHashing);
    // While the view is open, its own read counts: the sensors follow the miner summary's pace.
    const counted = (open && this._minersSeen)
      || (isAvailable(count) && isAvailable(hashing)
        ? { hashing: hashing.state, count: count.state } : null);
    const line = counted ? words.card("miners_hashing_of", counted) : "";
    return html`<div class="miners-bar">
        <span><span class="miners-word">${words.card("miners")}</span>${line ? html`: ${line}` : nothing}</span>
        <button type="button" class="miners-toggle" aria-expanded=${String(open)}
          @click=${() => { this._minersOpen = !open; this._minersSeen = null; this.requestUpdate(); }}>
          ${words.card(open ? "miners_hide" : "miners_show")}</button>
      </div>
      ${open ? html`<antspace-miners-view .hass=${this._hass} .entryId=${container.entryId}
        @antspace-miners-counts=${(event) => { this._minersSeen = event.detail; this.requestUpdate(); }}
        .words=${words} .localize=${this._localize} .locale=${this._locale}></antspace-miners-view>` : nothing}`;
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
