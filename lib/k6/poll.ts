// Runs INSIDE k6. Polls until a condition holds or the deadline passes; bounded in count and time.
import { sleep } from 'k6';

/** Calls `probe` every `intervalMs` until it returns true or `timeoutMs` passes. Returns elapsed ms, or null on time-out. */
export function pollUntil(probe: () => boolean, timeoutMs: number, intervalMs = 100): number | null {
  const start = Date.now();
  const maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1;
  for (let i = 0; i < maxAttempts; i++) {
    if (probe()) return Date.now() - start;
    if (Date.now() - start >= timeoutMs) break;
    sleep(intervalMs / 1000);
  }
  return null;
}
