/**
 * Long-poll waits (`GET …?wait=`) keyed by an item's id: a request sleeps until the item changes
 * (`wake`) or its time is up, whichever comes first; `wakeAll` releases every request when a service stops.
 */
export class Waiters {
  private readonly byKey = new Map<string, Set<() => void>>();

  until(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  wake(key: string): void {
    const set = this.byKey.get(key);
    this.byKey.delete(key);
    for (const wake of set ?? []) wake();
  }

  wakeAll(): void {
    for (const set of this.byKey.values()) for (const wake of set) wake();
    this.byKey.clear();
  }
}
