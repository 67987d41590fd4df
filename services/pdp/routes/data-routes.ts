import { Router, type Request, type Response } from 'express';
import { HttpError, parseRequest } from '../../common';
import { dataQuerySchema, dataRequestSchema, type DataQuery } from '../contracts/data-api';
import { onEachPath } from './on-each-path';
import type { PdpServices } from './pdp-services';
import { decisionMeta, setDecisionTiming } from './request-meta';

export const DATA_PATHS = ['/v1/data', '/v1/data/*path'];

/** OPA's data API, so OPA clients work unchanged: `{"result": …}`, `{}` when undefined. */
export function dataRouter(services: PdpServices): Router {
  const router = Router();
  onEachPath(router, 'post', DATA_PATHS, (req, res) => {
    const query = parseRequest(dataQuerySchema, req.query, 'query');
    const body = parseRequest(dataRequestSchema, req.body ?? {});
    answer(services, req, res, query, body.input);
  });
  onEachPath(router, 'get', DATA_PATHS, (req, res) => {
    const query = parseRequest(dataQuerySchema, req.query, 'query');
    answer(services, req, res, query, query.input === undefined ? undefined : parseInputParameter(query.input));
  });
  return router;
}

function answer(services: PdpServices, req: Request, res: Response, query: DataQuery, input: unknown): void {
  const explain = query.explain === 'full' || query.explain === 'debug';
  const { evaluation, decisionId } = services.decider.document(pathOf(req), input, decisionMeta(req, undefined, explain));
  setDecisionTiming(res, evaluation.durationMs);
  if (evaluation.outcome === 'no_bundle') throw new HttpError(503, 'no_bundle', 'no policy bundle is active');
  if (evaluation.outcome === 'error') throw new HttpError(500, 'evaluation_error', evaluation.error ?? 'policy evaluation failed');
  if (evaluation.outcome === 'undefined') {
    res.json({});
    return;
  }
  const body: Record<string, unknown> = { result: evaluation.value, decision_id: decisionId };
  if (explain) body.explanation = evaluation.explanation ?? [];
  if (query.metrics === 'true' || query.metrics === '') body.metrics = { timer_rego_query_eval_ns: Math.round(evaluation.durationMs * 1e6) };
  res.json(body);
}

function pathOf(req: Request): string[] {
  const segments = (req.params as { path?: string[] | string }).path;
  const list = Array.isArray(segments) ? segments : segments ? segments.split('/') : [];
  return list.filter((segment) => segment.length > 0);
}

function parseInputParameter(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_request', 'invalid query', [{ path: 'input', message: 'expected a JSON document' }]);
  }
}
