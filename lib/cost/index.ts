/**
 * MVP 4's cost model ("Cost reduction targets met"): what the run really did on AWS's billing units (read as
 * meter snapshots before and after each scenario), priced with a dated price file, per service and per operation
 * type, extrapolated to the target's monthly volume and compared with the legacy cost.
 *
 * Idle costs (empty long-poll receives) grow with time, not with traffic: they are priced per second of the run
 * and extrapolated to a 30-day month; everything else is priced per business operation (k6 iterations).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CostTargets } from '../config/index.js';
import { createError } from '../errors/index.js';
import type { ProbeResult } from '../verdict/index.js';

const PriceFile = z.object({
  region: z.string(),
  currency: z.literal('USD'),
  pricedAt: z.string(),
  eventBridge: z.object({ customEventsPerMillion: z.number().nonnegative() }),
  sqs: z.object({ standardPerMillion: z.number().nonnegative(), fifoPerMillion: z.number().nonnegative() }),
});
export type Pricing = z.infer<typeof PriceFile>;

export const DEFAULT_PRICING_FILE = 'pricing/aws-us-east-1.json';
const MONTH_S = 30 * 24 * 3600;

/** The meter's shape (GET /admin/billing). */
export interface UsageSnapshot {
  at: number;
  eventBridge: { bySource: Record<string, { entries: number; chunks: number }> };
  sqs: {
    byQueue: Record<string, { fifo: boolean; send: number; receive: number; emptyReceive: number; delete: number; other: number }>;
    unattributed: number;
  };
}

export function loadPricing(file: string): Pricing {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `cannot read the price file ${file}: ${(e as Error).message}. Pass cost.pricingFile shaped like ${DEFAULT_PRICING_FILE}.`,
    );
  }
  const p = PriceFile.safeParse(raw);
  if (!p.success) {
    throw createError(
      'QSL_CONFIG_INVALID',
      `price file ${file} is invalid: ${p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return p.data;
}

/** USD of the usage between two snapshots, split by service (EventBridge source / SQS queue) and idle vs traffic. */
export function priceUsage(from: UsageSnapshot, to: UsageSnapshot, pricing: Pricing, exclude: ReadonlySet<string>) {
  const ebUnit = pricing.eventBridge.customEventsPerMillion / 1e6;
  const bySource: Record<string, { chunks: number; usd: number }> = {};
  let eventBridgeUsd = 0;
  for (const [source, v] of Object.entries(to.eventBridge.bySource)) {
    const chunks = v.chunks - (from.eventBridge.bySource[source]?.chunks ?? 0);
    if (chunks <= 0) continue;
    bySource[source] = { chunks, usd: chunks * ebUnit };
    eventBridgeUsd += chunks * ebUnit;
  }
  const byQueue: Record<string, { fifo: boolean; requests: number; emptyReceives: number; usd: number }> = {};
  let trafficUsd = eventBridgeUsd;
  let idleUsd = 0;
  let excludedRequests = 0;
  for (const [name, q] of Object.entries(to.sqs.byQueue)) {
    const f = from.sqs.byQueue[name];
    const requests = q.send + q.receive + q.delete + q.other - (f ? f.send + f.receive + f.delete + f.other : 0);
    const empty = q.emptyReceive - (f?.emptyReceive ?? 0);
    if (exclude.has(name)) {
      excludedRequests += requests + empty;
      continue;
    }
    const unit = (q.fifo ? pricing.sqs.fifoPerMillion : pricing.sqs.standardPerMillion) / 1e6;
    byQueue[name] = { fifo: q.fifo, requests, emptyReceives: empty, usd: (requests + empty) * unit };
    trafficUsd += requests * unit;
    idleUsd += empty * unit;
  }
  return { bySource, byQueue, eventBridgeUsd, trafficUsd, idleUsd, excludedRequests, seconds: Math.max(0.001, (to.at - from.at) / 1000) };
}

export interface CostInput {
  /** Meter snapshots: one before each scenario, then one at the end. */
  marks: Array<{ scenario: string; snapshot: UsageSnapshot }>;
  end: UsageSnapshot;
  /** Business operations (k6 iterations) per scenario. */
  operations: Record<string, number>;
  targets: CostTargets;
  pricing: Pricing;
  /** Queues that are the harness's own (the audit tap): left out of the platform's cost. */
  harnessQueues: ReadonlySet<string>;
}

/** The `cost-targets` probe: 1 when the extrapolated monthly cost meets the reduction target, 0 when not. */
export function costTargets(input: CostInput): ProbeResult {
  const { marks, end, targets, pricing } = input;
  if (marks.length === 0) return { value: null, note: 'not measured: no usage snapshot was taken' };
  const total = priceUsage(marks[0].snapshot, end, pricing, input.harnessQueues);
  const ops = Object.values(input.operations).reduce((a, b) => a + b, 0);
  const perOperationType = marks.map((m, i) => {
    const next = marks[i + 1]?.snapshot ?? end;
    const u = priceUsage(m.snapshot, next, pricing, input.harnessQueues);
    const n = input.operations[m.scenario] ?? 0;
    return { operationType: m.scenario, operations: n, trafficUsd: u.trafficUsd, usdPerOperation: n > 0 ? u.trafficUsd / n : null };
  });
  const round = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;
  const details = {
    pricing: {
      region: pricing.region,
      pricedAt: pricing.pricedAt,
      eventBridgePerMillion: pricing.eventBridge.customEventsPerMillion,
      sqsStandardPerMillion: pricing.sqs.standardPerMillion,
      sqsFifoPerMillion: pricing.sqs.fifoPerMillion,
    },
    targets,
    run: {
      seconds: round(total.seconds, 1),
      operations: ops,
      trafficUsd: round(total.trafficUsd, 8),
      idleUsd: round(total.idleUsd, 8),
      harnessRequestsExcluded: total.excludedRequests,
    },
    perService: {
      eventBridge: Object.fromEntries(Object.entries(total.bySource).map(([k, v]) => [k, { chunks: v.chunks, usd: round(v.usd, 8) }])),
      sqs: Object.fromEntries(Object.entries(total.byQueue).map(([k, v]) => [k, { ...v, usd: round(v.usd, 8) }])),
    },
    perOperationType: perOperationType.map((p) => ({
      ...p,
      trafficUsd: round(p.trafficUsd, 8),
      usdPerOperation: p.usdPerOperation === null ? null : round(p.usdPerOperation, 10),
    })),
  };
  if (ops <= 0) return { value: null, note: 'not measured: the run did no business operation to price', details };
  const usdPerOperation = total.trafficUsd / ops;
  const monthlyTraffic = usdPerOperation * targets.monthlyOperations;
  const monthlyIdle = (total.idleUsd / total.seconds) * MONTH_S;
  const monthly = monthlyTraffic + monthlyIdle;
  const reduction = 1 - monthly / targets.legacyMonthlyUsd;
  const met = reduction * 100 >= targets.reductionTargetPct;
  return {
    value: met ? 1 : 0,
    note: `projected $${monthly.toFixed(2)}/month (traffic $${monthlyTraffic.toFixed(2)} for ${targets.monthlyOperations.toLocaleString('en-US')} operations at $${usdPerOperation.toExponential(3)} each, idle polling $${monthlyIdle.toFixed(2)}) vs legacy $${targets.legacyMonthlyUsd.toFixed(2)}: ${(reduction * 100).toFixed(1)}% reduction, target ${targets.reductionTargetPct}%`,
    details: {
      ...details,
      projection: {
        usdPerOperation: round(usdPerOperation, 10),
        monthlyTrafficUsd: round(monthlyTraffic, 2),
        monthlyIdleUsd: round(monthlyIdle, 2),
        monthlyUsd: round(monthly, 2),
        legacyMonthlyUsd: targets.legacyMonthlyUsd,
        reductionPct: round(reduction * 100, 2),
        targetPct: targets.reductionTargetPct,
        met,
      },
    },
  };
}
