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
    ${text(x, y - 12, label, "label")}${text(x, y + 20, opening, "value")}
  </g>`;
}

function pipe(d, kind) {
  return `<path class="pipe ${kind}" d="${d}"></path><path class="flow" d="${d}"></path>`;
}

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
  const faults = [tower, ...fans, spray].flatMap((s) => s.faults);
  return `<svg viewBox="0 0 420 250" role="img" aria-label="${esc(word("schematic"))}">
    <g class="${view.running ? "flowing" : ""}">
      <g class="${classes(supplyPipe)}">${pipe("M300 70 L100 70", "supply")}</g>
      <g class="${classes(returnPipe)}">${pipe("M100 150 L300 150", "return")}</g>
      ${pipe("M200 150 L200 200", "return")}
    </g>
    <g class="${classes(miners)}" data-part="miners">
      <rect class="box" x="8" y="50" width="92" height="120" rx="6"></rect>
      ${text(54, 106, word("miners"))}
      ${text(54, 124, value("sensor.total_hashrate"), "value")}
    </g>
    ${faultLabel(54, 186, miners)}
    <g class="tower ${classes(tower)}" data-part="cooling_tower">
      <path class="box" d="M300 40 L410 40 L400 190 L310 190 Z"></path>
      ${text(355, 120, word("cooling_tower"))}
    </g>
    ${fans.map((state, i) => fan(322 + i * 33, 26, `tower_fan${i + 1}`, state)).join("")}
    ${pump(355, 165, "spray_pump", spray)}
    ${text(355, 206, word("spray_pump"), "label")}
    ${faultLabel(355, 222, { faults })}
    ${pump(200, 70, "circulating_pump", circulating)}
    ${text(200, 96, word("circulating_pump"), "label")}
    ${faultLabel(200, 108, circulating)}
    ${pump(200, 212, "fluid_infusion", infusion)}
    ${text(200, 240, word("fluid_infusion"), "label")}
    ${faultLabel(260, 216, infusion, "start")}
    ${reading(150, 34, word("supply"), value("sensor.supply_liquid_temp"))}
    ${reading(250, 34, word("pressure"), value("sensor.supply_liquid_pressure"))}
    ${text(250, 60, value("sensor.supply_liquid_flow"), "value")}
    ${faultLabel(150, 62, supplyPipe)}
    ${reading(140, 168, word("return"), value("sensor.return_liquid_temp"))}
    ${reading(262, 168, word("pressure"), value("sensor.return_liquid_pressure"))}
    ${faultLabel(140, 198, returnPipe)}
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
      <rect class="box" x="${x}" y="196" width="88" height="46" rx="4"></rect>
      ${text(x + 44, 214, word(`tank_${letter}`))}
      ${text(x + 44, 232, value(`sensor.tank_${letter}_level`), "value")}
    </g>`;
  return `<svg viewBox="0 0 420 280" role="img" aria-label="${esc(word("schematic"))}">
    <g class="${view.running ? "flowing" : ""}">
      <g class="${classes(supplyPipe)}">${pipe("M160 50 L160 110 L190 110", "supply")}</g>
      <g class="${classes(returnPipe)}">${pipe("M230 110 L260 110 L260 50", "return")}</g>
      ${pipe("M190 132 L54 132 L54 196", "supply")}
      ${pipe("M146 196 L146 160 L190 160", "return")}
      ${pipe("M230 132 L366 132 L366 196", "supply")}
      ${pipe("M274 196 L274 160 L230 160", "return")}
    </g>
    <g class="${classes(cooler)}" data-part="dry_cooler">
      <rect class="box" x="130" y="6" width="160" height="44" rx="6"></rect>
      ${text(236, 26, word("dry_cooler"))}
      ${text(236, 42, value("sensor.drycooler_freq"), "value")}
    </g>
    ${fan(160, 28, "dry_cooler", cooler)}
    ${faultLabel(300, 22, cooler, "start")}
    <rect class="box" x="190" y="100" width="40" height="70" rx="4"></rect>
    ${text(210, 184, word("heat_exchanger"), "label")}
    ${pump(160, 84, "primary_pump", primary)}
    ${faultLabel(124, 88, primary, "end")}
    ${reading(124, 64, word("primary_supply"), value("sensor.primary_supply_temp"), "end")}
    ${reading(296, 64, word("primary_return"), value("sensor.primary_return_temp"), "start")}
    ${valve(260, 84, "valve1", valves[0], word("valve_1"), value("sensor.open1"))}
    ${valve(310, 110, "valve2", valves[1], word("valve_2"), value("sensor.open2"))}
    ${pump(100, 132, "secondary_pump1", loops[0])}
    ${pump(320, 132, "secondary_pump2", loops[1])}
    ${text(100, 118, word("secondary_loop_1"), "label")}
    ${text(320, 118, word("secondary_loop_2"), "label")}
    ${reading(8, 150, word("supply"), value("sensor.second_supply_temp1"), "start")}
    ${reading(100, 166, word("return"), value("sensor.second_return_temp1"))}
    ${reading(412, 150, word("supply"), value("sensor.second_supply_temp2"), "end")}
    ${reading(320, 166, word("return"), value("sensor.second_return_temp2"))}
    ${faultLabel(100, 186, loops[0])}
    ${faultLabel(320, 186, loops[1])}
    ${tank(10, "a")}${tank(102, "b")}${tank(230, "c")}${tank(322, "d")}
    ${faultLabel(210, 262, tanks)}
  </svg>`;
}

export function schematic(kind, view) {
  if (kind === "hk3") return hk3(view);
  if (kind === "immersion") return immersion(view);
  return "";
}
