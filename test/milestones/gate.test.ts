// `npm run gate` end to end: Flagger's webhook payloads posted to the real gate process, which drives
// real k6 against an embedded sandbox described by a target file. Clean sandbox and faulty sandbox in
// parallel; windows scaled by --window-scale 0.02 (error rate 6 s, p95 12 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSandbox, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { writeSandboxTarget } from './sandbox-process.js';

interface Gate {
  sandbox: Sandbox;
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

const payload = (phase = 'Progressing', metadata: Record<string, string> = { stage: '1' }) => ({
  name: 'eventbridge-migration',
  namespace: 'qsl',
  phase,
  checksum: 'c0ffee',
  metadata,
});

async function hook(g: Gate, type: string, body: unknown = payload()): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${g.url}/${type}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function triggers(g: Gate): Promise<Array<{ id: string; full: boolean; fired: boolean }>> {
  const status = (await (await fetch(`${g.url}/status`)).json()) as Record<
    string,
    { triggers: Array<{ id: string; full: boolean; fired: boolean }> }
  >;
  return status['qsl/eventbridge-migration']?.triggers ?? [];
}

/** Polls until `ok` (bounded: 45 s). */
async function until(ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 45 s');
    await sleep(500);
  }
}

async function startGate(name: string, faults: string[], preRollout: 'smoke' | 'triggers' = 'triggers'): Promise<Gate> {
  const sandbox = await buildSandbox({ faults: parseFaults(faults) });
  const e = sandbox.endpoints;
  const dir = mkdtempSync(join(tmpdir(), `qsl-gate-${name}-`));
  const targetFile = writeSandboxTarget(e, `sandbox-${name}`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/qsl.ts',
      'gate',
      '--target',
      targetFile,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--pre-rollout',
      preRollout,
      '--window-scale',
      '0.02',
      '--rate',
      '25',
      '--out',
      join(dir, 'runs'),
    ],
    {
      env: { ...process.env, CI: 'true', AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /gate listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('close', (code) => reject(new Error(`gate exited ${code} before listening:\n${out}\n${err}`)));
  });
  return { sandbox, child, url, stderr: () => err };
}

async function stopGate(g: Gate | undefined): Promise<number | null> {
  if (!g) return null;
  const closed = new Promise<number | null>((r) => g.child.on('close', r));
  g.child.kill('SIGINT');
  const code = await closed;
  await g.sandbox.stop();
  return code;
}

let clean: Gate;
let faulty: Gate;
beforeAll(async () => {
  [clean, faulty] = await Promise.all([startGate('clean', []), startGate('fault', ['user.error=0.06'])]);
}, 60_000);
afterAll(async () => {
  await Promise.all([stopGate(clean), stopGate(faulty)]);
});

describe("npm run gate: Flagger's webhook contract", () => {
  it('rejects a payload Flagger would not send, naming the field, with a non-2xx status', async () => {
    const noName = await hook(clean, 'rollout', { ...payload(), name: undefined });
    expect(noName.status).toBe(400);
    expect(noName.body.reason).toMatch(/name/);
    const badPhase = await hook(clean, 'rollout', payload('Rolling'));
    expect(badPhase.status).toBe(400);
    const noStage = await hook(clean, 'pre-rollout', payload('Progressing', {}));
    expect(noStage).toMatchObject({ status: 400, body: { reason: expect.stringMatching(/metadata.stage is missing/) } });
  });

  it('answers 200 on a clean sandbox and 500 under user.error=0.06; rollback 200 only where an auto-rollback trigger fired', async () => {
    const pre = await Promise.all([
      hook(clean, 'pre-rollout', payload('Initialized')),
      hook(faulty, 'pre-rollout', payload('Initialized')),
    ]);
    expect(
      pre.map((p) => p.status),
      JSON.stringify(pre),
    ).toEqual([200, 200]);
    // Before a whole window has been seen, promotion is not earned.
    expect((await hook(clean, 'confirm-promotion')).status).toBe(500);
    // Until the faulty rollout's error-rate window (6 s scaled) has been seen whole and the clean one's too.
    await until(
      async () =>
        (await triggers(faulty)).some((t) => t.id === 'error-rate' && t.fired) &&
        (await triggers(clean)).find((t) => t.id === 'error-rate')!.full,
    );
    const [cr, fr] = await Promise.all([hook(clean, 'rollout'), hook(faulty, 'rollout')]);
    expect(cr.status, JSON.stringify(cr.body)).toBe(200);
    expect(fr.status, JSON.stringify(fr.body)).toBe(500);
    expect(fr.body.reason).toMatch(/error-rate/);
    expect((await hook(clean, 'rollback')).status).toBe(409);
    const rb = await hook(faulty, 'rollback');
    expect(rb).toMatchObject({ status: 200, body: { decision: 'ROLLBACK', stage: '1', canary: 'qsl/eventbridge-migration' } });
    expect((await hook(faulty, 'confirm-promotion')).status).toBe(500);
    expect((await hook(clean, 'confirm-traffic-increase')).status).toBe(200);
    // The p95 window (12 s scaled) must be seen whole before promotion.
    await until(async () => (await triggers(clean)).every((t) => t.full));
    const promo = await hook(clean, 'confirm-promotion', payload('WaitingPromotion'));
    expect(promo.status, JSON.stringify(promo.body)).toBe(200);
    const post = await Promise.all([hook(clean, 'post-rollout', payload('Succeeded')), hook(faulty, 'post-rollout', payload('Failed'))]);
    expect(post.map((p) => [p.status, p.body.decision])).toEqual([
      [200, 'clean'],
      [200, 'fired'],
    ]);
  });

  it('stops cleanly on SIGINT (exit 0)', async () => {
    const code = await stopGate(clean);
    clean = undefined as unknown as Gate;
    expect(code).toBe(0);
  });
});

describe('npm run gate --pre-rollout smoke (the default)', () => {
  it(
    "pre-rollout runs the stage's smoke milestone against the target: 200 on its GO, and promotion still waits for the windows",
    { timeout: 240_000 },
    async () => {
      const g = await startGate('smoke', [], 'smoke');
      try {
        const pre = await hook(g, 'pre-rollout', payload('Initialized'));
        expect(pre.status, `${JSON.stringify(pre.body)}\n${g.stderr()}`).toBe(200);
        expect(pre.body.reason).toMatch(/smoke milestone mvp1: GO/);
        // A GO smoke run is not a promotion: the live windows have not been seen whole yet.
        const promo = await hook(g, 'confirm-promotion', payload('WaitingPromotion'));
        expect(promo.status).toBe(500);
        expect((await hook(g, 'rollback')).status).toBe(409);
      } finally {
        expect(await stopGate(g)).toBe(0);
      }
    },
  );
});
