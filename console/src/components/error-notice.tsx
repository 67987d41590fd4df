import { ApiError } from '../api/console-client';

/** An API failure as a person reads it: the message, and field details when the API gave them. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div class="notice notice-error" role="alert">
      <strong>{error instanceof ApiError && error.status === 403 ? 'Not allowed: ' : 'Error: '}</strong>
      {message}
      {details.length > 0 && (
        <ul>
          {details.map((detail) => (
            <li key={`${detail.path}:${detail.message}`}>
              <code>{detail.path || '(body)'}</code> {detail.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
