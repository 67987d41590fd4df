import type { BundleHistoryEntry, BundleSource } from '../../bundles/bundle-source';
import type { BundleReport, SignaturePolicy } from '../console-contract';

export function bundleReport(bundles: BundleSource, signature: SignaturePolicy): BundleReport {
  const status = bundles.status();
  const active = bundles.current();
  return {
    source: redactUrl(status.source),
    source_kind: /^https?:\/\//i.test(status.source) ? 'http' : 'directory or file',
    active: active
      ? { revision: active.revision, engine: active.engine.kind, entrypoints: active.engine.entrypoints, activated_at: active.activatedAt.toISOString() }
      : null,
    last_check_at: status.lastCheckAt?.toISOString() ?? null,
    last_error: status.lastError ? { message: status.lastError.message, at: status.lastError.at.toISOString() } : null,
    signature: { ...signature, status: active === null ? 'no_bundle' : signature.required ? 'verified' : 'not_checked' },
    history: status.history.map(serialised),
  };
}

function serialised(entry: BundleHistoryEntry): BundleReport['history'][number] {
  return entry.kind === 'activated'
    ? { kind: 'activated', revision: entry.revision, engine: entry.engine, at: entry.at.toISOString() }
    : { kind: 'failed', message: entry.message, at: entry.at.toISOString() };
}

/** A bundle URL may carry credentials (`https://user:token@host/…`); the console never shows them. */
export function redactUrl(source: string): string {
  try {
    const url = new URL(source);
    if (!/^https?:$/.test(url.protocol)) return source;
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
    }
    for (const name of [...url.searchParams.keys()]) if (/token|key|secret|signature|sig|password/i.test(name)) url.searchParams.set(name, 'REDACTED');
    return url.toString();
  } catch {
    return source;
  }
}
