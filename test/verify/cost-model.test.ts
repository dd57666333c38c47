import { describe, expect, it } from 'vitest';
import { costTargets, loadPricing, priceUsage, type UsageSnapshot } from '../../lib/cost/index.js';

const pricing = loadPricing('pricing/aws-us-east-1.json');
const q = (over: Partial<UsageSnapshot['sqs']['byQueue'][string]> = {}) => ({
  fifo: false,
  send: 0,
  receive: 0,
  emptyReceive: 0,
  delete: 0,
  other: 0,
  ...over,
});
const snap = (at: number, eb: number, sqs: Record<string, ReturnType<typeof q>>): UsageSnapshot => ({
  at,
  eventBridge: { bySource: { 'qsl.marketplace': { entries: eb, chunks: eb } } },
  sqs: { byQueue: sqs, unattributed: 0 },
});

describe('cost model', () => {
  it('prices EventBridge chunks and SQS requests by queue kind, leaving the harness queue out and idle receives apart', () => {
    const from = snap(0, 0, { 'qsl-a': q(), 'qsl-l.fifo': q({ fifo: true }), 'qsl-audit': q() });
    const to = snap(10_000, 1_000_000, {
      'qsl-a': q({ send: 1_000_000, emptyReceive: 500_000 }),
      'qsl-l.fifo': q({ fifo: true, send: 1_000_000 }),
      'qsl-audit': q({ receive: 9_999_999 }),
    });
    const u = priceUsage(from, to, pricing, new Set(['qsl-audit']));
    expect(u.eventBridgeUsd).toBeCloseTo(1.0);
    expect(u.byQueue['qsl-a'].usd).toBeCloseTo(0.6); // 1.5 M standard requests at $0.40
    expect(u.byQueue['qsl-l.fifo'].usd).toBeCloseTo(0.5);
    expect(u.byQueue['qsl-audit']).toBeUndefined();
    expect(u.excludedRequests).toBe(9_999_999);
    expect(u.trafficUsd).toBeCloseTo(1.0 + 0.4 + 0.5);
    expect(u.idleUsd).toBeCloseTo(0.2);
  });

  it('extrapolates per operation and per second to a month and compares with the legacy cost', () => {
    const a = snap(0, 0, { 'qsl-a': q() });
    const b = snap(100_000, 100, { 'qsl-a': q({ send: 100, receive: 100, delete: 100, emptyReceive: 1000 }) });
    const end = snap(200_000, 300, { 'qsl-a': q({ send: 300, receive: 300, delete: 300, emptyReceive: 2000 }) });
    const targets = { monthlyOperations: 1_000_000, legacyMonthlyUsd: 100, reductionTargetPct: 30 };
    const r = costTargets({
      marks: [
        { scenario: 'one', snapshot: a },
        { scenario: 'two', snapshot: b },
      ],
      end,
      operations: { one: 100, two: 200 },
      targets,
      pricing,
      harnessQueues: new Set(),
    });
    // Traffic: 300 EB entries ($1/M) + 900 SQS requests ($0.40/M) over 300 operations.
    const perOp = (300 * 1e-6 + 900 * 0.4e-6) / 300;
    const idle = ((2000 * 0.4e-6) / 200) * 30 * 24 * 3600;
    const monthly = perOp * 1_000_000 + idle;
    expect((r.details as any).projection.monthlyUsd).toBeCloseTo(monthly, 1);
    expect(r.value).toBe(1 - monthly / 100 >= 0.3 ? 1 : 0);
    expect((r.details as any).perOperationType.map((o: any) => [o.operationType, o.operations])).toEqual([
      ['one', 100],
      ['two', 200],
    ]);
    const tight = costTargets({
      marks: [{ scenario: 'one', snapshot: a }],
      end,
      operations: { one: 300 },
      targets: { ...targets, legacyMonthlyUsd: 1 },
      pricing,
      harnessQueues: new Set(),
    });
    expect(tight.value).toBe(0);
    expect(tight.note).toMatch(/reduction, target 30%/);
  });

  it('is not measured without operations or snapshots', () => {
    const a = snap(0, 0, {});
    expect(
      costTargets({
        marks: [],
        end: a,
        operations: {},
        targets: { monthlyOperations: 1, legacyMonthlyUsd: 1, reductionTargetPct: 1 },
        pricing,
        harnessQueues: new Set(),
      }).value,
    ).toBeNull();
    expect(
      costTargets({
        marks: [{ scenario: 'x', snapshot: a }],
        end: a,
        operations: { x: 0 },
        targets: { monthlyOperations: 1, legacyMonthlyUsd: 1, reductionTargetPct: 1 },
        pricing,
        harnessQueues: new Set(),
      }).value,
    ).toBeNull();
  });
});
