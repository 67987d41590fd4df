/**
 * The API key or JWT the console sends, kept in this tab's session storage only: it is gone when the tab
 * closes, and no page ever renders it back.
 */
const STORAGE_KEY = 'mcp-authz-console-api-key';

export interface KeyStore {
  get(): string | null;
  set(key: string): void;
  clear(): void;
}

export function sessionKeyStore(storage: Storage = window.sessionStorage): KeyStore {
  return {
    get: () => storage.getItem(STORAGE_KEY),
    set: (key) => storage.setItem(STORAGE_KEY, key),
    clear: () => storage.removeItem(STORAGE_KEY),
  };
}
