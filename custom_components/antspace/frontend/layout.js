// Where everything sits on a container card's picture, per kind: no DOM here, so that Node's
// test runner checks that no two texts can overlap (tests/frontend/logic.test.mjs).
//
// Every text of the picture has a room: a box it is fitted into (wrapped, made smaller or cut
// with "…", see fitText in text-fit.js) and never leaves. Rooms and badges (the circle on a part
// that counts its faults) never overlap one another and stay inside the picture, whatever the
// language and however many faults are on. The picture is drawn in these units; on a phone
// one unit is about one pixel.

/** Mirror a room or a point about the vertical middle of a picture `width` wide. */
function mirror(width, item) {
  const anchor = { start: "end", end: "start", middle: "middle" }[item.anchor ?? "middle"];
  return { ...item, x: width - item.x, anchor };
}

const LABEL = { size: 12, minSize: 10, lines: 1 };
const VALUE = { size: 14, minSize: 10, weight: 600, lines: 1 };

/** A reading: its label over its value, `w` wide. */
function reading(name, x, y, w, anchor = "middle") {
  return {
    [`${name}.label`]: { ...LABEL, x, y, w, anchor },
    [`${name}.value`]: { ...VALUE, x, y: y + 15, w, anchor },
  };
}

const BADGE_RADIUS = 9;

const HK3 = {
  width: 360,
  height: 248,
  miners: { x: 2, y: 44, w: 86, h: 124 },
  tower: "M272 44 L358 44 L350 236 L280 236 Z",
  fans: [
    [287, 24],
    [315, 24],
    [343, 24],
  ],
  pumps: { circulating_pump: [180, 56], fluid_infusion: [180, 196], spray_pump: [315, 172] },
  pipes: {
    supply: "M272 56 L88 56",
    return: "M88 150 L272 150",
    makeup: "M180 184 L180 150",
    spray: "M272 150 L303 150 L303 172",
  },
  rooms: {
    ...reading("supply_temp", 121, 4, 58),
    ...reading("supply_pressure", 180, 4, 58),
    ...reading("supply_flow", 239, 4, 58),
    ...reading("return_temp", 121, 158, 58),
    ...reading("return_pressure", 239, 158, 58),
    "miners.label": { x: 45, y: 70, w: 78, size: 13, lines: 2 },
    "miners.value": { x: 45, y: 108, w: 78, size: 14, minSize: 11, weight: 600, lines: 2 },
    "circulating_pump.label": { ...LABEL, x: 180, y: 74, w: 176, lines: 2 },
    "fluid_infusion.label": { ...LABEL, x: 180, y: 214, w: 176, lines: 2 },
    "cooling_tower.label": { x: 315, y: 70, w: 80, size: 13, minSize: 11, lines: 2 },
    "spray_pump.label": { ...LABEL, x: 315, y: 194, w: 62, lines: 2 },
  },
  badges: {
    miners: [76, 56],
    circulating_pump: [199, 47],
    fluid_infusion: [198, 186],
    cooling_tower: [286, 56],
    spray_pump: [333, 160],
  },
};

/** One of the Immersion's secondary loops, drawn on the left; loop 2 is its mirror image. */
function immersionLoop(n) {
  return {
    rooms: {
      [`secondary_pump${n}.label`]: { ...LABEL, x: 4, y: 92, w: 104, lines: 2, anchor: "start" },
      [`valve${n}.label`]: { ...LABEL, x: 48, y: 150, w: 52 },
      [`valve${n}.value`]: { ...VALUE, x: 48, y: 165, w: 52 },
      ...reading(`secondary_supply${n}`, 78, 152, 58, "start"),
      ...reading(`secondary_return${n}`, 78, 187, 58, "start"),
    },
    badges: { [`secondary_pump${n}`]: [121, 124] },
    pumps: { [`secondary_pump${n}`]: [104, 138] },
    valves: { [`valve${n}`]: [48, 138] },
    pipes: {
      [`loop${n}_supply`]: "M160 138 L16 138 L16 228",
      [`loop${n}_return`]: "M140 228 L140 174 L160 174",
    },
  };
}

function mirrorPath(width, path) {
  return path.replace(/([ML])(\d+(?:\.\d+)?) /g, (_, command, x) => `${command}${width - Number(x)} `);
}

function mirroredLoop(width, loop) {
  const each = (table, fn) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k, fn(v)]));
  const point = ([x, y]) => [width - x, y];
  return {
    rooms: each(loop.rooms, (room) => mirror(width, room)),
    badges: each(loop.badges, point),
    pumps: each(loop.pumps, point),
    valves: each(loop.valves, point),
    pipes: each(loop.pipes, (path) => mirrorPath(width, path)),
  };
}

const LOOP1 = immersionLoop(1);
const LOOP2 = mirroredLoop(360, immersionLoop(2));

const TANKS = ["a", "b", "c", "d"].map((letter, i) => ({ letter, x: 2 + i * 90, y: 228, w: 86, h: 48 }));

const IMMERSION = {
  width: 360,
  height: 278,
  cooler: { x: 70, y: 2, w: 220, h: 46, fan: [92, 25] },
  exchanger: { x: 160, y: 110, w: 40, h: 80 },
  tanks: TANKS,
  pumps: { primary_pump: [142, 78], ...LOOP1.pumps, ...LOOP2.pumps },
  valves: { ...LOOP1.valves, ...LOOP2.valves },
  pipes: {
    primary_supply: "M142 48 L142 126 L160 126",
    primary_return: "M200 126 L218 126 L218 48",
    ...LOOP1.pipes,
    ...LOOP2.pipes,
  },
  rooms: {
    "dry_cooler.label": { x: 112, y: 6, w: 144, size: 13, lines: 1, anchor: "start" },
    "dry_cooler.value": { ...VALUE, x: 112, y: 24, w: 144, anchor: "start" },
    ...reading("primary_supply", 112, 56, 108, "end"),
    ...reading("primary_return", 232, 56, 108, "start"),
    "heat_exchanger.label": { ...LABEL, x: 180, y: 194, w: 76, lines: 2, minSize: 10 },
    ...LOOP1.rooms,
    ...LOOP2.rooms,
    ...Object.fromEntries(
      TANKS.flatMap(({ letter, x, y, w }) => [
        [`tank_${letter}.label`, { x: x + w / 2, y: y + 4, w: 70, size: 13, lines: 1 }],
        [`tank_${letter}.value`, { ...VALUE, x: x + w / 2, y: y + 22, w: 70 }],
      ]),
    ),
  },
  badges: {
    dry_cooler: [274, 14],
    primary_pump: [124, 64],
    tanks: [180, 252],
    ...LOOP1.badges,
    ...LOOP2.badges,
  },
};

export const LAYOUTS = { hk3: HK3, immersion: IMMERSION };
export { BADGE_RADIUS };

/** The box of a badge: [left, top, right, bottom]. */
export function badgeBox([x, y]) {
  return [x - BADGE_RADIUS, y - BADGE_RADIUS, x + BADGE_RADIUS, y + BADGE_RADIUS];
}
