import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash } from '../src/routing/hash-route';

describe('console locations in the URL fragment', () => {
  it('reads the page and its parameters', () => {
    const route = parseHash('#/audit?decision=deny&tool=search', 'playground');
    expect(route.page).toBe('audit');
    expect(Object.fromEntries(route.params)).toEqual({ decision: 'deny', tool: 'search' });
  });

  it('falls back to the default page for an empty fragment', () => {
    expect(parseHash('', 'playground').page).toBe('playground');
    expect(parseHash('#/', 'playground').page).toBe('playground');
  });

  it('writes links that read back the same, leaving out empty parameters', () => {
    const href = hrefOf('playground', { event: 'a b&c', entrypoint: undefined, source: '' });
    expect(href).toBe('#/playground?event=a+b%26c');
    expect(parseHash(href, 'x').params.get('event')).toBe('a b&c');
  });
});
