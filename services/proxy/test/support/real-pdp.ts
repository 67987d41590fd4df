import path from 'node:path';
import { createLogger, createMetricsRegistry, createReadiness, listen, listenOnSocket, unixSocketUrl } from '../../../common';
import { createPdpApp } from '../../../pdp/app';
import { directoryBundleSource } from '../../../pdp/bundles/directory-bundle-source';
import { createNativeEngine } from '../../../pdp/engines/native-engine';
import { DEFAULT_PDP_SETTINGS } from '../../../pdp/pdp-settings';

const POLICIES = path.resolve(__dirname, '../../../../policies');

/**
 * The real PDP (native engine, the repository's policies) on a loopback port, or on `socketPath` when given (its
 * url then `unix:…`); it can be stopped and restarted on the same port or socket.
 */
export interface TestPdpServer {
  url: string;
  decisions: number;
  /** The policy input of every decision so far, oldest first. */
  inputs: unknown[];
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRealPdp(options: { socketPath?: string } = {}): Promise<TestPdpServer> {
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
  const { socketPath } = options;
  let port = 0;
  const start = async () => {
    if (socketPath !== undefined) return listenOnSocket(app, socketPath);
    const running = await listen(app, { host: '127.0.0.1', port });
    port = running.address.port;
    return running;
  };
  let running = await start();
  return {
    url: socketPath === undefined ? `http://127.0.0.1:${port}` : unixSocketUrl(socketPath),
    get decisions() {
      return state.decisions;
    },
    inputs,
    async stop() {
      await running.close(0);
    },
    async restart() {
      running = await start();
    },
  };
}
