import type { KeyStore } from './api-key-store';

export const API_BASE = '/console/api';

/** An error answer of the console API (the PDP's `{"error": {code, message, details}}` body). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ConsoleClient {
  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** A URL with the query (for downloads, which cannot carry the key header: see `download`). */
  url(path: string, query?: Record<string, string | undefined>): string;
  /** Fetches with the key and hands the body to the browser as a file. */
  download(path: string, query: Record<string, string | undefined>, filename: string): Promise<void>;
}

export function queryString(query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Where the session is asked for; its 401 is how the app learns it must ask for a credential. */
export const SESSION_PATH = '/session';

/**
 * `onSignInLost` is told when a page's call is refused with 401 (a token expired, a key was revoked), so
 * the app can ask for a credential again; the session call itself never triggers it.
 */
export function createConsoleClient(keys: KeyStore, fetcher: Fetch = (input, init) => fetch(input, init), onSignInLost?: (error: ApiError) => void): ConsoleClient {
  function headers(json: boolean): Record<string, string> {
    const result: Record<string, string> = { Accept: 'application/json' };
    if (json) result['Content-Type'] = 'application/json';
    const key = keys.get();
    if (key) result.Authorization = `Bearer ${key}`;
    return result;
  }

  async function send<T>(method: string, path: string, body?: unknown, query?: Record<string, string | undefined>): Promise<T> {
    const response = await fetcher(`${API_BASE}${path}${queryString(query)}`, {
      method,
      headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    try {
      return await readAnswer<T>(response);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && path !== SESSION_PATH) onSignInLost?.(error);
      throw error;
    }
  }

  return {
    get: (path, query) => send('GET', path, undefined, query),
    post: (path, body) => send('POST', path, body ?? {}),
    url: (path, query) => `${API_BASE}${path}${queryString(query)}`,
    async download(path, query, filename) {
      const response = await fetcher(`${API_BASE}${path}${queryString(query)}`, { headers: headers(false) });
      if (!response.ok) await readAnswer(response);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = filename;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  };
}

export async function readAnswer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | undefined)?.error;
  throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? `HTTP ${response.status}`, error?.details ?? []);
}
