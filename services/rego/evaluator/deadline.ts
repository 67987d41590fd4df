/** Cancellation: evaluation steps tick a shared counter and read the clock every so often. */
import { RegoError } from '../errors';
import { DEADLINE_CHECK_INTERVAL, type EvalContext } from './types';

export function checkDeadline(c: EvalContext): void {
  if (c.deadline !== 0 && (++c.query.ticks & (DEADLINE_CHECK_INTERVAL - 1)) === 0 && performance.now() > c.deadline) {
    throw new RegoError('eval_cancel_error', 'caller cancelled query execution');
  }
}
