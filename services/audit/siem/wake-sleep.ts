/** Sleeps that `wakeAll` ends early, so a stopping relay does not wait out its poll interval. */
export interface WakeableSleep {
  sleep(ms: number): Promise<void>;
  wakeAll(): void;
}

export function createWakeableSleep(): WakeableSleep {
  const sleepers = new Set<() => void>();
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(ms, 0));
        timer.unref();
        sleepers.add(done);
      }),
    wakeAll: () => {
      for (const wake of [...sleepers]) wake();
    },
  };
}
