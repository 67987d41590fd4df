import type { Logger } from 'pino';

/** What an authenticated API key tells about its caller. */
export interface ApiKeyPrincipal {
  keyId: string;
  name: string;
  tenant: string;
  /** The console role of the key (`viewer` when the record names none). */
  role: 'viewer' | 'admin';
}

// Fields the common middleware puts on every request; declared once so routes can rely on them.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** From `x-request-id` when the caller sent a usable one, otherwise generated. */
      requestId: string;
      /** Logger bound to this request's id. */
      log: Logger;
      /** Set by the API-key middleware; undefined when the service runs without authentication. */
      apiKey?: ApiKeyPrincipal;
    }
  }
}

export {};
