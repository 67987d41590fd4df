import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ToolListChangedNotificationSchema, type McpError } from '@modelcontextprotocol/sdk/types.js';
import { connectClient } from './support/proxy-harness';
import { eventually } from './support/eventually';
import { useProxyStack, type ProxyStack } from './support/proxy-stack';

function errorOf(promise: Promise<unknown>): Promise<McpError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: McpError) => error,
  );
}

/** Calls, stops the PDP, expects -32001 "authorization unavailable" and an open breaker, restarts it, expects the calls to pass again. */
async function failsClosedWhileThePdpIsDown(stack: ProxyStack): Promise<void> {
  const { client } = await connectClient(stack.proxy.url);
  await client.callTool({ name: 'everything__echo', arguments: { message: 'before' } });
  await stack.pdp.stop();
  for (const message of ['a', 'b', 'c', 'd', 'e', 'f']) {
    const failure = await errorOf(client.callTool({ name: 'everything__echo', arguments: { message } }));
    expect(failure.code).toBe(-32001);
    expect(failure.message).toContain('authorization unavailable');
  }
  const listed = await client.listTools().catch((error: McpError) => error);
  expect((listed as McpError).code).toBe(-32001);
  const metrics = await (await fetch(new URL('/metrics', stack.proxy.url))).text();
  expect(metrics).toMatch(/proxy_pdp_breaker_state\{[^}]*\} 2/);
  await stack.pdp.restart();
  const result = await eventually(() => client.callTool({ name: 'everything__echo', arguments: { message: 'after' } }));
  expect(JSON.stringify(result.content)).toContain('after');
  await client.close();
}

describe('the proxy asking the PDP over a Unix socket (PDP_URL unix:/path)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-pdp-socket-'));
  const stack = useProxyStack({ settings: { pdpBreakerResetMs: 1500, pdpTimeoutMs: 500 }, pdpSocketPath: path.join(dir, 'pdp.sock') });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('allows through it, denies with -32001 "authorization unavailable" while the PDP is down, then allows again', async () => {
    expect(stack.pdp.url).toBe(`unix:${path.join(dir, 'pdp.sock')}`);
    await failsClosedWhileThePdpIsDown(stack);
  });
});

describe('the proxy fails closed and recovers', () => {
  const stack = useProxyStack({ settings: { pdpBreakerResetMs: 1500, pdpTimeoutMs: 500 } });

  it('denies with -32001 "authorization unavailable" while the PDP is down, then allows again', async () => {
    await failsClosedWhileThePdpIsDown(stack);
  });

  it('answers -32001 while the stdio upstream is down and recovers after the restart', async () => {
    const { client } = await connectClient(stack.proxy.url);
    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (listChanged += 1));
    await eventually(() => client.callTool({ name: 'everything__echo', arguments: { message: 'up' } }));
    const pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'server-everything']).toString().trim().split('\n');
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    await eventually(async () => {
      if (stack.proxy.components.pool.get('everything')?.state() === 'ready') throw new Error('still up');
    });
    const failure = await errorOf(client.callTool({ name: 'everything__echo', arguments: { message: 'down' } }));
    expect(failure.code).toBe(-32001);
    expect((await fetch(new URL('/ready', stack.proxy.url))).status).toBe(503);
    const result = await eventually(() => client.callTool({ name: 'everything__echo', arguments: { message: 'again' } }));
    expect(JSON.stringify(result.content)).toContain('again');
    await eventually(async () => {
      if (listChanged === 0) throw new Error('no tools/list_changed after the restart yet');
    });
    await client.close();
  });
});
