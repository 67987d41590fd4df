/**
 * time.*: nanosecond timestamps (bigint, int64 range as OPA), Go layouts, IANA time zones,
 * calendar arithmetic. `time.now_ns` is the query's fixed clock (ctx.nowNs).
 */
import { BuiltinError, BuiltinTypeError } from '../errors';
import { decimalOf, typeName, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { intOperand, numberFromBigInt, numberOperand, stringOperand } from './operands';
import { civilFromDays, daysFromCivil, daysIn } from './civil-date';
import { format, parse, weekdayName, type WallTime } from './go-time-layout';
import { abbreviationAt, loadZone, offsetAt, UTC, wallToUnix, type Zone } from './time-zones';

const NS = 1_000_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';

/** The layout names OPA accepts in place of a layout. */
const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339,
  RFC3339Nano: RFC3339_NANO,
};

function resolveLayout(layout: string): string {
  return NAMED_LAYOUTS[layout] ?? layout;
}

function inRange(ns: bigint): Value {
  if (ns < INT64_MIN || ns > INT64_MAX) throw new BuiltinError('time outside of valid range');
  return numberFromBigInt(ns);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

// ------------------------------------------------------------------------ (ns, zone) operands

interface ZonedTime {
  ns: bigint;
  zone: Zone;
  layout: string;
}

const TIME_OPERAND = 'either number (ns) or [number (ns), string (tz)]';

function timestamp(v: Value): bigint {
  // A JS number stands for its shortest text, which below 1e21 is plain digits.
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21) {
    const ns = Number.isSafeInteger(v) ? BigInt(v) : BigInt(String(v));
    if (ns < INT64_MIN || ns > INT64_MAX) throw new BuiltinError('timestamp too big');
    return ns;
  }
  const d = decimalOf(numberOperand(v, 1));
  if (!d.isInteger()) throw new BuiltinError('timestamp too big');
  const ns = BigInt(d.toFixed(0));
  if (ns < INT64_MIN || ns > INT64_MAX) throw new BuiltinError('timestamp too big');
  return ns;
}

function zonedTime(v: Value): ZonedTime {
  if (Array.isArray(v)) {
    if (v.length === 0) throw new BuiltinTypeError(1, TIME_OPERAND, 'array');
    numberOperand(v[0], 1);
    const zone = v.length > 1 ? loadZone(stringOperand(v[1], 1)) : UTC;
    const layout = v.length > 2 ? stringOperand(v[2], 1) : '';
    return { ns: timestamp(v[0]), zone, layout };
  }
  if (typeof v !== 'number' && typeName(v) !== 'number') throw new BuiltinTypeError(1, TIME_OPERAND, typeName(v));
  return { ns: timestamp(v), zone: UTC, layout: '' };
}

/** The wall clock of a `time.date`/`clock`/`weekday` operand: nanoseconds, or [ns, zone]. */
function operandWallTime(v: Value): WallTime {
  const t = zonedTime(v);
  return wallTime(t.ns, t.zone);
}

/** Wall-clock fields of an instant in a zone; the zone's abbreviation only when `named` (it is costly). */
function wallTime(ns: bigint, zone: Zone, named = false): WallTime {
  const unix = floorDiv(ns, NS);
  const nanos = Number(ns - unix * NS);
  const seconds = Number(unix);
  const offset = offsetAt(zone, seconds);
  const local = seconds + offset;
  const days = Math.floor(local / 86400);
  const ofDay = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  // A plain literal: spreading the civil date into it made V8 build each result slowly (µs).
  return {
    year,
    month,
    day,
    days,
    hour: Math.floor(ofDay / 3600),
    minute: Math.floor((ofDay % 3600) / 60),
    second: ofDay % 60,
    nanos,
    offset,
    zoneName: named ? abbreviationAt(zone, seconds, offset) : '',
  };
}

// ------------------------------------------------------------------------------ parsing

/** The plain RFC 3339 form; anything else (leap seconds, long fractions, odd offsets) takes the Go layout parser. */
const PLAIN_RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:Z|([+-])(\d\d):(\d\d))$/;

/** time.parse_rfc3339_ns without the general layout machinery: null when the text is not plain. */
function parsePlainRFC3339(text: string): Value | null {
  const m = PLAIN_RFC3339.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  const offsetHours = m[8] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[8] === undefined ? 0 : Number(m[10]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || second > 59) return null;
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  const unix = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  const nanos = m[7] === undefined ? 0 : Number(m[7].padEnd(9, '0'));
  return inRange(BigInt(unix) * NS + BigInt(nanos));
}

function parseToNs(layout: string, text: string): Value {
  const parsed = parse(layout, text);
  const unix = BigInt(parsed.wallSeconds - (parsed.offset ?? 0));
  return inRange(unix * NS + BigInt(parsed.nanos));
}

const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1_000_000n,
  s: NS,
  m: 60n * NS,
  h: 3600n * NS,
};

/** Go's time.ParseDuration. */
export function parseDuration(text: string): bigint {
  const invalid = () => new BuiltinError(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, intPart, fracPart] = [m[0], m[1], m[2]];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) throw invalid();
    s = s.slice(whole.length);
    const unitMatch = /^[^\d.]+/.exec(s);
    if (!unitMatch) throw new BuiltinError(`time: missing unit in duration ${JSON.stringify(text)}`);
    const unitName = unitMatch[0];
    s = s.slice(unitName.length);
    const unit = DURATION_UNITS[unitName];
    if (unit === undefined) {
      throw new BuiltinError(`time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(text)}`);
    }
    let v = BigInt(intPart || '0') * unit;
    if (fracPart) {
      const digits = fracPart.slice(0, 18);
      v += BigInt(Math.floor(Number(digits) * (Number(unit) / 10 ** digits.length)));
    }
    total += v;
    if (total > 2n ** 63n) throw invalid();
  }
  if (negative) return -total;
  if (total > INT64_MAX) throw invalid();
  return total;
}

// ------------------------------------------------------------------------------ arithmetic

function addDate(t: ZonedTime, years: number, months: number, days: number): Value {
  const w = wallTime(t.ns, t.zone);
  const wallSeconds = daysFromCivil(w.year + years, w.month + months, w.day + days) * 86400 + w.hour * 3600 + w.minute * 60 + w.second;
  const unix = BigInt(wallToUnix(t.zone, wallSeconds));
  return inRange(unix * NS + BigInt(w.nanos));
}

/** Calendar difference [years, months, days, hours, minutes, seconds], both times seen in the first's zone. */
function diff(a: ZonedTime, b: ZonedTime): Value {
  let [x, y] = [a.ns, b.ns];
  if (x > y) [x, y] = [y, x];
  const t1 = wallTime(x, a.zone);
  const t2 = wallTime(y, a.zone);
  let year = t2.year - t1.year;
  let month = t2.month - t1.month;
  let day = t2.day - t1.day;
  let hour = t2.hour - t1.hour;
  let minute = t2.minute - t1.minute;
  let second = t2.second - t1.second;
  if (second < 0) [second, minute] = [second + 60, minute - 1];
  if (minute < 0) [minute, hour] = [minute + 60, hour - 1];
  if (hour < 0) [hour, day] = [hour + 24, day - 1];
  if (day < 0) [day, month] = [day + daysIn(t1.month, t1.year), month - 1];
  if (month < 0) [month, year] = [month + 12, year - 1];
  return [year, month, day, hour, minute, second];
}

// ------------------------------------------------------------------------------ the table

const TIME_ARG: TypeSpec = { anyOf: ['number', { tuple: ['number', 'string'] }] };
const FORMAT_ARG: TypeSpec = { anyOf: ['number', { tuple: ['number', 'string'] }, { tuple: ['number', 'string', 'string'] }] };
const TRIPLE: TypeSpec = { tuple: ['number', 'number', 'number'] };

export const timeBuiltins: BuiltinDef[] = [
  builtin({
    name: 'time.now_ns',
    args: [],
    result: 'number',
    category: 'time',
    nondeterministic: true,
    impl: (_args, ctx) => numberFromBigInt(ctx.nowNs),
  }),
  builtin({
    name: 'time.parse_ns',
    args: ['string', 'string'],
    result: 'number',
    category: 'time',
    impl: (args) => {
      const layout = stringOperand(args[0], 1);
      const text = stringOperand(args[1], 2);
      return parseToNs(resolveLayout(layout), text);
    },
  }),
  builtin({
    name: 'time.parse_rfc3339_ns',
    args: ['string'],
    result: 'number',
    category: 'time',
    impl: (args) => {
      const text = stringOperand(args[0], 1);
      return parsePlainRFC3339(text) ?? parseToNs(RFC3339, text);
    },
  }),
  builtin({
    name: 'time.parse_duration_ns',
    args: ['string'],
    result: 'number',
    category: 'time',
    impl: (args) => numberFromBigInt(parseDuration(stringOperand(args[0], 1))),
  }),
  builtin({
    name: 'time.format',
    args: [FORMAT_ARG],
    result: 'string',
    category: 'time',
    impl: ([x]) => {
      const t = zonedTime(x);
      return format(t.layout === '' ? RFC3339_NANO : resolveLayout(t.layout), wallTime(t.ns, t.zone, true));
    },
  }),
  builtin({
    name: 'time.date',
    args: [TIME_ARG],
    result: TRIPLE,
    category: 'time',
    impl: ([x]) => {
      const w = operandWallTime(x);
      return [w.year, w.month, w.day];
    },
  }),
  builtin({
    name: 'time.clock',
    args: [TIME_ARG],
    result: TRIPLE,
    category: 'time',
    impl: ([x]) => {
      const w = operandWallTime(x);
      return [w.hour, w.minute, w.second];
    },
  }),
  builtin({
    name: 'time.weekday',
    args: [TIME_ARG],
    result: 'string',
    category: 'time',
    impl: ([x]) => weekdayName(operandWallTime(x).days),
  }),
  builtin({
    name: 'time.add_date',
    args: ['number', 'number', 'number', 'number'],
    result: 'number',
    category: 'time',
    impl: (args) => {
      const t = zonedTime(args[0]);
      return addDate(t, intOperand(args[1], 2), intOperand(args[2], 3), intOperand(args[3], 4));
    },
  }),
  builtin({
    name: 'time.diff',
    args: [TIME_ARG, TIME_ARG],
    result: { tuple: ['number', 'number', 'number', 'number', 'number', 'number'] },
    category: 'time',
    impl: ([a, b]) => diff(zonedTime(a), zonedTime(b)),
  }),
];
