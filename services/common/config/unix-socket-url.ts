import path from 'node:path';

/**
 * `unix:/path/to/pdp.sock` (or `unix:///path/to/pdp.sock`): an HTTP service reached over a Unix domain
 * socket on this host, which skips the loopback TCP stack: on the development VM a PDP call over it took
 * 11–81 µs less at the median than over TCP (docs/proxy.md "Where a cold call's time goes").
 */
const UNIX_URL = /^unix:(?:\/\/)?(\/.*)$/;

// sockaddr_un.sun_path is 108 bytes on Linux, the terminating NUL included.
export const MAX_SOCKET_PATH_BYTES = 107;

/** The socket path a `unix:` URL names, or undefined for any other URL. */
export function unixSocketPathOf(url: string): string | undefined {
  return UNIX_URL.exec(url)?.[1];
}

export function unixSocketUrl(socketPath: string): string {
  return `unix:${socketPath}`;
}

/** An absolute path short enough to bind, or the reason it is not. */
export function socketPathProblem(socketPath: string): string | undefined {
  if (!path.isAbsolute(socketPath)) return 'expected an absolute socket path';
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) return `a socket path has at most ${MAX_SOCKET_PATH_BYTES} bytes`;
  return undefined;
}
