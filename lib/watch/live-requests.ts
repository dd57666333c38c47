import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

/** One second of the watch load's requests, as k6 reported them. */
export interface RequestSecond {
  requests: number;
  failed: number;
  durations: number[];
}

/**
 * Tails the NDJSON file k6 writes (`--out json=`) and buckets the watch scenario's requests by
 * second. Setup requests (no `scenario` tag of the watch) are left out: they prepare data, they are
 * not the platform's behaviour under the rollout.
 */
export class LiveRequests {
  private offset = 0;
  private carry = '';
  private readonly buckets = new Map<number, RequestSecond>();
  /** Epoch ms of the first second with a request, null before the load starts. */
  firstSecond: number | null = null;
  total = 0;
  totalFailed = 0;

  constructor(
    private readonly file: string,
    private readonly scenario = 'watch',
  ) {}

  /** Reads what k6 appended since the last call. */
  poll(): void {
    if (!existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      while (this.offset < size) {
        const buf = Buffer.alloc(Math.min(size - this.offset, 4 << 20));
        const n = readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        const lines = (this.carry + buf.toString('utf8', 0, n)).split('\n');
        this.carry = lines.pop() ?? '';
        for (const l of lines) this.line(l);
      }
    } finally {
      closeSync(fd);
    }
  }

  private line(l: string): void {
    if (!l.includes('"Point"') || !l.includes('"http_req')) return;
    let p: { metric?: string; type?: string; data?: { time?: string; value?: number; tags?: Record<string, string> } };
    try {
      p = JSON.parse(l);
    } catch {
      return;
    }
    if (p.type !== 'Point' || p.data?.tags?.scenario !== this.scenario || typeof p.data.value !== 'number') return;
    const t = Date.parse(p.data.time ?? '');
    if (!Number.isFinite(t)) return;
    const second = Math.floor(t / 1000) * 1000;
    const b = this.bucket(second);
    if (p.metric === 'http_reqs') {
      b.requests += 1;
      this.total += 1;
      this.firstSecond = this.firstSecond === null ? second : Math.min(this.firstSecond, second);
    } else if (p.metric === 'http_req_failed') {
      b.failed += p.data.value ? 1 : 0;
      this.totalFailed += p.data.value ? 1 : 0;
    } else if (p.metric === 'http_req_duration') b.durations.push(p.data.value);
  }

  private bucket(second: number): RequestSecond {
    let b = this.buckets.get(second);
    if (!b) this.buckets.set(second, (b = { requests: 0, failed: 0, durations: [] }));
    return b;
  }

  /** Removes and returns the second starting at `t` (empty when nothing finished in it). */
  take(t: number): RequestSecond {
    const b = this.buckets.get(t) ?? { requests: 0, failed: 0, durations: [] };
    this.buckets.delete(t);
    return b;
  }
}

/** Nearest-rank p95 of one second's durations, null when empty. */
export function p95Of(durations: readonly number[]): number | null {
  if (durations.length === 0) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)];
}
