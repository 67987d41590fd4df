import fs from 'node:fs';
import type { Logger } from 'pino';
import type { ApiKeyRecord } from '../contracts/api-keys-file';
import { readApiKeysFile } from './api-keys-file-store';

/** The current keys of a keys file; re-read when the file changes, so `keys revoke` takes effect live. */
export interface ApiKeysSource {
  keys(): readonly ApiKeyRecord[];
}

const RECHECK_INTERVAL_MS = 1000;

/**
 * Reads the file now (throwing when it is missing or invalid) and afterwards looks at its modification
 * time at most once a second. A later unreadable or invalid version is logged and the previous keys stay.
 */
export function fileApiKeysSource(file: string, logger: Logger, now: () => number = Date.now): ApiKeysSource {
  let records = readApiKeysFile(file).keys;
  let seenMtimeMs = fs.statSync(file).mtimeMs;
  let checkedAt = now();

  function refresh(): void {
    checkedAt = now();
    try {
      const mtimeMs = fs.statSync(file).mtimeMs;
      if (mtimeMs === seenMtimeMs) return;
      records = readApiKeysFile(file).keys;
      seenMtimeMs = mtimeMs;
      logger.info({ file, keys: records.length }, 'API keys reloaded');
    } catch (error) {
      logger.error({ err: error, file }, 'API keys file unusable; keeping the keys loaded before');
    }
  }

  return {
    keys() {
      if (now() - checkedAt >= RECHECK_INTERVAL_MS) refresh();
      return records;
    },
  };
}

export function staticApiKeysSource(records: readonly ApiKeyRecord[]): ApiKeysSource {
  return { keys: () => records };
}
