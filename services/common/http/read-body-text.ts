import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';
import { refuseDeepJson } from './json-nesting';

/** JSON in UTF-8 without content encoding: what `readBodyText` and `parseJsonBody` read as express.json would. */
export function plainJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type === undefined || !/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(type)) return false;
  const encoding = req.headers['content-encoding'];
  return encoding === undefined || encoding === 'identity';
}

/** A request body's UTF-8 text; 413 beyond `limit` bytes. Parse it with `parseJsonBody`. */
export function readBodyText(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const aborted = () => reject(new HttpError(400, 'request_aborted', 'request was aborted by the client'));
    req.on('data', onData);
    req.once('error', aborted);
    // A client that hangs up mid-body may close without an error: settle rather than wait forever.
    req.once('close', () => {
      if (!req.complete) aborted();
    });
    req.once('end', () => {
      if (size > limit) return;
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * A JSON request body, as express.json (strict) would parse it with the common app's nesting limit:
 * undefined when empty, 400 unless an object or array.
 */
export function parseJsonBody(text: string): unknown {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return undefined;
  if (first !== '{' && first !== '[') throw invalidJson();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  refuseDeepJson(text);
  return value;
}

function invalidJson(): HttpError {
  return new HttpError(400, 'invalid_json', 'request body is not valid JSON');
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body exceeds the limit of ${limit} bytes`);
}
