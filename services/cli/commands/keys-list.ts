import { readApiKeysFileOrEmpty, type ApiKeyRecord } from '../../common';
import type { KeysListArgs } from '../command-args';
import { keysFileFor } from './keys-file-location';

type KeyStatus = 'active' | 'expired' | 'revoked';

export async function run(args: KeysListArgs): Promise<number> {
  const file = keysFileFor(args, process.env, process.cwd());
  const now = Date.now();
  const rows = readApiKeysFileOrEmpty(file).keys.map((record) => ({
    id: record.id,
    name: record.name,
    tenant: record.tenant,
    created_at: record.created_at,
    expires_at: record.expires_at ?? null,
    revoked_at: record.revoked_at ?? null,
    status: statusOf(record, now),
  }));
  if (args.json) {
    process.stdout.write(JSON.stringify(rows) + '\n');
    return 0;
  }
  const header = ['ID', 'NAME', 'TENANT', 'STATUS', 'CREATED', 'EXPIRES'];
  const lines = rows.map((row) => [row.id, row.name, row.tenant, row.status, row.created_at, row.expires_at ?? '-']);
  process.stdout.write(formatTable([header, ...lines]));
  return 0;
}

function statusOf(record: ApiKeyRecord, now: number): KeyStatus {
  if (record.revoked_at && Date.parse(record.revoked_at) <= now) return 'revoked';
  if (record.expires_at && Date.parse(record.expires_at) <= now) return 'expired';
  return 'active';
}

function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd() + '\n').join('');
}
