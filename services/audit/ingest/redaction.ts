export const REDACTED = '[REDACTED]';

/**
 * Key names treated as secrets, compared after lower-casing and removing everything but letters and
 * digits; a key matches when it equals or ends with one (`githubToken`, `X-Api-Key`, `db_password`),
 * which leaves `max_tokens` or `token_count` alone. `AUDIT_REDACT_KEYS` adds to this list.
 */
export const DEFAULT_REDACT_KEYS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'signature',
  'sessionkey',
] as const;

// Values that are secrets whatever their key: bearer/basic credentials, JWTs, PEM private keys and the
// token formats of common providers (AWS, GitHub, Slack, OpenAI-style, and this project's own keys).
// One alternation tests a value once instead of once per format; each branch keeps its own anchors.
const SECRET_VALUE = new RegExp(
  [
    /^\s*(?:[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])\s+\S{8,}/,
    /^eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    /\bAKIA[0-9A-Z]{16}\b/,
    /\bgh[pousr]_[A-Za-z0-9]{30,}/,
    /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
    /\bsk-[A-Za-z0-9_-]{20,}/,
    /\bmcpz_[A-Za-z0-9_-]{20,}/,
  ]
    .map((pattern) => `(?:${pattern.source})`)
    .join('|'),
);

/** Payload keys repeat from event to event; their verdicts are remembered up to this many distinct keys. */
const REMEMBERED_KEYS = 10_000;

export interface Redactor {
  /** A copy of a JSON value with secret-looking members and values replaced by `"[REDACTED]"`. */
  redactValue(value: unknown): unknown;
  /** A free-text field: the whole text when it looks like a secret. */
  redactText(text: string): string;
  /** A URL or URI: secret-looking query parameters and any password in the user info. */
  redactUri(uri: string): string;
}

export function normalizedKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function createRedactor(extraKeys: readonly string[] = []): Redactor {
  const patterns = [...DEFAULT_REDACT_KEYS, ...extraKeys].map(normalizedKey).filter((key) => key.length > 0);
  const verdicts = new Map<string, boolean>();
  const isSecretKey = (key: string): boolean => {
    let secret = verdicts.get(key);
    if (secret === undefined) {
      const normalized = normalizedKey(key);
      secret = patterns.some((pattern) => normalized === pattern || normalized.endsWith(pattern));
      if (verdicts.size >= REMEMBERED_KEYS) verdicts.clear();
      verdicts.set(key, secret);
    }
    return secret;
  };
  const redactText = (text: string): string => (SECRET_VALUE.test(text) ? REDACTED : text);

  // The copy lists keys in sorted order, as canonical JSON does, so hashing it needs no second copy.
  const redactValue = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (Array.isArray(value)) return value.map(redactValue);
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) copy[key] = isSecretKey(key) ? REDACTED : redactValue(record[key]);
    return copy;
  };

  const redactUri = (uri: string): string => {
    const text = redactText(uri);
    if (text === REDACTED) return text;
    return text
      .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):[^/@\s]*@/i, `$1:${REDACTED}@`)
      .replace(/([?&])([^=&#]+)=([^&#]*)/g, (match, separator: string, name: string) =>
        isSecretKey(safeDecode(name)) ? `${separator}${name}=${REDACTED}` : match,
      );
  };

  return { redactValue, redactText, redactUri };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
