import type { Response } from 'express';

/**
 * Fewer socket writes per MCP answer. The SDK answers a POST with an SSE stream: its HTTP layer flushes
 * the headers at once, then writes each event and the closing chunk separately, so a plain tool result
 * costs three writes. Here the headers wait for the first event, and writes made in the same turn of
 * the event loop leave in one; progress events still go out as they come. Only for POST answers: a GET
 * stream's headers must reach the client before any event exists.
 */
export function coalesceWrites(res: Response): void {
  const socket = res.socket;
  if (!socket) return;
  let corked = false;
  res.flushHeaders = () => undefined;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.write = ((...args: unknown[]) => {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as Response['write'];
}
