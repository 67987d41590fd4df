/** Retries `attempt` until it resolves, pausing between tries; rethrows the last failure once the tries are used up. */
export async function eventually<T>(attempt: () => Promise<T>, tries = 100, pauseMs = 50): Promise<T> {
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
