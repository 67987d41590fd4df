import { CONTENDED_MS, createChainTurns } from '../store/chain-turns';

const link = (seq: number) => ({ seq, hash: `h${seq}` });

describe('chain turns', () => {
  it('chains each batch from the links of the one before, which it waits for only to check and commit', async () => {
    const turns = createChainTurns();
    const first = turns.take(['a']);
    expect(await first.bases).toEqual(new Map([['a', undefined]]));
    const second = turns.take(['a', 'b']);
    first.extend(new Map([['a', link(10)]]));
    expect(await second.bases).toEqual(new Map([['a', link(10)], ['b', undefined]]));

    let secondMayCheck = false;
    void second.earlierDone.then(() => (secondMayCheck = true));
    await Promise.resolve();
    expect(secondMayCheck).toBe(false);
    first.done(true);
    expect(await second.earlierDone).toBe(true);
  });

  it('after a batch gives up, the next ones start from the head and learn that an earlier one failed', async () => {
    const turns = createChainTurns();
    const first = turns.take(['a']);
    first.extend(new Map([['a', link(5)]]));
    first.done(true);
    const failing = turns.take(['a']);
    const chainedOnIt = turns.take(['a']);
    failing.extend(new Map([['a', link(6)]]));
    expect(await chainedOnIt.bases).toEqual(new Map([['a', link(6)]]));
    failing.done(false);
    expect(await chainedOnIt.earlierDone).toBe(false);
    expect(await turns.take(['a']).bases).toEqual(new Map([['a', undefined]]));
  });

  it('a batch that never chained leaves no link: the next one reads the head', async () => {
    const turns = createChainTurns();
    turns.take(['a']).done(true);
    expect(await turns.take(['a']).bases).toEqual(new Map([['a', undefined]]));
  });

  it('writes a tenant another instance moved lock-first for a while', async () => {
    let now = 1_000;
    const turns = createChainTurns(() => now);
    const known = turns.take(['a']);
    known.extend(new Map([['a', link(3)]]));
    known.done(true);
    turns.contended(['a']);
    const during = turns.take(['a']);
    expect(await during.bases).toEqual(new Map([['a', undefined]]));
    during.extend(new Map([['a', link(4)]]));
    during.done(true);
    now += CONTENDED_MS + 1;
    expect(await turns.take(['a']).bases).toEqual(new Map([['a', link(4)]]));
  });
});
