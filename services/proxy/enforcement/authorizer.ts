import { authorizationUnavailableError } from '../mcp/proxy-errors';
import type { PdpClient } from '../pdp-client/pdp-client';
import type { PdpContext, PdpDecision, PdpQuestion } from '../pdp-client/pdp-contract';
import type { Caller } from './caller';

export interface Verdict {
  allow: boolean;
  reason: string;
  reasons: string[];
  decisionId: string | undefined;
  revision: string | undefined;
  filteredParameters: Record<string, unknown> | undefined;
}

/**
 * Turns PDP answers into verdicts. Any failure to get an answer becomes the -32001 "authorization
 * unavailable" error, never an allow.
 */
export interface Authorizer {
  /** `requestId`: the JSON-RPC id of the MCP request asked about (unique within its session), sent as `context.request_id`. */
  decide(caller: Caller, question: PdpQuestion, requestId?: string): Promise<Verdict>;
  decideMany(caller: Caller, questions: PdpQuestion[], requestId?: string): Promise<Verdict[]>;
}

export function createAuthorizer(pdp: PdpClient, now: () => Date = () => new Date()): Authorizer {
  function contextOf(caller: Caller, requestId: string | undefined): PdpContext {
    const context: PdpContext = { ip: caller.ip, time: now().toISOString() };
    if (caller.sessionId) context.session_id = caller.sessionId;
    if (requestId !== undefined) context.request_id = requestId;
    return context;
  }
  return {
    async decide(caller, question, requestId) {
      return verdictOf(await guarded(() => pdp.authorize(caller.principal, contextOf(caller, requestId), question)));
    },
    async decideMany(caller, questions, requestId) {
      if (questions.length === 0) return [];
      return (await guarded(() => pdp.authorizeBatch(caller.principal, contextOf(caller, requestId), questions))).map(verdictOf);
    },
  };
}

async function guarded<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch {
    throw authorizationUnavailableError();
  }
}

function verdictOf(decision: PdpDecision): Verdict {
  const reason = decision.reason ?? decision.reasons[0] ?? (decision.allow ? 'allowed' : 'denied');
  return {
    allow: decision.allow === true,
    reason,
    reasons: decision.reasons.length > 0 ? decision.reasons : [reason],
    decisionId: decision.decision_id,
    revision: decision.revision ?? undefined,
    filteredParameters: decision.filtered_parameters,
  };
}
