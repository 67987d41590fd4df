import pino from 'pino';
import { createLogger, createMetricsRegistry, createReadiness, type ProxyConfig, type Shutdown } from '../../common';
import { createAuditClient, defaultSpoolDir } from '../../common/audit-client';
import { loadProxySettings } from '../config/proxy-settings';
import { loadServersFile } from '../config/servers-file';
import { createProxyComponents, serversBaseDir } from '../proxy-components';
import { startStdioFront } from './stdio-front';

/**
 * `mcp-authz serve proxy --stdio`: MCP on stdin/stdout, logs on stderr (stdout belongs to the protocol).
 * Resolves when the client closes the connection.
 */
export async function startStdioProxy(config: ProxyConfig, shutdown: Shutdown): Promise<void> {
  const logger = createLogger({ service: 'proxy', level: config.logLevel, destination: pino.destination({ dest: 2, sync: true }) });
  const settings = loadProxySettings(process.env, config.listen);
  const serversFile = loadServersFile(config.serversFile, process.env);
  const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
  const audit = createAuditClient({ url: config.auditUrl, apiKey: config.auditApiKey, spoolDir: defaultSpoolDir('proxy-stdio'), logger, registry });
  shutdown.onFlush('proxy audit client', () => audit.close());
  const components = createProxyComponents({
    logger,
    registry,
    readiness: createReadiness(),
    settings,
    servers: serversFile.servers,
    serversBaseDir: serversBaseDir(config.serversFile),
    localPrincipal: serversFile.localPrincipal,
    pdpUrl: config.pdpUrl,
    pdpApiKey: config.pdpApiKey,
    audit,
    listenHost: '127.0.0.1',
  });
  shutdown.onClose('proxy upstreams', () => components.close());
  await components.start();
  const front = await startStdioFront(components, serversFile.localPrincipal ?? { id: 'anonymous', type: 'user' });
  logger.info({ upstreams: components.pool.names() }, 'proxy serving MCP on stdio');
  await front.closed;
}
