import path from 'node:path';
import { createLogger, createMetricsRegistry, createReadiness, listen, type RunningServer } from '../../../common';
import { createPdpApp } from '../../../pdp/app';
import { directoryBundleSource } from '../../../pdp/bundles/directory-bundle-source';
import { createNativeEngine } from '../../../pdp/engines/native-engine';
import { DEFAULT_PDP_SETTINGS } from '../../../pdp/pdp-settings';

const POLICIES = path.resolve(__dirname, '../../../../policies');

/** The real PDP (native engine, the repository's policies) on a loopback port; it can be stopped and restarted on the same port. */
export interface TestPdpServer {
  url: string;
  decisions: number;
  /** The policy input of every decision so far, oldest first. */
  inputs: unknown[];
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRealPdp(): Promise<TestPdpServer> {
  const bundles = directoryBundleSource(POLICIES, createNativeEngine);
  const status = bundles.status();
  if (status.lastError) throw new Error(`policies did not load: ${status.lastError.message}`);
  const state = { decisions: 0 };
  const inputs: unknown[] = [];
  const app = createPdpApp({
    logger: createLogger({ service: 'pdp', level: 'silent' }),
    registry: createMetricsRegistry({ service: 'pdp', processMetrics: false }),
    readiness: createReadiness(),
    bundles,
    recorder: {
      record: (_event, log) => {
        state.decisions += 1;
        if (log) inputs.push(log.input);
      },
    },
    settings: { ...DEFAULT_PDP_SETTINGS, decisionTimeoutMs: 2000 },
  });
  let running: RunningServer = await listen(app, { host: '127.0.0.1', port: 0 });
  const port = running.address.port;
  return {
    url: running.url,
    get decisions() {
      return state.decisions;
    },
    inputs,
    async stop() {
      await running.close(0);
    },
    async restart() {
      running = await listen(app, { host: '127.0.0.1', port });
    },
  };
}
