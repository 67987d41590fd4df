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
 * brackets or quotes, so a Buffer is scanned as it is.
 */
export function refuseDeepJson(source: string | Uint8Array): void {
  if (source.length <= 2 * MAX_JSON_NESTING) return;
  const code = typeof source === 'string' ? (i: number) => source.charCodeAt(i) : (i: number) => source[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = code(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_NESTING) throw tooDeep();
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
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
