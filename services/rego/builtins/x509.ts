/**
 * crypto.x509.*: certificates, chains, CSRs, key pairs and RSA private keys, rendered in the JSON
 * shapes OPA produces from Go's crypto/x509 types (the fields policies read: Subject, Issuer,
 * DNSNames, URIStrings, NotBefore…).
 */
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { BuiltinError } from '../errors';
import { decimalOf, isNumber, ObjectValue, parseNumber, SetValue, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { objectOperand, stringOperand } from './operands';
import { decodeStdBase64 } from './go-base64';
import { decodeAllPem, decodePem } from './pem';
import { children, objectIdentifier, readTlv, stringValue, type Tlv } from './der';
import { goPrivateKeyJSON, privateKeysFromPem } from './crypto';

// ------------------------------------------------------------------------------ names

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'Country',
  '2.5.4.10': 'Organization',
  '2.5.4.11': 'OrganizationalUnit',
  '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province',
  '2.5.4.9': 'StreetAddress',
  '2.5.4.17': 'PostalCode',
};

/** pkix.Name as Go marshals it, from a DER Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
function goName(buf: Buffer, name: Tlv): ObjectValue {
  const lists: Record<string, Value[]> = {};
  let commonName = '';
  let serialNumber = '';
  const names: Value[] = [];
  for (const rdn of children(buf, name)) {
    for (const atv of children(buf, rdn)) {
      const [typeTlv, valueTlv] = children(buf, atv);
      const oid = objectIdentifier(buf, typeTlv);
      const value = stringValue(buf, valueTlv);
      names.push(new ObjectValue().set('Type', oid).set('Value', value));
      const key = oid.join('.');
      if (key === '2.5.4.3') commonName = value;
      else if (key === '2.5.4.5') serialNumber = value;
      else if (NAME_FIELDS[key]) (lists[NAME_FIELDS[key]] ??= []).push(value);
    }
  }
  const out = new ObjectValue();
  for (const field of Object.values(NAME_FIELDS)) out.set(field, lists[field] ?? null);
  return out
    .set('SerialNumber', serialNumber)
    .set('CommonName', commonName)
    .set('Names', names.length ? names : null)
    .set('ExtraNames', null);
}

// ------------------------------------------------------------------------------ keys

function bigNumber(b64url: string | undefined): Value {
  const hex = Buffer.from(b64url ?? '', 'base64url').toString('hex');
  return parseNumber(BigInt('0x' + (hex || '0')).toString());
}

const PUBLIC_KEY_ALGORITHM: Record<string, number> = { rsa: 1, 'rsa-pss': 1, dsa: 2, ec: 3, ed25519: 4 };

function goPublicKey(key: KeyObject): Value {
  const jwk = key.export({ format: 'jwk' });
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return new ObjectValue().set('N', bigNumber(jwk.n)).set('E', bigNumber(jwk.e));
    case 'ec':
      return new ObjectValue().set('Curve', new ObjectValue()).set('X', bigNumber(jwk.x)).set('Y', bigNumber(jwk.y));
    default:
      return Buffer.from(jwk.x ?? '', 'base64url').toString('base64');
  }
}

// ------------------------------------------------------------------------------ certificates

const EXT_KEY_USAGE: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
};

interface AltNames {
  dns: string[];
  email: string[];
  ip: string[];
  uri: string[];
}

function altNames(cert: X509Certificate): AltNames {
  const out: AltNames = { dns: [], email: [], ip: [], uri: [] };
  for (const entry of (cert.subjectAltName ?? '').split(/, (?=[A-Za-z ]+:)/)) {
    const colon = entry.indexOf(':');
    if (colon < 0) continue;
    const kind = entry.slice(0, colon);
    const value = entry.slice(colon + 1).replace(/^"|"$/g, '');
    if (kind === 'DNS') out.dns.push(value);
    else if (kind === 'email') out.email.push(value);
    else if (kind === 'IP Address') out.ip.push(value);
    else if (kind === 'URI') out.uri.push(value);
  }
  return out;
}

function rfc3339(date: string): string {
  return new Date(date).toISOString().replace('.000Z', 'Z');
}

function orNull<T extends Value>(xs: T[]): Value {
  return xs.length ? xs : null;
}

const SIGNATURE_ALGORITHM: Record<string, number> = {
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.2.840.113549.1.1.10': 13,
  '1.3.101.112': 16,
};

/** The DER-level fields of a certificate that node:crypto does not expose, as Go's x509 fills them. */
interface DerFields {
  issuer: ObjectValue;
  subject: ObjectValue;
  version: number;
  raw: Record<string, string>;
  signature: string;
  signatureAlgorithm: number;
  extensions: Value[];
  keyUsage: number;
  basicConstraintsValid: boolean;
  maxPathLen: number;
  maxPathLenZero: boolean;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
}

const slice = (buf: Buffer, t: Tlv) => buf.subarray(t.start, t.end).toString('base64');
const contents = (buf: Buffer, t: Tlv) => buf.subarray(t.body, t.end);

function certificateFields(raw: Buffer): DerFields {
  const cert = readTlv(raw, 0);
  const [tbs, sigAlg, sigValue] = children(raw, cert);
  const fields = children(raw, tbs);
  const hasVersion = fields[0].tag === 0xa0;
  const base = hasVersion ? 1 : 0;
  const out: DerFields = {
    issuer: goName(raw, fields[base + 2]),
    subject: goName(raw, fields[base + 4]),
    version: hasVersion ? raw[children(raw, fields[0])[0].end - 1] + 1 : 1,
    raw: {
      RawTBSCertificate: slice(raw, tbs),
      RawSubjectPublicKeyInfo: slice(raw, fields[base + 5]),
      RawSubject: slice(raw, fields[base + 4]),
      RawIssuer: slice(raw, fields[base + 2]),
    },
    signature: contents(raw, sigValue).subarray(1).toString('base64'),
    signatureAlgorithm: SIGNATURE_ALGORITHM[objectIdentifier(raw, children(raw, sigAlg)[0]).join('.')] ?? 0,
    extensions: [],
    keyUsage: 0,
    basicConstraintsValid: false,
    maxPathLen: 0,
    maxPathLenZero: false,
    subjectKeyId: null,
    authorityKeyId: null,
  };
  const extensionsField = fields.find((f) => f.tag === 0xa3);
  if (extensionsField) for (const ext of children(raw, children(raw, extensionsField)[0])) readExtension(raw, ext, out);
  return out;
}

function readExtension(raw: Buffer, ext: Tlv, out: DerFields): void {
  const parts = children(raw, ext);
  const id = objectIdentifier(raw, parts[0]);
  const critical = parts.length === 3 && raw[parts[1].body] !== 0;
  const valueTlv = parts[parts.length - 1];
  const value = contents(raw, valueTlv);
  out.extensions.push(new ObjectValue().set('Id', id).set('Critical', critical).set('Value', value.toString('base64')));
  const inner = value.length ? readTlv(value, 0) : null;
  if (!inner) return;
  switch (id.join('.')) {
    case '2.5.29.15': {
      const bits = contents(value, inner).subarray(1);
      for (let i = 0; i < 9; i++) if (bits[i >> 3] & (0x80 >> (i & 7))) out.keyUsage |= 1 << i;
      break;
    }
    case '2.5.29.19': {
      const items = children(value, inner);
      out.basicConstraintsValid = true;
      out.maxPathLen = -1;
      for (const item of items) {
        if (item.tag === 0x02) out.maxPathLen = contents(value, item).reduce((n, b) => n * 256 + b, 0);
      }
      out.maxPathLenZero = out.maxPathLen === 0;
      break;
    }
    case '2.5.29.14':
      out.subjectKeyId = contents(value, inner).toString('base64');
      break;
    case '2.5.29.35': {
      const keyId = children(value, inner).find((c) => c.tag === 0x80);
      if (keyId) out.authorityKeyId = contents(value, keyId).toString('base64');
      break;
    }
  }
}

/** url.URL as Go marshals it. */
function goURL(text: string): ObjectValue {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(text);
  return new ObjectValue()
    .set('Scheme', m?.[1] ?? '')
    .set('Opaque', m && m[2] === undefined ? (m[3] ?? '') : '')
    .set('User', null)
    .set('Host', m?.[2] ?? '')
    .set('Path', m && m[2] !== undefined ? (m[3] ?? '') : '')
    .set('RawPath', '')
    .set('OmitHost', false)
    .set('ForceQuery', false)
    .set('RawQuery', m?.[4] ?? '')
    .set('Fragment', m?.[5] ?? '')
    .set('RawFragment', '');
}

function goCertificate(cert: X509Certificate, withURIStrings: boolean): ObjectValue {
  const der = certificateFields(cert.raw);
  const alt = altNames(cert);
  const key = cert.publicKey;
  const eku = (cert.keyUsage ?? []).map((oid) => EXT_KEY_USAGE[oid]).filter((x) => x !== undefined);
  const out = new ObjectValue().set('Raw', cert.raw.toString('base64'));
  for (const [k, v] of Object.entries(der.raw)) out.set(k, v);
  out
    .set('Signature', der.signature)
    .set('SignatureAlgorithm', der.signatureAlgorithm)
    .set('PublicKeyAlgorithm', PUBLIC_KEY_ALGORITHM[key.asymmetricKeyType ?? ''] ?? 0)
    .set('PublicKey', goPublicKey(key))
    .set('Version', der.version)
    .set('SerialNumber', parseNumber(BigInt('0x' + cert.serialNumber).toString()))
    .set('Issuer', der.issuer)
    .set('Subject', der.subject)
    .set('NotBefore', rfc3339(cert.validFrom))
    .set('NotAfter', rfc3339(cert.validTo))
    .set('KeyUsage', der.keyUsage)
    .set('Extensions', orNull(der.extensions))
    .set('ExtraExtensions', null)
    .set('UnhandledCriticalExtensions', null)
    .set('ExtKeyUsage', orNull(eku))
    .set('UnknownExtKeyUsage', null)
    .set('BasicConstraintsValid', der.basicConstraintsValid)
    .set('IsCA', cert.ca)
    .set('MaxPathLen', der.maxPathLen)
    .set('MaxPathLenZero', der.maxPathLenZero)
    .set('SubjectKeyId', der.subjectKeyId)
    .set('AuthorityKeyId', der.authorityKeyId)
    .set('DNSNames', orNull(alt.dns))
    .set('EmailAddresses', orNull(alt.email))
    .set('IPAddresses', orNull(alt.ip))
    .set('URIs', orNull(alt.uri.map(goURL)));
  if (withURIStrings) out.set('URIStrings', orNull(alt.uri));
  return out;
}

function parseDerCertificates(der: Buffer): X509Certificate[] {
  const certs: X509Certificate[] = [];
  for (let at = 0; at < der.length; ) {
    let t: Tlv;
    try {
      t = readTlv(der, at);
      certs.push(new X509Certificate(der.subarray(at, t.end)));
    } catch {
      throw new BuiltinError('x509: malformed certificate');
    }
    at = t.end;
  }
  return certs;
}

function certificatesFromPem(text: string): X509Certificate[] {
  const ders: Buffer[] = [];
  for (const block of decodeAllPem(text)) {
    if (block.type !== 'CERTIFICATE') throw new BuiltinError(`PEM block type is '${block.type}', expected CERTIFICATE`);
    ders.push(block.bytes);
  }
  return parseDerCertificates(Buffer.concat(ders));
}

/** OPA's getX509CertsFromString: PEM, base64 PEM or base64 DER. */
function certificatesFromString(text: string): X509Certificate[] {
  if (text.startsWith('-----BEGIN')) return certificatesFromPem(text);
  const bytes = decodeStdBase64(text);
  if (bytes.subarray(0, 10).toString('latin1') === '-----BEGIN') return certificatesFromPem(bytes.toString('latin1'));
  return parseDerCertificates(bytes);
}

// ------------------------------------------------------------------------------ verification

interface VerifyOptions {
  dnsName: string;
  timeMs: number;
  keyUsages: number[];
}

const KEY_USAGE_NAMES: Record<string, number> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10,
  KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
};

function verifyOptions(o: ObjectValue, nowMs: number): VerifyOptions {
  const opts: VerifyOptions = { dnsName: '', timeMs: nowMs, keyUsages: [] };
  for (const [k, v] of o.entries()) {
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw new BuiltinError("'DNSName' should be a string");
        opts.dnsName = v.replace(/^"+|"+$/g, '');
        break;
      case 'CurrentTime':
        if (!isNumber(v)) throw new BuiltinError("'CurrentTime' should be a number");
        if (!decimalOf(v).isInteger()) throw new BuiltinError("'CurrentTime' should be a valid int64 number");
        opts.timeMs = decimalOf(v).div(1e6).toNumber();
        break;
      case 'MaxConstraintComparisons':
        if (typeof v !== 'number') throw new BuiltinError("'MaxConstraintComparisons' should be a number");
        break;
      case 'KeyUsages': {
        const items = Array.isArray(v) ? v : v instanceof SetValue ? v.values() : null;
        if (!items) throw new BuiltinError("'KeyUsages' should be an Array or Set");
        const invalid: string[] = [];
        for (const u of items) {
          if (typeof u !== 'string') continue;
          const name = u.replace(/^"+|"+$/g, '');
          if (name in KEY_USAGE_NAMES) opts.keyUsages.push(KEY_USAGE_NAMES[name]);
          else invalid.push(name);
        }
        if (invalid.length) throw new BuiltinError(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`);
        break;
      }
      default:
        throw new BuiltinError('invalid key option');
    }
  }
  return opts;
}

function validAt(cert: X509Certificate, timeMs: number): boolean {
  return Date.parse(cert.validFrom) <= timeMs && timeMs <= Date.parse(cert.validTo);
}

function issued(issuer: X509Certificate, cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function usageAllowed(cert: X509Certificate, wanted: number[]): boolean {
  const have = (cert.keyUsage ?? []).map((oid) => EXT_KEY_USAGE[oid]);
  if (have.length === 0 || have.includes(0) || wanted.includes(0)) return true;
  return wanted.some((w) => have.includes(w));
}

/** Go's Verify, for the chain shape OPA passes: certs[0] the root, the last the leaf, intermediates between. */
function verifyChain(certs: X509Certificate[], opts: VerifyOptions): X509Certificate[] | null {
  if (certs.length < 2) return null;
  const root = certs[0];
  const intermediates = certs.slice(1, -1);
  const leaf = certs[certs.length - 1];
  const wanted = opts.keyUsages.length ? opts.keyUsages : [1];
  if (opts.dnsName !== '' && leaf.checkHost(opts.dnsName) === undefined) return null;
  const chain = [leaf];
  for (let current = leaf; ; ) {
    if (!validAt(current, opts.timeMs) || !usageAllowed(current, wanted)) return null;
    if (issued(root, current)) {
      if (!validAt(root, opts.timeMs)) return null;
      if (current !== root) chain.push(root);
      return chain;
    }
    const next = intermediates.find((c) => !chain.includes(c) && c.ca && issued(c, current));
    if (!next) return null;
    chain.push(next);
    current = next;
  }
}

function parseAndVerify(text: string, opts: VerifyOptions, withURIStrings: boolean): Value {
  let certs: X509Certificate[];
  try {
    certs = certificatesFromString(text);
  } catch {
    return [false, []];
  }
  const chain = verifyChain(certs, opts);
  if (!chain) return [false, []];
  return [true, chain.map((c) => goCertificate(c, withURIStrings))];
}

// ------------------------------------------------------------------------------ CSRs, key pairs

function parseCertificateRequest(text: string): Value {
  let der = text.startsWith('-----BEGIN CERTIFICATE REQUEST-----') ? Buffer.from(text, 'latin1') : decodeStdBase64(text);
  const block = decodePem(der.toString('latin1'));
  if (block && block.type !== 'CERTIFICATE REQUEST') throw new BuiltinError('invalid PEM-encoded certificate signing request');
  if (block) der = block.bytes;
  try {
    const csr = readTlv(der, 0);
    const [info, , signature] = children(der, csr);
    const [version, subject, spki] = children(der, info);
    const key = createPublicKey({ key: der.subarray(spki.start, spki.end), format: 'der', type: 'spki' });
    return new ObjectValue()
      .set('Raw', der.subarray(0, csr.end).toString('base64'))
      .set('RawTBSCertificateRequest', der.subarray(info.start, info.end).toString('base64'))
      .set('RawSubjectPublicKeyInfo', der.subarray(spki.start, spki.end).toString('base64'))
      .set('RawSubject', der.subarray(subject.start, subject.end).toString('base64'))
      .set('Version', der[version.end - 1])
      .set('Signature', der.subarray(signature.body + 1, signature.end).toString('base64'))
      .set('PublicKeyAlgorithm', PUBLIC_KEY_ALGORITHM[key.asymmetricKeyType ?? ''] ?? 0)
      .set('PublicKey', goPublicKey(key))
      .set('Subject', goName(der, subject))
      .set('Attributes', null)
      .set('Extensions', null)
      .set('ExtraExtensions', null)
      .set('DNSNames', null)
      .set('EmailAddresses', null)
      .set('IPAddresses', null)
      .set('URIs', null);
  } catch (e) {
    if (e instanceof BuiltinError) throw e;
    throw new BuiltinError('x509: malformed certificate request');
  }
}

function base64OrPem(text: string): string {
  return text.startsWith('-----BEGIN ') ? text : decodeStdBase64(text).toString('latin1');
}

function parseKeyPair(certText: string, keyText: string): Value {
  const certPem = base64OrPem(certText);
  const keyPem = base64OrPem(keyText);
  const certs = certificatesFromPem(certPem);
  if (certs.length === 0) throw new BuiltinError('tls: failed to find any PEM data in certificate input');
  const keys = privateKeysFromPem(keyPem);
  if (keys.length === 0) throw new BuiltinError('tls: failed to find any PEM data in key input');
  const leaf = certs[0];
  const matches = (() => {
    try {
      return leaf.checkPrivateKey(keys[0]);
    } catch {
      return false;
    }
  })();
  if (!matches) throw new BuiltinError('tls: private key does not match public key');
  return new ObjectValue()
    .set('Certificate', certs.map((c) => c.raw.toString('base64')))
    .set('PrivateKey', goPrivateKeyJSON(keys[0]))
    .set('Leaf', goCertificate(leaf, false))
    .set('OCSPStaple', null)
    .set('SignedCertificateTimestamps', null)
    .set('SupportedSignatureAlgorithms', null);
}

/** crypto.x509.parse_rsa_private_key: the first private key of PEM (or base64 PEM) text, as a JWK. */
function parseRSAPrivateKey(text: string): Value {
  if (text === '') throw new BuiltinError('input PEM data was empty');
  const pem = text.startsWith('-----BEGIN') ? text : decodeStdBase64(text).toString('latin1');
  const keys = privateKeysFromPem(pem);
  if (keys.length === 0) return null;
  const jwk = keys[0].export({ format: 'jwk' }) as Record<string, unknown>;
  const out = new ObjectValue();
  for (const [k, v] of Object.entries(jwk)) if (typeof v === 'string') out.set(k, v);
  return out;
}

// ------------------------------------------------------------------------------ the table

const CERTS: TypeSpec = { array: { object: ['string', 'any'] } };
const STRING_KEYED: TypeSpec = { object: ['string', 'any'] };

export const x509Builtins: BuiltinDef[] = [
  builtin({
    name: 'crypto.x509.parse_certificates',
    args: ['string'],
    result: CERTS,
    category: 'crypto',
    impl: (args) => certificatesFromString(stringOperand(args[0], 1)).map((c) => goCertificate(c, true)),
  }),
  builtin({
    name: 'crypto.x509.parse_and_verify_certificates',
    args: ['string'],
    result: { tuple: ['boolean', CERTS] },
    category: 'crypto',
    impl: (args, ctx) =>
      parseAndVerify(stringOperand(args[0], 1), { dnsName: '', timeMs: Number(ctx.nowNs / 1000000n), keyUsages: [] }, true),
  }),
  builtin({
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    args: ['string', STRING_KEYED],
    result: { tuple: ['boolean', CERTS] },
    category: 'crypto',
    impl: (args, ctx) => {
      const text = stringOperand(args[0], 1);
      const options = objectOperand(args[1], 2);
      let certs: X509Certificate[];
      try {
        certs = certificatesFromString(text);
      } catch {
        return [false, []];
      }
      const chain = verifyChain(certs, verifyOptions(options, Number(ctx.nowNs / 1000000n)));
      return chain ? [true, chain.map((c) => goCertificate(c, false))] : [false, []];
    },
  }),
  builtin({
    name: 'crypto.x509.parse_certificate_request',
    args: ['string'],
    result: STRING_KEYED,
    category: 'crypto',
    impl: (args) => parseCertificateRequest(stringOperand(args[0], 1)),
  }),
  builtin({
    name: 'crypto.x509.parse_keypair',
    args: ['string', 'string'],
    result: STRING_KEYED,
    category: 'crypto',
    impl: (args) => parseKeyPair(stringOperand(args[0], 1), stringOperand(args[1], 1)),
  }),
  builtin({
    name: 'crypto.x509.parse_rsa_private_key',
    args: ['string'],
    result: STRING_KEYED,
    category: 'crypto',
    impl: (args) => parseRSAPrivateKey(stringOperand(args[0], 1)),
  }),
];
