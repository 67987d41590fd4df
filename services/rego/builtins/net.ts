/**
 * `net.cidr_*` and `net.lookup_ip_addr`, following Go's net package: IPv4 and IPv6, IPv4-mapped
 * IPv6 addresses treated as IPv4, Go's canonical address text.
 */
import { BuiltinError, BuiltinTypeError } from '../errors';
import { ObjectValue, SetValue, typeName, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { stringOperand } from './operands';
import { lookupHostSync } from './sync-request';
import { BoundedCache } from './bounded-cache';
import { DeadlinePoll } from './deadline';

interface Address {
  v4: boolean;
  /** 32-bit (IPv4) or 128-bit (IPv6) value. */
  n: bigint;
}

interface Network {
  v4: boolean;
  /** The address as written (Go keeps it unmasked for bare IPv4 in net.cidr_merge). */
  ip: bigint;
  prefix: number;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

function bits(v4: boolean): number {
  return v4 ? 32 : 128;
}

function hostMask(v4: boolean, prefix: number): bigint {
  return (1n << BigInt(bits(v4) - prefix)) - 1n;
}

function firstOf(net: Network): bigint {
  return net.ip & ~hostMask(net.v4, net.prefix);
}

function lastOf(net: Network): bigint {
  return firstOf(net) | hostMask(net.v4, net.prefix);
}

function parseIPv4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    // Go rejects leading zeros, which other parsers read as octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseIPv6(s: string): bigint | null {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const lastPart = text.slice(lastColon + 1);
  if (lastPart.includes('.')) {
    const v4 = parseIPv4(lastPart);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return null;
  let n = 0n;
  for (const g of [...head, ...new Array<string>(8 - count).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** Go's net.ParseIP; IPv4-mapped IPv6 addresses come back as IPv4. */
export function parseIP(s: string): Address | null {
  if (s.includes(':')) {
    const n = parseIPv6(s);
    if (n === null) return null;
    return n >> 32n === 0xffffn ? { v4: true, n: n & 0xffffffffn } : { v4: false, n };
  }
  const n = parseIPv4(s);
  return n === null ? null : { v4: true, n };
}

/** Pure memos of parsed networks and addresses: policies test the same few again and again. */
const cidrCache = new BoundedCache<string, Network | null>(1024);
const ipCache = new BoundedCache<string, Address | null>(1024);

function parseCIDRUncached(s: string): Network | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIP(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return null;
  const declaredV4 = !s.slice(0, slash).includes(':');
  const prefix = Number(prefixText);
  if (prefix > (declaredV4 ? 32 : 128)) return null;
  if (!declaredV4 && ip.v4) {
    // An IPv4-mapped IPv6 network: keep it in IPv6 form when the mask reaches into the prefix.
    if (prefix < 96) return { v4: false, ip: V4_MAPPED_PREFIX | ip.n, prefix };
    return { v4: true, ip: ip.n, prefix: prefix - 96 };
  }
  return { v4: ip.v4, ip: ip.n, prefix };
}

/** Go's net.ParseCIDR (network address, prefix length); null when invalid. */
export function parseCIDR(s: string): Network | null {
  return cidrCache.getOrCompute(s, () => {
    const net = parseCIDRUncached(s);
    return net === null ? null : Object.freeze({ ...net, ip: firstOf(net) });
  });
}

/** parseIP, memoised (the results are frozen: callers share them). */
function parseAddress(s: string): Address | null {
  let addr = ipCache.get(s);
  if (addr === undefined) {
    const parsed = parseIP(s);
    addr = parsed === null ? null : Object.freeze(parsed);
    ipCache.set(s, addr);
  }
  return addr;
}

function cidrOrError(s: string): Network {
  const net = parseCIDR(s);
  if (!net) throw new BuiltinError(`invalid CIDR address: ${s}`);
  return net;
}

/**
 * Go's IPNet.Contains: an address and a network of different lengths never match, so an IPv6
 * network (`::/0` included) contains no IPv4 or IPv4-mapped address; a network written in
 * IPv4-mapped form with a prefix of 96 or more is an IPv4 network.
 */
function contains(net: Network, addr: Address): boolean {
  if (net.v4 !== addr.v4) return false;
  return (addr.n & ~hostMask(net.v4, net.prefix)) === firstOf(net);
}

function formatIPv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 0xffn)).join('.');
}

/** Go's IP.String for IPv6: longest run (≥ 2) of zero groups becomes `::`, lower-case hex. */
function formatIPv6(n: bigint): string {
  const words = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return hex(words.slice(0, bestStart)) + '::' + hex(words.slice(bestStart + bestLen));
}

export function formatIP(addr: Address): string {
  return addr.v4 ? formatIPv4(addr.n) : formatIPv6(addr.n);
}

function formatNet(net: Network): string {
  return `${formatIP({ v4: net.v4, n: net.ip })}/${net.prefix}`;
}

function cidrContains(a: string, b: string): boolean {
  const netA = cidrOrError(a);
  const ip = parseAddress(b);
  if (ip) return contains(netA, ip);
  const netB = parseCIDR(b);
  if (!netB) throw new BuiltinError(`not a valid textual representation of an IP address or CIDR: ${b}`);
  return contains(netA, { v4: netB.v4, n: firstOf(netB) }) && contains(netA, { v4: netB.v4, n: lastOf(netB) });
}

function cidrIntersects(a: string, b: string): boolean {
  const netA = cidrOrError(a);
  const netB = cidrOrError(b);
  return contains(netA, { v4: netB.v4, n: netB.ip }) || contains(netB, { v4: netA.v4, n: netA.ip });
}

const EXPAND_LIMIT = 1n << 22n;

function cidrExpand(s: string, poll: DeadlinePoll): SetValue {
  const net = cidrOrError(s);
  const first = firstOf(net);
  const last = lastOf(net);
  if (last - first >= EXPAND_LIMIT) throw new BuiltinError(`too many addresses in ${s}`);
  const out = new SetValue();
  for (let n = first; n <= last; n++) {
    poll.tick();
    out.add(formatIP({ v4: net.v4, n }));
  }
  return out;
}

/** [match, key] pairs of a cidr_contains_matches operand: strings, arrays/sets/objects of strings or [cidr, …]. */
function matchOperand(operand: number, v: Value): [Value, Value][] {
  const element = (x: Value): Value => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x) && x.length > 0) return x[0];
    throw new BuiltinError(`operand ${operand}: element must be string or non-empty array`);
  };
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [element(x), i]);
  if (v instanceof SetValue) return v.values().map((x) => [element(x), x]);
  if (v instanceof ObjectValue) return v.entries().map(([k, x]) => [element(x), k]);
  return [];
}

function cidrContainsMatches(a: Value, b: Value): SetValue {
  const out = new SetValue();
  const left = matchOperand(1, a);
  const right = matchOperand(2, b);
  for (const [cidr, key1] of left) {
    for (const [candidate, key2] of right) {
      if (typeof cidr !== 'string') throw new BuiltinTypeError(1, 'string', typeName(cidr));
      if (typeof candidate !== 'string') throw new BuiltinTypeError(1, 'string', typeName(candidate));
      if (cidrContains(cidr, candidate)) out.add([key1, key2]);
    }
  }
  return out;
}

function mergeElement(x: Value): Network {
  if (typeof x !== 'string') throw new BuiltinError('element must be string');
  const ip = parseIP(x);
  if (!ip) return cidrOrError(x);
  if (!ip.v4) throw new BuiltinError('IPv6 invalid: needs prefix length');
  // Go gives a bare IPv4 address its classful default mask.
  const firstOctet = Number(ip.n >> 24n);
  const prefix = firstOctet < 0x80 ? 8 : firstOctet < 0xc0 ? 16 : 24;
  return { v4: true, ip: ip.n, prefix };
}

/** The smallest list of CIDRs covering [first, last] (on the 128-bit scale of `v4`'s family). */
function rangeToCIDRs(v4: boolean, first: bigint, last: bigint): Network[] {
  const width = bits(v4);
  const out: Network[] = [];
  let start = first;
  while (start <= last) {
    let size = 0;
    while (size < width && (start & ((1n << BigInt(size + 1)) - 1n)) === 0n && start + (1n << BigInt(size + 1)) - 1n <= last) {
      size++;
    }
    out.push({ v4, ip: start, prefix: width - size });
    start += 1n << BigInt(size);
  }
  return out;
}

interface Range {
  first: bigint;
  last: bigint;
  net: Network | null;
}

/** Ranges on one 128-bit scale (IPv4 as IPv4-mapped), as Go's merge compares them. */
function toRange(net: Network): Range {
  const offset = net.v4 ? V4_MAPPED_PREFIX : 0n;
  return { first: offset | firstOf(net), last: offset | lastOf(net), net };
}

function cidrMerge(items: Value[]): SetValue {
  const ranges = items.map(mergeElement).map(toRange);
  ranges.sort((x, y) => (x.last !== y.last ? (x.last < y.last ? -1 : 1) : x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
  for (let i = ranges.length - 1; i > 0; i--) {
    const previous = ranges[i].first === 0n || ranges[i].first === V4_MAPPED_PREFIX ? ranges[i].first : ranges[i].first - 1n;
    if (previous <= ranges[i - 1].last) {
      const first = ranges[i - 1].first < ranges[i].first ? ranges[i - 1].first : ranges[i].first;
      ranges[i - 1] = { first, last: ranges[i].last, net: null };
      ranges.splice(i, 1);
    }
  }
  const out = new SetValue();
  for (const r of ranges) {
    if (r.net) {
      out.add(formatNet(r.net));
      continue;
    }
    const v4 = r.first >> 32n === 0xffffn;
    const mask = v4 ? 0xffffffffn : (1n << 128n) - 1n;
    for (const net of rangeToCIDRs(v4, r.first & mask, r.last & mask)) out.add(formatNet(net));
  }
  return out;
}

function collectionArg(args: readonly Value[]): Value[] {
  const v = args[0];
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  throw new BuiltinError('operand must be an array');
}

/** RFC 6761: `localhost` names are the loopback addresses, answered without asking a resolver. */
function isLocalhost(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === 'localhost' || n.endsWith('.localhost');
}

function lookupIPAddr(name: string, enabled: boolean): SetValue | undefined {
  const literal = parseIP(name);
  if (literal) return SetValue.of([name]);
  if (isLocalhost(name)) return SetValue.of(['127.0.0.1', '::1']);
  if (!enabled) throw new BuiltinError('net.lookup_ip_addr is disabled on this host');
  return SetValue.of(lookupHostSync(name));
}

const CIDR_MATCH_OPERAND: TypeSpec = {
  anyOf: [
    'string',
    { array: { anyOf: ['string', { array: 'any' }] } },
    { object: ['string', { anyOf: ['string', { array: 'any' }] }] },
    { set: { anyOf: ['string', { array: 'any' }] } },
  ],
};

export const netBuiltins: BuiltinDef[] = [
  builtin({
    name: 'net.cidr_contains',
    args: ['string', 'string'],
    result: 'boolean',
    category: 'net',
    impl: (args) => cidrContains(stringOperand(args[0], 1), stringOperand(args[1], 2)),
  }),
  builtin({
    name: 'net.cidr_overlap',
    args: ['string', 'string'],
    result: 'boolean',
    category: 'net',
    impl: (args) => cidrContains(stringOperand(args[0], 1), stringOperand(args[1], 2)),
  }),
  builtin({
    name: 'net.cidr_intersects',
    args: ['string', 'string'],
    result: 'boolean',
    category: 'net',
    impl: (args) => cidrIntersects(stringOperand(args[0], 1), stringOperand(args[1], 2)),
  }),
  builtin({
    name: 'net.cidr_contains_matches',
    args: [CIDR_MATCH_OPERAND, CIDR_MATCH_OPERAND],
    result: { set: { tuple: ['any', 'any'] } },
    category: 'net',
    impl: ([a, b]) => cidrContainsMatches(a, b),
  }),
  builtin({
    name: 'net.cidr_expand',
    args: ['string'],
    result: { set: 'string' },
    category: 'net',
    impl: (args, ctx) => cidrExpand(stringOperand(args[0], 1), new DeadlinePoll(ctx)),
  }),
  builtin({
    name: 'net.cidr_is_valid',
    args: ['string'],
    result: 'boolean',
    category: 'net',
    impl: ([s]) => typeof s === 'string' && parseCIDR(s) !== null,
  }),
  builtin({
    name: 'net.cidr_merge',
    args: [{ anyOf: [{ array: { anyOf: ['string'] } }, { set: 'string' }] }],
    result: { set: 'string' },
    category: 'net',
    impl: (args) => cidrMerge(collectionArg(args)),
  }),
  builtin({
    name: 'net.lookup_ip_addr',
    args: ['string'],
    result: { set: 'string' },
    category: 'net',
    nondeterministic: true,
    impl: (args, ctx) => lookupIPAddr(stringOperand(args[0], 1), ctx.capabilities.netLookupEnabled),
  }),
];
