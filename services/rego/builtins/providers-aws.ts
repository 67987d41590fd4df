/** providers.aws.sign_req: AWS Signature Version 4 headers for a request object, as OPA computes them. */
import { createHash, createHmac } from 'node:crypto';
import { BuiltinTypeError } from '../errors';
import { decimalOf, ObjectValue, toJSONText, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { numberOperand, objectOperand } from './operands';
import { format } from './go-time-layout';
import { civilFromDays } from './civil-date';
import { validateRequestKeys } from './http-request-keys';

const REQUIRED_CONFIG = ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service'];
const IGNORED_HEADERS = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

function operandError(pos: number, message: string): BuiltinTypeError {
  return new BuiltinTypeError(0, `operand ${pos} ${message}`, '');
}

function goSet(names: string[]): string {
  return `{${[...names].sort().map((n) => JSON.stringify(n)).join(', ')}}`;
}

function stringOf(v: Value | undefined): string {
  return typeof v === 'string' ? v : '';
}

function validateConfig(config: ObjectValue): void {
  const missing = REQUIRED_CONFIG.filter((k) => !config.has(k));
  if (missing.length) throw operandError(2, `missing required AWS config parameters(s): ${goSet(missing)}`);
  const invalid = REQUIRED_CONFIG.filter((k) => typeof config.get(k) !== 'string');
  if (invalid.length) throw operandError(2, `invalid values for required AWS config parameters(s): ${goSet(invalid)}`);
}

/** Host, escaped path and raw query of a URL, as Go's net/url keeps them (no path normalisation). */
function urlParts(url: string): { host: string; path: string; query: string } {
  const m = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/.exec(url);
  const authority = m?.[1] ?? '';
  return { host: authority.slice(authority.lastIndexOf('@') + 1), path: m?.[2] ?? '', query: m?.[3] ?? '' };
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}

function goJSON(v: Value): string {
  return toJSONText(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function requestBody(req: ObjectValue): string {
  const raw = req.get('raw_body');
  if (raw !== undefined) return stringOf(raw);
  const body = req.get('body');
  return body !== undefined ? goJSON(body) : '';
}

function utcStamps(ns: bigint): { date: string; stamp: string } {
  const seconds = Number(ns / 1_000_000_000n - (ns % 1_000_000_000n < 0n ? 1n : 0n));
  const days = Math.floor(seconds / 86400);
  const ofDay = seconds - days * 86400;
  const wall = {
    ...civilFromDays(days),
    days,
    hour: Math.floor(ofDay / 3600),
    minute: Math.floor((ofDay % 3600) / 60),
    second: ofDay % 60,
    nanos: 0,
    offset: 0,
    zoneName: 'UTC',
  };
  return { date: format('20060102', wall), stamp: format('20060102T150405Z', wall) };
}

function signRequest(req: ObjectValue, config: ObjectValue, ns: bigint): Value {
  const service = stringOf(config.get('aws_service'));
  const region = stringOf(config.get('aws_region'));
  const sessionToken = stringOf(config.get('aws_session_token'));
  validateRequestKeys(req, 1);
  const headersValue = req.get('headers') ?? new ObjectValue();
  if (!(headersValue instanceof ObjectValue)) throw new BuiltinTypeError(0, 'object', 'headers');
  const invalid = ['url', 'method'].filter((k) => typeof req.get(k) !== 'string');
  if (invalid.length) throw operandError(1, `invalid values for required request parameters(s): ${goSet(invalid)}`);
  const url = urlParts(stringOf(req.get('url')));
  const method = stringOf(req.get('method'));
  const disable = config.get('disable_payload_signing');
  if (disable !== undefined && typeof disable !== 'boolean') {
    throw operandError(2, "invalid value for 'disable_payload_signing' in AWS config");
  }
  const payloadHash = disable === true ? 'UNSIGNED-PAYLOAD' : sha256Hex(Buffer.from(requestBody(req), 'utf8'));
  const { date, stamp } = utcStamps(ns);

  const awsHeaders = new Map<string, string>([
    ['host', url.host],
    ['x-amz-date', stamp],
  ]);
  if (service === 's3' || service === 'glacier') awsHeaders.set('x-amz-content-sha256', payloadHash);
  if (sessionToken !== '') awsHeaders.set('x-amz-security-token', sessionToken);

  const original = new Map<string, string>();
  for (const [k, v] of headersValue.entries()) original.set(stringOf(k), stringOf(v));
  const toSign = new Map(awsHeaders);
  for (const [k, v] of original) if (!IGNORED_HEADERS.has(k.toLowerCase())) toSign.set(k.toLowerCase(), v);

  const names = [...toSign.keys()].sort();
  const canonical =
    `${method}\n${url.path}\n${url.query}\n` +
    names.map((n) => `${n}:${toSign.get(n)}\n`).join('') +
    `\n${names.join(';')}\n${payloadHash}`;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSignText = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256Hex(canonical)}`;
  let key = hmac(`AWS4${stringOf(config.get('aws_secret_access_key'))}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = hmac(key, toSignText).toString('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${stringOf(config.get('aws_access_key'))}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`;

  const headers = new ObjectValue();
  for (const [k, v] of original) headers.set(k, v);
  headers.set('Authorization', authorization);
  for (const [k, v] of awsHeaders) headers.set(k, v);
  const out = new ObjectValue();
  for (const [k, v] of req.entries()) out.set(k, v);
  return out.set('headers', headers);
}

export const providersAwsBuiltins: BuiltinDef[] = [
  builtin({
    name: 'providers.aws.sign_req',
    args: [{ object: ['string', 'any'] }, { object: ['string', 'any'] }, 'number'],
    result: { object: ['any', 'any'] },
    category: 'providers.aws',
    impl: (args) => {
      const req = objectOperand(args[0], 1);
      const config = objectOperand(args[1], 1);
      validateConfig(config);
      const ts = decimalOf(numberOperand(args[2], 1));
      const ns = ts.isInteger() && ts.abs().lt('9223372036854775808') ? BigInt(ts.toFixed(0)) : null;
      if (ns === null) throw operandError(3, 'could not convert time_ns value into a unix timestamp');
      return signRequest(req, config, ns);
    },
  }),
];
