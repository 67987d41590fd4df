import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricsRegistry } from '../../common';
import { createBundleLoader } from '../bundles/bundle-loader';
import { createBundleMetrics } from '../bundles/bundle-metrics';
import { filesMap, revisionBundle, silentLogger } from './support/bundle-fixtures';
import { metricValue } from './support/bundle-waits';
import { buildOpaAbiModule } from './support/opa-abi-wasm';
import { ALICE, testPdp } from './support/test-app';

const QUESTION = JSON.stringify({ server_name: 'everything', tool_name: 'echo', principal: ALICE });
const REVISIONS = 25;
const CONNECTIONS = 16;

/** A policy.wasm bundle whose gateway decision is its data, naming its revision. */
async function wasmRevisionBundle(revision: string, wasm: Uint8Array): Promise<Map<string, Buffer>> {
  return filesMap({
    '.manifest': JSON.stringify({ revision }),
    'policy.wasm': Buffer.from(wasm),
    'data.json': JSON.stringify({ allow: true, reasons: [`decided by ${revision}`], cache_ttl: 0 }),
  });
}

describe('bundle rotation under load', () => {
  it.each([
    ['native', async (revision: string) => filesMap(revisionBundle(revision))],
    ['wasm', async (revision: string) => wasmRevisionBundle(revision, await buildOpaAbiModule({ builtins: {}, entrypoints: ['example/echo', 'mcp/gateway/decision', 'example/builtin'] }))],
  ] as const)('answers every decision while %s bundles are swapped, each entirely on one revision', async (engine, bundleFiles) => {
    // Atomicity is under test, not speed: a starved CI core must not turn an answer into a timeout deny.
    const { app, bundles } = testPdp({ bundle: null, settings: { decisionTimeoutMs: 10_000 } });
    const registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
    const loader = createBundleLoader({ slot: bundles, logger: silentLogger(), metrics: createBundleMetrics(registry, bundles), engine });
    const revisionFiles = await Promise.all(Array.from({ length: REVISIONS + 1 }, (_unused, n) => bundleFiles(`rev-${n}`)));
    await loader.load(() => revisionFiles[0]);
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/authorize`;

    let rotating = true;
    const rotation = (async () => {
      for (let n = 1; n <= REVISIONS; n++) {
        const outcome = await loader.load(() => revisionFiles[n]);
        expect(outcome.kind).toBe('activated');
        await new Promise((resolve) => setImmediate(resolve));
      }
      rotating = false;
    })();
    const answers: { status: number; body: { allow: boolean; reason: string; revision: string } }[] = [];
    const client = async () => {
      while (rotating) {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION });
        answers.push({ status: response.status, body: (await response.json()) as (typeof answers)[number]['body'] });
      }
    };
    try {
      await Promise.all([rotation, ...Array.from({ length: CONNECTIONS }, client)]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }

    expect(answers.length).toBeGreaterThan(REVISIONS);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.allow).toBe(true);
      expect(answer.body.reason).toBe(`decided by ${answer.body.revision}`);
    }
    expect(new Set(answers.map((answer) => answer.body.revision)).size).toBeGreaterThan(1);
    expect(bundles.status().activeRevision).toBe(`rev-${REVISIONS}`);
    expect(bundles.current()?.engine.kind).toBe(engine);
    expect(await metricValue(registry, 'pdp_bundle_activations_total')).toBe(REVISIONS + 1);
  });
});
