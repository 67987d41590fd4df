import { describe, expect, it } from 'vitest';
import type { KeyStore } from '../src/api/api-key-store';
import { ApiError, createConsoleClient, queryString } from '../src/api/console-client';

function memoryKeys(initial: string | null): KeyStore {
  let key = initial;
  return { get: () => key, set: (value) => void (key = value), clear: () => void (key = null) };
}

describe('the console API client', () => {
  it('sends the stored key as a bearer token and JSON bodies', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const client = createConsoleClient(memoryKeys('mcpz_secret'), async (url, init) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true }), { status: 200 });
    });
    await expect(client.post('/playground/evaluate', { entrypoint: 'mcp/gateway/decision', input: {} })).resolves.toEqual({ ok: true });
    expect(seen[0].url).toBe('/console/api/playground/evaluate');
    expect(seen[0].init?.method).toBe('POST');
    expect((seen[0].init?.headers as Record<string, string>).Authorization).toBe('Bearer mcpz_secret');
    expect(JSON.parse(String(seen[0].init?.body))).toEqual({ entrypoint: 'mcp/gateway/decision', input: {} });
  });

  it('sends no Authorization header without a key', async () => {
    let headers: Record<string, string> = {};
    const client = createConsoleClient(memoryKeys(null), async (_url, init) => {
      headers = init?.headers as Record<string, string>;
      return new Response('{}', { status: 200 });
    });
    await client.get('/session');
    expect(headers.Authorization).toBeUndefined();
  });

  it('turns error bodies into ApiErrors with status, code and details', async () => {
    const body = { error: { code: 'bad_request', message: 'invalid request body', details: [{ path: 'entrypoint', message: 'expected one of …' }] } };
    const client = createConsoleClient(memoryKeys(null), async () => new Response(JSON.stringify(body), { status: 400 }));
    const failure = await client.get('/session').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 400, code: 'bad_request', message: 'invalid request body', details: body.error.details });
  });

  it('still reports a failure whose body is not JSON', async () => {
    const client = createConsoleClient(memoryKeys(null), async () => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(client.get('/session')).rejects.toMatchObject({ status: 502, code: 'http_502', message: 'HTTP 502' });
  });

  it('says the sign-in is lost when a page call gets 401 (an expired token), but not for the session call', async () => {
    const lost: ApiError[] = [];
    const expired = { error: { code: 'unauthorized', message: 'token rejected: expired', details: [] } };
    const client = createConsoleClient(memoryKeys('eyJ.eyJ.sig'), async () => new Response(JSON.stringify(expired), { status: 401 }), (error) => lost.push(error));
    await expect(client.get('/bundles')).rejects.toMatchObject({ status: 401 });
    expect(lost.map((error) => error.message)).toEqual(['token rejected: expired']);
    await expect(client.get('/session')).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveLength(1);
  });

  it('does not say the sign-in is lost for other refusals', async () => {
    const lost: ApiError[] = [];
    const forbidden = { error: { code: 'forbidden', message: 'this console action needs the admin role', details: [] } };
    const client = createConsoleClient(memoryKeys('mcpz_viewer'), async () => new Response(JSON.stringify(forbidden), { status: 403 }), (error) => lost.push(error));
    await expect(client.post('/tools/approve', {})).rejects.toMatchObject({ status: 403 });
    expect(lost).toEqual([]);
  });

  it('builds query strings without empty parameters', () => {
    expect(queryString({ decision: 'deny', tool: '', server: undefined, principal: 'a&b' })).toBe('?decision=deny&principal=a%26b');
    expect(queryString({})).toBe('');
  });
});
