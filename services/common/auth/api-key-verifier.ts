import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from '../contracts/api-keys-file';
import { hashApiKey } from './api-key';

export type ApiKeyVerdict =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

/**
 * Checks a presented key against stored digests. Every record is compared, with a constant-time
 * comparison, so the time taken does not tell which or how many digests share a prefix.
 */
export function verifyApiKey(presented: string, records: readonly ApiKeyRecord[], now: Date = new Date()): ApiKeyVerdict {
  const digest = Buffer.from(hashApiKey(presented), 'hex');
  let match: ApiKeyRecord | undefined;
  for (const record of records) {
    const stored = Buffer.from(record.sha256, 'hex');
    if (stored.length === digest.length && timingSafeEqual(stored, digest)) match = record;
  }
  if (!match) return { ok: false, reason: 'invalid' };
  if (match.revoked_at && Date.parse(match.revoked_at) <= now.getTime()) return { ok: false, reason: 'revoked' };
  if (match.expires_at && Date.parse(match.expires_at) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, record: match };
}
