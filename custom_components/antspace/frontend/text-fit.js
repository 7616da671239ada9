// Fitting a text into its room of the picture: wrapped at the places a line may break, made
// smaller, or cut with "…"; no DOM here (the width of a text comes in as `measure`).

const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;

/** The pieces a line may break between: after a space or hyphen, and around CJK characters. */
export function breakable(text) {
  const pieces = [];
  let current = "";
  for (const char of String(text)) {
    if (CJK.test(char) && current && !/\s$/.test(current)) {
      pieces.push(current);
      current = "";
    }
    current += char;
    if (/[\s\-/]/.test(char) || CJK.test(char)) {
      pieces.push(current);
      current = "";
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** Greedy lines of at most `width`, or null when a piece is wider or more lines are needed. */
function wrap(text, width, maxLines, measure) {
  const lines = [];
  let line = "";
  for (const piece of breakable(text)) {
    const candidate = line + piece;
    if (measure(candidate.trimEnd()) <= width) {
      line = candidate;
      continue;
    }
    if (!line || measure(piece.trim()) > width) return null;
    lines.push(line.trimEnd());
    line = piece.trimStart();
    if (lines.length >= maxLines) return null;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length <= maxLines ? lines : null;
}

/** The longest start of `text` that fits with "…" after it. */
function ellipsize(text, width, measure) {
  if (measure(text) <= width) return text;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(`${chars.slice(0, mid).join("").trimEnd()}…`) <= width) low = mid;
    else high = mid - 1;
  }
  return `${chars.slice(0, low).join("").trimEnd()}…`;
}

/** As many lines as allowed, the last one cut with "…"; words too long are cut too. */
function cut(text, width, maxLines, measure) {
  const lines = [];
  let rest = String(text).trim();
  while (rest && lines.length < maxLines - 1) {
    let line = "";
    let used = 0;
    for (const piece of breakable(rest)) {
      if (measure((line + piece).trimEnd()) > width) break;
      line += piece;
      used += piece.length;
    }
    if (!used) break; // the next word alone is too wide: it goes on the last line, cut
    lines.push(line.trimEnd());
    rest = rest.slice(used).trimStart();
  }
  if (rest) lines.push(ellipsize(rest, width, measure));
  return lines;
}

/**
 * Lay out a text in its room on the picture: `room` = { w, lines, size, minSize, weight }.
 * Tries each font size from `size` down to `minSize` for a wrap into at most `lines` lines;
 * when none fits, the text is cut with "…" at `minSize` (`truncated`, so that the card shows
 * the whole text on hover and tap). `measure(text, size, weight)` is the text's width in px.
 */
export function fitText(text, room, measure) {
  const value = String(text ?? "");
  const { w, lines = 1, size, minSize = size, weight = 400 } = room;
  for (let s = size; s >= minSize; s -= 1) {
    const wrapped = wrap(value, w, lines, (t) => measure(t, s, weight));
    if (wrapped) return { lines: wrapped, size: s, truncated: false };
  }
  return {
    lines: cut(value, w, lines, (t) => measure(t, minSize, weight)),
    size: minSize,
    truncated: true,
  };
}

/** The height of one line of text of this font size on the picture: its box and no more. */
export function lineHeight(size) {
  return Math.ceil(size * 1.25);
}

/** The rectangle a room takes on the picture: [left, top, right, bottom]. */
export function roomBox(room) {
  const { x, y, w, lines = 1, size, anchor = "middle" } = room;
  const left = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
  return [left, y, left + w, y + lines * lineHeight(size)];
}

/** Whether two rectangles [left, top, right, bottom] share any area. */
export function overlaps(a, b) {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * The text a part's label shows: the name of its one fault where that fits its room whole,
 * else the part's own name (a part with several faults shows their count in its badge).
 */
export function partLabel(name, faults, room, measure) {
  if (faults.length === 1) {
    const faultRoom = { ...room, weight: 600 };
    const fitted = fitText(faults[0].name, faultRoom, measure);
    if (!fitted.truncated) return { text: faults[0].name, fitted, fault: true };
  }
  const weight = faults.length ? 600 : room.weight ?? 400;
  return { text: name, fitted: fitText(name, { ...room, weight }, measure), fault: false };
}
