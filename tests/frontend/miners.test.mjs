// The miners view's logic, with Node's own test runner: node --test tests/frontend/
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DEFAULT_CHIP_LIMIT,
  formatHashrate,
  formatUptime,
  medianHashrate,
  minerCells,
  minerCounts,
  minerLevel,
  refreshDelay,
} from "../../custom_components/antspace/frontend/miners.js";

/** A miner as `antspace/miners` answers it. */
const miner = (position, chip, hashrate, extra = {}) => ({
  position,
  address: null,
  type: "Antminer S21 Hyd",
  firmware: null,
  uptime: 3600,
  hashrate_5s: hashrate,
  hashrate_avg: hashrate,
  board_temp: chip === null ? null : chip - 8,
  chip_temp: chip,
  hashing: hashrate === null ? null : hashrate > 0,
  ...extra,
});

const ROW = [
  miner(1, 70, 330_000),
  miner(2, 96, 320_000), // over the chip limit
  miner(3, 60, 0), // not hashing, cold
  miner(4, 88, 250_000), // hot and slow (under 90 % of the median)
  miner(5, null, null), // no reading at all
  miner(6, 72, 0), // not hashing
  miner(7, 80, 150_000), // low (under 70 % of the median)
];

test("by temperature: the miners that do not hash first, then the hottest, then by position", () => {
  const order = minerCells(ROW, "temperature").map((cell) => cell.miner.position);
  assert.deepEqual(order, [6, 3, 2, 4, 7, 1, 5]);
});

test("by hashrate: the miners that do not hash first, then the lowest hashrate", () => {
  const order = minerCells(ROW, "hashrate").map((cell) => cell.miner.position);
  assert.deepEqual(order, [3, 6, 7, 4, 2, 1, 5]);
});

test("cells mark the miners that do not hash, those at the limit, and the hottest", () => {
  const cells = Object.fromEntries(minerCells(ROW, "temperature").map((c) => [c.miner.position, c]));
  assert.deepEqual([3, 6].map((p) => cells[p].stopped), [true, true]);
  assert.equal(cells[1].stopped, false);
  assert.equal(cells[5].stopped, false); // no reading is not "stopped"
  assert.deepEqual(Object.values(cells).filter((c) => c.hot).map((c) => c.miner.position), [2]);
  assert.deepEqual(Object.values(cells).filter((c) => c.hottest).map((c) => c.miner.position), [2]);
});

test("colour by chip temperature: bands below the limit, critical above it", () => {
  const level = (chip) => minerLevel(miner(1, chip, 1), "temperature");
  assert.equal(DEFAULT_CHIP_LIMIT, 95);
  assert.deepEqual([60, 74.9, 75, 84.9, 85, 95, 95.1, 110].map(level),
    ["ok", "ok", "medium", "medium", "high", "high", "critical", "critical"]);
  assert.equal(level(null), "none");
  assert.equal(minerLevel(miner(1, 81, 1), "temperature", { limit: 80 }), "critical");
  assert.equal(minerLevel(miner(1, 71, 1), "temperature", { limit: 80 }), "high");
});

test("colour by hashrate: against the median of the miners that hash", () => {
  assert.equal(medianHashrate(ROW), 285_000); // of 330, 320, 250, 150 thousand
  assert.equal(medianHashrate([miner(1, 50, 0)]), null);
  const level = (m) => minerLevel(m, "hashrate", { median: 250_000 });
  assert.equal(level(miner(1, 50, 0)), "critical");
  assert.equal(level(miner(1, 50, 225_000)), "ok"); // 90 %
  assert.equal(level(miner(1, 50, 224_999)), "medium");
  assert.equal(level(miner(1, 50, 175_000)), "medium"); // 70 %
  assert.equal(level(miner(1, 50, 174_999)), "high");
  assert.equal(level(miner(1, 50, null)), "none");
  assert.equal(minerLevel(miner(1, 50, 5), "hashrate", { median: null }), "ok");
});

test("counts: listed, hashing, not hashing, the hottest", () => {
  const counts = minerCounts(ROW);
  assert.deepEqual(
    { ...counts, hottest: counts.hottest.position },
    { listed: 7, hashing: 4, stopped: 2, hottest: 2 },
  );
  assert.equal(minerCounts([]).hottest, null);
});

test("texts of a miner: its hashrate in TH/s and its uptime in two units", () => {
  assert.equal(formatHashrate(335_123, "en"), "335\u00a0TH/s");
  assert.equal(formatHashrate(95_430, "de"), "95,4\u00a0TH/s");
  assert.equal(formatHashrate(null, "en"), "—");
  assert.equal(formatUptime(3 * 86_400 + 4 * 3_600 + 59, "en"), "3 days 4 hr");
  assert.equal(formatUptime(3 * 86_400 + 5 * 60, "en"), "3 days");
  assert.equal(formatUptime(50, "en"), "50 sec");
  assert.equal(formatUptime(0, "en"), "0 sec");
  assert.equal(formatUptime(-1, "en"), "—");
});

test("the view reads again at the miner summary's pace, never faster than every 5 s", () => {
  assert.equal(refreshDelay({ interval: 60 }), 60_000);
  assert.equal(refreshDelay({ interval: 1 }), 5_000);
  assert.equal(refreshDelay(null), 60_000);
});
