import { HttpError } from './http-error';

/**
 * Request bodies may nest arrays and objects this deep at most. JSON.parse copes with any depth, but
 * what runs on the parsed value (canonical JSON for cache keys and hashes, policy input conversion,
 * schema checks) recurses and would overflow the stack long before the body limit is reached.
 */
export const MAX_JSON_NESTING = 512;

/**
 * 400 when JSON text nests deeper than `MAX_JSON_NESTING`. Valid JSON needs two characters per level,
 * so short bodies (nearly all of them) are not scanned; bytes of multi-byte UTF-8 characters are never
 * brackets or quotes, so a Buffer is scanned as it is. Text and bytes have a loop each: one loop reading
 * both through a callback ran four times slower on 600 KB audit batches.
 */
export function refuseDeepJson(source: string | Uint8Array): void {
  if (source.length <= 2 * MAX_JSON_NESTING) return;
  const tooDeepAt = typeof source === 'string' ? deepTextAt(source) : deepBytesAt(source);
  if (tooDeepAt >= 0) throw tooDeep();
}

/** Where the text first nests deeper than allowed, or -1. String contents are skipped with `indexOf`. */
function deepTextAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuoteOf(text, i);
      if (i < 0) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_NESTING) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}

/** The quote closing the string opened at `open`: the next one not escaped by an odd run of backslashes. */
function closingQuoteOf(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

function deepBytesAt(bytes: Uint8Array): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_NESTING) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function tooDeep(): HttpError {
  return new HttpError(400, 'invalid_request', `request body nests arrays and objects deeper than ${MAX_JSON_NESTING} levels`, [
    { path: '', message: `nesting deeper than ${MAX_JSON_NESTING}` },
  ]);
}
