import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryTotals, evaluateRollbackTriggers, type UndeliveredNotification } from '../../lib/verdict/index.js';
import { notificationsDelivered, type OwedNotifications } from '../../lib/verify/index.js';

type Row = { eventId: string; userId: string; type: string };

let server: Server | null = null;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A stand-in for the platform's admin API: `GET /admin/notifications` answers what the test says it emitted and delivered. */
async function admin(view: { expected: Row[]; delivered: Row[] }): Promise<string> {
  server = createServer((req, res) => {
    if (!req.url?.startsWith('/admin/notifications')) return void res.writeHead(404).end();
    const delivered = view.delivered.map((d) => ({ ...d, deliveredAt: '2026-12-06T12:00:00.000Z' }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ expected: view.expected, delivered }));
  });
  await new Promise<void>((ready) => server!.listen(0, '127.0.0.1', ready));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const owedFrom = (rows: Array<{ userId: string; type: string; count: number }>): OwedNotifications =>
  new Map(rows.map((r) => [`${r.userId}\u0000${r.type}`, r]));
const quick = { timeoutMs: 0, stallMs: 0 };

describe('notifications delivered', () => {
  // u1 updated the profile twice (events p1, p2); the platform delivered p1 twice (at-least-once) and never p2.
  const emitted: Row[] = [
    { eventId: 's1', userId: 'u1', type: 'UserSignedUp' },
    { eventId: 'p1', userId: 'u1', type: 'UserProfileUpdated' },
    { eventId: 'p2', userId: 'u1', type: 'UserProfileUpdated' },
  ];
  const owed = owedFrom([
    { userId: 'u1', type: 'UserSignedUp', count: 1 },
    { userId: 'u1', type: 'UserProfileUpdated', count: 2 },
  ]);

  it('matches by event id: a duplicate delivery counts once and does not hide a dropped one, which is named', async () => {
    const url = await admin({ expected: emitted, delivered: [emitted[0], emitted[1], emitted[1]] });
    const r = await notificationsDelivered(url, 'r1', owed, quick);
    expect(r.value).toBeCloseTo(2 / 3);
    expect(r.details).toMatchObject({ owed: 3, delivered: 2 });
    expect(r.details!.undelivered as UndeliveredNotification[]).toEqual([
      { userId: 'u1', type: 'UserProfileUpdated', missing: 1, eventIds: ['p2'] },
    ]);
    expect(r.note).toMatch(/1 of 3 notifications .* never arrived .*source events: p2/);
  });

  it('is 1 when every owed notification arrived, duplicates included', async () => {
    const url = await admin({ expected: emitted, delivered: [...emitted, emitted[2]] });
    const r = await notificationsDelivered(url, 'r1', owed, quick);
    expect(r.value).toBe(1);
    expect(r.details).toMatchObject({ owed: 3, delivered: 3, undelivered: [] });
  });

  it('feeds what it writes to the Delivery Failure trigger: undelivered notifications make the trigger fire', async () => {
    const url = await admin({ expected: emitted, delivered: [emitted[0]] });
    const probes = { 'notifications-delivered': await notificationsDelivered(url, 'r1', owed, quick) };
    const totals = deliveryTotals(probes, 0);
    expect(totals).toEqual({ deliveries: 3, failures: 2, source: '2 of 3 notifications undelivered, 0 DLQ arrival(s) during the run' });
    const triggers = evaluateRollbackTriggers([{ t: 0, requests: 100, failed: 0, p95: 20 }], 0, totals);
    expect(triggers.value).toBe(1);
    expect(triggers.note).toMatch(/would have fired: .*[Dd]elivery/);
  });
});
