import * as fs from 'node:fs';
import * as path from 'node:path';
import { X509Certificate, createHash, generateKeyPairSync } from 'node:crypto';
import { BuiltinError } from '../../errors';
import { fromJSON } from '../../value';
import { context, invoke, invokeJSON } from './invoke';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const root = fixture('root.pem');
const leaf = fixture('leaf.pem');
const leafKey = fixture('leaf.key');
const csr = fixture('leaf.csr');
const NOW = context({ nowNs: 1_800_000_000n * 1_000_000_000n });

describe('crypto digests and HMAC', () => {
  test('hex digests of UTF-8 text', () => {
    expect(invoke('crypto.md5', ['lorem ipsum'])).toBe('80a751fde577028640c419000e33eba6');
    expect(invoke('crypto.sha1', [''])).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(invoke('crypto.sha256', ['ü'])).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xbc])).digest('hex'));
    expect(invoke('crypto.hmac.sha256', ['message', 'key'])).toBe('6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a');
    expect(invoke('crypto.hmac.md5', ['message', 'key'])).toBe('4e4748e62b463521f6775fbf921234b5');
    expect((invoke('crypto.hmac.sha512', ['message', 'key']) as string).length).toBe(128);
  });

  test('hmac.equal compares in constant time, any length', () => {
    expect(invoke('crypto.hmac.equal', ['abc', 'abc'])).toBe(true);
    expect(invoke('crypto.hmac.equal', ['abc', 'abd'])).toBe(false);
    expect(invoke('crypto.hmac.equal', ['abc', 'abcd'])).toBe(false);
  });

  test('parse_private_keys reads RSA, EC and PKCS#8 blocks, plain or base64; empty input is null', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    const keys = invokeJSON('crypto.parse_private_keys', [rsa + ec]) as Record<string, unknown>[];
    expect(keys).toHaveLength(2);
    expect(keys[0].E).toBe(65537);
    expect(keys[1]).toHaveProperty('D');
    expect(invokeJSON('crypto.parse_private_keys', [Buffer.from(rsa).toString('base64')])).toHaveLength(1);
    expect(invokeJSON('crypto.parse_private_keys', ['nope'])).toEqual([]);
    expect(invoke('crypto.parse_private_keys', [''])).toBeNull();
  });
});

describe('crypto.x509', () => {
  test('parse_certificates reads PEM, base64 PEM and base64 DER, in Go field names', () => {
    const [cert] = invokeJSON('crypto.x509.parse_certificates', [leaf]) as Record<string, any>[];
    expect(cert.Subject.CommonName).toBe('agent.example.test');
    expect(cert.Subject.Organization).toEqual(['mcp-authz tests']);
    expect(cert.Issuer.CommonName).toBe('Test Root CA');
    expect(cert.DNSNames).toEqual(['agent.example.test']);
    expect(cert.URIStrings).toEqual(['spiffe://example.test/agent']);
    expect(cert.NotBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(cert.ExtKeyUsage).toEqual([1, 2]);
    expect(cert.BasicConstraintsValid).toBe(true);
    expect(cert.IsCA).toBe(false);
    expect(cert.SignatureAlgorithm).toBe(4);
    expect(cert.URIs).toEqual([expect.objectContaining({ Scheme: 'spiffe', Host: 'example.test', Path: '/agent' })]);
    const [ca] = invokeJSON('crypto.x509.parse_certificates', [root]) as Record<string, any>[];
    // keyCertSign (bit 5) and cRLSign (bit 6), as Go numbers x509.KeyUsage.
    expect(ca.KeyUsage).toBe(96);
    expect(ca.IsCA).toBe(true);
    expect(ca.MaxPathLen).toBe(-1);
    expect(ca.Extensions.some((e: any) => e.Id.join('.') === '2.5.29.19' && e.Critical)).toBe(true);
    const der = new X509Certificate(root).raw.toString('base64');
    expect((invokeJSON('crypto.x509.parse_certificates', [der]) as any[])[0].Subject.CommonName).toBe('Test Root CA');
    expect((invokeJSON('crypto.x509.parse_certificates', [Buffer.from(root + leaf).toString('base64')]) as any[]).length).toBe(2);
    expect(() => invoke('crypto.x509.parse_certificates', ['foobar'])).toThrow('illegal base64 data at input byte 4');
    expect(() => invoke('crypto.x509.parse_certificates', ['YmFkc3RyaW5n'])).toThrow('x509: malformed certificate');
  });

  test('parse_and_verify_certificates checks the chain root-first, returning it leaf-first', () => {
    const [ok, chain] = invokeJSON('crypto.x509.parse_and_verify_certificates', [root + leaf], NOW) as [boolean, any[]];
    expect(ok).toBe(true);
    expect(chain.map((c) => c.Subject.CommonName)).toEqual(['agent.example.test', 'Test Root CA']);
    expect(invokeJSON('crypto.x509.parse_and_verify_certificates', [leaf + root], NOW)).toEqual([false, []]);
    expect(invokeJSON('crypto.x509.parse_and_verify_certificates', [leaf], NOW)).toEqual([false, []]);
  });

  test('verification options: DNS name, time, key usages', () => {
    const verify = (opts: object) => (invokeJSON('crypto.x509.parse_and_verify_certificates_with_options', [root + leaf, fromJSON(opts)], NOW) as [boolean])[0];
    expect(verify({ DNSName: 'agent.example.test' })).toBe(true);
    expect(verify({ DNSName: 'other.example.test' })).toBe(false);
    expect(verify({ CurrentTime: 946684800000000000 })).toBe(false);
    expect(verify({ KeyUsages: ['KeyUsageClientAuth'] })).toBe(true);
    expect(verify({ KeyUsages: ['KeyUsageCodeSigning'] })).toBe(false);
    expect(() => verify({ KeyUsages: ['Bogus'] })).toThrow("invalid entries for 'KeyUsages' found: [Bogus]");
    expect(() => verify({ Nope: 1 })).toThrow('invalid key option');
  });

  test('certificate requests, key pairs and RSA private keys', () => {
    expect((invokeJSON('crypto.x509.parse_certificate_request', [csr]) as any).Subject.CommonName).toBe('agent.example.test');
    expect((invokeJSON('crypto.x509.parse_certificate_request', [Buffer.from(csr).toString('base64')]) as any).Subject.Organization).toEqual([
      'mcp-authz tests',
    ]);
    const pair = invokeJSON('crypto.x509.parse_keypair', [leaf, leafKey]) as any;
    expect(pair.Certificate).toHaveLength(1);
    expect(pair.Leaf.Subject.CommonName).toBe('agent.example.test');
    expect(() => invoke('crypto.x509.parse_keypair', [root, leafKey])).toThrow('private key does not match public key');
    const jwk = invokeJSON('crypto.x509.parse_rsa_private_key', [leafKey]) as Record<string, string>;
    expect(jwk.kty).toBe('RSA');
    expect(jwk).toHaveProperty('d');
    expect(() => invoke('crypto.x509.parse_rsa_private_key', ['invalid'])).toThrow(BuiltinError);
  });
});
