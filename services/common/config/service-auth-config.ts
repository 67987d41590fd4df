import path from 'node:path';
import type { AuthMode } from './env-fields';
import type { ServiceName } from './service-address';

/** How a service authenticates its callers; resolved into a middleware by `auth/resolve-auth.ts`. */
export interface ServiceAuthConfig {
  service: ServiceName;
  /** Absolute path of the API keys file. */
  keysFile: string;
  /** True when `<SVC>_API_KEYS_FILE` names the file: then it must exist. */
  keysFileExplicit: boolean;
  mode: AuthMode;
}

/** Where `mcp-authz keys create --service S` writes when `<SVC>_API_KEYS_FILE` is unset. */
export function defaultApiKeysFile(service: ServiceName, cwd: string): string {
  return path.resolve(cwd, '.data', 'api-keys', `${service}.json`);
}

export function serviceAuthConfig(
  service: ServiceName,
  keysFile: string | undefined,
  mode: AuthMode,
  cwd: string,
): ServiceAuthConfig {
  return {
    service,
    keysFile: keysFile ? path.resolve(cwd, keysFile) : defaultApiKeysFile(service, cwd),
    keysFileExplicit: keysFile !== undefined,
    mode,
  };
}
