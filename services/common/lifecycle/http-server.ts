import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { ListenAddress } from '../config/service-address';
import { localUrlFor } from '../config/service-address';

export interface RunningServer {
  server: http.Server;
  /** The address actually bound (port 0 becomes the port the system chose). */
  address: ListenAddress;
  /** `http://host:port` for clients on this machine. */
  url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish, closes idle keep-alive connections,
   * and after `graceMs` cuts whatever is still open.
   */
  close(graceMs?: number): Promise<void>;
}

const IDLE_SWEEP_MS = 50;

/** A server on a Unix domain socket, for clients on this host (`unix:` URLs). */
export interface RunningSocketServer {
  server: http.Server;
  socketPath: string;
  close(graceMs?: number): Promise<void>;
}

export async function listen(handler: RequestListener, address: ListenAddress): Promise<RunningServer> {
  const server = await listening(handler, (server, done) => server.listen(address.port, address.host, done));
  const bound = server.address() as AddressInfo;
  const actual = { host: address.host, port: bound.port };
  return { server, address: actual, url: localUrlFor(actual), close: (graceMs) => closeServer(server, graceMs ?? 8000) };
}

/** Listens on `socketPath` (which must not exist: see `removeStaleSocket`); the socket file goes when the server closes. */
export async function listenOnSocket(handler: RequestListener, socketPath: string): Promise<RunningSocketServer> {
  const server = await listening(handler, (server, done) => server.listen(socketPath, done));
  // Only this user may connect: a socket is as open as its file, whatever address the TCP side is bound to.
  await fs.chmod(socketPath, 0o600);
  return { server, socketPath, close: (graceMs) => closeServer(server, graceMs ?? 8000) };
}

async function listening(handler: RequestListener, bind: (server: http.Server, done: () => void) => void): Promise<http.Server> {
  const server = http.createServer(handler);
  // Node's default keep-alive timeout (5 s) is shorter than most load balancers': avoid racing them.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    bind(server, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function closeServer(server: http.Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    // A connection whose request just finished becomes idle: keep sweeping until all are gone.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
