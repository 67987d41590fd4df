/** `semver.is_valid` and `semver.compare`, with OPA's (lenient) SemVer grammar and precedence rules. */
import { BuiltinError } from '../errors';
import type { Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { stringOperand } from './operands';

interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  preRelease: string;
}

const IDENTIFIERS = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const INTEGER = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function cut(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function parseInt64(s: string): bigint | null {
  if (!INTEGER.test(s)) return null;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/** Parses like OPA: optional leading `v`, `+metadata`, `-prerelease`, three int64 parts. */
export function parseSemver(text: string): Version | null {
  const noV = text.startsWith('v') ? text.slice(1) : text;
  const [withPre, metadata] = cut(noV, '+');
  if (metadata !== '' && !IDENTIFIERS.test(metadata)) return null;
  const [core, preRelease] = cut(withPre, '-');
  if (preRelease !== '' && !IDENTIFIERS.test(preRelease)) return null;
  const parts = core.split('.');
  if (parts.length !== 3) return null;
  const [major, minor, patch] = parts.map(parseInt64);
  if (major === null || minor === null || patch === null) return null;
  return { major, minor, patch, preRelease };
}

function isAllDecimals(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

function sign(n: number | bigint): number {
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}

function comparePreRelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const [x, y] = [as[i], bs[i]];
    const [xInt, yInt] = [isAllDecimals(x), isAllDecimals(y)];
    if (xInt !== yInt) return xInt ? -1 : 1;
    const c = xInt ? sign(BigInt(x) - BigInt(y)) : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return sign(as.length - bs.length);
}

export function compareSemver(a: Version, b: Version): number {
  return (
    sign(a.major - b.major) || sign(a.minor - b.minor) || sign(a.patch - b.patch) || comparePreRelease(a.preRelease, b.preRelease)
  );
}

function versionOperand(value: Value, pos: number): Version {
  const text = stringOperand(value, pos);
  const v = parseSemver(text);
  if (!v) throw new BuiltinError(`operand ${pos}: string ${JSON.stringify(text)} is not a valid SemVer`);
  return v;
}

export const semverBuiltins: BuiltinDef[] = [
  builtin({
    name: 'semver.is_valid',
    args: ['any'],
    result: 'boolean',
    category: 'semver',
    impl: ([v]) => typeof v === 'string' && parseSemver(v) !== null,
  }),
  builtin({
    name: 'semver.compare',
    args: ['string', 'string'],
    result: 'number',
    category: 'semver',
    impl: (args) => {
      const a = versionOperand(args[0], 1);
      const b = versionOperand(args[1], 2);
      return compareSemver(a, b);
    },
  }),
];
