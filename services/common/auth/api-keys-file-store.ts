import fs from 'node:fs';
import path from 'node:path';
import { apiKeysFileSchema, type ApiKeyRecord, type ApiKeysFile } from '../contracts/api-keys-file';
import { generateApiKey, generateApiKeyId, hashApiKey } from './api-key';

export class ApiKeysFileError extends Error {
  constructor(file: string, problem: string) {
    super(`API keys file ${file}: ${problem}`);
    this.name = 'ApiKeysFileError';
  }
}

export function readApiKeysFile(file: string): ApiKeysFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ApiKeysFileError(file, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiKeysFileError(file, 'is not valid JSON');
  }
  const parsed = apiKeysFileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ApiKeysFileError(file, `${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Missing file means no keys yet, as when `keys create` makes the first one. */
export function readApiKeysFileOrEmpty(file: string): ApiKeysFile {
  return fs.existsSync(file) ? readApiKeysFile(file) : { keys: [] };
}

/** Writes through a temporary file and a rename, so a running service never reads half a file. */
export function writeApiKeysFile(file: string, contents: ApiKeysFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(contents, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(temporary, file);
}

export interface NewApiKey {
  name: string;
  tenant: string;
  /** Console role; absent means viewer. */
  role?: ApiKeyRecord['role'];
  expiresAt?: Date;
  now?: Date;
}

/** Returns the new file contents and the key itself, which exists nowhere else afterwards. */
export function addApiKey(contents: ApiKeysFile, request: NewApiKey): { contents: ApiKeysFile; key: string; record: ApiKeyRecord } {
  const key = generateApiKey();
  const record: ApiKeyRecord = {
    id: generateApiKeyId(),
    name: request.name,
    tenant: request.tenant,
    sha256: hashApiKey(key),
    created_at: (request.now ?? new Date()).toISOString(),
    ...(request.role ? { role: request.role } : {}),
    ...(request.expiresAt ? { expires_at: request.expiresAt.toISOString() } : {}),
  };
  return { contents: { keys: [...contents.keys, record] }, key, record };
}

/** Marks a key revoked (kept in the file so the id stays taken and the revocation time is known). */
export function revokeApiKey(contents: ApiKeysFile, id: string, now: Date = new Date()): { contents: ApiKeysFile; found: boolean } {
  const found = contents.keys.some((record) => record.id === id);
  const keys = contents.keys.map((record) =>
    record.id === id && !record.revoked_at ? { ...record, revoked_at: now.toISOString() } : record,
  );
  return { contents: { keys }, found };
}
