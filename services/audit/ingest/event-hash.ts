import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ChainedEvent } from './stored-event';

/** The text an event contributes to its hash: its canonical JSON. */
export function canonicalEvent(event: ChainedEvent): string {
  return canonicalJson(event);
}

/** `hash = sha256(prev_hash || canonical JSON of the event)`, lowercase hex. */
export function chainHash(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonical, 'utf8').digest('hex');
}
