// What the miners view shows, worked out from the integration's `antspace/miners` answer alone:
// the order of the cells, their colour in each mode, and the texts of a miner. No DOM here, so
// that Node's test runner checks it (tests/frontend/miners.test.mjs).

/** The chip temperature above which a miner overheats, °C, when the answer names none. */
export const DEFAULT_CHIP_LIMIT = 95;
/** How far below the limit a chip counts as warm, then hot, °C. */
export const WARM_BELOW = 20;
export const HOT_BELOW = 10;
/** The share of the container's median hashrate below which a miner counts as slow, then low. */
export const SLOW_SHARE = 0.9;
export const LOW_SHARE = 0.7;
export const MODES = ["temperature", "hashrate"];
/** The fewest seconds between two reads of the miners, whatever the answer says. */
export const MIN_INTERVAL = 5;

/**
 * The level of a miner in a mode, which gives its cell's colour: "critical" (not hashing, or
 * above the chip limit, as the alert Miner overheating has it), "high", "medium", "ok", or
 * "none" (no reading).
 */
export function minerLevel(miner, mode, { limit = DEFAULT_CHIP_LIMIT, median = null } = {}) {
  if (mode === "hashrate") {
    if (miner.hashing === false) return "critical";
    const rate = miner.hashrate_5s;
    if (typeof rate !== "number" || !median) return miner.hashing ? "ok" : "none";
    if (rate >= median * SLOW_SHARE) return "ok";
    return rate >= median * LOW_SHARE ? "medium" : "high";
  }
  const temp = miner.chip_temp;
  if (typeof temp !== "number") return "none";
  if (temp > limit) return "critical";
  if (temp >= limit - HOT_BELOW) return "high";
  return temp >= limit - WARM_BELOW ? "medium" : "ok";
}

/** The median 5-second hashrate of the miners that hash, GH/s; null when none does. */
export function medianHashrate(miners) {
  const rates = miners
    .filter((m) => m.hashing !== false && typeof m.hashrate_5s === "number" && m.hashrate_5s > 0)
    .map((m) => m.hashrate_5s)
    .sort((a, b) => a - b);
  if (!rates.length) return null;
  const middle = Math.floor(rates.length / 2);
  return rates.length % 2 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
}

const LEVEL_RANK = { critical: 0, high: 1, medium: 2, ok: 3, none: 4 };

/**
 * The cells in the order shown: the miners that do not hash first, then the worst of the mode
 * (the hottest chip, or the lowest hashrate), then by position. Each with its level and
 * whether it is the hottest.
 */
export function minerCells(miners, mode, { limit = DEFAULT_CHIP_LIMIT } = {}) {
  const median = medianHashrate(miners);
  const temps = miners.map((m) => m.chip_temp).filter((t) => typeof t === "number");
  const hottest = temps.length ? Math.max(...temps) : null;
  const worse = (a, b) => {
    if (mode === "hashrate") return (a.hashrate_5s ?? Infinity) - (b.hashrate_5s ?? Infinity);
    return (b.chip_temp ?? -Infinity) - (a.chip_temp ?? -Infinity);
  };
  return miners
    .map((miner) => ({
      miner,
      level: minerLevel(miner, mode, { limit, median }),
      stopped: miner.hashing === false,
      hot: typeof miner.chip_temp === "number" && miner.chip_temp > limit,
      hottest: hottest !== null && miner.chip_temp === hottest,
    }))
    .sort((a, b) => (Number(b.stopped) - Number(a.stopped))
      || LEVEL_RANK[a.level] - LEVEL_RANK[b.level]
      || worse(a.miner, b.miner)
      || a.miner.position - b.miner.position);
}

/** Counts for the view's header: miners listed, hashing, not hashing, and the hottest one. */
export function minerCounts(miners) {
  const hashing = miners.filter((m) => m.hashing === true).length;
  const stopped = miners.filter((m) => m.hashing === false).length;
  let hottest = null;
  for (const miner of miners) {
    if (typeof miner.chip_temp === "number" && (!hottest || miner.chip_temp > hottest.chip_temp)) {
      hottest = miner;
    }
  }
  return { listed: miners.length, hashing, stopped, hottest };
}

/** A hashrate in GH/s as TH/s, in the user's locale ("—" for none). */
export function formatHashrate(ghs, locale) {
  if (typeof ghs !== "number" || !Number.isFinite(ghs)) return "—";
  const digits = ghs >= 100_000 ? 0 : 1;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(ghs / 1000);
  return `${number}\u00a0TH/s`; // no break before the unit
}

/** A temperature in °C, in the user's locale ("—" for none). */
export function formatTemp(celsius, locale) {
  if (typeof celsius !== "number" || !Number.isFinite(celsius)) return "—";
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(celsius)}\u00a0°C`;
}

/** An uptime in seconds as its two largest units ("3 d 4 h", "4 h 12 min", "50 s"). */
export function formatUptime(seconds, locale) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return "—";
  const units = [["day", 86_400], ["hour", 3_600], ["minute", 60], ["second", 1]];
  const parts = [];
  let rest = Math.floor(seconds);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count || (!parts.length && unit === "second")) {
      parts.push(new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" })
        .format(count));
      rest -= count * size;
    }
    if (parts.length === 2 || (parts.length && !count)) break;
  }
  return parts.join(" ");
}

/** When to read the miners again, ms: the miner summary's interval, at least MIN_INTERVAL. */
export function refreshDelay(answer) {
  const interval = Number(answer?.interval);
  return Math.max(Number.isFinite(interval) ? interval : 60, MIN_INTERVAL) * 1000;
}
