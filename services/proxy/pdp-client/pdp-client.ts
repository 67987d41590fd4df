import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import CircuitBreaker from 'opossum';
import type { Registry } from 'prom-client';
import { Gauge, Histogram } from 'prom-client';
import { unixSocketPathOf } from '../../common';
import { createDecisionCache } from './decision-cache';
import { pdpBatchResponseSchema, pdpDecisionSchema, type PdpContext, type PdpDecision, type PdpPrincipal, type PdpQuestion } from './pdp-contract';

export interface PdpClientOptions {
  /** http(s) URL, or `unix:/path/to/socket` for a PDP on this host. */
  url: string;
  apiKey?: string;
  timeoutMs: number;
  /** How long the breaker stays open before it lets one trial call through. */
  breakerResetMs: number;
  cacheSize: number;
  registry: Registry;
}

/** Thrown for every way the PDP could not answer (unreachable, timeout, error status, breaker open): callers deny. */
export class PdpUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdpUnavailableError';
  }
}

class StaleSocketError extends Error {}

export interface PdpClient {
  authorize(principal: PdpPrincipal, context: PdpContext, question: PdpQuestion): Promise<PdpDecision>;
  /** One HTTP call for many questions; answers in order. Cached answers are not asked again. */
  authorizeBatch(principal: PdpPrincipal, context: PdpContext, questions: PdpQuestion[]): Promise<PdpDecision[]>;
  close(): void;
}

interface HttpCall {
  endpoint: Endpoint;
  body: string;
}

/** A PDP path with what every call to it sends, worked out once. */
interface Endpoint {
  path: string;
  request: http.RequestOptions;
}

// The PDP answers at most this many questions per batch call.
const MAX_BATCH = 1000;
const BREAKER_STATES = { closed: 0, half_open: 1, open: 2 } as const;
// Decisions are reused only within the same minute of `context.time`, so time-dependent rules stay current.
const CACHE_TIME_GRANULARITY = 16;

/**
 * The proxy's PDP client: keep-alive HTTP, a timeout per call, an opossum circuit breaker, and a local cache
 * honouring each decision's `cache_ttl`. It never answers "allow" on its own: every failure is an error.
 */
export function createPdpClient(options: PdpClientOptions): PdpClient {
  const socketPath = unixSocketPathOf(options.url);
  // Over a socket the host part only fills the Host header.
  const base = new URL(socketPath === undefined ? options.url : 'http://localhost');
  const transport = base.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 256 });
  const baseHeaders: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) baseHeaders.authorization = `Bearer ${options.apiKey}`;
  const endpoint = (path: string): Endpoint => {
    return { path, request: { ...urlToHttpOptions(new URL(path, base)), socketPath, method: 'POST', agent, timeout: options.timeoutMs } };
  };
  const authorizeEndpoint = endpoint('/v1/authorize');
  const batchEndpoint = endpoint('/v1/authorize/batch');
  const cache = createDecisionCache(options.cacheSize);
  const latency = new Histogram({
    name: 'proxy_pdp_request_duration_seconds',
    help: 'Time of PDP calls made by the proxy, by endpoint and outcome',
    labelNames: ['endpoint', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [options.registry],
  });
  new Gauge({
    name: 'proxy_pdp_cache_entries',
    help: 'Decisions held in the proxy-side cache',
    registers: [options.registry],
    collect() {
      this.set(cache.size);
    },
  });

  const breaker = new CircuitBreaker(post, {
    timeout: false,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    rollingCountTimeout: 10_000,
    resetTimeout: options.breakerResetMs,
  });
  new Gauge({
    name: 'proxy_pdp_breaker_state',
    help: 'Circuit breaker in front of the PDP: 0 closed, 1 half-open, 2 open',
    registers: [options.registry],
    collect() {
      this.set(breaker.opened ? BREAKER_STATES.open : breaker.halfOpen ? BREAKER_STATES.half_open : BREAKER_STATES.closed);
    },
  });

  /** A keep-alive socket the PDP closed meanwhile fails at once: asking again on a fresh one is safe, decisions have no side effects. */
  async function post(call: HttpCall): Promise<unknown> {
    try {
      return await postOnce(call);
    } catch (error) {
      if (error instanceof StaleSocketError) return postOnce(call);
      throw error;
    }
  }

  function postOnce(call: HttpCall): Promise<unknown> {
    const stop = latency.startTimer({ endpoint: call.endpoint.path });
    return new Promise((resolve, reject) => {
      const headers = { ...baseHeaders, 'content-length': Buffer.byteLength(call.body) };
      const req = transport.request({ ...call.endpoint.request, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(error.message));
        res.on('end', () => {
          if (res.statusCode !== 200) return fail(`PDP answered ${res.statusCode}`);
          let answer: unknown;
          try {
            answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return fail('PDP answered with invalid JSON');
          }
          stop({ outcome: 'ok' });
          resolve(answer);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`PDP did not answer within ${options.timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
          stop({ outcome: 'stale_socket' });
          reject(new StaleSocketError());
        } else fail(error.message);
      });
      req.end(call.body);

      function fail(message: string): void {
        stop({ outcome: 'error' });
        reject(new PdpUnavailableError(message));
      }
    });
  }

  async function call(endpoint: Endpoint, payload: unknown): Promise<unknown> {
    try {
      return await breaker.fire({ endpoint, body: JSON.stringify(payload) });
    } catch (error) {
      if (error instanceof PdpUnavailableError) throw error;
      throw new PdpUnavailableError(breaker.opened ? 'circuit breaker open' : error instanceof Error ? error.message : 'PDP call failed');
    }
  }

  /** The part of a cache key shared by every question of one call: who asks, from where, in which minute. */
  function cacheKeyPrefix(principal: PdpPrincipal, context: PdpContext): string {
    return JSON.stringify([principal, context.ip, context.time.slice(0, CACHE_TIME_GRANULARITY)]);
  }

  function cacheKey(prefix: string, question: PdpQuestion): string {
    return `${prefix}\n${JSON.stringify(question)}`;
  }

  function parseDecision(value: unknown): PdpDecision {
    const parsed = pdpDecisionSchema.safeParse(value);
    if (!parsed.success) throw new PdpUnavailableError('PDP answered with an unexpected decision shape');
    return parsed.data;
  }

  return {
    async authorize(principal, context, question) {
      const key = cacheKey(cacheKeyPrefix(principal, context), question);
      const cached = cache.get(key);
      if (cached) return cached;
      const decision = parseDecision(await call(authorizeEndpoint, { ...question, principal, context }));
      cache.put(key, decision);
      return decision;
    },
    async authorizeBatch(principal, context, questions) {
      const prefix = cacheKeyPrefix(principal, context);
      const keys = questions.map((question) => cacheKey(prefix, question));
      const answers: (PdpDecision | undefined)[] = keys.map((key) => cache.get(key));
      const missing = answers.flatMap((answer, index) => (answer ? [] : [index]));
      for (let start = 0; start < missing.length; start += MAX_BATCH) {
        const chunk = missing.slice(start, start + MAX_BATCH);
        const parsed = pdpBatchResponseSchema.safeParse(
          await call(batchEndpoint, { principal, context, requests: chunk.map((index) => questions[index]) }),
        );
        if (!parsed.success || parsed.data.results.length !== chunk.length) throw new PdpUnavailableError('PDP answered with an unexpected batch shape');
        chunk.forEach((index, position) => {
          const decision = parsed.data.results[position];
          answers[index] = decision;
          cache.put(keys[index], decision);
        });
      }
      return answers as PdpDecision[];
    },
    close() {
      breaker.shutdown();
      agent.destroy();
    },
  };
}
