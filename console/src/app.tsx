import { useMemo, useState } from 'preact/hooks';
import { sessionKeyStore } from './api/api-key-store';
import { ApiError, createConsoleClient } from './api/console-client';
import type { Session } from './api/console-types';
import { ErrorNotice } from './components/error-notice';
import { KeyForm } from './components/key-form';
import { useLoad } from './components/use-load';
import { PlaygroundPage } from './pages/playground-page';
import { PolicyTestsPage } from './pages/policy-tests-page';
import { hrefOf, useHashRoute } from './routing/hash-route';

const PAGES = [
  { id: 'playground', title: 'Playground' },
  { id: 'tests', title: 'Policy tests' },
] as const;

export function App() {
  const keys = useMemo(() => sessionKeyStore(), []);
  const client = useMemo(() => createConsoleClient(keys), [keys]);
  const [signIns, setSignIns] = useState(0);
  const session = useLoad(() => client.get<Session>('/session'), [client, signIns]);
  const route = useHashRoute('playground');

  const needsKey = session.error instanceof ApiError && session.error.status === 401;
  const signIn = (key: string) => {
    keys.set(key);
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
            {session.data.key ? `${session.data.key.name} (${session.data.key.tenant})` : 'unauthenticated (loopback)'} · <span data-testid="role">{session.data.role}</span>
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
          <Page page={route.page} client={client} />
        ) : (
          <p class="hint">Loading…</p>
        )}
      </main>
    </>
  );
}

function Page({ page, client }: { page: string; client: ReturnType<typeof createConsoleClient> }) {
  switch (page) {
    case 'tests':
      return <PolicyTestsPage client={client} />;
    case 'playground':
      return <PlaygroundPage client={client} />;
    default:
      return <p class="notice notice-error">No page “{page}”.</p>;
  }
}
