/**
 * regex.globs_match: do two "glob-like" regular expressions (literals, `.`, character classes,
 * each optionally followed by `*` or `+`) match at least one common string? Decided by a
 * breadth-first search over pairs of positions in the two token lists, as OPA's gintersect does.
 */
import { BuiltinError } from '../errors';

const MAX_RUNE = 0x10ffff;

type Range = [number, number];

interface Token {
  /** Sorted, non-overlapping code-point ranges this token accepts. */
  ranges: Range[];
  star: boolean;
}

function normalise(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function intersects(a: Range[], b: Range[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i][1] < b[j][0]) i++;
    else if (b[j][1] < a[i][0]) j++;
    else return true;
  }
  return false;
}

function invalid(pos: number, what: string): BuiltinError {
  return new BuiltinError(`pos:${pos}:${what}: the input provided is invalid`);
}

/** Reads one rune, a backslash escaping the next; [next index, code point, escaped] or null at the end. */
function nextRune(cps: number[], i: number): [number, number, boolean] | null {
  if (i >= cps.length) return null;
  if (cps[i] !== BACKSLASH) return [i + 1, cps[i], false];
  if (i === cps.length - 1) throw invalid(i, 'input ends with a \\ (escape) character');
  return [i + 2, cps[i + 1], true];
}

/** A `[…]` list of runes and inclusive ranges; `^` is an ordinary rune here, there is no negation. */
function parseSet(cps: number[], start: number): [Range[], number] {
  const ranges: Range[] = [];
  let i = start;
  let prev = -1;
  for (;;) {
    const r = nextRune(cps, i);
    if (r === null) throw invalid(i, 'found [ without matching ]');
    const [next, c, escaped] = r;
    i = next;
    if (!escaped && c === 0x5d) return [normalise(ranges), i];
    if (escaped || c !== 0x2d) {
      ranges.push([c, c]);
      prev = c;
      continue;
    }
    if (prev < 0) throw invalid(i, "range character '-' must be preceded by a Unicode character");
    if (i >= cps.length - 1) throw invalid(i, "range character '-' must be followed by a Unicode character");
    const [afterEnd, end, endEscaped] = nextRune(cps, i) as [number, number, boolean];
    i = afterEnd;
    if (!endEscaped && (end === 0x5d || end === 0x2d)) {
      throw invalid(i, "range character '-' cannot be followed by a special symbol");
    }
    // gintersect reports an inverted range but then loses the error: such a range is just empty.
    if (end >= prev) ranges.push([prev, end]);
    prev = -1;
  }
}

const DOT = 0x2e;
const BACKSLASH = 0x5c;

function tokenize(glob: string): Token[] {
  const cps = Array.from(glob, (c) => c.codePointAt(0) as number);
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    const r = nextRune(cps, i);
    if (r === null) return tokens;
    const [next, c, escaped] = r;
    i = next;
    let ranges: Range[];
    if (escaped) ranges = [[c, c]];
    else if (c === DOT) ranges = [[0, MAX_RUNE]];
    else if (c === 0x5b) [ranges, i] = parseSet(cps, i);
    else if (c === 0x5d) throw invalid(i, "set-close ']' with no preceding '['");
    else if (c === 0x2a || c === 0x2b) throw invalid(i, `flag '${String.fromCodePoint(c)}' must be preceded by a non-flag`);
    else ranges = [[c, c]];
    // One unescaped `*` or `+` may follow a token.
    const flag = i < cps.length && (cps[i] === 0x2a || cps[i] === 0x2b) ? cps[i++] : 0;
    if (flag === 0x2a) tokens.push({ ranges, star: true });
    else if (flag === 0x2b) tokens.push({ ranges, star: false }, { ranges, star: true });
    else tokens.push({ ranges, star: false });
  }
}

export function globsIntersect(a: string, b: string): boolean {
  const ta = tokenize(a);
  const tb = tokenize(b);
  const seen = new Set<number>();
  const width = tb.length + 1;
  const queue: [number, number][] = [[0, 0]];
  while (queue.length > 0) {
    const [i, j] = queue.pop() as [number, number];
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === ta.length && j === tb.length) return true;
    if (i < ta.length && ta[i].star) queue.push([i + 1, j]);
    if (j < tb.length && tb[j].star) queue.push([i, j + 1]);
    if (i < ta.length && j < tb.length && intersects(ta[i].ranges, tb[j].ranges)) {
      queue.push([ta[i].star ? i : i + 1, tb[j].star ? j : j + 1]);
    }
  }
  return false;
}
