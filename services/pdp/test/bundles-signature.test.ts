import { createHash, generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import { bundleFileHash } from '../bundles/bundle-file-hash';
import type { BundleVerification } from '../bundles/bundle-settings';
import { signBundle, verifyBundleSignature } from '../bundles/bundle-signature';
import { filesMap, revisionBundle } from './support/bundle-fixtures';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const RSA_PRIVATE = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_PUBLIC = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const RSA_PKCS1_PUBLIC = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const EC_PRIVATE = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const EC_PUBLIC = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const rs256: BundleVerification = { key: RSA_PUBLIC, algorithm: 'RS256', scope: '' };

async function signed(files = filesMap(revisionBundle('r1')), key = RSA_PRIVATE, algorithm: BundleVerification['algorithm'] = 'RS256', extra = {}) {
  const signatures = await signBundle(files, { key, algorithm, ...extra });
  return new Map([...files, ['.signatures.json', signatures]]);
}

describe('bundle signatures (OPA format)', () => {
  it('accepts a bundle signed with the configured RS256, ES256 or HS256 key', async () => {
    await expect(verifyBundleSignature(await signed(), rs256)).resolves.toBeUndefined();
    await expect(verifyBundleSignature(await signed(), { ...rs256, key: RSA_PKCS1_PUBLIC })).resolves.toBeUndefined();
    await expect(verifyBundleSignature(await signed(undefined, EC_PRIVATE, 'ES256'), { key: EC_PUBLIC, algorithm: 'ES256', scope: '' })).resolves.toBeUndefined();
    await expect(verifyBundleSignature(await signed(undefined, 'shared secret', 'HS256'), { key: 'shared secret', algorithm: 'HS256', scope: '' })).resolves.toBeUndefined();
  });

  it('refuses an unsigned bundle when a key is configured', async () => {
    await expect(verifyBundleSignature(filesMap(revisionBundle('r1')), rs256)).rejects.toThrow(/not signed/);
  });

  it('refuses a bundle whose file changed after signing, naming the file', async () => {
    const files = await signed();
    files.set('mcp/gateway/policy.rego', Buffer.from('package mcp.gateway\n\ndecision := {"allow": true}\n'));
    await expect(verifyBundleSignature(files, rs256)).rejects.toThrow('mcp/gateway/policy.rego: digest mismatch');
  });

  it('refuses a file added after signing and a signed file that was removed', async () => {
    const added = await signed();
    added.set('mcp/extra.rego', Buffer.from('package mcp.extra\n'));
    await expect(verifyBundleSignature(added, rs256)).rejects.toThrow('mcp/extra.rego: not included in the bundle signature');
    const removed = await signed();
    removed.delete('mcp/gateway/data.json');
    await expect(verifyBundleSignature(removed, rs256)).rejects.toThrow('signed but missing from the bundle: mcp/gateway/data.json');
  });

  it('refuses a signature made with another key, another algorithm or another key id', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(verifyBundleSignature(await signed(undefined, other), rs256)).rejects.toThrow(/does not verify/);
    await expect(verifyBundleSignature(await signed(undefined, 'secret', 'HS256'), rs256)).rejects.toThrow(/does not verify/);
    await expect(verifyBundleSignature(await signed(undefined, RSA_PRIVATE, 'RS256', { keyId: 'old' }), { ...rs256, keyId: 'current' })).rejects.toThrow(
      'signed with key old, expected current',
    );
    await expect(verifyBundleSignature(await signed(undefined, RSA_PRIVATE, 'RS256', { keyId: 'current' }), { ...rs256, keyId: 'current' })).resolves.toBeUndefined();
  });

  it('requires the scope claim to match the configured scope, as OPA does', async () => {
    const scoped = await signed(undefined, RSA_PRIVATE, 'RS256', { scope: 'write' });
    await expect(verifyBundleSignature(scoped, rs256)).rejects.toThrow('scope mismatch');
    await expect(verifyBundleSignature(scoped, { ...rs256, scope: 'write' })).resolves.toBeUndefined();
  });

  it('refuses a .signatures.json with more than one JWT', async () => {
    const files = await signed();
    const [token] = JSON.parse(files.get('.signatures.json')!.toString()).signatures;
    files.set('.signatures.json', Buffer.from(JSON.stringify({ signatures: [token, token] })));
    await expect(verifyBundleSignature(files, rs256)).rejects.toThrow('expected exactly one JWT, found 2');
  });

  it('hashes data.json and .manifest in canonical form, so re-serialised JSON still verifies', async () => {
    const files = await signed(filesMap({ ...revisionBundle('r1'), 'data.json': '{"b": [1, 2.50, {"y": true, "x": null}], "a": "\u2028é"}' }));
    files.set('data.json', Buffer.from('{\n  "a": "\\u2028\\u00e9",\n  "b": [1, 2.50, {"x": null, "y": true}]\n}\n'));
    await expect(verifyBundleSignature(files, rs256)).resolves.toBeUndefined();
    // Numbers are compared as written, as OPA's json.Number does.
    files.set('data.json', Buffer.from('{"a": "\\u2028é", "b": [1, 2.5, {"x": null, "y": true}]}'));
    await expect(verifyBundleSignature(files, rs256)).rejects.toThrow('data.json: digest mismatch');
  });

  it('computes the canonical digest OPA computes for a JSON document', () => {
    // OPA writes {"a":…} with sorted keys, no spaces, Go string escapes (U+2028 escaped, no HTML escaping).
    const canonical = '{"a":"<\\u2028>","b":[1,2.50]}';
    const digest = createHash('sha256').update(canonical).digest('hex');
    expect(bundleFileHash('x/data.json', Buffer.from('{ "b": [1, 2.50], "a": "<\u2028>" }'), 'SHA-256')).toBe(digest);
    expect(bundleFileHash('x/policy.rego', Buffer.from(' raw '), 'SHA-256')).toBe(createHash('sha256').update(' raw ').digest('hex'));
  });

  it('accepts a signature listing names with a leading slash and other digest algorithms (as opa sign may write them)', async () => {
    const files = filesMap(revisionBundle('r1'));
    const listed = [...files].map(([name, bytes]) => ({ name: `/${name}`, hash: bundleFileHash(name, bytes, 'SHA-512'), algorithm: 'SHA-512' }));
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify({ files: listed })))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(rsa.privateKey);
    files.set('.signatures.json', Buffer.from(JSON.stringify({ signatures: [token] })));
    await expect(verifyBundleSignature(files, rs256)).resolves.toBeUndefined();
  });
});
