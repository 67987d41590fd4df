/**
 * The query's deadline as built-ins see it: long-running ones (large ranges, walks, graph
 * searches, network calls) poll it so that a deadline cuts them short instead of waiting for
 * them to finish. Running out is eval_cancel_error, as for the evaluator's own steps.
 */
import { RegoError } from '../errors';
import type { BuiltinContext } from './registry';

/** Units of work between two reads of the clock (a power of two). */
const POLL_INTERVAL = 4096;

export function cancelled(): RegoError {
  return new RegoError('eval_cancel_error', 'caller cancelled query execution');
}

/** Throws eval_cancel_error once the deadline has passed. */
export function checkDeadline(ctx: BuiltinContext): void {
  if (ctx.deadline !== undefined && ctx.deadline !== 0 && performance.now() > ctx.deadline) throw cancelled();
}

/** Milliseconds left before the deadline (Infinity without one); throws when none are left. */
export function remainingMs(ctx: BuiltinContext): number {
  if (ctx.deadline === undefined || ctx.deadline === 0) return Infinity;
  const left = ctx.deadline - performance.now();
  if (left <= 0) throw cancelled();
  return left;
}

/** Counts units of work and reads the clock every POLL_INTERVAL of them. */
export class DeadlinePoll {
  private n = 0;
  private readonly active: boolean;

  constructor(private readonly ctx: BuiltinContext) {
    this.active = ctx.deadline !== undefined && ctx.deadline !== 0;
  }

  tick(): void {
    if (this.active && (++this.n & (POLL_INTERVAL - 1)) === 0) checkDeadline(this.ctx);
  }
}
