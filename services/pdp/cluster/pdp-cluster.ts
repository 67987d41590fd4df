import cluster, { type Address, type Worker } from 'node:cluster';
import path from 'node:path';
import type { Logger } from 'pino';
import { localUrlFor, type ListenAddress, type Shutdown } from '../../common';
import { serveClusterMetrics } from './cluster-metrics';

/** The primary of a PDP cluster: it does not serve, its workers share the port. */
export interface PdpCluster {
  url: string;
  address: ListenAddress;
  workers: number;
  close(): Promise<void>;
}

export interface PdpClusterOptions {
  workers: number;
  address: ListenAddress;
  /** Served by the workers as well as the port (the primary holds the socket and hands out connections). */
  socketPath?: string;
  logger: Logger;
  shutdown: Shutdown;
}

const RESTART_DELAY_MS = 1000;

/** Forks the workers, resolves once all listen; a worker that dies later is replaced until shutdown. */
export async function startPdpCluster(options: PdpClusterOptions): Promise<PdpCluster> {
  cluster.setupPrimary({ exec: workerEntry(), args: [] });
  serveClusterMetrics(options.logger);
  let stopping = false;

  const fork = (index: number): Worker => {
    // Every worker asks for the configured port, even 0: the primary shares one handle per requested
    // address, so asking for the port worker 0 was given would make the primary bind it a second time.
    const worker = cluster.fork({
      PDP_HOST: options.address.host,
      PDP_PORT: String(options.address.port),
      // `serve all` chooses a socket without setting it in the environment the workers inherit.
      ...(options.socketPath === undefined ? {} : { PDP_SOCKET: options.socketPath }),
      PDP_WORKER_INDEX: String(index),
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      options.logger.error({ worker: index, code, signal }, 'pdp worker exited: starting another');
      setTimeout(() => {
        if (!stopping) fork(index);
      }, RESTART_DELAY_MS).unref();
    });
    return worker;
  };

  const close = async () => {
    stopping = true;
    await Promise.all(Object.values(cluster.workers ?? {}).map((worker) => worker && stopWorker(worker)));
  };
  let port: number;
  try {
    const onSocket = options.socketPath !== undefined;
    ({ port } = await listening(fork(0), onSocket));
    await Promise.all(Array.from({ length: options.workers - 1 }, (_unused, offset) => listening(fork(offset + 1), onSocket)));
  } catch (error) {
    await close();
    throw error;
  }
  options.shutdown.onStop('pdp cluster', close);
  const address = { host: options.address.host, port };
  options.logger.info({ url: localUrlFor(address), socket: options.socketPath, workers: options.workers }, 'pdp cluster listening');
  return { url: localUrlFor(address), address, workers: options.workers, close };
}

/**
 * The worker entry beside this file, with this file's extension: `.js` in the built binary, `.ts` when
 * run from sources (the workers inherit the primary's `execArgv`, so its TypeScript loader too).
 */
function workerEntry(): string {
  return path.join(__dirname, `pdp-worker${path.extname(__filename)}`);
}

/** Resolves once the worker listens on the TCP port and, with `onSocket`, on the Unix socket too (a second `listening`). */
function listening(worker: Worker, onSocket: boolean): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    let port: number | undefined;
    let socketBound = !onSocket;
    const onExit = (code: number) => reject(new Error(`pdp worker exited with code ${code} before listening`));
    const onListening = (address: Address) => {
      // A Unix socket's address has the path and addressType -1; the TCP port's has the port.
      if (address.addressType === -1) socketBound = true;
      else port = address.port;
      if (port === undefined || !socketBound) return;
      worker.off('exit', onExit);
      worker.off('listening', onListening);
      resolve({ port });
    };
    worker.once('exit', onExit);
    worker.on('listening', onListening);
  });
}

function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.process.kill('SIGTERM');
  });
}
