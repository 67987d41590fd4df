import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { SessionView } from '../mcp/request-dispatcher';
import type { SessionTransport } from './session-transport';

export interface HttpSession {
  id: string;
  route: string;
  view: SessionView;
  server: Server;
  transport: SessionTransport;
  lastSeen: number;
  /** Open HTTP exchanges (POSTs being answered, GET streams): a session in use never expires. */
  inFlight: number;
}

/**
 * Open sessions with idle expiry: a session with no open exchange for longer than the TTL is closed
 * and its id answers 404 from then on.
 */
export interface SessionRegistry {
  add(session: HttpSession): void;
  /** The live session with this id, refreshed; undefined when unknown or expired. */
  touch(id: string): HttpSession | undefined;
  /** Marks an exchange on the session open until `done` is called. */
  track(session: HttpSession): () => void;
  remove(id: string): void;
  views(): Iterable<SessionView>;
  count(route?: string): number;
  closeAll(): Promise<void>;
}

export interface SessionRegistryEvents {
  /** The number of sessions changed. */
  changed(): void;
  /** A session was deleted or expired (not at shutdown, when the upstreams go as well). */
  ended(view: SessionView): void;
}

export function createSessionRegistry(idleTtlMs: number, events: SessionRegistryEvents, now: () => number = Date.now): SessionRegistry {
  const sessions = new Map<string, HttpSession>();
  const sweep = setInterval(() => {
    const at = now();
    for (const session of sessions.values()) if (idle(session, at)) expire(session);
  }, Math.max(50, Math.min(idleTtlMs / 2, 30_000)));
  sweep.unref();

  function idle(session: HttpSession, at: number): boolean {
    return session.inFlight === 0 && at - session.lastSeen > idleTtlMs;
  }

  function expire(session: HttpSession): void {
    end(session);
    void session.transport.close().catch(() => undefined);
  }

  function end(session: HttpSession): void {
    sessions.delete(session.id);
    events.changed();
    events.ended(session.view);
  }

  return {
    add(session) {
      sessions.set(session.id, session);
      events.changed();
    },
    touch(id) {
      const session = sessions.get(id);
      if (!session) return undefined;
      if (idle(session, now())) {
        expire(session);
        return undefined;
      }
      session.lastSeen = now();
      return session;
    },
    track(session) {
      session.inFlight += 1;
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        session.inFlight -= 1;
        session.lastSeen = now();
      };
    },
    remove(id) {
      const session = sessions.get(id);
      if (session) end(session);
    },
    *views() {
      for (const session of sessions.values()) yield session.view;
    },
    count(route) {
      if (route === undefined) return sessions.size;
      let total = 0;
      for (const session of sessions.values()) if (session.route === route) total += 1;
      return total;
    },
    async closeAll() {
      clearInterval(sweep);
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.transport.close().catch(() => undefined)));
    },
  };
}
