import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { hashApiKey } from '../auth/api-key';
import { apiKeyMiddleware } from '../auth/api-key-middleware';
import { verifyApiKey } from '../auth/api-key-verifier';
import { addApiKey, readApiKeysFile, readApiKeysFileOrEmpty, revokeApiKey, writeApiKeysFile } from '../auth/api-keys-file-store';
import { fileApiKeysSource, staticApiKeysSource } from '../auth/api-keys-source';
import type { ApiKeysFile } from '../contracts/api-keys-file';
import { createServiceApp } from '../http/create-service-app';
import { createReadiness } from '../http/readiness';
import { createMetricsRegistry } from '../metrics';
import { silentLogger } from './support/silent-logger';

const NOW = new Date('2026-06-01T12:00:00Z');

function keysWith(...requests: Array<{ name: string; expiresAt?: Date }>): { file: ApiKeysFile; keys: string[] } {
  let file: ApiKeysFile = { keys: [] };
  const keys: string[] = [];
  for (const { name, expiresAt } of requests) {
    const added = addApiKey(file, { name, tenant: 'acme', expiresAt, now: new Date('2026-01-01T00:00:00Z') });
    file = added.contents;
    keys.push(added.key);
  }
  return { file, keys };
}

function appWith(file: ApiKeysFile) {
  const routes = express.Router();
  routes.get('/v1/me', (req, res) => {
    res.json(req.apiKey);
  });
  return createServiceApp({
    service: 'test',
    logger: silentLogger(),
    registry: createMetricsRegistry({ service: 'test', processMetrics: false }),
    readiness: createReadiness(),
    authenticate: apiKeyMiddleware(staticApiKeysSource(file.keys), () => NOW),
    routes,
  });
}

describe('API keys', () => {
  const { file, keys } = keysWith({ name: 'current' }, { name: 'old', expiresAt: new Date('2026-03-01T00:00:00Z') }, { name: 'gone' });
  const [current, expired, revoked] = keys;
  const withRevocation = revokeApiKey(file, file.keys[2].id, new Date('2026-02-01T00:00:00Z')).contents;

  it('stores only the SHA-256 digest, never the key', () => {
    const stored = JSON.stringify(file);
    for (const key of keys) {
      expect(stored).not.toContain(key);
      expect(stored).toContain(hashApiKey(key));
    }
    expect(current).toMatch(/^mcpz_[A-Za-z0-9_-]{43}$/);
  });

  it('accepts a current key as a Bearer token and names its principal', async () => {
    const response = await request(appWith(withRevocation)).get('/v1/me').set('Authorization', `Bearer ${current}`).expect(200);
    expect(response.body).toEqual({ keyId: file.keys[0].id, name: 'current', tenant: 'acme', role: 'viewer' });
  });

  it('accepts a current key in X-API-Key', async () => {
    await request(appWith(withRevocation)).get('/v1/me').set('X-API-Key', current).expect(200);
  });

  it.each([
    ['missing', undefined, 'missing API key'],
    ['wrong', 'mcpz_not-a-real-key', 'invalid API key'],
    ['expired', 'expired', 'API key expired'],
    ['revoked', 'revoked', 'API key revoked'],
  ])('answers 401 with a JSON error for a %s key', async (_case, which, message) => {
    const key = which === 'expired' ? expired : which === 'revoked' ? revoked : which;
    const call = request(appWith(withRevocation)).get('/v1/me');
    const response = await (key ? call.set('Authorization', `Bearer ${key}`) : call).expect(401);
    expect(response.body.error.code).toBe('unauthorized');
    expect(response.body.error.message).toContain(message);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('keeps health, readiness and metrics open without a key', async () => {
    const app = appWith(withRevocation);
    await request(app).get('/health').expect(200);
    await request(app).get('/ready').expect(200);
    await request(app).get('/metrics').expect(200);
  });

  it('verifies by digest: a key differing in one character is invalid', () => {
    const altered = current.slice(0, -1) + (current.endsWith('A') ? 'B' : 'A');
    expect(verifyApiKey(altered, file.keys, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyApiKey(current, file.keys, NOW)).toMatchObject({ ok: true, record: { name: 'current' } });
  });

  it('keeps a revoked record and refuses to revoke an unknown id', () => {
    expect(withRevocation.keys).toHaveLength(3);
    expect(withRevocation.keys[2].revoked_at).toBe('2026-02-01T00:00:00.000Z');
    expect(revokeApiKey(file, 'key_unknown').found).toBe(false);
  });
});

describe('API keys file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips through disk with owner-only permissions', () => {
    const target = path.join(dir, 'nested', 'keys.json');
    const { file } = keysWith({ name: 'a' });
    writeApiKeysFile(target, file);
    expect(readApiKeysFile(target)).toEqual(file);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('reads a missing file as empty only when asked to', () => {
    const target = path.join(dir, 'absent.json');
    expect(readApiKeysFileOrEmpty(target)).toEqual({ keys: [] });
    expect(() => readApiKeysFile(target)).toThrow(/does not exist/);
  });

  it('rejects malformed contents, naming the file', () => {
    const target = path.join(dir, 'bad.json');
    fs.writeFileSync(target, JSON.stringify({ keys: [{ id: 'k', name: 'n', tenant: 't', sha256: 'xyz', created_at: 'now' }] }));
    expect(() => readApiKeysFile(target)).toThrow(target);
    fs.writeFileSync(target, '{');
    expect(() => readApiKeysFile(target)).toThrow(/not valid JSON/);
  });

  it('picks up a changed file, so revocation takes effect without a restart', () => {
    const target = path.join(dir, 'keys.json');
    const { file, keys } = keysWith({ name: 'a' });
    writeApiKeysFile(target, file);
    let clock = 0;
    const source = fileApiKeysSource(target, silentLogger(), () => clock);
    expect(verifyApiKey(keys[0], source.keys(), NOW).ok).toBe(true);

    writeApiKeysFile(target, revokeApiKey(file, file.keys[0].id, new Date('2026-01-02T00:00:00Z')).contents);
    fs.utimesSync(target, new Date(), new Date(Date.now() + 5000));
    expect(verifyApiKey(keys[0], source.keys(), NOW).ok).toBe(true);
    clock += 1000;
    expect(verifyApiKey(keys[0], source.keys(), NOW)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('keeps the previous keys when the file turns invalid', () => {
    const target = path.join(dir, 'keys.json');
    const { file, keys } = keysWith({ name: 'a' });
    writeApiKeysFile(target, file);
    let clock = 0;
    const source = fileApiKeysSource(target, silentLogger(), () => clock);
    fs.writeFileSync(target, 'not json');
    fs.utimesSync(target, new Date(), new Date(Date.now() + 5000));
    clock += 1000;
    expect(verifyApiKey(keys[0], source.keys(), NOW).ok).toBe(true);
  });
});
