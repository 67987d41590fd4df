/**
 * Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): tokenising, formatting and parsing,
 * with Go's rules (fixed vs flexible digit counts, fractional seconds, zone forms) and error text.
 */
import { BuiltinError } from '../errors';
import { civilFromDays, daysFromCivil, daysIn, weekday, type Civil } from './civil-date';

export type Std =
  | 'Jan' | 'January' | '1' | '01' | 'Mon' | 'Monday' | '2' | '_2' | '02' | '__2' | '002'
  | '15' | '3' | '03' | '4' | '04' | '5' | '05' | '06' | '2006' | 'PM' | 'pm' | 'MST'
  | 'Z0700' | 'Z070000' | 'Z07' | 'Z07:00' | 'Z07:00:00'
  | '-0700' | '-070000' | '-07' | '-07:00' | '-07:00:00' | 'frac0' | 'frac9';

export interface Chunk {
  literal: string;
  std: Std | null;
  /** Text of the std element in the layout (for error messages). */
  stdText: string;
  /** Fractional seconds: digits asked for, and the separator. */
  digits: number;
}

const ZONES = ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07', '-070000', '-07:00:00', '-0700', '-07:00', '-07'] as const;

function isDigitAt(s: string, i: number): boolean {
  return i < s.length && s[i] >= '0' && s[i] <= '9';
}

/** The next std element at or after `i`: [start, std, length, digits], or null. */
function nextStd(layout: string, from: number): [number, Std, number, number] | null {
  for (let i = from; i < layout.length; i++) {
    const rest = layout.slice(i);
    const c = layout[i];
    switch (c) {
      case 'J':
        if (rest.startsWith('January')) return [i, 'January', 7, 0];
        if (rest.startsWith('Jan')) return [i, 'Jan', 3, 0];
        break;
      case 'M':
        if (rest.startsWith('Monday')) return [i, 'Monday', 6, 0];
        if (rest.startsWith('Mon')) return [i, 'Mon', 3, 0];
        if (rest.startsWith('MST')) return [i, 'MST', 3, 0];
        break;
      case '0':
        if (rest.startsWith('002')) return [i, '002', 3, 0];
        if (rest.length > 1 && rest[1] >= '1' && rest[1] <= '6') return [i, rest.slice(0, 2) as Std, 2, 0];
        break;
      case '1':
        if (rest.startsWith('15')) return [i, '15', 2, 0];
        return [i, '1', 1, 0];
      case '2':
        if (rest.startsWith('2006')) return [i, '2006', 4, 0];
        return [i, '2', 1, 0];
      case '_':
        if (rest.startsWith('_2')) {
          // `_2006` is a literal underscore followed by a year.
          if (rest.startsWith('_2006')) return [i + 1, '2006', 4, 0];
          return [i, '_2', 2, 0];
        }
        if (rest.startsWith('__2')) return [i, '__2', 3, 0];
        break;
      case '3':
      case '4':
      case '5':
        return [i, c as Std, 1, 0];
      case 'P':
        if (rest.startsWith('PM')) return [i, 'PM', 2, 0];
        break;
      case 'p':
        if (rest.startsWith('pm')) return [i, 'pm', 2, 0];
        break;
      case '-':
      case 'Z':
        for (const z of ZONES) if (rest.startsWith(z)) return [i, z, z.length, 0];
        break;
      case '.':
      case ',':
        if (rest.length > 1 && (rest[1] === '0' || rest[1] === '9')) {
          let j = 1;
          while (j < rest.length && rest[j] === rest[1]) j++;
          if (!isDigitAt(rest, j)) return [i, rest[1] === '0' ? 'frac0' : 'frac9', j, j - 1];
        }
        break;
    }
  }
  return null;
}

export function tokenize(layout: string): Chunk[] {
  const chunks: Chunk[] = [];
  let at = 0;
  for (;;) {
    const next = nextStd(layout, at);
    if (!next) {
      chunks.push({ literal: layout.slice(at), std: null, stdText: '', digits: 0 });
      return chunks;
    }
    const [start, std, len, digits] = next;
    chunks.push({ literal: layout.slice(at, start), std, stdText: layout.slice(start, start + len), digits });
    at = start + len;
  }
}

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function weekdayName(days: number): string {
  return LONG_DAYS[weekday(days)];
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
}

/** A broken-down time: wall-clock fields in some zone, plus that zone's offset and abbreviation. */
export interface WallTime extends Civil {
  days: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  offset: number;
  zoneName: string;
}

function formatZone(std: Std, offset: number, zoneName: string): string {
  if (std === 'MST') {
    if (zoneName !== '') return zoneName;
    const m = Math.trunc(offset / 60);
    return (m < 0 ? '-' : '+') + pad(Math.floor(Math.abs(m) / 60), 2) + pad(Math.abs(m) % 60, 2);
  }
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  const body = std.slice(1);
  switch (body) {
    case '07':
      return sign + hh;
    case '0700':
      return sign + hh + mm;
    case '07:00':
      return `${sign}${hh}:${mm}`;
    case '070000':
      return sign + hh + mm + ss;
    default:
      return `${sign}${hh}:${mm}:${ss}`;
  }
}

function formatFraction(chunk: Chunk, sep: string, nanos: number): string {
  const digits = String(nanos).padStart(9, '0').slice(0, chunk.digits);
  if (chunk.std === 'frac0') return sep + digits;
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? '' : sep + trimmed;
}

export function format(layout: string, t: WallTime): string {
  let out = '';
  for (const chunk of tokenize(layout)) {
    out += chunk.literal;
    if (!chunk.std) continue;
    const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (chunk.std) {
      case '2006': out += pad(t.year, 4); break;
      case '06': out += pad(((t.year % 100) + 100) % 100, 2); break;
      case 'Jan': out += LONG_MONTHS[t.month - 1].slice(0, 3); break;
      case 'January': out += LONG_MONTHS[t.month - 1]; break;
      case '1': out += t.month; break;
      case '01': out += pad(t.month, 2); break;
      case 'Mon': out += weekdayName(t.days).slice(0, 3); break;
      case 'Monday': out += weekdayName(t.days); break;
      case '2': out += t.day; break;
      case '_2': out += String(t.day).padStart(2, ' '); break;
      case '02': out += pad(t.day, 2); break;
      case '__2': out += String(yearDay(t)).padStart(3, ' '); break;
      case '002': out += pad(yearDay(t), 3); break;
      case '15': out += pad(t.hour, 2); break;
      case '3': out += hour12; break;
      case '03': out += pad(hour12, 2); break;
      case '4': out += t.minute; break;
      case '04': out += pad(t.minute, 2); break;
      case '5': out += t.second; break;
      case '05': out += pad(t.second, 2); break;
      case 'PM': out += t.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += t.hour >= 12 ? 'pm' : 'am'; break;
      case 'frac0':
      case 'frac9': out += formatFraction(chunk, chunk.stdText[0], t.nanos); break;
      default: out += formatZone(chunk.std, t.offset, t.zoneName);
    }
  }
  return out;
}

function yearDay(t: Civil): number {
  return daysFromCivil(t.year, t.month, t.day) - daysFromCivil(t.year, 1, 1) + 1;
}

// ------------------------------------------------------------------------------ parsing

/** What a layout parse yields: the wall clock, and the zone offset when the text named one. */
export interface ParsedTime {
  /** Seconds since the epoch of the wall-clock fields read as UTC. */
  wallSeconds: number;
  nanos: number;
  /** Seconds east of UTC, or null when no zone was given (UTC). */
  offset: number | null;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

class LayoutParseError extends Error {}

function lookup(table: readonly string[], value: string): [number, string] {
  for (let i = 0; i < table.length; i++) {
    const name = table[i];
    if (value.length >= name.length && value.slice(0, name.length).toLowerCase() === name.toLowerCase()) {
      return [i, value.slice(name.length)];
    }
  }
  throw new LayoutParseError();
}

function getNum(value: string, fixed: boolean): [number, string] {
  if (!isDigitAt(value, 0)) throw new LayoutParseError();
  if (!isDigitAt(value, 1)) {
    if (fixed) throw new LayoutParseError();
    return [Number(value[0]), value.slice(1)];
  }
  return [Number(value.slice(0, 2)), value.slice(2)];
}

function getNum3(value: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(value, i); i++) n = n * 10 + Number(value[i]);
  if (i === 0 || (fixed && i !== 3)) throw new LayoutParseError();
  return [n, value.slice(i)];
}

function skipLiteral(value: string, prefix: string): string {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === ' ') {
      if (v.length > 0 && v[0] !== ' ') throw new LayoutParseError();
      p = p.replace(/^ +/, '');
      v = v.replace(/^ +/, '');
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) throw new LayoutParseError();
    p = p.slice(1);
    v = v.slice(1);
  }
  return v;
}

function parseNanos(value: string, nbytes: number): number {
  if (value[0] !== '.' && value[0] !== ',') throw new LayoutParseError();
  const n = Math.min(nbytes, 10);
  const digits = value.slice(1, n);
  if (!/^\d*$/.test(digits)) throw new LayoutParseError();
  return Number(digits.padEnd(9, '0') || '0');
}

/** Length of a zone abbreviation at the start of `value` (Go's parseTimeZone), or 0. */
function zoneAbbreviationLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) {
    const m = /^GMT([+-]\d{1,2})?/.exec(value);
    return m ? m[0].length : 3;
  }
  let upper = 0;
  while (upper < 6 && upper < value.length && value[upper] >= 'A' && value[upper] <= 'Z') upper++;
  if (upper === 3) return 3;
  if (upper === 4 && (value[3] === 'T' || value.startsWith('WITA'))) return 4;
  if (upper === 5 && value[4] === 'T') return 5;
  return 0;
}

function parseNumericZone(std: Std, value: string): [number, string] {
  let sign: string;
  let hh: string;
  let mm = '00';
  let ss = '00';
  let rest: string;
  const body = std.slice(1);
  if (body === '07:00') {
    if (value.length < 6 || value[3] !== ':') throw new LayoutParseError();
    [sign, hh, mm, rest] = [value[0], value.slice(1, 3), value.slice(4, 6), value.slice(6)];
  } else if (body === '07') {
    if (value.length < 3) throw new LayoutParseError();
    [sign, hh, rest] = [value[0], value.slice(1, 3), value.slice(3)];
  } else if (body === '07:00:00') {
    if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw new LayoutParseError();
    [sign, hh, mm, ss, rest] = [value[0], value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
  } else if (body === '070000') {
    if (value.length < 7) throw new LayoutParseError();
    [sign, hh, mm, ss, rest] = [value[0], value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
  } else {
    if (value.length < 5) throw new LayoutParseError();
    [sign, hh, mm, rest] = [value[0], value.slice(1, 3), value.slice(3, 5), value.slice(5)];
  }
  const [h] = getNum(hh, true);
  const [m] = getNum(mm, true);
  const [s] = getNum(ss, true);
  if (h > 24) throw new RangeParseError('time zone offset hour');
  if (m > 60) throw new RangeParseError('time zone offset minute');
  if (s > 60) throw new RangeParseError('time zone offset second');
  const offset = (h * 60 + m) * 60 + s;
  if (sign === '+') return [offset, rest];
  if (sign === '-') return [-offset, rest];
  throw new LayoutParseError();
}

class RangeParseError extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/** Go's time.Parse (in UTC). Throws BuiltinError with Go's message on failure. */
export function parse(layout: string, text: string): ParsedTime {
  let value = text;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pm = false;
  let am = false;
  let offset: number | null = null;
  const chunks = tokenize(layout);
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c];
    try {
      value = skipLiteral(value, chunk.literal);
    } catch {
      throw new BuiltinError(`parsing time ${quote(text)} as ${quote(layout)}: cannot parse ${quote(value)} as ${quote(chunk.literal)}`);
    }
    if (!chunk.std) {
      if (value.length > 0) throw new BuiltinError(`parsing time ${quote(text)}: extra text: ${quote(value)}`);
      break;
    }
    const hold = value;
    try {
      switch (chunk.std) {
        case '06':
          if (value.length < 2) throw new LayoutParseError();
          if (!/^\d\d/.test(value)) throw new LayoutParseError();
          year = Number(value.slice(0, 2));
          year += year >= 69 ? 1900 : 2000;
          value = value.slice(2);
          break;
        case '2006':
          if (!/^\d{4}/.test(value)) throw new LayoutParseError();
          year = Number(value.slice(0, 4));
          value = value.slice(4);
          break;
        case 'Jan':
          [month, value] = lookup(LONG_MONTHS.map((m) => m.slice(0, 3)), value);
          month++;
          break;
        case 'January':
          [month, value] = lookup(LONG_MONTHS, value);
          month++;
          break;
        case '1':
        case '01':
          [month, value] = getNum(value, chunk.std === '01');
          if (month <= 0 || month > 12) throw new RangeParseError('month');
          break;
        case 'Mon':
          [, value] = lookup(LONG_DAYS.map((d) => d.slice(0, 3)), value);
          break;
        case 'Monday':
          [, value] = lookup(LONG_DAYS, value);
          break;
        case '2':
        case '_2':
        case '02':
          if (chunk.std === '_2' && value[0] === ' ') value = value.slice(1);
          [day, value] = getNum(value, chunk.std === '02');
          break;
        case '__2':
        case '002':
          for (let i = 0; i < 2 && chunk.std === '__2' && value[0] === ' '; i++) value = value.slice(1);
          [yday, value] = getNum3(value, chunk.std === '002');
          if (yday < 1 || yday > 366) throw new RangeParseError('day-of-year');
          break;
        case '15':
          [hour, value] = getNum(value, false);
          if (hour >= 24) throw new RangeParseError('hour');
          break;
        case '3':
        case '03':
          [hour, value] = getNum(value, chunk.std === '03');
          if (hour > 12) throw new RangeParseError('hour');
          break;
        case '4':
        case '04':
          [minute, value] = getNum(value, chunk.std === '04');
          if (minute >= 60) throw new RangeParseError('minute');
          break;
        case '5':
        case '05': {
          [second, value] = getNum(value, chunk.std === '05');
          if (second >= 60) throw new RangeParseError('second');
          // A fraction in the text but not in the layout is still read.
          const nextStd = chunks[c + 1]?.std;
          if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1) && nextStd !== 'frac0' && nextStd !== 'frac9') {
            let n = 2;
            while (isDigitAt(value, n)) n++;
            nanos = parseNanos(value, n);
            value = value.slice(n);
          }
          break;
        }
        case 'PM':
        case 'pm': {
          if (value.length < 2) throw new LayoutParseError();
          const p = value.slice(0, 2);
          const want = chunk.std === 'PM' ? ['PM', 'AM'] : ['pm', 'am'];
          if (p === want[0]) pm = true;
          else if (p === want[1]) am = true;
          else throw new LayoutParseError();
          value = value.slice(2);
          break;
        }
        case 'frac0': {
          const n = 1 + chunk.digits;
          if (value.length < n) throw new LayoutParseError();
          nanos = parseNanos(value, n);
          value = value.slice(n);
          break;
        }
        case 'frac9': {
          if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break;
          let i = 0;
          while (isDigitAt(value, i + 1)) i++;
          nanos = parseNanos(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
        case 'MST': {
          if (value.startsWith('UTC')) {
            offset = 0;
            value = value.slice(3);
            break;
          }
          const n = zoneAbbreviationLength(value);
          if (n === 0) throw new LayoutParseError();
          const name = value.slice(0, n);
          // Go cannot know an abbreviation's offset; it records zero (GMT±h excepted).
          offset = name.startsWith('GMT') && name.length > 3 ? Number(name.slice(3)) * 3600 : 0;
          value = value.slice(n);
          break;
        }
        default:
          if (chunk.std.startsWith('Z') && value[0] === 'Z') {
            offset = 0;
            value = value.slice(1);
            break;
          }
          [offset, value] = parseNumericZone(chunk.std, value);
      }
    } catch (e) {
      if (e instanceof RangeParseError) throw new BuiltinError(`parsing time ${quote(text)}: ${e.what} out of range`);
      if (e instanceof LayoutParseError) {
        throw new BuiltinError(`parsing time ${quote(text)} as ${quote(layout)}: cannot parse ${quote(hold)} as ${quote(chunk.stdText)}`);
      }
      throw e;
    }
  }
  if (pm && hour < 12) hour += 12;
  else if (am && hour === 12) hour = 0;
  if (yday >= 0) {
    const leap = daysIn(2, year) === 29;
    if (yday > (leap ? 366 : 365)) throw new BuiltinError(`parsing time ${quote(text)}: day-of-year out of range`);
    const fromYday = civilFromDays(daysFromCivil(year, 1, 1) + yday - 1);
    if ((month >= 0 && month !== fromYday.month) || (day >= 0 && day !== fromYday.day)) {
      throw new BuiltinError(`parsing time ${quote(text)}: day-of-year does not match ${month >= 0 && month !== fromYday.month ? 'month' : 'day'}`);
    }
    month = fromYday.month;
    day = fromYday.day;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw new BuiltinError(`parsing time ${quote(text)}: day out of range`);
  const wallSeconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return { wallSeconds, nanos, offset };
}
