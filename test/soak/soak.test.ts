import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFeatureFlags } from '../../lib/config/feature-flags.js';
import { buildSandbox, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { MVP4_TOPOLOGY, mvp4Services, SSE_PATHS } from '../../lib/sandbox/mvp4.js';
import { sandboxSqsClient } from '../../lib/sandbox/sqs/index.js';
import { readCheckpoint, runSoak, signUpSoakUsers, sseStability } from '../../lib/soak/index.js';

// The soak end to end without k6: the sandbox, N eventsource clients, traffic from a Node loop, the bus witness.
// Heartbeats every 300 ms so a few seconds show the heartbeat checks; each fault must fail exactly its check.
const HEARTBEAT = 300;
let sb: Sandbox | null = null;
afterEach(async () => {
  await sb?.stop();
  sb = null;
});

async function soak(faults: string[], opts: { clients?: number; plannedMs?: number } = {}) {
  sb = await buildSandbox({
    topology: MVP4_TOPOLOGY,
    services: mvp4Services({ sse: { heartbeatMs: HEARTBEAT } }),
    flags: await loadFeatureFlags('flags/mvp4.json'),
    faults: parseFaults(faults),
  });
  const runId = `soak-test-${Math.random().toString(36).slice(2)}`;
  const e = sb.endpoints;
  const users = await signUpSoakUsers(e.gateway, runId, opts.clients ?? 5);
  const sqs = sandboxSqsClient(e.sqs, e.region);
  const dir = join(mkdtempSync(join(tmpdir(), 'qsl-soak-')), 'soak');
  const stop = new AbortController();
  let sent = 0;
  // Steady traffic: a compliance check per user in turn every 50 ms (each publishes ComplianceDecided for that user).
  const traffic = (async () => {
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; !stop.signal.aborted; i++) {
      const u = users[i % users.length];
      await fetch(`${e.gateway}/api/compliance/checks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-run-id': runId, authorization: `Bearer ${u.token}` },
        body: JSON.stringify({ subject: { name: 'Ada', country: 'DE', documentId: 'DE12345678', dateOfBirth: '1990-01-01' }, amount: i }),
      });
      sent += 1;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const plannedMs = opts.plannedMs ?? 3000;
  setTimeout(() => stop.abort(), plannedMs);
  const cp = await runSoak({
    runId,
    streamUrl: e.gateway + SSE_PATHS.mobile,
    adminUrl: e.admin,
    sqs,
    target: {
      name: 'sandbox',
      environment: 'sandbox',
      sandbox: true,
      gateway: e.gateway,
      admin: e.admin,
      region: e.region,
      eventbridgeEndpoint: e.eventbridge,
      sqsEndpoint: e.sqs,
      eventBus: 'qsl-core',
      serviceQueues: [],
      rollback: { sandbox: true },
    },
    users,
    plannedMs,
    heartbeatMs: HEARTBEAT,
    retryMs: 1000,
    dir,
    signal: new AbortController().signal,
    trafficDone: traffic,
    log: () => {},
  });
  sqs.destroy();
  expect(readCheckpoint(dir)).toEqual(cp);
  return { cp, probe: sseStability(cp), sent };
}

const failing = (p: ReturnType<typeof sseStability>) =>
  (p.details!.checks as Array<{ check: string; pass: boolean }>).filter((c) => !c.pass).map((c) => c.check);

describe('SSE soak', () => {
  it('clean: every event the buses carried for a user arrives once on its stream; stable', async () => {
    const { cp, probe, sent } = await soak([]);
    expect(failing(probe)).toEqual([]);
    expect(probe.value).toBe(1);
    expect(cp.final).toBe(true);
    expect(cp.counters.expected).toBeGreaterThanOrEqual(sent - 2);
    expect(cp.counters.received).toBeGreaterThanOrEqual(cp.counters.expected);
    expect(cp.counters.heartbeats).toBeGreaterThan(5 * 5);
    expect(cp.rss.length).toBeGreaterThanOrEqual(2);
  });

  it('sse.drop: events lost on the stream are missed (the buses carried them)', async () => {
    const { probe, cp } = await soak(['sse.drop=0.2']);
    expect(failing(probe)).toEqual(['missed events (bus vs stream, after reconnects)']);
    expect(cp.counters.missed).toBeGreaterThan(0);
    expect(cp.samples.missed.length).toBeGreaterThan(0);
  });

  it('sse.disconnect: streams dropped and resumed with Last-Event-ID: nothing missed, but not stable', async () => {
    const { probe, cp } = await soak(['sse.disconnect=1']);
    expect(failing(probe)).toEqual(['no stream dropped (disconnects)']);
    expect(cp.counters.disconnects['server-closed']).toBeGreaterThanOrEqual(5);
    expect(cp.counters.reconnects).toBeGreaterThanOrEqual(5);
    expect(cp.counters.missed).toBe(0);
    expect(cp.counters.duplicates).toBe(0);
  });

  it('sse.heartbeat=off: the largest heartbeat gap exceeds twice the interval', async () => {
    const { probe, cp } = await soak(['sse.heartbeat=off']);
    expect(failing(probe)).toEqual(['largest heartbeat gap (ms)']);
    expect(cp.counters.heartbeats).toBe(0);
    expect(cp.counters.maxHeartbeatGapMs).toBeGreaterThan(2 * HEARTBEAT);
  });
});
