import { serviceAuthConfig, type Environment } from '../../common';
import type { KeysFileChoice } from '../command-args';
import { UsageError } from '../usage-error';

/**
 * `--file` as given, or the file the service itself reads: `<SVC>_API_KEYS_FILE`, else its default
 * under `./.data/api-keys/` (which the service picks up when it exists).
 */
export function keysFileFor(choice: KeysFileChoice, env: Environment, cwd: string): string {
  if (choice.file && choice.service) throw new UsageError('give either --service or --file, not both');
  if (choice.file) return choice.file;
  if (!choice.service) throw new UsageError('say which keys file: --service pdp|proxy|audit or --file PATH');
  const variable = `${choice.service.toUpperCase()}_API_KEYS_FILE`;
  return serviceAuthConfig(choice.service, env[variable] || undefined, 'auto', cwd).keysFile;
}
