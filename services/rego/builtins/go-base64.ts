/**
 * Base64 decoding with Go's encoding/base64 rules and error text (`illegal base64 data at input
 * byte N`, N a byte offset), which OPA's messages expose. Padding is required; CR and LF are skipped.
 */
import { BuiltinError } from '../errors';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeMap(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

const STD_MAP = decodeMap(STD);
const URL_MAP = decodeMap(URL);
const PAD = 0x3d;
const CR = 0x0d;
const LF = 0x0a;

function corrupt(offset: number): BuiltinError {
  return new BuiltinError(`illegal base64 data at input byte ${offset}`);
}

function skipNewlines(src: Uint8Array, si: number): number {
  while (si < src.length && (src[si] === CR || src[si] === LF)) si++;
  return si;
}

/** Decodes one 4-character quantum starting at `si`; returns the next index, or throws like Go. */
function decodeQuantum(src: Uint8Array, si: number, map: Int16Array, out: number[]): [number, boolean] {
  const buf = [0, 0, 0, 0];
  let len = 4;
  let done = false;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return [si, true];
      throw corrupt(si - j);
    }
    const c = src[si++];
    const v = map[c];
    if (v >= 0) {
      buf[j] = v;
      continue;
    }
    if (c === LF || c === CR) {
      j--;
      continue;
    }
    if (c !== PAD || j < 2) throw corrupt(si - 1);
    if (j === 2) {
      si = skipNewlines(src, si);
      if (si === src.length) throw corrupt(src.length);
      if (src[si] !== PAD) throw corrupt(si - 1);
      si++;
    }
    si = skipNewlines(src, si);
    if (si < src.length) throw corrupt(si);
    len = j;
    done = true;
    break;
  }
  const val = (buf[0] << 18) | (buf[1] << 12) | (buf[2] << 6) | buf[3];
  const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
  for (let k = 0; k < len - 1; k++) out.push(bytes[k]);
  return [si, done];
}

function decode(text: string, map: Int16Array): Buffer {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const [next, done] = decodeQuantum(src, si, map, out);
    si = next;
    if (done) break;
  }
  return Buffer.from(out);
}

// Well-formed input (the common case) decodes natively; anything else takes the exact Go path.
const STD_ALPHABET = /^[A-Za-z0-9+/]*$/;
const URL_ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Whole quanta of the alphabet, the last one possibly padded (`xx==`, `xxx=`). Checked without a
 * quantified-group regex, which V8 runs in microseconds on a 342-character JWT signature.
 */
function wellFormed(text: string, alphabet: RegExp): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return alphabet.test(padding === 0 ? text : text.slice(0, text.length - padding));
}

/** Go's base64.StdEncoding.DecodeString. */
export function decodeStdBase64(text: string): Buffer {
  return wellFormed(text, STD_ALPHABET) ? Buffer.from(text, 'base64') : decode(text, STD_MAP);
}

/** Go's base64.URLEncoding.DecodeString. */
export function decodeURLBase64(text: string): Buffer {
  return wellFormed(text, URL_ALPHABET) ? Buffer.from(text, 'base64url') : decode(text, URL_MAP);
}

/** OPA's base64url.decode: padding is optional (added back per RFC 7515 appendix C). */
export function decodeBase64URLLenient(text: string): Buffer {
  let s = text;
  if (!s.endsWith('=')) {
    const rem = s.length % 4;
    if (rem === 1) throw new BuiltinError(`illegal base64url string: ${s}`);
    if (rem === 2) s += '==';
    else if (rem === 3) s += '=';
  }
  return decodeURLBase64(s);
}
