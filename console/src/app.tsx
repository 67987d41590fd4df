import { useMemo, useState } from 'preact/hooks';
import { sessionKeyStore } from './api/api-key-store';
import { ApiError, createConsoleClient, SESSION_PATH, type ConsoleClient } from './api/console-client';
import type { AuditEvent, Session } from './api/console-types';
import { ErrorNotice } from './components/error-notice';
import { KeyForm } from './components/key-form';
import { TimeText } from './components/time-text';
import { useLoad } from './components/use-load';
import { AuditPage } from './pages/audit-page';
import { BundlesPage } from './pages/bundles-page';
import { PlaygroundPage } from './pages/playground-page';
import { playgroundSeedOf } from './pages/playground-seed';
import { PolicyTestsPage } from './pages/policy-tests-page';
import { ToolsPage } from './pages/tools-page';
import { hrefOf, useHashRoute, type Route } from './routing/hash-route';

const PAGES = [
  { id: 'playground', title: 'Playground' },
  { id: 'tests', title: 'Policy tests' },
  { id: 'bundles', title: 'Bundles' },
  { id: 'audit', title: 'Audit' },
  { id: 'tools', title: 'Tools' },
] as const;

export function App() {
  const keys = useMemo(() => sessionKeyStore(), []);
  const [signIns, setSignIns] = useState(0);
  // A page refused with 401 (an expired token, a revoked key) asks the session again, which brings the sign-in back.
  const client = useMemo(() => createConsoleClient(keys, undefined, () => setSignIns((count) => count + 1)), [keys]);
  const session = useLoad(() => client.get<Session>(SESSION_PATH), [client, signIns]);
  const route = useHashRoute('playground');

  const needsKey = session.error instanceof ApiError && session.error.status === 401;
  const signIn = (credential: string) => {
    keys.set(credential);
    setSignIns((count) => count + 1);
  };
  const signOut = () => {
    keys.clear();
    setSignIns((count) => count + 1);
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">mcp-authz console</span>
        <nav aria-label="Console pages">
          <ul>
            {PAGES.map((page) => (
              <li key={page.id}>
                <a href={hrefOf(page.id)} aria-current={route.page === page.id ? 'page' : undefined}>
                  {page.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {session.data && (
          <span class="who">
            <CallerText caller={session.data.caller} /> · <span data-testid="role">{session.data.role}</span>
            {session.data.authenticated && (
              <button type="button" class="link" onClick={signOut}>
                Sign out
              </button>
            )}
          </span>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {needsKey ? (
          <KeyForm onSubmit={signIn} message={keys.get() ? (session.error as ApiError).message : undefined} />
        ) : session.error ? (
          <ErrorNotice error={session.error} />
        ) : session.data ? (
          <Page route={route} client={client} session={session.data} />
        ) : (
          <p class="hint">Loading…</p>
        )}
      </main>
    </>
  );
}

function Page({ route, client, session }: { route: Route; client: ConsoleClient; session: Session }) {
  switch (route.page) {
    case 'playground': {
      const eventId = route.params.get('event');
      const scratch = session.features.scratchPolicies && session.role === 'admin';
      return eventId ? <PlaygroundFromEvent client={client} eventId={eventId} scratch={scratch} /> : <PlaygroundPage client={client} scratch={scratch} />;
    }
    case 'tests':
      return <PolicyTestsPage client={client} />;
    case 'bundles':
      return <BundlesPage client={client} />;
    case 'audit':
      return session.features.audit ? <AuditPage client={client} params={route.params} role={session.role} /> : <NotConfigured what="The audit explorer" />;
    case 'tools':
      return session.features.tools ? <ToolsPage client={client} role={session.role} /> : <NotConfigured what="Tool approvals" />;
    default:
      return <p class="notice notice-error">No page “{route.page}”.</p>;
  }
}

/** "Open in playground" from the audit explorer: the event's input, ready to evaluate. */
function PlaygroundFromEvent({ client, eventId, scratch }: { client: ConsoleClient; eventId: string; scratch: boolean }) {
  const event = useLoad(() => client.get<AuditEvent>(`/audit/events/${encodeURIComponent(eventId)}`), [client, eventId]);
  if (event.error) return <ErrorNotice error={event.error} />;
  if (!event.data) return <p class="hint">Loading audit event…</p>;
  return <PlaygroundPage client={client} seed={playgroundSeedOf(event.data)} scratch={scratch} />;
}

function CallerText({ caller }: { caller: Session['caller'] }) {
  if (!caller) return <>unauthenticated (loopback)</>;
  return (
    <span data-testid="caller">
      {caller.name} ({caller.tenant})
      {caller.via === 'jwt' && caller.expires_at && (
        <>
          {' '}
          · token until <TimeText at={caller.expires_at} />
        </>
      )}
    </span>
  );
}

function NotConfigured({ what }: { what: string }) {
  return <p class="notice notice-warn">{what} is not configured on this PDP.</p>;
}
