import { z } from 'zod';

/** One API key as stored: the key itself is never stored, only its SHA-256 digest. */
export const apiKeyRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  tenant: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256 digest'),
  created_at: z.iso.datetime({ offset: true }),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  revoked_at: z.iso.datetime({ offset: true }).optional(),
  /** What the key may do in the web console: `viewer` (read, the default) or `admin` (approve, re-drive, edit). */
  role: z.enum(['viewer', 'admin']).optional(),
});

/** The file named by `PDP_API_KEYS_FILE`, `PROXY_API_KEYS_FILE` or `AUDIT_API_KEYS_FILE`. */
export const apiKeysFileSchema = z.object({
  keys: z.array(apiKeyRecordSchema),
});

export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;
export type ApiKeysFile = z.infer<typeof apiKeysFileSchema>;
