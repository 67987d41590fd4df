import { readApiKeysFileOrEmpty, revokeApiKey, writeApiKeysFile } from '../../common';
import type { KeysRevokeArgs } from '../command-args';
import { keysFileFor } from './keys-file-location';

/** Running services notice the change within a second (they re-read the file when it changes). */
export async function run(args: KeysRevokeArgs): Promise<number> {
  const file = keysFileFor(args, process.env, process.cwd());
  const { contents, found } = revokeApiKey(readApiKeysFileOrEmpty(file), args.id);
  if (!found) {
    process.stderr.write(`mcp-authz keys revoke: no key ${args.id} in ${file}\n`);
    return 1;
  }
  writeApiKeysFile(file, contents);
  process.stderr.write(`revoked ${args.id} in ${file}\n`);
  return 0;
}
