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

function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalise(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
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

function parseClass(cps: number[], start: number, glob: string): [Range[], number] {
  let i = start + 1;
  const negated = cps[i] === 0x5e; // ^
  if (negated) i++;
  const ranges: Range[] = [];
  let first = true;
  while (i < cps.length && (cps[i] !== 0x5d || first)) {
    first = false;
    let lo = cps[i];
    if (lo === 0x5c) lo = cps[++i];
    i++;
    let hi = lo;
    if (cps[i] === 0x2d && i + 1 < cps.length && cps[i + 1] !== 0x5d) {
      hi = cps[i + 1];
      if (hi === 0x5c) hi = cps[++i + 1];
      i += 2;
    }
    ranges.push([lo, hi]);
  }
  if (i >= cps.length) throw new BuiltinError(`unterminated character class in ${JSON.stringify(glob)}`);
  return [negated ? complement(ranges) : normalise(ranges), i + 1];
}

function tokenize(glob: string): Token[] {
  const cps = Array.from(glob, (c) => c.codePointAt(0) as number);
  const tokens: Token[] = [];
  let i = 0;
  while (i < cps.length) {
    let ranges: Range[];
    const c = cps[i];
    if (c === 0x2e) {
      ranges = [[0, MAX_RUNE]];
      i++;
    } else if (c === 0x5b) {
      [ranges, i] = parseClass(cps, i, glob);
    } else if (c === 0x5c) {
      if (i + 1 >= cps.length) throw new BuiltinError(`trailing backslash in ${JSON.stringify(glob)}`);
      ranges = [[cps[i + 1], cps[i + 1]]];
      i += 2;
    } else if (c === 0x2a || c === 0x2b) {
      throw new BuiltinError(`quantifier without a preceding token in ${JSON.stringify(glob)}`);
    } else {
      ranges = [[c, c]];
      i++;
    }
    if (cps[i] === 0x2a) {
      tokens.push({ ranges, star: true });
      i++;
    } else if (cps[i] === 0x2b) {
      tokens.push({ ranges, star: false }, { ranges, star: true });
      i++;
    } else {
      tokens.push({ ranges, star: false });
    }
  }
  return tokens;
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
