/**
 * A direct matcher for the globs policies mostly use: literal text with `*` and `**` only. It
 * gives the same answers as the RE2 translation in glob.ts (`*` = any run without delimiters,
 * `**` = any run) at a fraction of the cost, by tracking the set of text positions reachable after
 * each part of the glob (no backtracking, O(text × parts) at worst).
 */

type Part = { kind: 'literal'; text: string } | { kind: 'star' } | { kind: 'any' };

export interface GlobMatcher {
  matches(text: string): boolean;
}

/** Characters that make a glob more than literals and stars, and lone surrogates (matched per code unit here). */
const NOT_SIMPLE = /[?[{\\\uD800-\uDFFF]/;

/**
 * The matcher for `glob` with single-code-unit delimiters, or null when the glob uses other
 * syntax (`?`, classes, alternatives, escapes) or a delimiter is not one plain code unit.
 */
export function starGlob(glob: string, delims: readonly string[]): GlobMatcher | null {
  if (NOT_SIMPLE.test(glob) || delims.some((d) => d.length !== 1 || NOT_SIMPLE.test(d))) return null;
  if (!glob.includes('*')) return { matches: (text) => text === glob };
  const parts: Part[] = [];
  for (let i = 0; i < glob.length; ) {
    if (glob[i] === '*') {
      const double = glob[i + 1] === '*';
      parts.push(double || delims.length === 0 ? { kind: 'any' } : { kind: 'star' });
      i += double ? 2 : 1;
      continue;
    }
    const next = glob.indexOf('*', i);
    const end = next < 0 ? glob.length : next;
    parts.push({ kind: 'literal', text: glob.slice(i, end) });
    i = end;
  }
  const delimiters = new Set(delims);
  return { matches: (text) => matchParts(parts, delimiters, text) };
}

function matchParts(parts: readonly Part[], delims: ReadonlySet<string>, text: string): boolean {
  const n = text.length;
  // reachable[p] === 1: position p can be reached after the parts matched so far.
  let reachable = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  reachable[0] = 1;
  let lowest = 0;
  for (const part of parts) {
    next.fill(0);
    let any = false;
    let newLowest = n + 1;
    const mark = (p: number) => {
      next[p] = 1;
      any = true;
      if (p < newLowest) newLowest = p;
    };
    if (part.kind === 'any') {
      for (let p = lowest; p <= n; p++) mark(p);
    } else if (part.kind === 'star') {
      for (let p = lowest; p <= n; p++) {
        if (reachable[p] === 0) continue;
        mark(p);
        // Extend over non-delimiters; positions already marked have been extended from.
        for (let q = p; q < n && !delims.has(text[q]) && next[q + 1] === 0; q++) mark(q + 1);
      }
    } else {
      const lit = part.text;
      for (let p = lowest; p + lit.length <= n; p++) {
        if (reachable[p] !== 0 && text.startsWith(lit, p)) mark(p + lit.length);
      }
    }
    if (!any) return false;
    [reachable, next] = [next, reachable];
    lowest = newLowest;
  }
  return reachable[n] === 1;
}
