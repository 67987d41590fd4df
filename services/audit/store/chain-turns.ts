/** A tenant's last link: the sequence number and hash the next event chains from. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * One batch's place in the order of this process's writes to its tenants. Batches chain from the links
 * the batch before them computed, without waiting for it to commit; only the check of the heads and
 * the commit are taken in turn. The check under the heads' row locks is what keeps the chain whole: a
 * batch whose bases are not the heads any more (the batch before it failed, or another instance wrote
 * the tenant) is rolled back and written again.
 */
export interface BatchTurn {
  /** Per tenant, the link to chain from, or undefined when this process does not know it: then lock and read the head first. */
  bases: Promise<Map<string, ChainHead | undefined>>;
  /** Gives the batch's last link per tenant to the batches after it. */
  extend(tails: ReadonlyMap<string, ChainHead>): void;
  /** Resolves once the batches before this one, for its tenants, have committed (true) or one gave up (false). */
  earlierDone: Promise<boolean>;
  /** Committed, or given up (`committed` false): the batches after it may check their heads. */
  done(committed: boolean): void;
}

export interface ChainTurns {
  /** Takes the next turn for these tenants. Synchronous, so turns follow the order of the calls. */
  take(tenants: readonly string[]): BatchTurn;
  /**
   * Another instance wrote these tenants: for a while their batches lock the heads first, as in a
   * strictly serial writer, instead of chaining ahead and being rolled back again and again.
   */
  contended(tenants: readonly string[]): void;
}

/** How long a tenant another instance wrote is written lock-first. */
export const CONTENDED_MS = 10_000;

interface TenantState {
  /** The last link the latest batch will leave, or undefined when it is unknown. */
  tail: Promise<ChainHead | undefined>;
  /** The latest batch has committed (true) or given up (false). */
  done: Promise<boolean>;
  lockFirstUntil: number;
}

export function createChainTurns(now: () => number = Date.now): ChainTurns {
  const tenants = new Map<string, TenantState>();

  return {
    take(names) {
      const tails = deferred<ReadonlyMap<string, ChainHead> | undefined>();
      const finished = deferred<boolean>();
      const bases: Promise<[string, ChainHead | undefined]>[] = [];
      const earlier: Promise<boolean>[] = [];
      for (const tenant of names) {
        const state = tenants.get(tenant);
        const lockFirst = state !== undefined && state.lockFirstUntil > now();
        bases.push(lockFirst || !state ? Promise.resolve([tenant, undefined]) : state.tail.then((tail) => [tenant, tail]));
        if (state) earlier.push(state.done);
        tenants.set(tenant, {
          tail: tails.promise.then((links) => links?.get(tenant)),
          done: finished.promise,
          lockFirstUntil: state?.lockFirstUntil ?? 0,
        });
      }
      let extended = false;
      return {
        bases: Promise.all(bases).then((entries) => new Map(entries)),
        extend(links) {
          extended = true;
          tails.resolve(links);
        },
        earlierDone: Promise.all(earlier).then((outcomes) => outcomes.every(Boolean)),
        done(committed) {
          // A batch that gave up leaves no link to chain from: the next one reads the head again.
          if (!extended || !committed) tails.resolve(undefined);
          if (!committed) forgetTails(names);
          finished.resolve(committed);
        },
      };
    },
    contended(names) {
      for (const tenant of names) {
        const state = tenants.get(tenant);
        if (state) state.lockFirstUntil = now() + CONTENDED_MS;
      }
    },
  };

  /** Batches that took their turn after a failed one chained from its links; the next turns start from the head. */
  function forgetTails(names: readonly string[]): void {
    for (const tenant of names) {
      const state = tenants.get(tenant);
      if (state) state.tail = Promise.resolve(undefined);
    }
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
