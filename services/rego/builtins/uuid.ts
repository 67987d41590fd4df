/** `uuid.rfc4122` (random v4, one value per seed string per query) and `uuid.parse` (google/uuid's fields). */
import { randomBytes } from 'node:crypto';
import { ObjectValue, parseNumber, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { stringOperand } from './operands';

function randomUUID(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** The 16 bytes of a UUID in any form google/uuid accepts (plain, `urn:uuid:`, braces, no dashes). */
function uuidBytes(s: string): Buffer | null {
  let body = s;
  if (s.length === 45 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') body = s.slice(9);
  else if (s.length === 38 && s[0] === '{' && s[37] === '}') body = s.slice(1, 37);
  if (body.length === 36) {
    if (body[8] !== '-' || body[13] !== '-' || body[18] !== '-' || body[23] !== '-') return null;
    body = body.slice(0, 8) + body.slice(9, 13) + body.slice(14, 18) + body.slice(19, 23) + body.slice(24);
  } else if (body.length !== 32) {
    return null;
  }
  return HEX32.test(body) ? Buffer.from(body, 'hex') : null;
}

function variantName(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Microsoft';
  if ((b & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

function macVariables(first: number): string {
  if ((first & 0b11) === 0b11) return 'local:multicast';
  if ((first & 0b01) === 0b01) return 'global:multicast';
  if ((first & 0b10) === 0b10) return 'local:unicast';
  return 'global:unicast';
}

const DOMAINS = ['Person', 'Group', 'Org'];
// 100 ns intervals between the Gregorian reform (the UUID epoch) and the Unix epoch.
const GREGORIAN_TO_UNIX = 122192928000000000n;

function parseUUID(s: string): Value | undefined {
  const b = uuidBytes(s);
  if (!b) return undefined;
  const version = b[6] >> 4;
  const out = new ObjectValue().set('version', version).set('variant', variantName(b[8]));
  if (version === 1 || version === 2) {
    const ticks = BigInt(b.readUInt32BE(0)) | (BigInt(b.readUInt16BE(4)) << 32n) | (BigInt(b.readUInt16BE(6) & 0xfff) << 48n);
    out.set('time', parseNumber(((ticks - GREGORIAN_TO_UNIX) * 100n).toString()));
    const node = [...b.subarray(10)];
    out.set('macvariables', macVariables(node[0]));
    out.set('nodeid', node.map((x) => x.toString(16).padStart(2, '0')).join('-'));
    out.set('clocksequence', b.readUInt16BE(8) & 0x3fff);
    if (version === 2) {
      out.set('id', b.readUInt32BE(0));
      out.set('domain', DOMAINS[b[9]] ?? `Domain${b[9]}`);
    }
  }
  return out;
}

export const uuidBuiltins: BuiltinDef[] = [
  builtin({
    name: 'uuid.rfc4122',
    args: ['string'],
    result: 'string',
    category: 'uuid',
    nondeterministic: true,
    impl: (args, ctx) => {
      const key = 'uuid.rfc4122\u0000' + stringOperand(args[0], 1);
      let id = ctx.queryCache.get(key) as string | undefined;
      if (id === undefined) {
        id = randomUUID();
        ctx.queryCache.set(key, id);
      }
      return id;
    },
  }),
  builtin({
    name: 'uuid.parse',
    args: ['string'],
    result: { object: ['string', 'any'] },
    category: 'uuid',
    impl: (args) => parseUUID(stringOperand(args[0], 1)),
  }),
];
