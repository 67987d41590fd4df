import { canonicalJson, HttpError, parseRequest } from '../../common';
import { dataQuerySchema, dataRequestSchema, type DataQuery } from '../contracts/data-api';
import { decisionMeta } from './decision-meta';
import type { Caller, JsonReply, PostRoute } from './json-endpoint';
import type { PdpServices } from './pdp-services';
import { PREPARED_REQUESTS, preparedRequests } from './prepared-requests';

export const DATA_PATHS = ['/v1/data', '/v1/data/*path'];

interface PreparedInput {
  input: unknown;
  canonicalInput: string;
}

/** OPA's data API, POST side: `{"input": …}` → `{"result": …}`, `{}` when undefined. */
export function dataRoutes(services: PdpServices): PostRoute[] {
  // The input does not depend on the caller or the path: one scope.
  const prepared = preparedRequests<PreparedInput>(PREPARED_REQUESTS);
  return [
    {
      paths: DATA_PATHS,
      endpoint(call) {
        const parsedQuery = parseRequest(dataQuerySchema, call.query, 'query');
        const { input, canonicalInput } = prepared('', call.rawBody, () => {
          const { input: given } = parseRequest(dataRequestSchema, call.body ?? {});
          return { input: given, canonicalInput: canonicalJson(given) };
        });
        return answerData(services, call.caller, call.path, parsedQuery, input, canonicalInput);
      },
    },
  ];
}

export function answerData(services: PdpServices, caller: Caller, path: readonly string[], query: DataQuery, input: unknown, canonicalInput?: string): JsonReply {
  const explain = query.explain === 'full' || query.explain === 'debug';
  const { evaluation, decisionId } = services.decider.document(path, input, decisionMeta(caller, undefined, explain), canonicalInput);
  if (evaluation.outcome === 'no_bundle') throw new HttpError(503, 'no_bundle', 'no policy bundle is active');
  if (evaluation.outcome === 'error') throw new HttpError(500, 'evaluation_error', evaluation.error ?? 'policy evaluation failed');
  if (evaluation.outcome === 'undefined') return { body: {}, decisionMs: evaluation.durationMs };
  const body: Record<string, unknown> = { result: evaluation.value, decision_id: decisionId };
  if (explain) body.explanation = evaluation.explanation ?? [];
  if (query.metrics === 'true' || query.metrics === '') body.metrics = { timer_rego_query_eval_ns: Math.round(evaluation.durationMs * 1e6) };
  return { body, decisionMs: evaluation.durationMs };
}
