// The cooling loop of a container as an SVG template (Lit), per kind. Where everything sits is
// layout.js; what it shows comes in through `view`:
//   part(name)    → { running, faults: [{ key, severity, name }], severity, label }
//   value(name)   → the formatted reading of a part
//   word(key)     → a card word
//   measure(text, size, weight) → width in px, to fit texts into their rooms
//   flowing       → whether the loop circulates
// Every text goes into its room of the layout (wrapped, made smaller or cut with "…", the
// whole text then on hover and tap), so that no text overlaps another or leaves the picture.
import { nothing, svg } from "./vendor/lit-all-3.1.2.min.js";
import { BADGE_RADIUS, LAYOUTS } from "./layout.js";
import { fitText, lineHeight, partLabel, roomBox } from "./text-fit.js";

/** The baseline of line `index` of a room, so that the line's box sits inside its height. */
const baseline = (spec, size, index) =>
  spec.y + index * lineHeight(spec.size) + lineHeight(spec.size) / 2 + 0.35 * size;

/** The x of a room's lines, by its anchor. */
const anchorX = (spec) => spec.x;

/** A fitted text in its room: one <text> per line; cut texts keep their whole text as title. */
function drawText(id, spec, fitted, whole, cls) {
  return svg`<g class="room ${cls}" data-room=${id} data-full=${fitted.truncated ? whole : nothing}>${
    fitted.truncated ? svg`<title>${whole}</title>` : nothing}${fitted.lines.map(
    (line, index) => svg`<text x=${anchorX(spec)} y=${baseline(spec, fitted.size, index)}
      text-anchor=${spec.anchor ?? "middle"} style=${`font-size:${fitted.size}px`}>${line}</text>`,
  )}</g>`;
}

/** The severity classes of a part with faults: its outline and badge take the worst one. */
const faultClass = (state) => (state.faults.length ? `fault sev-${state.severity}` : "");

function drawer(layout, view) {
  const { measure } = view;
  const rooms = layout.rooms;

  /** A text in the room `id` (a label: the part's own words). */
  const text = (id, content, cls = "label") => {
    const spec = rooms[id];
    return drawText(id, spec, fitText(content, spec, measure), content, cls);
  };

  /** A part's label: its one fault's name where it fits, else its name; bold when faulty. */
  const label = (id, name, state, cls = "label") => {
    const spec = rooms[id];
    const chosen = partLabel(name, state.faults, spec, measure);
    const faulty = state.faults.length ? " faulty" : "";
    return drawText(id, spec, chosen.fitted, chosen.text, `${cls}${faulty}`);
  };

  /** A reading's value; on a chip of its alert's colour while it has an alert. */
  const value = (id, content, state, extra = "") => {
    const spec = rooms[id];
    if (!state?.faults.length) {
      return drawText(id, spec, fitText(content, spec, measure), content, `value ${extra}`);
    }
    const pad = 4;
    const fitted = fitText(content, { ...spec, w: spec.w - 2 * pad }, measure);
    const width = Math.max(...fitted.lines.map((l) => measure(l, fitted.size, spec.weight))) + 2 * pad;
    const [left, top, right, bottom] = roomBox(spec);
    const x = spec.anchor === "start" ? left : spec.anchor === "end" ? right - width : (left + right - width) / 2;
    const height = Math.min(bottom - top, fitted.lines.length * lineHeight(spec.size));
    return svg`<g class="alarm sev-${state.severity}">
      <rect class="chip-box" x=${x} y=${top} width=${width} height=${height} rx="3"></rect>
      ${drawText(id, spec, fitted, content, "value on-chip")}</g>`;
  };

  /** A reading: its label over its value. */
  const reading = (name, label, state = view.part(name)) => svg`<g class="reading" data-part=${name}
      role="img" aria-label=${`${label}: ${view.value(name)}${describeFaults(state)}`}>
      ${text(`${name}.label`, label)}${value(`${name}.value`, view.value(name), state)}</g>`;

  /** The circle on a part that counts its faults. */
  const badge = (name, state) => {
    if (!state.faults.length) return nothing;
    const [x, y] = layout.badges[name];
    const count = state.faults.length > 9 ? "9+" : String(state.faults.length);
    return svg`<g class="badge sev-${state.severity}" data-badge=${name}>
      <circle cx=${x} cy=${y} r=${BADGE_RADIUS}></circle>
      <text x=${x} y=${y + 4} text-anchor="middle">${count}</text></g>`;
  };

  return { text, label, value, reading, badge };
}

const describeFaults = (state) =>
  state?.faults.length ? ` — ${state.faults.map((fault) => fault.name).join(", ")}` : "";

/** What a screen reader hears of a part: its name, whether it runs, its faults. */
const described = (view, name, state) =>
  `${state.label ?? name}${state.stateText ? `: ${state.stateText}` : ""}${describeFaults(state)}`;

function pump(view, name, [x, y], state) {
  return svg`<g class="pump ${state.running ? "running" : ""} ${faultClass(state)}" data-part=${name}
      role="img" aria-label=${described(view, name, state)}>
    <circle class="part" cx=${x} cy=${y} r="12"></circle>
    <path class="rotor" d=${`M${x - 5} ${y - 6} L${x + 7} ${y} L${x - 5} ${y + 6} Z`}></path>
  </g>`;
}

function fan(view, name, [x, y], state, r = 11) {
  const blade = (dx, dy) => `M${x} ${y} L${x + dx} ${y + dy}`;
  const k = r - 2;
  return svg`<g class="fan ${state.running ? "running" : ""} ${faultClass(state)}" data-part=${name}
      role="img" aria-label=${described(view, name, state)}>
    <circle class="part" cx=${x} cy=${y} r=${r}></circle>
    ${state.faults.length
      ? svg`<path class="broken" d=${`M${x - 6} ${y - 6} L${x + 6} ${y + 6} M${x + 6} ${y - 6} L${x - 6} ${y + 6}`}></path>`
      : svg`<g class="rotor"><path d=${`${blade(-3, -k)} L${x + 3} ${y - k} Z ${blade(k, -3)} L${x + k} ${y + 3} Z
        ${blade(3, k)} L${x - 3} ${y + k} Z ${blade(-k, 3)} L${x - k} ${y - 3} Z`}></path></g>`}
  </g>`;
}

function valve(view, name, [x, y], state) {
  return svg`<g class="valve ${state.running ? "running" : ""} ${faultClass(state)}" data-part=${name}
      role="img" aria-label=${described(view, name, state)}>
    <path class="part" d=${`M${x - 10} ${y - 7} L${x + 10} ${y + 7} L${x + 10} ${y - 7} L${x - 10} ${y + 7} Z`}></path>
  </g>`;
}

const pipe = (d, kind) =>
  svg`<path class="pipe ${kind}" d=${d}></path><path class="flow" d=${d}></path>`;

function hk3(view, layout) {
  const { part, word } = view;
  const draw = drawer(layout, view);
  const state = (name) => part(name);
  const miners = state("miners");
  const tower = state("cooling_tower");
  const spray = state("spray_pump");
  const circulating = state("circulating_pump");
  const infusion = state("fluid_infusion");
  const { pipes, pumps } = layout;
  const m = layout.miners;
  return svg`
    <g class=${view.flowing ? "flowing" : ""}>
      ${pipe(pipes.supply, "supply")}${pipe(pipes.return, "return")}
      ${pipe(pipes.makeup, "return")}${pipe(pipes.spray, "return")}
    </g>
    <g class="box-part ${faultClass(miners)}" data-part="miners" role="img"
       aria-label=${described(view, "miners", miners)}>
      <rect class="box" x=${m.x} y=${m.y} width=${m.w} height=${m.h} rx="6"></rect>
    </g>
    ${draw.label("miners.label", word("miners"), miners, "name")}
    ${draw.value("miners.value", view.value("miners"), null, "in-box")}
    <g class="box-part tower ${faultClass(tower)}" data-part="cooling_tower" role="img"
       aria-label=${described(view, "cooling_tower", tower)}>
      <path class="box" d=${layout.tower}></path>
    </g>
    ${draw.label("cooling_tower.label", word("cooling_tower"), tower, "name")}
    ${layout.fans.map((at, i) => fan(view, `tower_fan${i + 1}`, at, state(`tower_fan${i + 1}`)))}
    ${pump(view, "circulating_pump", pumps.circulating_pump, circulating)}
    ${pump(view, "fluid_infusion", pumps.fluid_infusion, infusion)}
    ${pump(view, "spray_pump", pumps.spray_pump, spray)}
    ${draw.label("circulating_pump.label", word("circulating_pump"), circulating)}
    ${draw.label("fluid_infusion.label", word("fluid_infusion"), infusion)}
    ${draw.label("spray_pump.label", word("spray_pump"), spray, "label in-box")}
    ${draw.reading("supply_temp", word("supply"))}
    ${draw.reading("supply_pressure", word("pressure"))}
    ${draw.reading("supply_flow", word("flow"))}
    ${draw.reading("return_temp", word("return"))}
    ${draw.reading("return_pressure", word("pressure"))}
    ${draw.badge("miners", miners)}${draw.badge("cooling_tower", tower)}
    ${draw.badge("circulating_pump", circulating)}${draw.badge("fluid_infusion", infusion)}
    ${draw.badge("spray_pump", spray)}`;
}

function immersion(view, layout) {
  const { part, word } = view;
  const draw = drawer(layout, view);
  const cooler = part("dry_cooler");
  const primary = part("primary_pump");
  const tanks = part("tanks");
  const { pipes, pumps, valves } = layout;
  const c = layout.cooler;
  const hx = layout.exchanger;
  const loop = (n) => {
    const pumpState = part(`secondary_pump${n}`);
    const valveState = part(`valve${n}`);
    return svg`
      ${pump(view, `secondary_pump${n}`, pumps[`secondary_pump${n}`], pumpState)}
      ${valve(view, `valve${n}`, valves[`valve${n}`], valveState)}
      ${draw.label(`secondary_pump${n}.label`, word(`secondary_loop_${n}`), pumpState)}
      <g class="reading" data-part=${`valve${n}`} role="img"
         aria-label=${`${word(`valve_${n}`)}: ${view.value(`valve${n}`)}`}>
        ${draw.text(`valve${n}.label`, word(`valve_${n}`))}
        ${draw.value(`valve${n}.value`, view.value(`valve${n}`), null)}
      </g>
      ${draw.reading(`secondary_supply${n}`, word("supply"))}
      ${draw.reading(`secondary_return${n}`, word("return"))}
      ${draw.badge(`secondary_pump${n}`, pumpState)}`;
  };
  return svg`
    <g class=${view.flowing ? "flowing" : ""}>
      ${pipe(pipes.primary_supply, "supply")}${pipe(pipes.primary_return, "return")}
      ${pipe(pipes.loop1_supply, "supply")}${pipe(pipes.loop1_return, "return")}
      ${pipe(pipes.loop2_supply, "supply")}${pipe(pipes.loop2_return, "return")}
    </g>
    <g class="box-part ${faultClass(cooler)}" data-part="dry_cooler" role="img"
       aria-label=${described(view, "dry_cooler", cooler)}>
      <rect class="box" x=${c.x} y=${c.y} width=${c.w} height=${c.h} rx="6"></rect>
    </g>
    ${fan(view, "dry_cooler", c.fan, { ...cooler, faults: [] }, 12)}
    ${draw.label("dry_cooler.label", word("dry_cooler"), cooler, "name")}
    ${draw.value("dry_cooler.value", view.value("dry_cooler"), null, "in-box")}
    <rect class="box" x=${hx.x} y=${hx.y} width=${hx.w} height=${hx.h} rx="4"></rect>
    ${draw.text("heat_exchanger.label", word("heat_exchanger"))}
    ${pump(view, "primary_pump", pumps.primary_pump, primary)}
    ${draw.reading("primary_supply", word("primary_supply"))}
    ${draw.reading("primary_return", word("primary_return"))}
    ${loop(1)}${loop(2)}
    ${layout.tanks.map(({ letter, x, y, w, h }) => svg`
      <g class="tank box-part ${faultClass(tanks)}" data-part=${`tank_${letter}`} role="img"
         aria-label=${described(view, `tank_${letter}`, { ...part(`tank_${letter}`),
           stateText: view.value(`tank_${letter}`) })}>
        <rect class="box" x=${x} y=${y} width=${w} height=${h} rx="4"></rect>
      </g>
      ${draw.text(`tank_${letter}.label`, word(`tank_${letter}`), "name")}
      ${draw.value(`tank_${letter}.value`, view.value(`tank_${letter}`), null, "in-box")}`)}
    ${draw.badge("dry_cooler", cooler)}${draw.badge("primary_pump", primary)}
    ${draw.badge("tanks", tanks)}`;
}

/** The picture of a container of this kind, or nothing for a kind without one. */
export function schematic(kind, view) {
  const layout = LAYOUTS[kind];
  if (!layout) return nothing;
  const body = kind === "hk3" ? hk3(view, layout) : immersion(view, layout);
  return svg`<svg viewBox=${`0 0 ${layout.width} ${layout.height}`} role="group"
      aria-label=${view.word("schematic")}>${body}</svg>`;
}

export const SCHEMATIC_STYLE = `
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
  .running .part { stroke: var(--success-color, #43a047); }
  .rotor { fill: var(--secondary-text-color, #777); }
  .running .rotor { fill: var(--success-color, #43a047); animation: spin 1.2s linear infinite;
    transform-box: fill-box; transform-origin: center; }
  .fault .part, .fault .box { stroke: var(--as-sev); stroke-width: 3; }
  .broken { stroke: var(--as-sev); stroke-width: 3; stroke-linecap: round; }
  .sev-critical { --as-sev: var(--as-critical); --as-on-sev: var(--as-on-critical); }
  .sev-high { --as-sev: var(--as-high); --as-on-sev: var(--as-on-high); }
  .sev-medium { --as-sev: var(--as-medium); --as-on-sev: var(--as-on-medium); }
  .badge circle, .chip-box { fill: var(--as-sev); stroke: none; }
  svg .badge text, svg .on-chip text { fill: var(--as-on-sev); stroke: none; font-weight: 700; }
  .badge text { font-size: 11px; }
  @keyframes spin { to { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .running .rotor, .flowing .flow { animation: none; } }
  svg text { fill: var(--primary-text-color, #212121);
    font-family: var(--ha-font-family-body, Roboto, sans-serif);
    paint-order: stroke; stroke: var(--card-background-color, #fff); stroke-width: 3px;
    stroke-linejoin: round; }
  .name text, .in-box text { stroke: none; }
  .label text { fill: var(--secondary-text-color, #727272); }
  .faulty text { fill: var(--primary-text-color, #212121); font-weight: 600; }
  .value text { font-weight: 600; font-variant-numeric: tabular-nums; }
  .room[data-full] { cursor: help; }
  [data-part] { cursor: pointer; }
`;
