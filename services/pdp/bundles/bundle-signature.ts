import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import type { BundleFiles } from './bundle-files';
import { bundleFileHash, isHashAlgorithm } from './bundle-file-hash';
import type { BundleVerification, SignatureAlgorithm } from './bundle-settings';

export const SIGNATURES_FILE = '.signatures.json';

/** OPA's `.signatures.json`: exactly one JWT whose payload lists every file of the bundle with its digest. */
const signaturesFileSchema = z.object({ signatures: z.array(z.string()) });
const signedFileSchema = z.object({ name: z.string(), hash: z.string(), algorithm: z.string() });
const signaturePayloadSchema = z.object({
  files: z.array(signedFileSchema),
  keyid: z.string().optional(),
  scope: z.string().optional(),
});
export type SignedFile = z.infer<typeof signedFileSchema>;

export class BundleSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleSignatureError';
  }
}

/** Refuses (throws BundleSignatureError) a bundle that is unsigned, signed by another key, or whose files differ from what was signed. */
export async function verifyBundleSignature(files: BundleFiles, verification: BundleVerification): Promise<void> {
  const token = signatureToken(files);
  const payload = await verifiedPayload(token, verification);
  if ((payload.scope ?? '') !== verification.scope) throw new BundleSignatureError('bundle signature: scope mismatch');
  checkFiles(files, payload.files);
}

function signatureToken(files: BundleFiles): string {
  const raw = files.get(SIGNATURES_FILE);
  if (raw === undefined) throw new BundleSignatureError(`bundle is not signed (no ${SIGNATURES_FILE}) and a verification key is configured`);
  let parsed: z.infer<typeof signaturesFileSchema>;
  try {
    parsed = signaturesFileSchema.parse(JSON.parse(raw.toString('utf8')));
  } catch {
    throw new BundleSignatureError(`${SIGNATURES_FILE}: expected {"signatures": [JWT]}`);
  }
  if (parsed.signatures.length !== 1) throw new BundleSignatureError(`${SIGNATURES_FILE}: expected exactly one JWT, found ${parsed.signatures.length}`);
  return parsed.signatures[0];
}

async function verifiedPayload(token: string, verification: BundleVerification): Promise<z.infer<typeof signaturePayloadSchema>> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new BundleSignatureError('bundle signature: not a JWS');
  }
  if (verification.keyId !== undefined && kid !== undefined && kid !== verification.keyId) {
    throw new BundleSignatureError(`bundle signature: signed with key ${kid}, expected ${verification.keyId}`);
  }
  let bytes: Uint8Array;
  try {
    ({ payload: bytes } = await compactVerify(token, verificationKey(verification), { algorithms: [verification.algorithm] }));
  } catch (error) {
    throw new BundleSignatureError(`bundle signature does not verify: ${(error as Error).message}`);
  }
  const payload = signaturePayloadSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  if (!payload.success) throw new BundleSignatureError('bundle signature: payload has no valid files list');
  if (verification.keyId !== undefined && kid === undefined && payload.data.keyid !== undefined && payload.data.keyid !== verification.keyId) {
    throw new BundleSignatureError(`bundle signature: signed with key ${payload.data.keyid}, expected ${verification.keyId}`);
  }
  return payload.data;
}

function verificationKey(verification: BundleVerification): KeyObject | Uint8Array {
  if (isHmac(verification.algorithm)) return new TextEncoder().encode(verification.key);
  try {
    return createPublicKey(verification.key);
  } catch (error) {
    throw new BundleSignatureError(`bundle verification key is not a PEM public key or certificate: ${(error as Error).message}`);
  }
}

/** Every file but the signatures must be listed with a matching digest, and every listed file must be present. */
function checkFiles(files: BundleFiles, signed: readonly SignedFile[]): void {
  const expected = new Map(signed.map((file) => [normalName(file.name), file]));
  for (const [name, bytes] of files) {
    if (name === SIGNATURES_FILE) continue;
    const entry = expected.get(name);
    if (entry === undefined) throw new BundleSignatureError(`${name}: not included in the bundle signature`);
    if (!isHashAlgorithm(entry.algorithm)) throw new BundleSignatureError(`${name}: unsupported hashing algorithm ${JSON.stringify(entry.algorithm)}`);
    if (bundleFileHash(name, bytes, entry.algorithm) !== entry.hash.toLowerCase()) throw new BundleSignatureError(`${name}: digest mismatch`);
    expected.delete(name);
  }
  if (expected.size > 0) throw new BundleSignatureError(`signed but missing from the bundle: ${[...expected.keys()].join(', ')}`);
}

function normalName(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '');
}

function isHmac(algorithm: SignatureAlgorithm): boolean {
  return algorithm.startsWith('HS');
}

export interface BundleSigning {
  /** PEM private key, or the HMAC secret. */
  key: string;
  algorithm: SignatureAlgorithm;
  keyId?: string;
  scope?: string;
}

/** The `.signatures.json` content for these files (as `opa sign` writes it), SHA-256 digests. */
export async function signBundle(files: BundleFiles, signing: BundleSigning): Promise<Buffer> {
  const listed = [...files.keys()]
    .filter((name) => name !== SIGNATURES_FILE)
    .sort()
    .map((name) => ({ name, hash: bundleFileHash(name, files.get(name)!, 'SHA-256'), algorithm: 'SHA-256' }));
  const payload = { files: listed, ...(signing.scope ? { scope: signing.scope } : {}) };
  const key = isHmac(signing.algorithm) ? new TextEncoder().encode(signing.key) : createPrivateKey(signing.key);
  const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: signing.algorithm, ...(signing.keyId ? { kid: signing.keyId } : {}) })
    .sign(key);
  return Buffer.from(JSON.stringify({ signatures: [token] }, null, 2) + '\n');
}
