import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `check` until it reports done, or until it makes no progress for `stallMs`, or the deadline.
 * Returns the last value. Bounded in time; used where the platform settles asynchronously.
 */
export async function settle<T>(
  check: () => Promise<{ done: boolean; progress: number; value: T }>,
  opts: { timeoutMs: number; stallMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<{ value: T; done: boolean; waitedMs: number }> {
  const start = Date.now();
  let lastProgress = -1;
  let lastChange = start;
  for (;;) {
    const r = await check();
    const now = Date.now();
    if (r.done) return { value: r.value, done: true, waitedMs: now - start };
    if (r.progress !== lastProgress) {
      lastProgress = r.progress;
      lastChange = now;
    }
    if (now - start >= opts.timeoutMs || now - lastChange >= opts.stallMs || opts.signal?.aborted) {
      return { value: r.value, done: false, waitedMs: now - start };
    }
    await delay(opts.intervalMs ?? 250);
  }
}
