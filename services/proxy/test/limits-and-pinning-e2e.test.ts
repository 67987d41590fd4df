import { randomUUID } from 'node:crypto';
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../../common';
import { approveToolPins, readToolPinsFile, writeToolPinsFile } from '../pinning/tool-pins-file';
import { createMemoryRateLimiter } from '../rate-limit/memory-rate-limiter';
import { createRedisRateLimiter } from '../rate-limit/redis-rate-limiter';
import { connectClient } from './support/proxy-harness';
import { eventually } from './support/eventually';
import { useProxyStack } from './support/proxy-stack';

describe('per-principal rate limits', () => {
  const stack = useProxyStack({ limiter: createMemoryRateLimiter({ capacity: 3, refillPerSecond: 0.001 }) });

  it('answers -32005 "rate limit exceeded" once the bucket is empty', async () => {
    const { client } = await connectClient(stack.proxy.url);
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
  const stack = useProxyStack();

  it('pins on first sight, hides and denies a changed definition until approved, and audits the change', async () => {
    const { client } = await connectClient(stack.proxy.url);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('everything__echo');
    const pins = readToolPinsFile(stack.proxy.pinsFile);
    const echo = pins.servers.everything.echo;
    expect(echo.approved).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(echo.approved_definition).toMatchObject({ name: 'echo', inputSchema: { type: 'object' } });

    // Pretend the approved definition was a different one: what the server lists now is a change.
    const listedDefinition = echo.observed_definition;
    echo.approved = 'sha256:earlier';
    echo.observed = 'sha256:earlier';
    echo.approved_definition = { name: 'echo', description: 'an earlier description', inputSchema: {} };
    writeToolPinsFile(stack.proxy.pinsFile, pins);
    await eventually(async () => {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      if (names.includes('everything__echo')) throw new Error('still listed');
    }, 60, 100);
    const failure = (await client.callTool({ name: 'everything__echo', arguments: { message: 'x' } }).catch((error: unknown) => error)) as McpError;
    expect(failure.code).toBe(-32000);
    expect((failure.data as { reason: string }).reason).toContain('changed');
    expect(stack.proxy.audit.find((entry) => entry.action === 'tools/definition_changed')).toMatchObject({ server: 'everything', tool: 'echo' });

    const approved = readToolPinsFile(stack.proxy.pinsFile);
    // A reviewer sees both definitions (the console diffs them); approving adopts the observed one.
    expect(approved.servers.everything.echo.approved_definition).toMatchObject({ description: 'an earlier description' });
    expect(approved.servers.everything.echo.observed_definition).toEqual(listedDefinition);
    expect(approveToolPins(approved, 'everything', undefined, new Date())).toEqual(['echo']);
    expect(approved.servers.everything.echo.approved_definition).toEqual(listedDefinition);
    writeToolPinsFile(stack.proxy.pinsFile, approved);
    await eventually(async () => {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      if (!names.includes('everything__echo')) throw new Error('still hidden');
    }, 60, 100);
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'approved again' } });
    expect(JSON.stringify(result.content)).toContain('approved again');
    await client.close();
  });
});
