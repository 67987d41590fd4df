/** The request-object keys http.send understands (providers.aws.sign_req checks requests the same way). */
import { BuiltinTypeError } from '../errors';
import type { ObjectValue } from '../value';

export const ALLOWED_REQUEST_KEYS: ReadonlySet<string> = new Set([
  'method',
  'url',
  'body',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'headers',
  'raw_body',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
]);

const REQUIRED = ['method', 'url'];

function goSet(names: string[]): string {
  return `{${[...names].sort().map((n) => JSON.stringify(n)).join(', ')}}`;
}

/** OPA's validateHTTPRequestOperand: unknown keys, then missing required keys, are type errors. */
export function validateRequestKeys(req: ObjectValue, pos: number): void {
  const keys = req.keys().map(String);
  const invalid = keys.filter((k) => !ALLOWED_REQUEST_KEYS.has(k));
  if (invalid.length) throw new BuiltinTypeError(0, `operand ${pos} invalid request parameters(s): ${goSet(invalid)}`, '');
  const missing = REQUIRED.filter((k) => !req.has(k));
  if (missing.length) throw new BuiltinTypeError(0, `operand ${pos} missing required request parameters(s): ${goSet(missing)}`, '');
}
