/** A bounded least-recently-used map, for memoising compiled patterns. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  /** The cached value, computing and caching it on a miss. */
  getOrCreate(key: K, create: (key: K) => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const v = create(key);
    this.set(key, v);
    return v;
  }
}
