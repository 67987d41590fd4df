import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ChainedEvent } from './stored-event';

/** `hash = sha256(prev_hash || canonical JSON of the event)`, lowercase hex. */
export function chainHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(event), 'utf8').digest('hex');
}
