import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../common';

/**
 * `AUDIT_SINKS`: a JSON or YAML list of SIEM sinks. Each sink has the settings every sink shares (name,
 * format, batching, retries, breaker, timeout) and those of its type. Secrets (`token`, `api_key`,
 * `password`, `secret`, TLS keys) are never part of an error message or a log line: see `describeSink`.
 */

const FORMATS = ['raw', 'ocsf', 'ecs'] as const;
export type EventFormat = (typeof FORMATS)[number];

/** A PEM text inline, or the path of a PEM file (read when the configuration is loaded). */
const pemField = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    if (value.includes('-----BEGIN')) return value;
    try {
      return fs.readFileSync(value, 'utf8');
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected PEM text or the path of a readable PEM file' });
      return z.NEVER;
    }
  });

const tlsSchema = z
  .object({
    ca: pemField.optional(),
    cert: pemField.optional(),
    key: pemField.optional(),
    reject_unauthorized: z.boolean().default(true),
    servername: z.string().min(1).optional(),
  })
  .strict();
export type SinkTls = z.infer<typeof tlsSchema>;

const positiveInt = z.number().int().positive();

function batchSchema(limits: { events: number; bytes: number }) {
  return z
    .object({
      max_events: positiveInt.max(limits.events, `at most ${limits.events} events per request for this sink type`).default(Math.min(500, limits.events)),
      max_bytes: positiveInt.max(limits.bytes, `at most ${limits.bytes} bytes per request for this sink type`).default(Math.min(1_000_000, limits.bytes)),
    })
    .strict()
    .default({ max_events: Math.min(500, limits.events), max_bytes: Math.min(1_000_000, limits.bytes) });
}

const retrySchema = z
  .object({
    base_ms: positiveInt.default(500),
    max_ms: positiveInt.default(300_000),
  })
  .strict()
  .default({ base_ms: 500, max_ms: 300_000 });

const breakerSchema = z
  .object({
    error_threshold_percentage: z.number().min(1).max(100).default(50),
    volume_threshold: z.number().int().min(1).default(5),
    reset_timeout_ms: positiveInt.default(30_000),
    rolling_window_ms: positiveInt.default(60_000),
  })
  .strict()
  .default({ error_threshold_percentage: 50, volume_threshold: 5, reset_timeout_ms: 30_000, rolling_window_ms: 60_000 });

const nameField = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, "_", "." or "-"');
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** Settings every sink shares. */
const commonFields = {
  name: nameField.optional(),
  format: z.enum(FORMATS).default('raw'),
  max_attempts: z.number().int().min(1).max(1000).default(12),
  timeout_ms: positiveInt.default(10_000),
  concurrency: z.number().int().min(1).max(16).default(2),
  retry: retrySchema,
  breaker: breakerSchema,
  tls: tlsSchema.optional(),
};

const splunkHecSchema = z
  .object({
    type: z.literal('splunk_hec'),
    url: httpUrl,
    token: z.string().min(1),
    index: z.string().min(1).optional(),
    sourcetype: z.string().min(1).default('mcp-authz:audit'),
    source: z.string().min(1).default('mcp-authz'),
    host: z.string().min(1).optional(),
    ack: z
      .union([
        z.boolean().transform((enabled) => (enabled ? { poll_interval_ms: 1000, timeout_ms: 60_000 } : undefined)),
        z.object({ poll_interval_ms: positiveInt.default(1000), timeout_ms: positiveInt.default(60_000) }).strict(),
      ])
      .optional(),
    channel: z.uuid().optional(),
    batch: batchSchema({ events: 10_000, bytes: 100_000_000 }),
    ...commonFields,
  })
  .strict();

const datadogSchema = z
  .object({
    type: z.literal('datadog'),
    url: httpUrl.default('https://http-intake.logs.datadoghq.com'),
    api_key: z.string().min(1),
    service: z.string().min(1).default('mcp-authz'),
    ddsource: z.string().min(1).default('mcp-authz'),
    ddtags: z.string().min(1).optional(),
    hostname: z.string().min(1).optional(),
    // Datadog's intake limits: 1000 entries and 5 MB (uncompressed) per request.
    batch: batchSchema({ events: 1000, bytes: 5_000_000 }),
    ...commonFields,
  })
  .strict();

const elasticSchema = z
  .object({
    type: z.literal('elastic'),
    url: httpUrl,
    index: z.string().min(1).default('mcp-authz-audit'),
    api_key: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    pipeline: z.string().min(1).optional(),
    batch: batchSchema({ events: 10_000, bytes: 100_000_000 }),
    ...commonFields,
  })
  .strict()
  .refine((sink) => (sink.username === undefined) === (sink.password === undefined), {
    message: 'username and password go together',
    path: ['password'],
  });

const syslogSchema = z
  .object({
    type: z.literal('syslog'),
    url: z.url({ protocol: /^(tcp|tls)$/, error: 'expected tcp://host:port or tls://host:port' }),
    /** RFC 5424 facility; 13 is "log audit". */
    facility: z.number().int().min(0).max(23).default(13),
    app_name: z.string().regex(/^[!-~]{1,48}$/).default('mcp-authz'),
    hostname: z.string().regex(/^[!-~]{1,255}$/).optional(),
    /** The syslog MSG: the formatted event as JSON, or an ArcSight CEF line. */
    message: z.enum(['json', 'cef']).default('json'),
    batch: batchSchema({ events: 10_000, bytes: 100_000_000 }),
    ...commonFields,
  })
  .strict();

const webhookSchema = z
  .object({
    type: z.literal('webhook'),
    url: httpUrl,
    secret: z.string().min(16, 'expected a secret of at least 16 characters'),
    signature_header: z.string().regex(/^[A-Za-z0-9-]+$/).default('X-Signature-256'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).default({}),
    batch: batchSchema({ events: 10_000, bytes: 100_000_000 }),
    ...commonFields,
  })
  .strict();

const sinkSchema = z.discriminatedUnion('type', [splunkHecSchema, datadogSchema, elasticSchema, syslogSchema, webhookSchema]);

type ParsedSink = z.infer<typeof sinkSchema>;
/** A validated sink; `name` is always set (it defaults to the type). */
export type SinkConfig = ParsedSink & { name: string };
export type SinkType = SinkConfig['type'];
export type SinkOf<T extends SinkType> = Extract<SinkConfig, { type: T }>;

const sinksSchema = z.array(sinkSchema).superRefine((sinks, ctx) => {
  const seen = new Set<string>();
  sinks.forEach((sink, index) => {
    const name = sink.name ?? sink.type;
    if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `sink name ${name} is used twice; give each sink its own name` });
    seen.add(name);
    if (sink.tls && sink.type === 'syslog' && new URL(sink.url).protocol !== 'tls:') {
      ctx.addIssue({ code: 'custom', path: [index, 'tls'], message: 'tls settings need a tls:// URL' });
    }
  });
});

/** Parses and validates `AUDIT_SINKS`; unset or blank is no sinks. Throws a ConfigError naming each bad field. */
export function parseSinks(text: string | undefined): SinkConfig[] {
  if (text === undefined || text.trim() === '') return [];
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch {
    throw new ConfigError([{ variable: 'AUDIT_SINKS', message: 'expected a JSON or YAML list of sinks' }]);
  }
  const result = sinksSchema.safeParse(document);
  if (!result.success) {
    // zod's messages describe the expectation, never the rejected value, so secrets stay out of them.
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: ['AUDIT_SINKS', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  return result.data.map((sink) => ({ ...sink, name: sink.name ?? sink.type }));
}

/** The names ingest writes outbox rows for. */
export function sinkNamesOf(sinks: readonly SinkConfig[]): string[] {
  return sinks.map((sink) => sink.name);
}

const SECRET_SETTINGS = new Set(['token', 'api_key', 'password', 'secret', 'tls', 'headers']);

/** A sink's settings safe to log: secrets and TLS material left out, the URL without credentials. */
export function describeSink(sink: SinkConfig): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sink)) {
    if (!SECRET_SETTINGS.has(key)) safe[key] = value;
  }
  const url = new URL(sink.url);
  url.username = '';
  url.password = '';
  url.search = '';
  safe.url = url.toString();
  return safe;
}
