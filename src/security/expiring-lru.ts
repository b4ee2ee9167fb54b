/**
 * A bounded LRU map whose entries also expire at their own time. Used for verified ID cards (an entry
 * lives no longer than the card) and for MessageID replay detection. Instances are created by the
 * security stack and passed in; nothing here is module state.
 */
export class ExpiringLru<V> {
  private readonly map = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    readonly maxEntries: number,
    private readonly clock: () => number,
  ) {
    if (!(maxEntries > 0)) throw new Error('maxEntries must be positive');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock()) {
      this.map.delete(key);
      return undefined;
    }
    // refresh recency: Map iteration order is insertion order
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V, expiresAt: number): void {
    if (expiresAt <= this.clock()) return;
    this.map.delete(key);
    this.map.set(key, { value, expiresAt });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}
