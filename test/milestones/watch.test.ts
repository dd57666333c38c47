// `npm run watch` end to end: real k6, the embedded sandbox, fault knobs, windows scaled by --window-scale.
// The three runs go one after the other: their windows are seconds long and their limits are times, so three runs
// (each a k6 and a sandbox) sharing 2 cores would let contention, not the platform, decide them (issue 19).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchReport } from '../../lib/watch/index.js';
import { explain, runCli, type CliRun } from './run-cli.js';

const base = ['watch', '--stage', '1', '--window-scale', '0.02', '--rate', '25'];
const report = (r: CliRun) => JSON.parse(readFileSync(join(r.dir, 'watch.json'), 'utf8')) as WatchReport;
const trigger = (w: WatchReport, id: string) => w.triggers.find((t) => t.id === id)!;
const timeline = (r: CliRun) =>
  readFileSync(join(r.dir, 'timeline.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; trigger?: string; action?: string; outcome?: string; detail?: string });

const hooks: Array<{ url: string; body: Record<string, unknown> }> = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    hooks.push({ url: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
    res.writeHead(200).end('{}');
  });
});
let hookBase = '';
let runs: { fault: CliRun; clean: CliRun; pause: CliRun };

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hookBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fault = await runCli([...base, '--duration', '40s', '--fault', 'user.error=0.06'], { outName: 'fault' });
  const clean = await runCli([...base, '--duration', '16s'], { outName: 'clean' });
  const pause = await runCli(
    [
      ...base,
      '--duration',
      '18s',
      '--fault',
      'dlq.fill=1100',
      '--fault',
      'user.latency=600ms',
      '--alert-webhook',
      `${hookBase}/alert`,
      '--pause-webhook',
      `${hookBase}/pause`,
    ],
    {
      outName: 'pause',
    },
  );
  runs = { fault, clean, pause };
}, 240_000);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('npm run watch (sandbox, scaled windows)', () => {
  it('rolls back on user.error=0.06 within the scaled 6 s error-rate window, exits 1, and leaves the stage on the legacy path', () => {
    const r = runs.fault;
    expect(r.code, explain(r)).toBe(1);
    const w = report(r);
    expect(w.outcome).toBe('fired');
    expect(w.triggers.map((t) => [t.id, t.fired])).toEqual([
      ['error-rate', true],
      ['p95-latency', false],
      ['dlq-depth', false],
      ['delivery-failure', false],
    ]);
    const e = trigger(w, 'error-rate');
    expect(e.windowSeconds).toBe(6);
    expect(e.worst).toBeGreaterThan(0.05);
    // Fired on the first full window: the 6% error rate is there from the first second.
    const first = Date.parse(w.startedAt);
    expect(Date.parse(e.firedAt!) - first).toBeLessThan(6_000 + 15_000);
    expect(w.rollback).toMatchObject({ trigger: 'error-rate', outcome: 'ok', stillOnEventBridge: [] });
    expect(w.rollback!.flagsAfter).toMatchObject({ OrchestrationService: false, UserService: false });
    const t = timeline(r);
    expect(t.map((x) => x.event)).toEqual(expect.arrayContaining(['start', 'over', 'fired', 'action', 'flags', 'end']));
    expect(t.find((x) => x.event === 'action')).toMatchObject({ trigger: 'error-rate', action: 'Auto-rollback', outcome: 'ok' });
    // The load stopped at the rollback, long before --duration 40s.
    expect(Date.parse(w.finishedAt) - first).toBeLessThan(30_000);
    expect(r.stdout).toMatch(/watch stage 1: .*FIRED/);
    expect(readFileSync(join(r.dir, 'report.html'), 'utf8')).toMatch(/Auto-rollback/);
  });

  it('exits 0 on a clean sandbox once every window has been seen whole, with nothing fired and nothing rolled back', () => {
    const r = runs.clean;
    expect(r.code, explain(r)).toBe(0);
    const w = report(r);
    expect(w.outcome).toBe('clean');
    for (const t of w.triggers) {
      expect(t.fired, t.id).toBe(false);
      expect(t.full, t.id).toBe(true);
      expect(t.value, t.id).not.toBeNull();
    }
    expect(w.rollback).toBeNull();
    expect(w.deliveries.deliveries).toBeGreaterThan(0);
    expect(w.deliveries.failures).toBe(0);
  });

  it('pauses on a DLQ past 1000 and alerts on p95 > 500 ms sustained, calling the webhooks, without rolling back', () => {
    const r = runs.pause;
    expect(r.code, explain(r)).toBe(1);
    const w = report(r);
    expect(w.triggers.map((t) => [t.id, t.fired])).toEqual([
      ['error-rate', false],
      ['p95-latency', true],
      ['dlq-depth', true],
      ['delivery-failure', false],
    ]);
    expect(trigger(w, 'dlq-depth').value).toBe(1100);
    expect(w.rollback).toBeNull();
    const actions = timeline(r).filter((x) => x.event === 'action');
    expect(actions.map((a) => a.action).sort()).toEqual(['Alert + Manual', 'Pause deployment']);
    const pause = hooks.filter((h) => h.url === '/pause');
    expect(pause).toHaveLength(1);
    expect(pause[0].body).toMatchObject({ kind: 'pause-deployment', trigger: 'dlq-depth', value: 1100, threshold: 1000, stage: '1' });
    expect(
      hooks
        .filter((h) => h.url === '/alert')
        .map((h) => h.body.trigger)
        .sort(),
    ).toEqual(['dlq-depth', 'p95-latency']);
  });
});
