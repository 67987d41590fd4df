/**
 * io.jwt.*: decode, verify_* (HS/RS/PS/ES/EdDSA), decode_verify with OPA's constraint object
 * (cert | secret, alg, iss, aud, time) and encode_sign(_raw). Signature checks are memoised per
 * (algorithm, token, key): the answer depends on nothing else, and policies re-check the same
 * agent token on every request.
 */
import { BuiltinError } from '../errors';
import { isNumber, ObjectValue, toJSONText, type Value } from '../value';
import { parseJSONValue } from '../json-value';
import { builtin, type BuiltinDef, type BuiltinImpl, type TypeSpec } from './registry';
import { objectOperand, stringOperand } from './operands';
import { decodeBase64URLLenient } from './go-base64';
import { BoundedCache } from './bounded-cache';
import { ALGORITHMS, createSignature, signingKey, verificationKeys, verifySignature, type VerificationKey } from './jwt-keys';

interface TokenParts {
  header: string;
  payload: string;
  signature: string;
}

function splitToken(v: Value): TokenParts {
  const text = stringOperand(v, 1);
  if (!text.includes('.')) throw new BuiltinError('encoded JWT had no period separators');
  const parts = text.split('.');
  if (parts.length !== 3) throw new BuiltinError(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0], payload: parts[1], signature: parts[2] };
}

function decodeSection(text: string, what: string): Buffer {
  try {
    return decodeBase64URLLenient(text);
  } catch (e) {
    throw new BuiltinError(`JWT ${what} had invalid encoding: ${(e as Error).message}`);
  }
}

function jsonObject(text: string): ObjectValue {
  let v: Value;
  try {
    v = parseJSONValue(text);
  } catch (e) {
    throw new BuiltinError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!(v instanceof ObjectValue)) throw new BuiltinError('decoded JSON type was not an Object');
  return v;
}

/**
 * Decoded headers by their encoded text: an issuer's tokens share one header, so a token seen for
 * the first time mostly needs only its payload and signature decoded. Values are immutable.
 */
const decodedHeaders = new BoundedCache<string, ObjectValue>(256);

function decodeHeader(parts: TokenParts): ObjectValue {
  const known = decodedHeaders.get(parts.header);
  if (known !== undefined) return known;
  const header = decodeHeaderText(parts.header);
  decodedHeaders.set(parts.header, header);
  return header;
}

function decodeHeaderText(encoded: string): ObjectValue {
  const text = decodeSection(encoded, 'header').toString('utf8');
  let header: ObjectValue;
  try {
    header = jsonObject(text);
  } catch (e) {
    throw new BuiltinError(`bad JWT header: ${(e as Error).message}`);
  }
  if (header.has('enc')) throw new BuiltinError('JWT is a JWE object, which is not supported');
  return header;
}

function decodeToken(token: Value): Value {
  const parts = splitToken(token);
  const header = decodeHeader(parts);
  const payloadText = decodeSection(parts.payload, 'payload').toString('utf8');
  if (header.get('cty') === 'JWT') {
    // A nested token arrives quoted (as jwt.io produces it): strip the quotes and decode it.
    return decodeToken(payloadText.replace(/^["']+|["']+$/g, ''));
  }
  const payload = jsonObject(payloadText);
  const signature = decodeSection(parts.signature, 'signature').toString('hex');
  return [header, payload, signature];
}

// ------------------------------------------------------------------------------- verify_*

const verdicts = new BoundedCache<string, boolean>(4096);

function signingInput(parts: TokenParts): Buffer {
  return Buffer.from(`${parts.header}.${parts.payload}`, 'utf8');
}

function verifyWithKeys(alg: string, parts: TokenParts, header: ObjectValue, keys: VerificationKey[], signature: Buffer): boolean {
  const data = signingInput(parts);
  const opts = { strictCurve: false };
  const kid = header.get('kid');
  if (typeof kid === 'string' && kid !== '') {
    const match = keys.find((k) => k.kid === kid);
    if (match) return verifySignature(alg, match.key, data, signature, opts);
  }
  const headerAlg = header.get('alg');
  return keys.some((k) => (k.alg === '' || k.alg === headerAlg) && verifySignature(alg, k.key, data, signature, opts));
}

function asymmetricVerifier(alg: string): BuiltinImpl {
  return (args) => {
    const token = stringOperand(args[0], 1);
    const keyText = stringOperand(args[1], 2);
    const cacheKey = `${alg}\u0000${token}\u0000${keyText}`;
    const cached = verdicts.get(cacheKey);
    if (cached !== undefined) return cached;
    const parts = splitToken(token);
    const keys = verificationKeys(keyText);
    const signature = decodeSection(parts.signature, 'signature');
    const header = decodeHeader(parts);
    tokenHeader(header);
    const valid = verifyWithKeys(alg, parts, header, keys, signature);
    verdicts.set(cacheKey, valid);
    return valid;
  };
}

function hmacVerifier(alg: string): BuiltinImpl {
  return (args) => {
    const token = stringOperand(args[0], 1);
    const secret = stringOperand(args[1], 2);
    const parts = splitToken(token);
    const signature = decodeSection(parts.signature, 'signature');
    return verifySignature(alg, Buffer.from(secret, 'utf8'), signingInput(parts), signature, { strictCurve: false });
  };
}

// -------------------------------------------------------------------------- decode_verify

interface Constraints {
  keys: VerificationKey[] | null;
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  timeSeconds: number;
}

function stringConstraint(name: string, v: Value): string {
  if (typeof v !== 'string') throw new BuiltinError(`${name} constraint: must be a string`);
  return v;
}

function timeConstraint(v: Value): number {
  if (!isNumber(v)) throw new BuiltinError('token time constraint: must be a number');
  const t = typeof v === 'number' ? v : v.d.toNumber();
  if (t < 0) throw new BuiltinError('token time constraint: must not be negative');
  return t;
}

function parseConstraints(o: ObjectValue, nowNs: bigint): Constraints {
  const c: Constraints = { keys: null, secret: '', alg: '', iss: '', aud: '', timeSeconds: -1 };
  let timeNs = -1;
  for (const [k, v] of o.entries()) {
    switch (k) {
      case 'cert':
        c.keys = verificationKeys(stringConstraint('cert', v));
        break;
      case 'secret':
        c.secret = stringConstraint('secret', v);
        break;
      case 'alg':
        c.alg = stringConstraint('alg', v);
        break;
      case 'iss':
        c.iss = stringConstraint('iss', v);
        break;
      case 'aud':
        c.aud = stringConstraint('aud', v);
        break;
      case 'time':
        timeNs = timeConstraint(v);
        break;
      default:
        throw new BuiltinError(`unknown token validation constraint: ${typeof k === 'string' ? k : toJSONText(k)}`);
    }
  }
  c.timeSeconds = (timeNs === -1 ? Number(nowNs) : timeNs) / 1e9;
  const keyKinds = (c.keys !== null ? 1 : 0) + (c.secret !== '' ? 1 : 0);
  if (keyKinds > 1) throw new BuiltinError('duplicate key constraints');
  if (keyKinds < 1) throw new BuiltinError('no key constraint');
  return c;
}

interface TokenHeader {
  alg: string;
  kid: string;
  cty: string;
  valid: boolean;
}

function headerString(name: string, v: Value): string {
  if (typeof v !== 'string') throw new BuiltinError(`${name}: must be a string`);
  return v;
}

/** OPA's parseTokenHeader + valid(): `alg` present, every `crit` parameter understood. */
function tokenHeader(header: ObjectValue): TokenHeader {
  const h = { alg: '', kid: '', cty: '', valid: true };
  let crit: Set<string> | null = null;
  const unknown: string[] = [];
  for (const [k, v] of header.entries()) {
    if (k === 'alg' || k === 'kid' || k === 'cty' || k === 'typ') {
      const s = headerString(k, v);
      if (k !== 'typ') h[k] = s;
    } else if (k === 'crit') {
      if (!Array.isArray(v)) throw new BuiltinError('crit: must be a list');
      crit = new Set(v.filter((x): x is string => typeof x === 'string'));
      if (crit.size === 0) throw new BuiltinError('crit: must be a nonempty list');
    } else if (typeof k === 'string') {
      unknown.push(k);
    }
  }
  h.valid = h.alg !== '' && !unknown.some((u) => crit?.has(u));
  return h;
}

function constraintSignatureOk(c: Constraints, h: TokenHeader, parts: TokenParts, signature: Buffer): boolean {
  const data = signingInput(parts);
  const opts = { strictCurve: true };
  if (c.keys !== null) {
    if (h.kid !== '') {
      const match = c.keys.find((k) => k.kid === h.kid);
      if (match) return verifySignature(h.alg, match.key, data, signature, opts);
    }
    return c.keys.some((k) => (k.alg === '' || k.alg === h.alg) && verifySignature(h.alg, k.key, data, signature, opts));
  }
  return verifySignature(h.alg, Buffer.from(c.secret, 'utf8'), data, signature, opts);
}

const UNVERIFIED: Value = [false, new ObjectValue(), new ObjectValue()];

/** Signature checks and decoding, following nested (`cty: JWT`) tokens; null when not verified. */
function verifiedContents(token: Value, c: Constraints): [ObjectValue, ObjectValue] | null {
  let current = token;
  for (;;) {
    const parts = splitToken(current);
    const header = decodeHeader(parts);
    const h = tokenHeader(header);
    if (!h.valid) return null;
    if (c.alg !== '' && c.alg !== h.alg) return null;
    const signature = decodeSection(parts.signature, 'signature');
    if (!constraintSignatureOk(c, h, parts, signature)) return null;
    const payloadText = decodeSection(parts.payload, 'payload').toString('utf8');
    if (h.cty.toUpperCase() === 'JWT') {
      current = payloadText;
      continue;
    }
    return [header, jsonObject(payloadText)];
  }
}

function validAudience(aud: Value, want: string): boolean {
  if (typeof aud === 'string') return aud === want;
  return Array.isArray(aud) && aud.some((a) => a === want);
}

function numericClaim(payload: ObjectValue, name: string): number | undefined {
  const v = payload.get(name);
  if (v === undefined) return undefined;
  if (!isNumber(v)) throw new BuiltinError(`${name} value must be a number`);
  return typeof v === 'number' ? v : v.d.toNumber();
}

type Contents = [ObjectValue, ObjectValue] | null;

/**
 * Verified contents by the constraints that affect the signature check and then by token. Nested
 * rather than one joined key: the key text (a PEM of ~450 characters) comes from data, the same
 * string every time, so its hash is computed once; a joined key would be hashed afresh per call.
 */
const verifiedTokens = new BoundedCache<string, BoundedCache<string, BoundedCache<string, Contents>>>(8);

function constraintString(constraints: ObjectValue, name: string): string {
  const v = constraints.get(name);
  return typeof v === 'string' ? v : '';
}

/** verifiedContents, memoised by token and the constraints that affect the signature check. */
function cachedContents(token: Value, c: Constraints, constraints: ObjectValue): Contents {
  if (typeof token !== 'string') return verifiedContents(token, c);
  const byKey = verifiedTokens.getOrCompute(constraintString(constraints, 'cert'), () => new BoundedCache(8));
  const scope = `${constraintString(constraints, 'alg')}\u0000${constraintString(constraints, 'secret')}`;
  const byToken = byKey.getOrCompute(scope, () => new BoundedCache(2048));
  const hit = byToken.get(token);
  if (hit !== undefined) return hit;
  const contents = verifiedContents(token, c);
  byToken.set(token, contents);
  return contents;
}

function decodeVerify(token: Value, constraints: ObjectValue, nowNs: bigint): Value {
  const c = parseConstraints(constraints, nowNs);
  const contents = cachedContents(token, c, constraints);
  if (!contents) return UNVERIFIED;
  const [header, payload] = contents;
  if (c.iss !== '' && payload.get('iss') !== c.iss) return UNVERIFIED;
  const aud = payload.get('aud');
  if (aud !== undefined ? !validAudience(aud, c.aud) : c.aud !== '') return UNVERIFIED;
  const exp = numericClaim(payload, 'exp');
  if (exp !== undefined && !(c.timeSeconds < exp)) return UNVERIFIED;
  const nbf = numericClaim(payload, 'nbf');
  if (nbf !== undefined && c.timeSeconds < nbf) return UNVERIFIED;
  return [true, header, payload];
}

// ---------------------------------------------------------------------------- encode_sign

/** Go's json.Marshal text: sorted keys, HTML-sensitive characters escaped. */
function goJSON(v: Value): string {
  return toJSONText(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function headerAlg(headers: string): string {
  if (headers.trim() === '') throw new BuiltinError("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
  let doc: unknown = null;
  if (headers.trimStart().startsWith('{')) {
    try {
      doc = JSON.parse(headers);
    } catch (e) {
      throw new BuiltinError(`missing or invalid 'alg' header: cannot parse JSON: ${(e as Error).message}`);
    }
  }
  const alg = (doc as { alg?: unknown } | null)?.alg;
  if (typeof alg !== 'string') throw new BuiltinError('missing or invalid \'alg\' header: jwsbb: header "alg" not found');
  return alg;
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function encodeSign(headers: string, payload: string, jwk: string): string {
  const key = signingKey(jwk);
  const alg = headerAlg(headers);
  if (!ALGORITHMS[alg]) throw new BuiltinError(`unknown JWS algorithm: ${alg}`);
  let typ: unknown;
  try {
    typ = (JSON.parse(headers) as { typ?: unknown }).typ;
  } catch {
    typ = undefined;
  }
  if ((typeof typ !== 'string' || typ === 'JWT') && !isJSON(payload)) {
    throw new BuiltinError('type is JWT but payload is not JSON');
  }
  const input = `${Buffer.from(headers, 'utf8').toString('base64url')}.${Buffer.from(payload, 'utf8').toString('base64url')}`;
  return `${input}.${createSignature(alg, key, Buffer.from(input, 'utf8')).toString('base64url')}`;
}

// ------------------------------------------------------------------------------ the table

const OBJECT: TypeSpec = { object: ['any', 'any'] };
const STRING_KEYED: TypeSpec = { object: ['string', 'any'] };

function verifier(name: string, impl: BuiltinImpl): BuiltinDef {
  return builtin({ name, args: ['string', 'string'], result: 'boolean', category: 'tokens', impl });
}

export const jwtBuiltins: BuiltinDef[] = [
  builtin({
    name: 'io.jwt.decode',
    args: ['string'],
    result: { tuple: [OBJECT, OBJECT, 'string'] },
    category: 'tokens',
    impl: ([token]) => decodeToken(token),
  }),
  builtin({
    name: 'io.jwt.decode_verify',
    args: ['string', STRING_KEYED],
    result: { tuple: ['boolean', OBJECT, OBJECT] },
    category: 'tokens',
    nondeterministic: true,
    impl: (args, ctx) => decodeVerify(args[0], objectOperand(args[1], 2), ctx.nowNs),
  }),
  verifier('io.jwt.verify_hs256', hmacVerifier('HS256')),
  verifier('io.jwt.verify_hs384', hmacVerifier('HS384')),
  verifier('io.jwt.verify_hs512', hmacVerifier('HS512')),
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'].map((alg) =>
    verifier(`io.jwt.verify_${alg.toLowerCase()}`, asymmetricVerifier(alg)),
  ),
  verifier('io.jwt.verify_eddsa', asymmetricVerifier('EdDSA')),
  builtin({
    name: 'io.jwt.encode_sign',
    args: [STRING_KEYED, STRING_KEYED, STRING_KEYED],
    result: 'string',
    category: 'tokens',
    nondeterministic: true,
    impl: ([headers, payload, key]) => encodeSign(goJSON(headers), goJSON(payload), goJSON(key)),
  }),
  builtin({
    name: 'io.jwt.encode_sign_raw',
    args: ['string', 'string', 'string'],
    result: 'string',
    category: 'tokens',
    nondeterministic: true,
    impl: (args) => {
      const key = stringOperand(args[2], 3);
      return encodeSign(stringOperand(args[0], 1), stringOperand(args[1], 2), key);
    },
  }),
];
