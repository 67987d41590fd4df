/**
 * http.send, fenced: only hosts on the host's allowlist (exact, or `*.suffix`) are reachable, with a
 * timeout; nothing is reachable when the list is empty. Requests run synchronously (see
 * sync-request.ts). Identical requests within a query get the same response; with `cache` or
 * `force_cache` responses are also kept across queries, for as long as allowed, in the host's
 * cache (HostCapabilities.httpSendCache: one per compiled policy unless the host shares one).
 * Each attempt's timeout is cut to what is left before the query's deadline.
 */
import { BuiltinError, BuiltinHardError, BuiltinTypeError, RegoError } from '../errors';
import { parseJSONValue } from '../json-value';
import YAML from 'yaml';
import { decimalOf, fromJSON, isNumber, ObjectValue, toJSONText, type Value } from '../value';
import { builtin, type BuiltinContext, type BuiltinDef, type HostCapabilities } from './registry';
import { objectOperand } from './operands';
import { cancelled, remainingMs } from './deadline';
import { validateRequestKeys } from './http-request-keys';
import { parseDuration } from './time';
import { sendRequestSync, type WireRequest, type WireResponse } from './sync-request';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_REDIRECTS = 10;

interface Settings {
  request: WireRequest;
  raiseError: boolean;
  followRedirects: boolean;
  forceJSON: boolean;
  forceYAML: boolean;
  cache: boolean;
  forceCacheSeconds: number | null;
  retries: number;
}

function flag(req: ObjectValue, key: string): boolean {
  const v = req.get(key);
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new BuiltinError(`invalid value for "${key}" field`);
  return v;
}

function timeoutMs(req: ObjectValue, caps: HostCapabilities): number {
  const v = req.get('timeout');
  if (v === undefined) return caps.httpSendTimeoutMs;
  if (typeof v === 'string') return Number(parseDuration(v)) / 1e6;
  if (isNumber(v)) return decimalOf(v).div(1e6).toNumber();
  throw new BuiltinError(`invalid timeout value ${toJSONText(v)}`);
}

function headersOf(req: ObjectValue): Record<string, string> {
  const v = req.get('headers');
  const out: Record<string, string> = {};
  if (v === undefined) return out;
  if (!(v instanceof ObjectValue)) throw new BuiltinError('invalid type for headers key');
  for (const [k, val] of v.entries()) {
    if (typeof k !== 'string' || typeof val !== 'string') throw new BuiltinError('invalid type for headers value');
    out[k] = val;
  }
  return out;
}

function optionalString(req: ObjectValue, key: string): string | undefined {
  const v = req.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BuiltinError(`invalid value for "${key}" field`);
  return v;
}

// Reading certificates from files or the environment would let policies read the host's secrets.
const UNSUPPORTED_KEYS = [
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key_file',
  'tls_client_key_env_variable',
];

function tlsOf(req: ObjectValue): WireRequest['tls'] {
  const unsupported = UNSUPPORTED_KEYS.find((k) => req.has(k));
  if (unsupported) throw new BuiltinError(`"${unsupported}" is not supported: pass PEM text in tls_ca_cert, tls_client_cert and tls_client_key`);
  return {
    ca: optionalString(req, 'tls_ca_cert'),
    cert: optionalString(req, 'tls_client_cert'),
    key: optionalString(req, 'tls_client_key'),
    servername: optionalString(req, 'tls_server_name'),
    insecure: flag(req, 'tls_insecure_skip_verify'),
  };
}

function settingsOf(req: ObjectValue, caps: HostCapabilities): Settings {
  validateRequestKeys(req, 1);
  const method = req.get('method');
  const url = req.get('url');
  if (typeof method !== 'string' || typeof url !== 'string') {
    throw new BuiltinTypeError(0, 'operand 1 invalid values for required request parameters(s): {"method", "url"}', '');
  }
  const raw = req.get('raw_body');
  const body = raw !== undefined ? (typeof raw === 'string' ? raw : toJSONText(raw)) : req.has('body') ? toJSONText(req.get('body')!) : null;
  const force = req.get('force_cache_duration_seconds');
  const retries = req.get('max_retry_attempts');
  return {
    request: {
      method: method.toUpperCase(),
      url,
      headers: headersOf(req),
      body,
      timeoutMs: timeoutMs(req, caps),
      maxBodyBytes: MAX_BODY_BYTES,
      tls: tlsOf(req),
    },
    raiseError: req.has('raise_error') ? flag(req, 'raise_error') : true,
    followRedirects: flag(req, 'enable_redirect'),
    forceJSON: flag(req, 'force_json_decode'),
    forceYAML: flag(req, 'force_yaml_decode'),
    cache: flag(req, 'cache'),
    forceCacheSeconds: flag(req, 'force_cache') && isNumber(force ?? null) ? decimalOf(force as number).toNumber() : null,
    retries: typeof retries === 'number' ? Math.max(0, Math.min(retries, 5)) : 0,
  };
}

/** The allowlist check: exact host names, or `*.example.com` for sub-domains. */
export function hostAllowed(url: string, allowed: readonly string[]): boolean {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    host = parsed.hostname.toLowerCase();
  } catch {
    return false;
  }
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p;
  });
}

function send(settings: Settings, ctx: BuiltinContext): WireResponse {
  const caps = ctx.capabilities;
  let request = settings.request;
  for (let hop = 0; ; hop++) {
    if (!hostAllowed(request.url, caps.httpSendAllowedHosts)) {
      throw new Error(`unallowed host: ${safeHost(request.url)}`);
    }
    let response: WireResponse | null = null;
    for (let attempt = 0; response === null; attempt++) {
      const budget = remainingMs(ctx);
      try {
        response = sendRequestSync({ ...request, timeoutMs: Math.min(request.timeoutMs, budget) });
      } catch (e) {
        // Timed out because the query's deadline came first: the query is cancelled.
        if ((e as Error).message === 'timeout' && budget < request.timeoutMs) throw cancelled();
        if (attempt >= settings.retries) throw e;
      }
    }
    const location = response.headers.find(([k]) => k === 'location')?.[1];
    if (!settings.followRedirects || response.status < 300 || response.status > 399 || !location || hop >= MAX_REDIRECTS) {
      return response;
    }
    request = { ...request, url: new URL(location, request.url).toString() };
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '<invalid url>';
  }
}

/** The decoded body: JSON or YAML by content type (or when forced), null when it does not parse. */
function decodeBody(text: string, contentType: string, settings: Settings): Value {
  try {
    if (settings.forceJSON || /^application\/(.+\+)?json/i.test(contentType)) return parseJSONValue(text);
    if (settings.forceYAML || /^(application|text)\/(x-)?yaml/i.test(contentType)) return fromJSON(YAML.parse(text) ?? null);
  } catch {
    return null;
  }
  return null;
}

function responseValue(res: WireResponse, settings: Settings): ObjectValue {
  const headers = new ObjectValue();
  const grouped = new Map<string, string[]>();
  for (const [k, v] of res.headers) grouped.set(k.toLowerCase(), [...(grouped.get(k.toLowerCase()) ?? []), v]);
  for (const [k, vs] of grouped) headers.set(k, vs);
  const body = decodeBody(res.body, grouped.get('content-type')?.[0] ?? '', settings);
  return new ObjectValue()
    .set('status', `${res.status} ${res.statusText}`.trim())
    .set('status_code', res.status)
    .set('headers', headers)
    .set('raw_body', res.body)
    .set('body', body);
}

function networkError(message: string): ObjectValue {
  return new ObjectValue()
    .set('status_code', 0)
    .set('error', new ObjectValue().set('code', 'eval_http_send_network_error').set('message', message));
}

function freshFor(res: WireResponse, forceSeconds: number | null): number {
  if (forceSeconds !== null) return forceSeconds;
  const cacheControl = res.headers.find(([k]) => k === 'cache-control')?.[1] ?? '';
  if (/no-store|no-cache/i.test(cacheControl)) return 0;
  const maxAge = /max-age=(\d+)/i.exec(cacheControl);
  return maxAge ? Number(maxAge[1]) : 0;
}

function httpSend(req: ObjectValue, ctx: BuiltinContext): Value {
  const settings = settingsOf(req, ctx.capabilities);
  const key = `http.send\u0000${toJSONText(req)}`;
  const memo = ctx.queryCache.get(key) as Value | undefined;
  if (memo !== undefined) return memo;
  const responseCache = ctx.capabilities.httpSendCache;
  const useCache = (settings.cache || settings.forceCacheSeconds !== null) && responseCache !== undefined;
  const cached = useCache ? responseCache.get(key) : undefined;
  if (cached && cached.expiresAt > Date.now()) {
    ctx.queryCache.set(key, cached.value);
    return cached.value;
  }
  let result: ObjectValue;
  try {
    const response = send(settings, ctx);
    result = responseValue(response, settings);
    const ttl = useCache ? freshFor(response, settings.forceCacheSeconds) : 0;
    if (ttl > 0) responseCache!.set(key, { value: result, expiresAt: Date.now() + ttl * 1000 });
  } catch (e) {
    if (e instanceof RegoError) throw e;
    const message = `${settings.request.method} ${settings.request.url}: ${(e as Error).message === 'timeout' ? 'request timed out' : (e as Error).message}`;
    if (settings.raiseError) throw new BuiltinHardError(message);
    result = networkError(message);
  }
  ctx.queryCache.set(key, result);
  return result;
}

export const httpSendBuiltins: BuiltinDef[] = [
  builtin({
    name: 'http.send',
    args: [{ object: ['string', 'any'] }],
    result: { object: ['any', 'any'] },
    category: 'http',
    nondeterministic: true,
    impl: (args, ctx) => httpSend(objectOperand(args[0], 1), ctx),
  }),
];
