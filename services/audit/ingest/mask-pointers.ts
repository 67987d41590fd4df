import type { AuditMask } from '../../common/contracts/audit-event';
import { REDACTED } from './redaction';

// The identity of an event is never masked: without it the record could not be found, deduplicated or chained.
const UNMASKABLE = new Set(['event_id', 'event_type', 'occurred_at', 'tenant']);

/**
 * Applies the masks a producer sent (the PDP's `system.log.mask` results) to a copy of the event:
 * a pointer replaces the value with `"[REDACTED]"`, `remove` deletes it, `upsert` sets it. Pointers to
 * members that do not exist are ignored (except `upsert`, which creates the last member).
 */
export function applyMasks<T extends Record<string, unknown>>(event: T, masks: readonly AuditMask[]): T {
  const copy = structuredClone(event);
  for (const mask of masks) {
    const { op, path, value } = typeof mask === 'string' ? { op: 'redact' as const, path: mask, value: undefined } : mask;
    const tokens = parsePointer(path);
    if (tokens.length === 0 || UNMASKABLE.has(tokens[0] ?? '')) continue;
    const parent = resolveParent(copy, tokens, op === 'upsert');
    const last = tokens[tokens.length - 1] as string;
    if (parent === undefined) continue;
    if (op === 'upsert') {
      setMember(parent, last, value);
    } else if (hasMember(parent, last)) {
      if (op === 'remove') removeMember(parent, last);
      else setMember(parent, last, REDACTED);
    }
  }
  return copy;
}

/** RFC 6901: `/a/b~1c/~0d` → `['a', 'b/c', '~d']`. */
export function parsePointer(pointer: string): string[] {
  if (!pointer.startsWith('/')) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function resolveParent(root: Container, tokens: string[], create: boolean): Container | undefined {
  let current: Container = root;
  for (const token of tokens.slice(0, -1)) {
    let next = Array.isArray(current) ? current[Number(token)] : current[token];
    if (!isContainer(next)) {
      if (!create || Array.isArray(current)) return undefined;
      next = {};
      current[token] = next;
    }
    current = next as Container;
  }
  return current;
}

function hasMember(container: Container, token: string): boolean {
  if (Array.isArray(container)) return /^\d+$/.test(token) && Number(token) < container.length;
  return Object.prototype.hasOwnProperty.call(container, token);
}

function setMember(container: Container, token: string, value: unknown): void {
  if (Array.isArray(container)) {
    if (/^\d+$/.test(token) && Number(token) <= container.length) container[Number(token)] = value;
  } else {
    container[token] = value;
  }
}

function removeMember(container: Container, token: string): void {
  if (Array.isArray(container)) container.splice(Number(token), 1);
  else delete container[token];
}
