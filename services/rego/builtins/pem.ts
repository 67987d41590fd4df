/** PEM blocks as Go's encoding/pem reads them: leading text skipped, trailing text returned. */
import { decodeStdBase64 } from './go-base64';

export interface PemBlock {
  type: string;
  bytes: Buffer;
  /** What follows the block (the END line and its line ending consumed). */
  rest: string;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

function afterLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl + 1;
}

/** The first PEM block in `text`, or null (Go's pem.Decode returning nil). */
export function decodePem(text: string): PemBlock | null {
  let searchFrom = 0;
  for (;;) {
    const start = text.indexOf(BEGIN, searchFrom);
    if (start < 0) return null;
    searchFrom = start + BEGIN.length;
    const typeLineEnd = afterLine(text, start);
    const typeLine = text.slice(start + BEGIN.length, typeLineEnd).replace(/[ \t\r\n]+$/, '');
    if (!typeLine.endsWith(DASHES)) continue;
    const type = typeLine.slice(0, -DASHES.length);
    const endMarker = `${END}${type}${DASHES}`;
    const endAt = text.indexOf(endMarker, typeLineEnd);
    if (endAt < 0) continue;
    const body = text.slice(typeLineEnd, endAt);
    // Headers (`Key: value` lines before a blank line) are skipped, as Go parses and keeps them.
    const lines = body.split('\n');
    const firstData = lines.findIndex((l) => !/^[A-Za-z0-9-]+:/.test(l));
    const data = lines.slice(firstData < 0 ? lines.length : firstData).join('').replace(/[ \t\r]/g, '');
    let bytes: Buffer;
    try {
      bytes = decodeStdBase64(data);
    } catch {
      continue;
    }
    const afterEnd = endAt + endMarker.length;
    const trailer = text.slice(afterEnd, afterLine(text, afterEnd)).replace(/[ \t\r\n]+$/, '');
    if (trailer !== '') continue;
    return { type, bytes, rest: text.slice(afterLine(text, afterEnd)) };
  }
}

/** All PEM blocks, in order, stopping at the first stretch that is not one. */
export function decodeAllPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let rest = text;
  for (;;) {
    const block = decodePem(rest);
    if (!block) return blocks;
    blocks.push(block);
    rest = block.rest;
  }
}
