import { randomUUID } from 'node:crypto';
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../../common';
import { approveToolPins, readToolPinsFile, writeToolPinsFile } from '../pinning/tool-pins-file';
import { createMemoryRateLimiter } from '../rate-limit/memory-rate-limiter';
import { createRedisRateLimiter } from '../rate-limit/redis-rate-limiter';
import { connectClient, startTestProxy, type TestProxy } from './support/proxy-harness';
import { startRealPdp, type TestPdpServer } from './support/real-pdp';

async function eventually<T>(attempt: () => Promise<T>, tries = 60, pauseMs = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  throw last;
}

describe('per-principal rate limits', () => {
  let pdp: TestPdpServer;
  let proxy: TestProxy;

  beforeAll(async () => {
    pdp = await startRealPdp();
    proxy = await startTestProxy({ pdpUrl: pdp.url, limiter: createMemoryRateLimiter({ capacity: 3, refillPerSecond: 0.001 }) });
  });
  afterAll(async () => {
    await proxy?.close();
    await pdp?.stop();
  });

  it('answers -32005 "rate limit exceeded" once the bucket is empty', async () => {
    const { client } = await connectClient(proxy.url);
    for (let i = 0; i < 3; i += 1) await client.callTool({ name: 'everything__echo', arguments: { message: `m${i}` } });
    const failure = (await client.callTool({ name: 'everything__echo', arguments: { message: 'one too many' } }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32005);
    expect(failure.message).toContain('rate limit exceeded');
    expect((failure.data as { retry_after_ms: number }).retry_after_ms).toBeGreaterThan(0);
    await client.close();
  });
});

describe('the Redis rate limiter', () => {
  it('shares one bucket between replicas', async () => {
    const prefix = `mcp-authz:test:${randomUUID()}:`;
    const logger = createLogger({ service: 'proxy', level: 'silent' });
    const settings = { capacity: 2, refillPerSecond: 0.001 };
    const replicaA = createRedisRateLimiter('redis://127.0.0.1:6379', settings, logger, prefix);
    const replicaB = createRedisRateLimiter('redis://127.0.0.1:6379', settings, logger, prefix);
    try {
      expect((await replicaA.take('alice')).allowed).toBe(true);
      expect((await replicaB.take('alice')).allowed).toBe(true);
      expect((await replicaA.take('alice')).allowed).toBe(false);
      expect((await replicaB.take('bob')).allowed).toBe(true);
    } finally {
      await replicaA.close();
      await replicaB.close();
    }
  });

  it('refuses when Redis cannot be reached', async () => {
    const limiter = createRedisRateLimiter('redis://127.0.0.1:1', { capacity: 5, refillPerSecond: 1 }, createLogger({ service: 'proxy', level: 'silent' }));
    try {
      expect((await limiter.take('alice')).allowed).toBe(false);
    } finally {
      await limiter.close();
    }
  });
});

describe('tool-definition pinning', () => {
  let pdp: TestPdpServer;
  let proxy: TestProxy;

  beforeAll(async () => {
    pdp = await startRealPdp();
    proxy = await startTestProxy({ pdpUrl: pdp.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await pdp?.stop();
  });

  it('pins on first sight, hides and denies a changed definition until approved, and audits the change', async () => {
    const { client } = await connectClient(proxy.url);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('everything__echo');
    const pins = readToolPinsFile(proxy.pinsFile);
    const echo = pins.servers.everything.echo;
    expect(echo.approved).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(echo.approved_definition).toMatchObject({ name: 'echo', inputSchema: { type: 'object' } });

    // Pretend the approved definition was a different one: what the server lists now is a change.
    const listedDefinition = echo.observed_definition;
    echo.approved = 'sha256:earlier';
    echo.observed = 'sha256:earlier';
    echo.approved_definition = { name: 'echo', description: 'an earlier description', inputSchema: {} };
    writeToolPinsFile(proxy.pinsFile, pins);
    await eventually(async () => {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      if (names.includes('everything__echo')) throw new Error('still listed');
    });
    const failure = (await client.callTool({ name: 'everything__echo', arguments: { message: 'x' } }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32000);
    expect((failure.data as { reason: string }).reason).toContain('changed');
    expect(proxy.audit.find((entry) => entry.action === 'tools/definition_changed')).toMatchObject({ server: 'everything', tool: 'echo' });

    const approved = readToolPinsFile(proxy.pinsFile);
    // A reviewer sees both definitions (the console diffs them); approving adopts the observed one.
    expect(approved.servers.everything.echo.approved_definition).toMatchObject({ description: 'an earlier description' });
    expect(approved.servers.everything.echo.observed_definition).toEqual(listedDefinition);
    expect(approveToolPins(approved, 'everything', undefined, new Date())).toEqual(['echo']);
    expect(approved.servers.everything.echo.approved_definition).toEqual(listedDefinition);
    writeToolPinsFile(proxy.pinsFile, approved);
    await eventually(async () => {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      if (!names.includes('everything__echo')) throw new Error('still hidden');
    });
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'approved again' } });
    expect(JSON.stringify(result.content)).toContain('approved again');
    await client.close();
  });
});
