import { BuiltinError, BuiltinTypeError } from '../../errors';
import { parseNumber, toJSONText } from '../../value';
import { context, invoke, invokeJSON } from './invoke';

const ns = (s: string) => parseNumber(s);
const parse = (layout: string, text: string) => invoke('time.parse_ns', [layout, text]);

describe('time', () => {
  test('now_ns is the query clock, exact past 2^53', () => {
    const v = invoke('time.now_ns', [], context({ nowNs: 1700000000123456789n }));
    expect(toJSONText(v!)).toBe('1700000000123456789');
  });

  test('RFC 3339 parsing keeps nanoseconds and offsets, and rejects out-of-range instants', () => {
    expect(toJSONText(invoke('time.parse_rfc3339_ns', ['2017-06-02T19:00:00.000000001-07:00'])!)).toBe('1496455200000000001');
    expect(toJSONText(invoke('time.parse_rfc3339_ns', ['1677-09-21T00:12:43.145224192Z'])!)).toBe('-9223372036854775808');
    expect(() => invoke('time.parse_rfc3339_ns', ['2262-04-11T23:47:16.854775808Z'])).toThrow('time outside of valid range');
    expect(() => invoke('time.parse_rfc3339_ns', ['2017-06-02'])).toThrow(BuiltinError);
  });

  test('Go layouts: named layouts, 12-hour clocks, two-digit years, fractions the layout does not mention', () => {
    expect(toJSONText(parse('RFC822Z', '02 Jun 17 19:00 -0700')!)).toBe('1496455200000000000');
    expect(toJSONText(parse("01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700")!)).toBe('1496455200000000000');
    expect(toJSONText(parse('2006-01-02 15:04:05', '2021-02-28 10:11:12.345')!)).toBe('1614507072345000000');
    expect(toJSONText(parse('Jan _2 2006', 'Feb  3 2021')!)).toBe('1612310400000000000');
  });

  test('leap years: Feb 29 exists only in leap years', () => {
    expect(toJSONText(parse('2006-01-02', '2024-02-29')!)).toBe('1709164800000000000');
    expect(toJSONText(parse('2006-01-02', '2000-02-29')!)).toBe('951782400000000000');
    expect(() => parse('2006-01-02', '2023-02-29')).toThrow('parsing time "2023-02-29": day out of range');
    expect(() => parse('2006-01-02', '1900-02-29')).toThrow('day out of range');
  });

  test('parse errors use Go wording', () => {
    expect(() => parse('2006-01-02', '2021-13-01')).toThrow('parsing time "2021-13-01": month out of range');
    expect(() => parse('2006-01-02', 'x')).toThrow('parsing time "x" as "2006-01-02": cannot parse "x" as "2006"');
    expect(() => parse('2006-01-02', '2021-01-01 extra')).toThrow('parsing time "2021-01-01 extra": extra text: " extra"');
  });

  test('time zones come from the IANA database, with DST', () => {
    const t = ns('1670006453141828752');
    expect(invokeJSON('time.format', [[t, 'Asia/Kolkata']])).toBe('2022-12-03T00:10:53.141828752+05:30');
    expect(invokeJSON('time.format', [[t, 'Asia/Kolkata', 'RFC1123Z']])).toBe('Sat, 03 Dec 2022 00:10:53 +0530');
    expect(invokeJSON('time.format', [t])).toBe('2022-12-02T18:40:53.141828752Z');
    // 2024-03-10 07:00Z is 03:00 EDT, the first hour after New York springs forward.
    const dst = ns('1710054000000000000');
    expect(invokeJSON('time.format', [[dst, 'America/New_York', '2006-01-02 15:04 MST']])).toBe('2024-03-10 03:00 EDT');
    expect(invokeJSON('time.clock', [[ns('1710053999000000000'), 'America/New_York']])).toEqual([1, 59, 59]);
    expect(invokeJSON('time.date', [[ns('1517814000000000000'), 'America/Los_Angeles']])).toEqual([2018, 2, 4]);
    expect(() => invoke('time.date', [[t, 'Mars/Olympus_Mons']])).toThrow('unknown time zone Mars/Olympus_Mons');
  });

  test('weekday, clock and date reject timestamps beyond int64', () => {
    expect(invokeJSON('time.weekday', [ns('1517832000000000000')])).toBe('Monday');
    expect(() => invoke('time.weekday', [ns('1582977600000000000000')])).toThrow('timestamp too big');
    expect(() => invoke('time.date', ['x'])).toThrow(BuiltinTypeError);
  });

  test('add_date normalises months and keeps the wall clock across DST', () => {
    expect(toJSONText(invoke('time.add_date', [ns('1585852421593912000'), 3, 9, 12])!)).toBe('1705257221593912000');
    // Jan 31 + 1 month is Mar 2 (or 3), as Go normalises Feb 31.
    const jan31 = parse('2006-01-02', '2021-01-31')!;
    expect(invokeJSON('time.date', [invoke('time.add_date', [jan31, 0, 1, 0])!])).toEqual([2021, 3, 3]);
    const nyMidnight = ns('1710046800000000000'); // 2024-03-10 00:00 EST
    const next = invoke('time.add_date', [[nyMidnight, 'America/New_York'], 0, 0, 1])!;
    expect(invokeJSON('time.clock', [[next, 'America/New_York']])).toEqual([0, 0, 0]);
    expect(() => invoke('time.add_date', [0, 2262, 1, 1])).toThrow('time outside of valid range');
  });

  test('diff counts calendar units, leap days included', () => {
    const d = (a: string, b: string) => invokeJSON('time.diff', [parse('2006-01-02', a)!, parse('2006-01-02', b)!]);
    expect(d('2020-02-02', '2020-03-01')).toEqual([0, 0, 28, 0, 0, 0]);
    expect(d('2021-02-02', '2021-03-01')).toEqual([0, 0, 27, 0, 0, 0]);
    expect(d('2005-03-01', '2004-02-29')).toEqual([1, 0, 1, 0, 0, 0]);
  });

  test('durations follow Go', () => {
    expect(invokeJSON('time.parse_duration_ns', ['1h30m'])).toBe(5400000000000);
    expect(invokeJSON('time.parse_duration_ns', ['1.5µs'])).toBe(1500);
    expect(invokeJSON('time.parse_duration_ns', ['-0.5s'])).toBe(-500000000);
    expect(() => invoke('time.parse_duration_ns', ['10'])).toThrow('time: missing unit in duration "10"');
    expect(() => invoke('time.parse_duration_ns', ['1d'])).toThrow('time: unknown unit "d" in duration "1d"');
  });

  test('clock and weekday stay exact every 5 minutes across DST transitions (offsets are memoised per hour)', () => {
    // Lord_Howe shifts by 30 minutes; New York and Kathmandu (+05:45) by whole hours or none.
    const zones = ['America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Europe/Berlin'];
    const starts = [Date.UTC(2024, 2, 10, 5), Date.UTC(2024, 3, 6, 14), Date.UTC(2024, 9, 27, 0), Date.UTC(2024, 10, 3, 4)];
    for (const zone of zones) {
      const local = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', weekday: 'long' });
      for (const start of starts) {
        for (let ms = start; ms < start + 4 * 3600_000; ms += 300_000) {
          const parts = Object.fromEntries(local.formatToParts(ms).map((p) => [p.type, p.value]));
          const at = ns(String(BigInt(ms) * 1_000_000n));
          const clock = invokeJSON('time.clock', [[at, zone]]) as number[];
          expect([zone, ms, clock[0], clock[1]]).toEqual([zone, ms, Number(parts.hour), Number(parts.minute)]);
          expect(invokeJSON('time.weekday', [[at, zone]])).toBe(parts.weekday);
        }
      }
    }
  });

  test('parse_rfc3339_ns agrees with the Go layout parser on plain and unusual texts', () => {
    const texts = [
      '2026-11-18T10:00:00Z', '2026-11-18T10:00:00.5+01:00', '2024-02-29T23:59:59.999999999-23:59', '0001-01-01T00:00:00Z',
      '2023-02-29T10:00:00Z', '2026-13-01T00:00:00Z', '2026-11-18T24:00:00Z', '2026-11-18T10:60:00Z', '2026-11-18T10:00:60Z',
      '2026-11-18T10:00:00+24:00', '2026-11-18t10:00:00z', '2026-11-18T10:00:00.1234567891Z', '2026-11-18T10:00:00',
    ];
    const outcome = (f: () => unknown) => {
      try {
        return toJSONText(f() as never);
      } catch (e) {
        return e instanceof BuiltinError ? 'error' : String(e);
      }
    };
    for (const text of texts) {
      expect([text, outcome(() => invoke('time.parse_rfc3339_ns', [text]))]).toEqual([text, outcome(() => parse('2006-01-02T15:04:05Z07:00', text))]);
    }
  });
});
