import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeliveryTracker } from '../../lib/watch/deliveries.js';
import { LiveRequests, p95Of } from '../../lib/watch/live-requests.js';

const point = (metric: string, time: string, value: number, scenario = 'watch') =>
  `${JSON.stringify({ metric, type: 'Point', data: { time, value, tags: { scenario, name: 'POST /api/users/login' } } })}\n`;

describe('live k6 results', () => {
  it("buckets the watch scenario's requests by second as k6 appends them, leaving set-up requests out", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qsl-live-')), 'watch.ndjson');
    writeFileSync(file, '{"type":"Metric","data":{"name":"http_reqs","type":"counter"},"metric":"http_reqs"}\n');
    const live = new LiveRequests(file);
    appendFileSync(
      file,
      point('http_reqs', '2026-01-01T00:00:01.100+00:00', 1) +
        point('http_req_failed', '2026-01-01T00:00:01.100+00:00', 1) +
        point('http_req_duration', '2026-01-01T00:00:01.100+00:00', 40),
    );
    appendFileSync(file, point('http_reqs', '2026-01-01T00:00:00.900+00:00', 1, 'setup') + '{"metric":"http_reqs","type":"Po');
    live.poll();
    expect(live.firstSecond).toBe(Date.parse('2026-01-01T00:00:01Z'));
    appendFileSync(
      file,
      `int","data":{"time":"2026-01-01T00:00:01.700Z","value":1,"tags":{"scenario":"watch"}}}\n` +
        point('http_req_failed', '2026-01-01T00:00:01.700Z', 0) +
        point('http_req_duration', '2026-01-01T00:00:01.700Z', 10),
    );
    live.poll();
    expect(live.take(Date.parse('2026-01-01T00:00:01Z'))).toEqual({ requests: 2, failed: 1, durations: [40, 10] });
    expect(live.take(Date.parse('2026-01-01T00:00:00Z'))).toEqual({ requests: 0, failed: 0, durations: [] });
    expect([live.total, live.totalFailed]).toEqual([2, 1]);
  });

  it('p95 by nearest rank', () => {
    expect(p95Of([])).toBeNull();
    expect(p95Of(Array.from({ length: 20 }, (_, i) => i + 1))).toBe(19);
    expect(p95Of([5])).toBe(5);
  });
});

describe('deliveries', () => {
  it('counts a delivery when it arrives and a failure when its deadline passes undelivered; DLQ arrivals fail', () => {
    const d = new DeliveryTracker(3000);
    d.dlq(1100, 1000);
    d.notifications({ expected: [{ eventId: 'a' }, { eventId: 'b' }], delivered: [{ eventId: 'a' }] }, 1000);
    expect(d.take(1000)).toEqual({ deliveries: 1, failures: 0 });
    d.notifications({ expected: [{ eventId: 'a' }, { eventId: 'b' }], delivered: [{ eventId: 'a' }] }, 3500);
    expect(d.outstanding).toBe(1);
    d.notifications({ expected: [{ eventId: 'a' }, { eventId: 'b' }], delivered: [{ eventId: 'a' }] }, 4200);
    d.dlq(1102, 4300);
    expect(d.take(4000)).toEqual({ deliveries: 3, failures: 3 });
    expect(d.totals).toEqual({ deliveries: 4, failures: 3, undelivered: 1, dlqArrivals: 2 });
  });
});
