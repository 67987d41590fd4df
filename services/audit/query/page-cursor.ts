import { badRequest } from '../../common';

/** The position after the last event of a page: newest-first order is (occurred_at, event_id) descending. */
export interface PagePosition {
  occurredAt: string;
  eventId: string;
}

/** Opaque to clients: base64url of the position, so the ordering can change without breaking them. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.occurredAt, position.eventId]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [occurredAt, eventId] = decoded as unknown[];
      if (typeof occurredAt === 'string' && !Number.isNaN(Date.parse(occurredAt)) && typeof eventId === 'string' && /^[0-9a-f-]{36}$/.test(eventId)) {
        return { occurredAt, eventId };
      }
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('invalid cursor', [{ path: 'cursor', message: 'expected a cursor returned by a previous page' }]);
}
