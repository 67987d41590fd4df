/**
 * Time-zone lookups on the IANA database Node ships (Intl): the UTC offset and Go-style
 * abbreviation in effect at an instant. Formatters are memoised per zone, and so are offsets per
 * hour of UTC time: asking Intl costs microseconds, a policy asks for the same hours again and again.
 */
import { BuiltinError } from '../errors';
import { BoundedCache } from './bounded-cache';

/** An IANA zone carries its memo: UTC hour (unix seconds / 3600) → offset in force all that hour. */
export type Zone = { kind: 'utc' } | { kind: 'iana'; name: string; hourOffsets: Map<number, number> };

/** Hours remembered per zone before the memo starts over (a few months of distinct hours). */
const HOUR_MEMO_LIMIT = 4096;

export const UTC: Zone = { kind: 'utc' };

const offsetFormatters = new BoundedCache<string, Intl.DateTimeFormat>(128);

function offsetFormatter(name: string): Intl.DateTimeFormat {
  return offsetFormatters.getOrCompute(
    name,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      }),
  );
}

const zones = new BoundedCache<string, Zone | BuiltinError>(256);

/** Resolves a zone name as OPA does: "" and "UTC" are UTC, "Local" the host zone, else IANA. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC;
  const zone = zones.getOrCompute(name, () => resolveZone(name));
  if (zone instanceof BuiltinError) throw zone;
  return zone;
}

function resolveZone(name: string): Zone | BuiltinError {
  const iana = name === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : name;
  if (iana === 'UTC') return UTC;
  try {
    offsetFormatter(iana);
  } catch {
    return new BuiltinError(`unknown time zone ${name}`);
  }
  return { kind: 'iana', name: iana, hourOffsets: new Map() };
}

/**
 * Seconds east of UTC in effect at `unixSeconds`. An hour whose first and last second have the
 * same offset is taken to have no transition inside it (zones never change twice within an hour)
 * and is remembered; an hour with a transition is computed exactly every time.
 */
export function offsetAt(zone: Zone, unixSeconds: number): number {
  if (zone.kind === 'utc') return 0;
  const hour = Math.floor(unixSeconds / 3600);
  const known = zone.hourOffsets.get(hour);
  if (known !== undefined) return known;
  const first = exactOffsetAt(zone.name, hour * 3600);
  if (first !== exactOffsetAt(zone.name, hour * 3600 + 3599)) return exactOffsetAt(zone.name, unixSeconds);
  if (zone.hourOffsets.size >= HOUR_MEMO_LIMIT) zone.hourOffsets.clear();
  zone.hourOffsets.set(hour, first);
  return first;
}

function exactOffsetAt(zoneName: string, unixSeconds: number): number {
  const ms = Math.floor(unixSeconds) * 1000;
  const parts: Record<string, string> = {};
  for (const p of offsetFormatter(zoneName).formatToParts(ms)) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  // Date.UTC maps years 0..99 to 1900..1999.
  const fixed = year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
  return Math.round((fixed - ms) / 1000);
}

const abbreviationFormatters = new BoundedCache<string, Intl.DateTimeFormat[]>(128);
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-NZ', 'en-ZA', 'en-IE'];

/** The zone's abbreviation at an instant, as Go prints it for `MST`: letters when known, else ±hh[mm]. */
export function abbreviationAt(zone: Zone, unixSeconds: number, offset: number): string {
  if (zone.kind === 'utc') return 'UTC';
  const formatters = abbreviationFormatters.getOrCompute(zone.name, () =>
    ABBREVIATION_LOCALES.map((l) => new Intl.DateTimeFormat(l, { timeZone: zone.name, timeZoneName: 'short' })),
  );
  for (const f of formatters) {
    const name = f.formatToParts(unixSeconds * 1000).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{3,5}$/.test(name)) return name;
  }
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = Math.floor((abs % 3600) / 60);
  return mm === 0 ? `${sign}${hh}` : `${sign}${hh}${String(mm).padStart(2, '0')}`;
}

/** UTC seconds for a wall-clock time (seconds as if UTC) in `zone`, resolving gaps and overlaps like Go. */
export function wallToUnix(zone: Zone, wallSeconds: number): number {
  if (zone.kind === 'utc') return wallSeconds;
  const first = offsetAt(zone, wallSeconds);
  const utc = wallSeconds - first;
  const second = offsetAt(zone, utc);
  return second === first ? utc : wallSeconds - second;
}
