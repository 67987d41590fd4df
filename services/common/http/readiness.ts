import type { ComponentState, ReadyBody } from '../contracts/health';

export type ReadinessCheck = () => ComponentState | boolean | Promise<ComponentState | boolean>;

/**
 * Named components a service depends on (policy bundle, database, upstreams). Each reports its own state;
 * the service is ready when all are ready and it is not shutting down.
 */
export interface Readiness {
  /** Adds (or replaces) a component whose state is asked on every `/ready`. */
  register(component: string, check: ReadinessCheck): void;
  /** Sets a component's state directly, for components that push their state when it changes. */
  set(component: string, state: ComponentState | boolean): void;
  /** From now on `/ready` answers 503 `shutting_down`, so load balancers stop sending traffic. */
  markShuttingDown(): void;
  report(service: string): Promise<ReadyBody>;
}

const CHECK_TIMEOUT_MS = 2000;

export function createReadiness(): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  let shuttingDown = false;

  return {
    register(component, check) {
      checks.set(component, check);
    },
    set(component, state) {
      checks.set(component, () => state);
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    async report(service) {
      const entries = await Promise.all(
        [...checks].map(async ([name, check]) => [name, await runCheck(check)] as const),
      );
      const components = Object.fromEntries(entries);
      const allReady = entries.every(([, state]) => state.ready);
      const status = shuttingDown ? 'shutting_down' : allReady ? 'ready' : 'not_ready';
      return { status, service, components };
    },
  };
}

async function runCheck(check: ReadinessCheck): Promise<ComponentState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ComponentState>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, detail: `check timed out after ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
    return typeof outcome === 'boolean' ? { ready: outcome } : outcome;
  } catch (error) {
    return { ready: false, detail: error instanceof Error ? error.message : 'check failed' };
  } finally {
    clearTimeout(timer);
  }
}
