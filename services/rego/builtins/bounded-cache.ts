/**
 * A small least-recently-used cache. Built-ins use it to memoise pure, expensive parses (keys,
 * certificates, signature checks) across queries: the cached value depends only on the key, so
 * sharing it cannot change any result.
 *
 * Two generations instead of re-inserting on every hit (which churns a Map's table): entries live
 * in `recent` or `older`; a hit in `older` is promoted; when `recent` is full it becomes `older`
 * and the previous `older` generation is dropped. Everything used within the last `capacity / 2`
 * insertions survives.
 */
export class BoundedCache<K, V> {
  private recent = new Map<K, V>();
  private older = new Map<K, V>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    const hit = this.recent.get(key);
    if (hit !== undefined) return hit;
    const old = this.older.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.recent.size >= this.generationSize) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, value);
  }

  /** The cached value, computing and storing it on a miss. */
  getOrCompute(key: K, compute: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    this.set(key, value);
    return value;
  }
}
