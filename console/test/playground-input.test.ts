import { describe, expect, it } from 'vitest';
import { formatDuration, parseInputText } from '../src/pages/playground-input';

describe('the playground input editor', () => {
  it('accepts any JSON value', () => {
    expect(parseInputText('{"action": "tools/call"}')).toEqual({ ok: true, input: { action: 'tools/call' } });
    expect(parseInputText('null')).toEqual({ ok: true, input: null });
  });

  it('refuses empty text and text that is not JSON, saying why', () => {
    expect(parseInputText('  \n')).toEqual({ ok: false, message: 'the input is empty: enter a JSON value' });
    const broken = parseInputText('{"action": }');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/^the input is not valid JSON: /);
  });

  it('shows durations under a millisecond in microseconds', () => {
    expect(formatDuration(0.0423)).toBe('42 µs');
    expect(formatDuration(3.14159)).toBe('3.14 ms');
    expect(formatDuration(250.4)).toBe('250 ms');
  });
});
