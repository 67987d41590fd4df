import cluster from 'node:cluster';
import type { RequestHandler } from 'express';
import { AggregatorRegistry } from 'prom-client';
import { errorBody, type Logger, type Registry } from '../../common';

const REQUEST = 'mcp-authz:pdp-metrics-request';
const REPLY = 'mcp-authz:pdp-metrics-reply';
const REPLY_TIMEOUT_MS = 5000;

interface MetricsReply {
  type: typeof REPLY;
  id: number;
  text?: string;
  error?: string;
}

/**
 * Cluster primary: collects every worker's metrics (prom-client's cluster aggregation) when a worker
 * asks, so a scrape of `/metrics` on the shared port sees the whole PDP, not one random worker.
 */
export function serveClusterMetrics(logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: unknown; id?: unknown }) => {
    if (message?.type !== REQUEST || typeof message.id !== 'number') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: REPLY, id, text } satisfies MetricsReply),
      (error: Error) => {
        logger.warn({ err: error }, 'cluster metrics collection failed');
        worker.send({ type: REPLY, id, error: error.message } satisfies MetricsReply);
      },
    );
  });
}

/** Cluster worker: `GET /metrics` answered with the cluster's metrics, through the primary. */
export function clusterMetricsHandler(registry: Registry): RequestHandler {
  // prom-client answers the primary's collection requests once an AggregatorRegistry exists in this process.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const waiting = new Map<number, (reply: MetricsReply) => void>();
  let nextId = 0;
  process.on('message', (message: Partial<MetricsReply>) => {
    if (message?.type !== REPLY || typeof message.id !== 'number') return;
    waiting.get(message.id)?.(message as MetricsReply);
    waiting.delete(message.id);
  });
  return (_req, res) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      waiting.delete(id);
      res.status(503).json(errorBody('metrics_unavailable', 'the cluster did not report its metrics in time'));
    }, REPLY_TIMEOUT_MS);
    waiting.set(id, (reply) => {
      clearTimeout(timer);
      if (reply.text === undefined) res.status(503).json(errorBody('metrics_unavailable', reply.error ?? 'cluster metrics failed'));
      else res.type(registry.contentType).send(reply.text);
    });
    process.send?.({ type: REQUEST, id });
  };
}
