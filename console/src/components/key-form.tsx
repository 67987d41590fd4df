import { useState } from 'preact/hooks';

/** Asks for the API key or JWT the console calls the PDP with; the field never shows it back. */
export function KeyForm({ onSubmit, message }: { onSubmit: (credential: string) => void; message?: string }) {
  const [credential, setCredential] = useState('');
  return (
    <form
      class="card key-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (credential.trim()) onSubmit(credential.trim());
      }}
    >
      <h2>Sign in</h2>
      <p>
        Use a PDP API key (<code>mcp-authz keys create --service pdp</code>) or a JWT from the identity provider the PDP verifies
        subject tokens with. Admin keys and tokens whose role claim says admin may approve tools, re-drive dead letters and edit
        scratch policies; the others can look.
      </p>
      {message && (
        <p class="notice notice-error" role="alert">
          {message}
        </p>
      )}
      <label for="credential">API key or token (JWT)</label>
      <input
        id="credential"
        name="credential"
        type="password"
        autoComplete="off"
        spellcheck={false}
        value={credential}
        onInput={(event) => setCredential(event.currentTarget.value)}
        required
      />
      <button type="submit" class="primary">
        Sign in
      </button>
    </form>
  );
}
