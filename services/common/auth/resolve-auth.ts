import fs from 'node:fs';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error';
import type { ServiceAuthConfig } from '../config/service-auth-config';
import { apiKeyMiddleware } from './api-key-middleware';
import { ApiKeysFileError } from './api-keys-file-store';
import { fileApiKeysSource } from './api-keys-source';
import { isLoopbackHost } from './loopback';

export type ResolvedAuth =
  | { kind: 'api-keys'; middleware: RequestHandler; file: string }
  | { kind: 'none'; reason: 'loopback' | 'disabled' };

/**
 * The GUIDE's rule: with a keys file, every call needs a key. Without one, unauthenticated calls are
 * accepted only on a loopback address, unless `<SVC>_AUTH=none`; anywhere else the service refuses to
 * start (a ConfigError, so exit code 2).
 */
export function resolveAuth(config: ServiceAuthConfig, host: string, logger: Logger): ResolvedAuth {
  const variable = `${config.service.toUpperCase()}_API_KEYS_FILE`;
  if (config.mode === 'none') {
    logger.warn({ host }, `${config.service.toUpperCase()}_AUTH=none: accepting unauthenticated calls`);
    return { kind: 'none', reason: 'disabled' };
  }
  if (config.keysFileExplicit || fs.existsSync(config.keysFile)) {
    try {
      const source = fileApiKeysSource(config.keysFile, logger);
      return { kind: 'api-keys', middleware: apiKeyMiddleware(source), file: config.keysFile };
    } catch (error) {
      if (error instanceof ApiKeysFileError) throw new ConfigError([{ variable, message: error.message }]);
      throw error;
    }
  }
  if (isLoopbackHost(host)) return { kind: 'none', reason: 'loopback' };
  throw new ConfigError([
    {
      variable,
      message:
        `${config.service} is bound to ${host}, which is not a loopback address, and no API keys are configured: ` +
        `create keys (mcp-authz keys create --service ${config.service} …) or set ${config.service.toUpperCase()}_AUTH=none`,
    },
  ]);
}

/** The middleware to hand to `createServiceApp`, or undefined when calls are not authenticated. */
export function authMiddlewareOf(auth: ResolvedAuth): RequestHandler | undefined {
  return auth.kind === 'api-keys' ? auth.middleware : undefined;
}
