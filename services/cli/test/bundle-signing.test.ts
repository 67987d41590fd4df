import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../commands/bundle-build';
import { readBundleArchive } from '../../pdp/bundles/bundle-files';
import { verifyBundleSignature } from '../../pdp/bundles/bundle-signature';
import { UsageError } from '../usage-error';
import { captureIO } from './capture-io';

describe('mcp-authz bundle build --signing-key', () => {
  it('writes a bundle whose .signatures.json verifies with the public key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bb-signed-'));
    fs.writeFileSync(path.join(dir, 'policy.rego'), 'package mcp.gateway\n\ndecision := {"allow": true}\n');
    fs.writeFileSync(path.join(dir, 'data.json'), '{"servers": {"a": 1}}');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = path.join(dir, 'signing.pem');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const out = path.join(dir, 'out', 'bundle.tar.gz');
    const io = captureIO();
    expect(await run({ dir, output: out, revision: 'rev-1', signingKey: keyFile, signingKeyId: 'release' }, io)).toBe(0);
    expect(io.out).toContain('signed with RS256');
    const files = await readBundleArchive(fs.readFileSync(out));
    expect([...files.keys()].sort()).toEqual(['.manifest', '.signatures.json', 'data.json', 'policy.rego']);
    const verification = { key: publicKey.export({ type: 'spki', format: 'pem' }).toString(), algorithm: 'RS256' as const, keyId: 'release', scope: '' };
    await expect(verifyBundleSignature(files, verification)).resolves.toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown algorithm as a usage error, before writing anything', async () => {
    const io = captureIO();
    const out = path.join(os.tmpdir(), `never-${process.pid}.tar.gz`);
    await expect(run({ dir: os.tmpdir(), output: out, signingKey: 'x', signingAlg: 'none' }, io)).rejects.toThrow(new UsageError('--signing-alg: expected one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512'));
    expect(fs.existsSync(out)).toBe(false);
  });
});
