import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeApiKeysFile } from '../auth/api-keys-file-store';
import { isLoopbackHost } from '../auth/loopback';
import { resolveAuth } from '../auth/resolve-auth';
import { ConfigError } from '../config/config-error';
import { serviceAuthConfig } from '../config/service-auth-config';
import { silentLogger } from './support/silent-logger';

describe('the loopback rule', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-auth-'));
  });
  afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

  const logger = silentLogger();

  it('accepts unauthenticated calls on a loopback address when no keys are configured', () => {
    expect(resolveAuth(serviceAuthConfig('pdp', undefined, 'auto', cwd), '127.0.0.1', logger)).toEqual({ kind: 'none', reason: 'loopback' });
    expect(resolveAuth(serviceAuthConfig('pdp', undefined, 'auto', cwd), '::1', logger).kind).toBe('none');
  });

  it('refuses to start on another address without keys, naming the variable to set', () => {
    let failure: unknown;
    try {
      resolveAuth(serviceAuthConfig('proxy', undefined, 'auto', cwd), '0.0.0.0', logger);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).issues[0].variable).toBe('PROXY_API_KEYS_FILE');
    expect((failure as ConfigError).message).toContain('PROXY_AUTH=none');
  });

  it('starts unauthenticated anywhere when told <SVC>_AUTH=none', () => {
    expect(resolveAuth(serviceAuthConfig('audit', undefined, 'none', cwd), '0.0.0.0', logger)).toEqual({ kind: 'none', reason: 'disabled' });
  });

  it('requires keys once the default keys file exists, even on loopback', () => {
    writeApiKeysFile(path.join(cwd, '.data/api-keys/pdp.json'), { keys: [] });
    const auth = resolveAuth(serviceAuthConfig('pdp', undefined, 'auto', cwd), '127.0.0.1', logger);
    expect(auth.kind).toBe('api-keys');
  });

  it('fails to start when the named keys file is missing', () => {
    expect(() => resolveAuth(serviceAuthConfig('pdp', 'nowhere.json', 'auto', cwd), '127.0.0.1', logger)).toThrow(ConfigError);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.1.2.3', false],
    ['example.com', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
