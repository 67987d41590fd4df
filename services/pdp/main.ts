import cluster from 'node:cluster';
import {
  authMiddlewareOf,
  createLogger,
  createMetricsRegistry,
  createReadiness,
  removeStaleSocket,
  resolveAuth,
  serveApp,
  type PdpConfig,
  type RunningServer,
  type Shutdown,
} from '../common';
import { createPdpApp } from './app';
import { openBundleSource } from './bundles/open-bundle-source';
import { clusterMetricsHandler } from './cluster/cluster-metrics';
import { startPdpCluster, type PdpCluster } from './cluster/pdp-cluster';
import { createAuditClient, defaultSpoolDir } from '../common/audit-client';
import { auditDecisionRecorder } from './decisions/audit-decision-recorder';
import { loadPdpSettings } from './pdp-settings';
import { createAuditApiClient } from './console/audit/audit-api-client';
import { loadConsoleSettings } from './console/console-settings';
import { proxyToolApprovals } from './console/tools/proxy-tool-approvals';
import { loadBundleSettings, type BundleVerification } from './bundles/bundle-settings';
import type { SignaturePolicy } from './console/console-contract';

/**
 * Composition root. With `PDP_WORKERS` > 1 this process becomes the cluster primary and forks workers
 * that each run `startPdpWorker`; with 1 (or inside a worker) it serves in-process.
 */
export async function startPdp(config: PdpConfig, shutdown: Shutdown): Promise<RunningServer | PdpCluster> {
  const settings = loadPdpSettings(process.env);
  // Here, before any worker listens: a worker removing it would pull the socket from under the others.
  if (config.socketPath !== undefined) await removeStaleSocket(config.socketPath);
  if (settings.workers > 1 && cluster.isPrimary) {
    const logger = createLogger({ service: 'pdp', level: config.logLevel });
    // Checked here too, so a refusal is the primary's configuration error rather than a worker's crash.
    resolveAuth(config.auth, config.listen.host, logger);
    return startPdpCluster({ workers: settings.workers, address: config.listen, socketPath: config.socketPath, logger, shutdown });
  }
  return startPdpWorker(config, shutdown);
}

export async function startPdpWorker(config: PdpConfig, shutdown: Shutdown): Promise<RunningServer> {
  const settings = loadPdpSettings(process.env);
  const consoleSettings = loadConsoleSettings(process.env);
  const logger = createLogger({ service: 'pdp', level: config.logLevel });
  const auth = resolveAuth(config.auth, config.listen.host, logger);
  const registry = createMetricsRegistry({ service: 'pdp' });
  const readiness = createReadiness();
  const bundles = await openBundleSource(config, { logger, registry });
  const status = bundles.status();
  if (status.lastError) logger.error({ bundle: status.source, error: status.lastError.message }, 'policy bundle not loaded: denying every request');
  else logger.info({ bundle: status.source, revision: status.activeRevision }, 'policy bundle activated');
  shutdown.onClose('pdp bundle source', () => bundles.close());
  const audit = createAuditClient({
    url: config.auditUrl,
    apiKey: config.auditApiKey,
    // One spool per process: cluster workers keep their index across restarts, so a replacement replays its predecessor's spool.
    spoolDir: defaultSpoolDir(`pdp-${process.env.PDP_WORKER_INDEX ?? '0'}`),
    logger,
    registry,
  });
  shutdown.onFlush('pdp audit client', () => audit.close());
  const app = createPdpApp({
    logger,
    registry,
    readiness,
    authenticate: authMiddlewareOf(auth),
    bundles,
    recorder: auditDecisionRecorder(audit, logger),
    settings,
    metricsHandler: cluster.isWorker ? clusterMetricsHandler(registry) : undefined,
    console: consoleSettings.enabled
      ? {
          settings: consoleSettings,
          signature: signaturePolicyOf(loadBundleSettings(process.env).verification),
          audit: createAuditApiClient({ url: config.auditUrl, apiKey: config.auditApiKey }),
          tools: proxyToolApprovals(consoleSettings.proxy),
        }
      : undefined,
  });
  return serveApp(app, { service: 'pdp', address: config.listen, socketPath: config.socketPath, logger, readiness, shutdown });
}

function signaturePolicyOf(verification: BundleVerification | undefined): SignaturePolicy {
  return verification ? { required: true, algorithm: verification.algorithm, keyId: verification.keyId } : { required: false };
}
