import { useState } from 'preact/hooks';

/** Asks for the API key the console calls the PDP with; the field never shows the key back. */
export function KeyForm({ onSubmit, message }: { onSubmit: (key: string) => void; message?: string }) {
  const [key, setKey] = useState('');
  return (
    <form
      class="card key-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim()) onSubmit(key.trim());
      }}
    >
      <h2>Sign in with an API key</h2>
      <p>
        Use a PDP API key (<code>mcp-authz keys create --service pdp</code>). Keys whose record says <code>"role": "admin"</code> may
        approve tools, re-drive dead letters and edit scratch policies; the others can look.
      </p>
      {message && (
        <p class="notice notice-error" role="alert">
          {message}
        </p>
      )}
      <label for="api-key">API key</label>
      <input id="api-key" name="api-key" type="password" autoComplete="off" spellcheck={false} value={key} onInput={(event) => setKey(event.currentTarget.value)} required />
      <button type="submit" class="primary">
        Sign in
      </button>
    </form>
  );
}
