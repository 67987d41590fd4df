import type { DecisionMeta } from '../decisions/decider';
import type { Caller } from './json-endpoint';

/** Decisions are recorded under the API key's tenant, else the principal's, else `default`. */
export function decisionMeta(caller: Caller, principalTenant: string | undefined, explain: boolean | undefined): DecisionMeta {
  return { requestId: caller.requestId, tenant: caller.apiKey?.tenant ?? principalTenant ?? 'default', explain };
}
