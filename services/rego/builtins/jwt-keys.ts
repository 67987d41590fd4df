/**
 * Keys for io.jwt.*: verification keys from a PEM certificate, a PEM public key, a JWK or a JWKS
 * (as OPA's getKeysFromCertOrJWK), signing keys from a JWK (set), and the per-algorithm signature
 * primitives on node:crypto. Parsed keys are memoised: policies verify with the same keys per request.
 */
import {
  X509Certificate,
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign,
  timingSafeEqual,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { BuiltinError } from '../errors';
import { BoundedCache } from './bounded-cache';
import { decodePem } from './pem';

export type Family = 'HS' | 'RS' | 'PS' | 'ES' | 'EdDSA';

interface Algorithm {
  family: Family;
  hash: 'sha256' | 'sha384' | 'sha512';
  /** ECDSA curve the algorithm names (JOSE pairs each ES algorithm with one curve). */
  curve?: string;
}

export const ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  HS256: { family: 'HS', hash: 'sha256' },
  HS384: { family: 'HS', hash: 'sha384' },
  HS512: { family: 'HS', hash: 'sha512' },
  RS256: { family: 'RS', hash: 'sha256' },
  RS384: { family: 'RS', hash: 'sha384' },
  RS512: { family: 'RS', hash: 'sha512' },
  PS256: { family: 'PS', hash: 'sha256' },
  PS384: { family: 'PS', hash: 'sha384' },
  PS512: { family: 'PS', hash: 'sha512' },
  ES256: { family: 'ES', hash: 'sha256', curve: 'prime256v1' },
  ES384: { family: 'ES', hash: 'sha384', curve: 'secp384r1' },
  ES512: { family: 'ES', hash: 'sha512', curve: 'secp521r1' },
  EdDSA: { family: 'EdDSA', hash: 'sha512' },
};

/** A key: asymmetric (KeyObject) or an HMAC secret. */
export type KeyMaterial = KeyObject | Buffer;

export interface VerificationKey {
  key: KeyMaterial;
  alg: string;
  kid: string;
}

function familyAccepts(family: Family, key: KeyMaterial): boolean {
  if (Buffer.isBuffer(key)) return family === 'HS';
  if (key.type === 'secret') return family === 'HS';
  switch (family) {
    case 'RS':
    case 'PS':
      return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
    case 'ES':
      return key.asymmetricKeyType === 'ec';
    case 'EdDSA':
      return key.asymmetricKeyType === 'ed25519';
    default:
      return false;
  }
}

function secretOf(key: KeyMaterial): Buffer {
  return Buffer.isBuffer(key) ? key : key.export();
}

/** DER ECDSA signature from r‖s halves (Go splits the raw signature in the middle, whatever its length). */
function ecdsaDer(raw: Buffer): Buffer {
  const half = raw.length >> 1;
  const integer = (b: Buffer): Buffer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if (v.length === 0) v = Buffer.from([0]);
    if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02]), derLength(v.length), v]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  return n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}

export interface VerifyOptions {
  /** Require the ECDSA curve named by the algorithm (JWS verification); the verify_es* built-ins do not. */
  strictCurve: boolean;
}

/** True when `signature` is `alg`'s signature of `data` under `key`; a key of the wrong type is simply false. */
export function verifySignature(alg: string, key: KeyMaterial, data: Buffer, signature: Buffer, opts: VerifyOptions): boolean {
  const a = ALGORITHMS[alg];
  if (!a || !familyAccepts(a.family, key)) return false;
  try {
    switch (a.family) {
      case 'HS': {
        const mac = createHmac(a.hash, secretOf(key)).update(data).digest();
        return mac.length === signature.length && timingSafeEqual(mac, signature);
      }
      case 'RS':
        return verify(a.hash, data, { key: key as KeyObject, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'PS':
        return verify(
          a.hash,
          data,
          { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        );
      case 'ES': {
        const k = key as KeyObject;
        if (opts.strictCurve && k.asymmetricKeyDetails?.namedCurve !== a.curve) return false;
        if (signature.length < 2) return false;
        return verify(a.hash, data, { key: k, dsaEncoding: 'der' }, ecdsaDer(signature));
      }
      case 'EdDSA':
        return verify(null, data, key as KeyObject, signature);
    }
  } catch {
    return false;
  }
}

/** `alg`'s signature of `data`, as JWS carries it. */
export function createSignature(alg: string, key: KeyMaterial, data: Buffer): Buffer {
  const a = ALGORITHMS[alg];
  if (!familyAccepts(a.family, key)) throw new BuiltinError(`failed to sign payload: key is not usable with ${alg}`);
  switch (a.family) {
    case 'HS':
      return createHmac(a.hash, secretOf(key)).update(data).digest();
    case 'RS':
      return sign(a.hash, data, { key: key as KeyObject, padding: constants.RSA_PKCS1_PADDING });
    case 'PS':
      return sign(a.hash, data, {
        key: key as KeyObject,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      });
    case 'ES':
      return sign(a.hash, data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, key as KeyObject);
  }
}

type JWK = JsonWebKey & { kty?: unknown; alg?: unknown; kid?: unknown; k?: unknown };

function parseJWKSet(text: string): JWK[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('invalid key set');
  const keys = (doc as { keys?: unknown }).keys;
  if (keys === undefined) return [doc as JWK];
  if (!Array.isArray(keys)) throw new Error('"keys" must be an array');
  return keys as JWK[];
}

function keyFromJWK(jwk: JWK, wantPrivate: boolean): KeyMaterial {
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') throw new Error('missing "kty"');
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new Error('missing "k"');
    return Buffer.from(jwk.k, 'base64url');
  }
  const input = { key: jwk, format: 'jwk' as const };
  return wantPrivate && jwk.d !== undefined ? createPrivateKey(input) : createPublicKey(input);
}

function parseVerificationKeys(text: string): VerificationKey[] {
  const block = decodePem(text);
  if (block) {
    if (block.rest.length > 0) throw new BuiltinError('extra data after a PEM certificate block');
    if (block.type === 'CERTIFICATE') {
      try {
        return [{ key: new X509Certificate(block.bytes).publicKey, alg: '', kid: '' }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM certificate: ${(e as Error).message}`);
      }
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        return [{ key: createPublicKey({ key: block.bytes, format: 'der', type: 'spki' }), alg: '', kid: '' }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM public key: ${(e as Error).message}`);
      }
    }
    throw new BuiltinError('failed to extract a Key from the PEM certificate');
  }
  try {
    const keys: VerificationKey[] = [];
    for (const jwk of parseJWKSet(text)) {
      const alg = typeof jwk.alg === 'string' ? jwk.alg : '';
      if (alg !== '' && !ALGORITHMS[alg]) continue;
      keys.push({ key: keyFromJWK(jwk, false), alg, kid: typeof jwk.kid === 'string' ? jwk.kid : '' });
    }
    return keys;
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: BuiltinError };

const verificationKeyCache = new BoundedCache<string, Parsed<VerificationKey[]>>(256);

/** Verification keys for a `cert`/key argument; memoised by the text, errors included. */
export function verificationKeys(text: string): VerificationKey[] {
  const parsed = verificationKeyCache.getOrCompute(text, () => {
    try {
      return { ok: true, value: parseVerificationKeys(text) };
    } catch (e) {
      if (e instanceof BuiltinError) return { ok: false, error: e };
      throw e;
    }
  });
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

const signingKeyCache = new BoundedCache<string, KeyMaterial>(64);

/** The first key of a JWK or JWK set, for signing. */
export function signingKey(text: string): KeyMaterial {
  return signingKeyCache.getOrCompute(text, () => {
    let keys: JWK[];
    try {
      keys = parseJWKSet(text);
    } catch (e) {
      throw new BuiltinError(`failed to parse JWK: ${(e as Error).message}`);
    }
    if (keys.length === 0) throw new BuiltinError('no keys found in JWK set');
    try {
      return keyFromJWK(keys[0], true);
    } catch (e) {
      throw new BuiltinError(`failed to parse JWK: ${(e as Error).message}`);
    }
  });
}
