import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { ListenAddress } from '../config/service-address';
import type { Readiness } from '../http/readiness';
import { listen, listenOnSocket, type RunningServer } from './http-server';
import type { Shutdown } from './shutdown';

export interface ServeAppOptions {
  service: string;
  address: ListenAddress;
  /** A Unix domain socket to serve the same app on as well, for clients on this host. */
  socketPath?: string;
  logger: Logger;
  readiness: Readiness;
  shutdown: Shutdown;
}

/** Listens and registers the server's drain as a `stop` hook: readiness turns 503 first, then the server closes. */
export async function serveApp(app: RequestListener, options: ServeAppOptions): Promise<RunningServer> {
  const running = await listen(app, options.address);
  const onSocket = options.socketPath === undefined ? undefined : await listenOnSocket(app, options.socketPath).catch(async (error: unknown) => {
    await running.close();
    throw error;
  });
  options.shutdown.onStop(`${options.service} http server`, async () => {
    options.readiness.markShuttingDown();
    await Promise.all([running.close(), onSocket?.close()]);
  });
  options.logger.info({ url: running.url, host: running.address.host, port: running.address.port, socket: options.socketPath }, 'listening');
  return running;
}
