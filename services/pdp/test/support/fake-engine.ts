import type { ActiveBundle, DecisionEngine } from '../../engines/decision-engine';

type Input = Record<string, any>;

/**
 * A stand-in for compiled policies: admins may do anything; others may call `echo` on `everything`;
 * agents need `trusted` for agent-to-agent calls. Secrets (`password`) are removed from parameters.
 */
export function fakeEngine(overrides: Partial<DecisionEngine> = {}): DecisionEngine & { calls: number } {
  const engine = {
    kind: 'native' as const,
    entrypoints: ['mcp/gateway/decision', 'mcp/a2a/decision'],
    calls: 0,
    evaluate(path: readonly string[], input: unknown, options?: { explain?: boolean; explanation?: { rule: string; location: string }[] }) {
      engine.calls++;
      const doc = path.join('/');
      if (options?.explain) options.explanation?.push({ rule: `data.${path.join('.')}`, location: 'fake.rego:1' });
      if (doc === 'mcp/gateway/decision') return gatewayDecision(input as Input);
      if (doc === 'mcp/a2a/decision') return a2aDecision(input as Input);
      if (doc === 'mcp_config/servers') return { everything: {} };
      return undefined;
    },
    ...overrides,
  };
  return engine;
}

function gatewayDecision(input: Input): unknown {
  const roles: string[] = input.principal?.roles ?? [];
  const admin = roles.includes('admin');
  const listsEverything = input.action === 'tools/list' && input.resource?.server === 'everything';
  const echo = input.action === 'tools/call' && input.resource?.server === 'everything' && input.resource?.tool === 'echo';
  const allow = admin || echo || listsEverything;
  const decision: Record<string, unknown> = {
    allow,
    reasons: allow ? [admin ? 'admin may do anything' : 'echo is public'] : [`${input.principal?.id} may not ${input.action}`],
    cache_ttl: allow ? 60 : 0,
  };
  if (input.parameters) {
    const { password: _secret, ...rest } = input.parameters;
    decision.filtered_parameters = rest;
  }
  return decision;
}

function a2aDecision(input: Input): unknown {
  const allow = input.source_agent?.trust_level === 'trusted';
  return { allow, reasons: [allow ? 'trusted agent' : 'agent not trusted enough'], cache_ttl: allow ? 30 : 0 };
}

export function activeBundle(engine: DecisionEngine, revision = 'rev-1', data: unknown = CATALOG): ActiveBundle {
  return { revision, engine, data, source: 'test', activatedAt: new Date('2026-01-01T00:00:00Z') };
}

export const CATALOG = {
  mcp_config: {
    servers: {
      everything: { description: 'demo', owners: ['platform'], sensitivity: 'low', tools: { echo: { sensitivity: 'low' }, 'get-env': { sensitivity: 'critical' } } },
      postgres: { description: 'db', sensitivity: 'high', tools: { query: { sensitivity: 'high' } } },
    },
  },
};
