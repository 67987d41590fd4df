import { addApiKey, readApiKeysFileOrEmpty, writeApiKeysFile } from '../../common';
import type { KeysCreateArgs } from '../command-args';
import { UsageError } from '../usage-error';
import { keysFileFor } from './keys-file-location';

/** Prints the new key once (stdout) and stores only its SHA-256 digest. */
export async function run(args: KeysCreateArgs): Promise<number> {
  const file = keysFileFor(args, process.env, process.cwd());
  const expiresAt = args.expires === undefined ? undefined : parseExpiry(args.expires);
  const { contents, key, record } = addApiKey(readApiKeysFileOrEmpty(file), {
    name: args.name,
    tenant: args.tenant,
    role: args.role,
    expiresAt,
  });
  writeApiKeysFile(file, contents);
  if (args.json) {
    process.stdout.write(JSON.stringify({ ...record, key, file }) + '\n');
  } else {
    process.stdout.write(key + '\n');
    process.stderr.write(
      `created ${record.id} (name ${record.name}, tenant ${record.tenant}) in ${file}\n` +
        'the key above is shown only this once: store it now\n',
    );
  }
  return 0;
}

function parseExpiry(text: string): Date {
  const expiresAt = new Date(text);
  if (Number.isNaN(expiresAt.getTime())) throw new UsageError(`--expires: "${text}" is not a date (use e.g. 2027-01-31 or 2027-01-31T12:00:00Z)`);
  if (expiresAt.getTime() <= Date.now()) throw new UsageError(`--expires: ${expiresAt.toISOString()} is in the past`);
  return expiresAt;
}
