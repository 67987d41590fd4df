import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../common';
import { loadBundleSettings } from '../bundles/bundle-settings';
import { tempDir } from './support/bundle-fixtures';

describe('bundle settings (PDP_BUNDLE_* variables)', () => {
  it('has defaults that poll every 10 to 20 seconds and keep the saved copy under ./.data/bundles', () => {
    expect(loadBundleSettings({}, '/srv/pdp')).toEqual({
      token: undefined,
      pollMinDelayMs: 10_000,
      pollMaxDelayMs: 20_000,
      timeoutMs: 30_000,
      cacheDir: '/srv/pdp/.data/bundles',
      watchIntervalMs: 1000,
      verification: undefined,
    });
  });

  it('reads the verification key from a file, with its algorithm, key id and scope', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bundle.pem'), '-----BEGIN PUBLIC KEY-----\n');
    const settings = loadBundleSettings(
      { PDP_BUNDLE_VERIFICATION_KEY_FILE: 'bundle.pem', PDP_BUNDLE_VERIFICATION_ALG: 'ES256', PDP_BUNDLE_VERIFICATION_KEY_ID: 'k1', PDP_BUNDLE_VERIFICATION_SCOPE: 'write' },
      dir,
    );
    expect(settings.verification).toEqual({ key: '-----BEGIN PUBLIC KEY-----\n', algorithm: 'ES256', keyId: 'k1', scope: 'write' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [{ PDP_BUNDLE_POLL_MIN_DELAY_S: '30', PDP_BUNDLE_POLL_MAX_DELAY_S: '5' }, 'PDP_BUNDLE_POLL_MAX_DELAY_S'],
    [{ PDP_BUNDLE_VERIFICATION_KEY: 'a', PDP_BUNDLE_VERIFICATION_KEY_FILE: 'b' }, 'PDP_BUNDLE_VERIFICATION_KEY_FILE'],
    [{ PDP_BUNDLE_VERIFICATION_KEY_ID: 'k1' }, 'PDP_BUNDLE_VERIFICATION_KEY'],
    [{ PDP_BUNDLE_VERIFICATION_KEY_FILE: '/no/such/key.pem' }, 'PDP_BUNDLE_VERIFICATION_KEY_FILE'],
    [{ PDP_BUNDLE_VERIFICATION_ALG: 'none' }, 'PDP_BUNDLE_VERIFICATION_ALG'],
    [{ PDP_BUNDLE_TIMEOUT_S: '0' }, 'PDP_BUNDLE_TIMEOUT_S'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadBundleSettings(env, '/srv')).toThrow(ConfigError);
    expect(() => loadBundleSettings(env, '/srv')).toThrow(new RegExp(`(^|; )${variable}: `));
  });
});
