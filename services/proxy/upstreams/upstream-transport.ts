import path from 'node:path';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../common';
import { isStdioServer, type UpstreamConfig } from '../config/servers-file';
import { StreamableHttpClient } from './streamable-http-client';

/**
 * A client transport towards an upstream. Streamable HTTP can tell which of the proxy's requests a message of
 * the server came with (`relatedRequestOf`, see StreamableHttpClient); stdio and legacy SSE cannot.
 */
export type UpstreamTransport = Transport & { relatedRequestOf?(message: JSONRPCMessage): RequestId | null | undefined };

/**
 * A fresh SDK client transport for one upstream. stdio commands run in `cwd` resolved against the
 * config file's directory; their stderr goes to the proxy's log. Client tokens are never added here:
 * remote upstreams get only the headers the config names.
 */
export function createUpstreamTransport(name: string, config: UpstreamConfig, baseDir: string, logger: Logger): UpstreamTransport {
  if (isStdioServer(config)) {
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: config.env,
      cwd: path.resolve(baseDir, config.cwd ?? '.'),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      logger.debug({ upstream: name, stderr: chunk.toString('utf8').trimEnd() }, 'upstream stderr');
    });
    return transport;
  }
  const url = new URL(config.url);
  if (config.type === 'sse') return new SSEClientTransport(url, { requestInit: { headers: config.headers ?? {} } });
  return new StreamableHttpClient(url, config.headers);
}
