import type { ChainedEvent } from '../ingest/stored-event';
import { StoreRejectedDataError } from './store-errors';

/** A chained event as one `audit_events` row: the event's texts and the chain columns computed for it. */
export interface ChainedRow {
  /** The event's canonical JSON (what `hash` covers). */
  canonical: string;
  /** Its COPY line around the chain columns (`copyTextOf`). */
  copyText: CopyText;
  seq: number;
  prevHash: string;
  hash: string;
}

/** The `audit_events` columns a row is written with, in the order of `copyLineOf`. */
export const EVENT_ROW_COLUMNS = [
  'event_id', 'tenant', 'seq', 'event_type', 'occurred_at', 'decision', 'principal_id', 'principal_type', 'agent_id',
  'action', 'server', 'tool', 'uri', 'prompt', 'reason', 'revision', 'decision_id', 'request_id', 'session_id',
  'latency_ms', 'outcome', 'error', 'payload', 'prev_hash', 'hash',
] as const;

/**
 * An event's COPY line except its chain columns (`seq`, `prev_hash`, `hash`): built before the tenant's
 * chain head is locked, so the other writers of the tenant do not wait for it, and a value COPY cannot
 * take is refused before the transaction starts.
 */
export interface CopyText {
  /** The columns before `seq`, each followed by a tab. */
  beforeSeq: string;
  /** A tab, the columns between `seq` and `prev_hash`, each followed by a tab. */
  afterSeq: string;
}

export function copyTextOf(event: ChainedEvent): CopyText {
  const afterSeq = [
    '', text(event.event_type), text(event.occurred_at), text(event.decision),
    text(event.principal?.id), text(event.principal?.type), text(event.agent_id), text(event.action), text(event.server), text(event.tool),
    text(event.uri), text(event.prompt), text(event.reason), text(event.revision), text(event.decision_id), text(event.request_id),
    text(event.session_id), event.latency_ms === undefined ? NULL : String(event.latency_ms), text(event.outcome), text(event.error),
    event.payload === undefined ? NULL : text(JSON.stringify(event.payload)), '',
  ].join('\t');
  return { beforeSeq: `${text(event.event_id)}\t${text(event.tenant)}\t`, afterSeq };
}

/** One line of `COPY audit_events (EVENT_ROW_COLUMNS) FROM STDIN` in text format. */
export function copyLineOf({ copyText, seq, prevHash, hash }: ChainedRow): string {
  return `${copyText.beforeSeq}${seq}${copyText.afterSeq}${prevHash}\t${hash}\n`;
}

const NULL = '\\N';
// In a `u` regular expression a surrogate pair is one code point: `\p{Surrogate}` matches only lone ones.
const LONE_SURROGATE = /\p{Surrogate}/u;
// Without the `u` flag this is a plain character class over UTF-16 code units, matching every surrogate,
// paired or not; the rare value it matches takes the slow path, which tells lone surrogates apart.
const NEEDS_ATTENTION = /[\\\t\n\r\uD800-\uDFFF]/;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A text value in COPY's text format. A lone surrogate is refused as Postgres refuses it in JSON input:
 * written as UTF-8 it would turn into U+FFFD, and the stored text would no longer match its hash.
 */
function text(value: string | undefined): string {
  if (value === undefined) return NULL;
  if (!NEEDS_ATTENTION.test(value)) return value;
  if (LONE_SURROGATE.test(value)) throw new StoreRejectedDataError('a text value holds a lone UTF-16 surrogate', undefined);
  return value.replace(/[\\\t\n\r]/g, (character) => ESCAPED[character] as string);
}
