import { connectClient, startTestProxy } from '../test/support/proxy-harness';
import { startRealPdp } from '../test/support/real-pdp';

/**
 * Whether sessions leave anything behind: one process holds the real PDP, the proxy (server-everything
 * over stdio behind it) and the clients; each round opens SESSIONS sessions at once, makes CALLS calls
 * on each (same arguments, and one with unique arguments so the decision cache grows), closes them, and
 * prints the heap used after a full garbage collection. Flat figures from the second round on mean no
 * growth per session.
 * Run: npm run bench:proxy-heap
 * Environment: HEAP_SESSIONS (150), HEAP_CALLS (5), HEAP_ROUNDS (6), HEAP_UNIQUE (1).
 */
const SESSIONS = Number(process.env.HEAP_SESSIONS ?? 150);
const CALLS = Number(process.env.HEAP_CALLS ?? 5);
const ROUNDS = Number(process.env.HEAP_ROUNDS ?? 6);
// Whether each session's first call has unique arguments (1, default), which fills the decision caches (bounded, 10,000 entries).
const UNIQUE = process.env.HEAP_UNIQUE !== '0';

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const pdp = await startRealPdp();
  const proxy = await startTestProxy({ pdpUrl: pdp.url, settings: { rateLimitPerSecond: 0 } });
  let errors = 0;
  let unique = 0;
  try {
    const figures: string[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const clients = await Promise.all(Array.from({ length: SESSIONS }, () => connectClient(proxy.url)));
      await Promise.all(
        clients.map(async ({ client }) => {
          for (let i = 0; i < CALLS; i += 1) {
            const message = UNIQUE && i === 0 ? `unique-${(unique += 1)}` : 'same';
            await client.callTool({ name: 'everything__echo', arguments: { message } }).catch(() => (errors += 1));
          }
        }),
      );
      await Promise.all(clients.map(async ({ client, transport }) => {
        await transport.terminateSession().catch(() => undefined);
        await client.close();
      }));
      // Let closes and timers settle before measuring. The test harness keeps every audit event and
      // every policy input it saw; those are the check's own, not the proxy's, so they are let go.
      await new Promise((resolve) => setTimeout(resolve, 200));
      proxy.audit.length = 0;
      pdp.inputs.length = 0;
      gc();
      gc();
      const used = process.memoryUsage().heapUsed / 1e6;
      figures.push(used.toFixed(1));
      process.stdout.write(`round ${round}: ${SESSIONS} sessions x ${CALLS} calls, open sessions after close ${proxy.components.sessions.count()}, heap used after GC ${used.toFixed(1)} MB\n`);
    }
    process.stdout.write(`heap used after GC per round (MB): ${figures.join(', ')}; errors ${errors} of ${ROUNDS * SESSIONS * CALLS} calls\n`);
  } finally {
    await proxy.close();
    await pdp.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`session heap check failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
