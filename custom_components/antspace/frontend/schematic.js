// The cooling loop of a container as SVG text, per kind. What it shows comes in through
// `view`: part(name) → { running, faults }, value(key) → formatted reading, word(key) → text,
// running → whether the loop circulates.

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const text = (x, y, content, cls = "", anchor = "middle") =>
  `<text x="${x}" y="${y}" class="${cls}" text-anchor="${anchor}">${esc(content)}</text>`;

/** A reading beside a pipe: a small label over its value. */
const reading = (x, y, label, value, anchor = "middle") =>
  `${text(x, y, label, "label", anchor)}${text(x, y + 13, value, "value", anchor)}`;

function classes(state) {
  return `${state.running ? "running" : ""} ${state.faults.length ? "fault" : ""}`;
}

/** The names of a part's active faults, under it. */
function faultLabel(x, y, state, anchor = "middle") {
  return state.faults
    .map((name, i) => text(x, y + i * 12, name, "fault-label", anchor))
    .join("");
}

function pump(x, y, name, state, label) {
  return `<g class="pump ${classes(state)}" data-part="${name}">
    <circle class="part" cx="${x}" cy="${y}" r="12"></circle>
    <path class="rotor" d="M${x - 5} ${y - 6} L${x + 7} ${y} L${x - 5} ${y + 6} Z"></path>
    ${label ? text(x, y + 24, label, "label") : ""}
  </g>`;
}

function fan(x, y, name, state) {
  return `<g class="fan ${classes(state)}" data-part="${name}">
    <circle class="part" cx="${x}" cy="${y}" r="12"></circle>
    <g class="rotor"><path d="M${x} ${y} L${x - 3} ${y - 10} L${x + 3} ${y - 10} Z
      M${x} ${y} L${x + 10} ${y - 3} L${x + 10} ${y + 3} Z M${x} ${y} L${x + 3} ${y + 10}
      L${x - 3} ${y + 10} Z M${x} ${y} L${x - 10} ${y + 3} L${x - 10} ${y - 3} Z"></path></g>
  </g>`;
}

function valve(x, y, name, state, label, opening) {
  return `<g class="valve ${classes(state)}" data-part="${name}">
    <path class="part" d="M${x - 10} ${y - 7} L${x + 10} ${y + 7} L${x + 10} ${y - 7}
      L${x - 10} ${y + 7} Z"></path>
    ${text(x, y - 14, label, "label")}${text(x, y + 24, opening, "value")}
  </g>`;
}

function pipe(d, kind) {
  return `<path class="pipe ${kind}" d="${d}"></path><path class="flow" d="${d}"></path>`;
}

/** A reading on one line: its label, then its value. */
const inline = (x, y, label, value, anchor = "start") =>
  `<text x="${x}" y="${y}" text-anchor="${anchor}"><tspan class="label">${esc(label)}</tspan> ` +
  `<tspan class="value">${esc(value)}</tspan></text>`;

function hk3(view) {
  const { part, value, word } = view;
  const miners = part("miners");
  const tower = part("cooling_tower");
  const circulating = part("circulating_pump");
  const spray = part("spray_pump");
  const infusion = part("fluid_infusion");
  const supplyPipe = part("supply_pipe");
  const returnPipe = part("return_pipe");
  const fans = [1, 2, 3].map((n) => part(`tower_fan${n}`));
  const towerFaults = [tower, ...fans, spray].flatMap((s) => s.faults);
  const leftFaults = [miners, returnPipe].flatMap((s) => s.faults);
  return `<svg viewBox="0 0 420 270" role="img" aria-label="${esc(word("schematic"))}">
    <g class="${view.running ? "flowing" : ""}">
      <g class="${classes(supplyPipe)}">${pipe("M300 80 L104 80", "supply")}</g>
      <g class="${classes(returnPipe)}">${pipe("M104 160 L300 160", "return")}</g>
      ${pipe("M205 160 L205 214", "return")}
    </g>
    <g class="${classes(miners)}" data-part="miners">
      <rect class="box" x="4" y="60" width="100" height="120" rx="6"></rect>
      ${text(54, 114, word("miners"))}
      ${text(54, 134, value("sensor.total_hashrate"), "value small")}
    </g>
    ${faultLabel(4, 198, { faults: leftFaults }, "start")}
    <g class="tower ${classes(tower)}" data-part="cooling_tower">
      <path class="box" d="M300 46 L414 46 L404 200 L310 200 Z"></path>
      ${text(357, 120, word("cooling_tower"))}
    </g>
    ${fans.map((state, i) => fan(325 + i * 32, 30, `tower_fan${i + 1}`, state)).join("")}
    ${pump(357, 174, "spray_pump", spray)}
    ${text(357, 218, word("spray_pump"), "label")}
    ${faultLabel(414, 236, { faults: towerFaults }, "end")}
    ${pump(205, 80, "circulating_pump", circulating)}
    ${text(205, 110, word("circulating_pump"), "label")}
    ${faultLabel(205, 128, circulating)}
    ${pump(205, 226, "fluid_infusion", infusion)}
    ${text(205, 256, word("fluid_infusion"), "label")}
    ${faultLabel(228, 262, infusion, "start")}
    ${reading(140, 44, word("supply"), value("sensor.supply_liquid_temp"))}
    ${reading(212, 44, word("pressure"), value("sensor.supply_liquid_pressure"))}
    ${reading(268, 44, word("flow"), value("sensor.supply_liquid_flow"))}
    ${faultLabel(104, 16, supplyPipe, "start")}
    ${reading(140, 180, word("return"), value("sensor.return_liquid_temp"))}
    ${reading(268, 180, word("pressure"), value("sensor.return_liquid_pressure"))}
  </svg>`;
}

function immersion(view) {
  const { part, value, word } = view;
  const cooler = part("dry_cooler");
  const primary = part("primary_pump");
  const tanks = part("tanks");
  const supplyPipe = part("primary_supply_pipe");
  const returnPipe = part("primary_return_pipe");
  const loops = [1, 2].map((n) => part(`secondary_pump${n}`));
  const valves = [1, 2].map((n) => part(`valve${n}`));
  const tank = (x, letter) => `<g class="tank ${classes(tanks)}" data-part="tank_${letter}">
      <rect class="box" x="${x}" y="214" width="96" height="44" rx="4"></rect>
      ${text(x + 48, 232, word(`tank_${letter}`))}
      ${text(x + 48, 250, value(`sensor.tank_${letter}_level`), "value")}
    </g>`;
  // The two secondary loops mirror each other about the heat exchanger.
  const loop = (n, flip) => {
    const x = (v) => (flip ? 420 - v : v);
    const anchor = flip ? "end" : "start";
    return `
      ${pump(x(120), 140, `secondary_pump${n}`, loops[n - 1])}
      ${text(x(96), 108, word(`secondary_loop_${n}`), "label")}
      ${faultLabel(x(120), 160, loops[n - 1])}
      ${valve(x(64), 140, `valve${n}`, valves[n - 1], word(`valve_${n}`), value(`sensor.open${n}`))}
      ${inline(x(40), 184, word("supply"), value(`sensor.second_supply_temp${n}`), anchor)}
      ${inline(x(40), 202, word("return"), value(`sensor.second_return_temp${n}`), anchor)}`;
  };
  return `<svg viewBox="0 0 420 290" role="img" aria-label="${esc(word("schematic"))}">
    <g class="${view.running ? "flowing" : ""}">
      <g class="${classes(supplyPipe)}">${pipe("M170 50 L170 118 L190 118", "supply")}</g>
      <g class="${classes(returnPipe)}">${pipe("M230 118 L250 118 L250 50", "return")}</g>
      ${pipe("M190 140 L30 140 L30 214", "supply")}
      ${pipe("M160 214 L160 166 L190 166", "return")}
      ${pipe("M230 140 L390 140 L390 214", "supply")}
      ${pipe("M260 214 L260 166 L230 166", "return")}
    </g>
    <g class="${classes(cooler)}" data-part="dry_cooler">
      <rect class="box" x="110" y="4" width="200" height="46" rx="6"></rect>
      ${text(222, 23, word("dry_cooler"))}
      ${text(222, 41, value("sensor.drycooler_freq"), "value")}
    </g>
    ${fan(136, 27, "dry_cooler_fan", cooler)}
    <rect class="box" x="190" y="96" width="40" height="80" rx="4"></rect>
    ${text(210, 194, word("heat_exchanger"), "label")}
    ${pump(170, 84, "primary_pump", primary)}
    ${reading(154, 72, word("primary_supply"), value("sensor.primary_supply_temp"), "end")}
    ${reading(266, 72, word("primary_return"), value("sensor.primary_return_temp"), "start")}
    ${loop(1, false)}${loop(2, true)}
    ${tank(4, "a")}${tank(104, "b")}${tank(220, "c")}${tank(320, "d")}
    ${faultLabel(210, 276, { faults: [...tanks.faults, ...cooler.faults, ...primary.faults] })}
  </svg>`;
}

export function schematic(kind, view) {
  if (kind === "hk3") return hk3(view);
  if (kind === "immersion") return immersion(view);
  return "";
}
