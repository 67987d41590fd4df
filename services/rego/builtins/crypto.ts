/** crypto.md5/sha1/sha256, crypto.hmac.*, crypto.hmac.equal and crypto.parse_private_keys. */
import { createHash, createHmac, createPrivateKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { BuiltinError } from '../errors';
import { ObjectValue, parseNumber, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { stringOperand } from './operands';
import { decodeStdBase64 } from './go-base64';
import { decodeAllPem, type PemBlock } from './pem';

function digest(algorithm: string): BuiltinDef {
  return builtin({
    name: `crypto.${algorithm}`,
    args: ['string'],
    result: 'string',
    category: 'crypto',
    impl: (args) => createHash(algorithm).update(stringOperand(args[0], 1), 'utf8').digest('hex'),
  });
}

function hmac(algorithm: string): BuiltinDef {
  return builtin({
    name: `crypto.hmac.${algorithm}`,
    args: ['string', 'string'],
    result: 'string',
    category: 'crypto',
    impl: (args) => {
      const message = stringOperand(args[0], 1);
      const key = stringOperand(args[1], 2);
      return createHmac(algorithm, Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
    },
  });
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function bigIntFromBase64URL(s: string | undefined): Value {
  if (!s) return 0;
  const hex = Buffer.from(s, 'base64url').toString('hex');
  return parseNumber(BigInt('0x' + (hex || '0')).toString());
}

/** A private key as Go's json.Marshal renders *rsa.PrivateKey / *ecdsa.PrivateKey / ed25519.PrivateKey. */
export function goPrivateKeyJSON(key: KeyObject): Value {
  const jwk = key.export({ format: 'jwk' });
  const n = (name: keyof typeof jwk) => bigIntFromBase64URL(jwk[name] as string | undefined);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return new ObjectValue()
        .set('N', n('n'))
        .set('E', n('e'))
        .set('D', n('d'))
        .set('Primes', [n('p'), n('q')])
        .set('Precomputed', new ObjectValue().set('Dp', n('dp')).set('Dq', n('dq')).set('Qinv', n('qi')).set('CRTValues', []));
    case 'ec':
      return new ObjectValue().set('Curve', new ObjectValue()).set('X', n('x')).set('Y', n('y')).set('D', n('d'));
    default: {
      // ed25519.PrivateKey is a byte slice: seed followed by public key, base64 in JSON.
      const seed = Buffer.from(jwk.d ?? '', 'base64url');
      const pub = Buffer.from(jwk.x ?? '', 'base64url');
      return Buffer.concat([seed, pub]).toString('base64');
    }
  }
}

const PRIVATE_KEY_TYPES: Record<string, { type: 'pkcs1' | 'pkcs8' | 'sec1' }> = {
  'RSA PRIVATE KEY': { type: 'pkcs1' },
  'PRIVATE KEY': { type: 'pkcs8' },
  'EC PRIVATE KEY': { type: 'sec1' },
};

/** Private keys in PEM (or base64-wrapped PEM) text; blocks of other types are skipped. */
export function privateKeysFromPem(text: string): KeyObject[] {
  let pem = text;
  try {
    pem = decodeStdBase64(text).toString('latin1');
  } catch {
    pem = text;
  }
  const keys: KeyObject[] = [];
  for (const block of decodeAllPem(pem)) {
    const kind = PRIVATE_KEY_TYPES[block.type];
    if (kind) keys.push(parsePrivateKeyBlock(block, kind.type));
  }
  return keys;
}

function parsePrivateKeyBlock(block: PemBlock, type: 'pkcs1' | 'pkcs8' | 'sec1'): KeyObject {
  try {
    return createPrivateKey({ key: block.bytes, format: 'der', type });
  } catch (e) {
    throw new BuiltinError(`failed to parse ${block.type}: ${(e as Error).message}`);
  }
}

export const cryptoBuiltins: BuiltinDef[] = [
  digest('md5'),
  digest('sha1'),
  digest('sha256'),
  hmac('md5'),
  hmac('sha1'),
  hmac('sha256'),
  hmac('sha512'),
  builtin({
    name: 'crypto.hmac.equal',
    args: ['string', 'string'],
    result: 'boolean',
    category: 'crypto',
    impl: (args) => constantTimeEqual(stringOperand(args[0], 1), stringOperand(args[1], 2)),
  }),
  builtin({
    name: 'crypto.parse_private_keys',
    args: ['string'],
    result: { array: { object: ['string', 'any'] } },
    category: 'crypto',
    impl: (args) => {
      const text = stringOperand(args[0], 1);
      if (text === '') return null;
      return privateKeysFromPem(text).map(goPrivateKeyJSON);
    },
  }),
];
