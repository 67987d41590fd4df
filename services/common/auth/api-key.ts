import { createHash, randomBytes } from 'node:crypto';

/** Keys start with a recognisable prefix so secret scanners and people can tell what leaked. */
export const API_KEY_PREFIX = 'mcpz_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function generateApiKeyId(): string {
  return `key_${randomBytes(6).toString('hex')}`;
}

/** Lowercase hex SHA-256 of the key: what the keys file stores instead of the key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
