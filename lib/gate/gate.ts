import Fastify, { type FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { Target } from '../config/index.js';
import type { ProbeResult, Summary, TriggerState } from '../verdict/index.js';
import { createWatchDisplay, LiveWatch, watchReport, writeWatchReports, type WatchResult } from '../watch/index.js';
import { parseFlaggerPayload, type FlaggerPayload } from './payload.js';

/** The webhook types the gate answers (Flagger's `type` of each webhook in the Canary). */
export const GATE_HOOKS = [
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'rollback',
  'post-rollout',
] as const;
export type GateHook = (typeof GATE_HOOKS)[number];

/** A smoke milestone's outcome as the gate keeps it. */
export interface SmokeVerdict {
  verdict: Summary['verdict'];
  dir: string;
  failing: string[];
  /** The post-run rollback-trigger check saw an auto-rollback trigger fire. */
  autoRollback: boolean;
}

export interface GateOptions {
  target: Target;
  /** `smoke`: pre-rollout runs the stage's smoke milestone; `triggers`: it starts the live watch only. */
  preRollout: 'smoke' | 'triggers';
  windowScale: number;
  ratePerSecond: number;
  durationSeconds: number;
  /** Where each rollout's run directory goes. */
  outDir: string;
  prepare: (dir: string) => Promise<{ k6Path: string; bundle: string; identitiesFile: string }>;
  runSmoke: (stage: string, dir: string) => Promise<SmokeVerdict>;
  sqs: import('@aws-sdk/client-sqs').SQSClient;
  alertWebhook?: string;
  pauseWebhook?: string;
  log: (line: string) => void;
}

interface Rollout {
  key: string;
  stage: string;
  checksum: string;
  dir: string;
  runId: string;
  watch: LiveWatch | null;
  done: Promise<WatchResult> | null;
  smoke: Promise<SmokeVerdict> | null;
  smokeResult: SmokeVerdict | null;
}

export interface HookAnswer {
  status: number;
  body: Record<string, unknown>;
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function triggerView(s: TriggerState) {
  return {
    id: s.id,
    value: s.value,
    threshold: s.trigger.threshold,
    windowSeconds: s.windowSeconds,
    full: s.full,
    over: s.overSince !== null,
    fired: s.firedAt !== null,
    action: s.trigger.actionLabel,
  };
}

/**
 * Flagger's webhooks backed by the harness: a smoke milestone before traffic moves, then the seed's
 * rollback triggers live on the rollout. Answers 200 on GO and 500 on NO-GO (Flagger counts only
 * 200-202 as success); `rollback` answers 200 when an auto-rollback trigger fired, so Flagger rolls back.
 */
export class FlaggerGate {
  private readonly rollouts = new Map<string, Rollout>();
  constructor(private readonly o: GateOptions) {}

  async handle(hook: GateHook, body: unknown): Promise<HookAnswer> {
    const parsed = parseFlaggerPayload(body);
    if (!parsed.ok) return { status: 400, body: { hook, decision: 'NO-GO', reason: parsed.error } };
    const r = await this.rolloutFor(parsed.payload, parsed.stage);
    const answer = await this.decide(hook, r);
    this.o.log(`gate: ${hook} ${r.key} stage ${r.stage} (${parsed.payload.phase}) -> ${answer.status} ${String(answer.body.reason ?? '')}`);
    return { status: answer.status, body: { hook, canary: r.key, stage: r.stage, ...answer.body } };
  }

  /** A new checksum or stage is a new rollout: the previous one's watch ends. */
  private async rolloutFor(p: FlaggerPayload, stage: string): Promise<Rollout> {
    const key = `${p.namespace}/${p.name}`;
    const checksum = p.checksum ?? '';
    const old = this.rollouts.get(key);
    if (old && old.checksum === checksum && old.stage === stage) return old;
    if (old) await this.finish(old);
    const name = `${p.namespace}-${p.name}-stage${stage}-${stamp()}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    const r: Rollout = {
      key,
      stage,
      checksum,
      dir: join(this.o.outDir, name),
      runId: `gate-s${stage}-${stamp()}`,
      watch: null,
      done: null,
      smoke: null,
      smokeResult: null,
    };
    this.rollouts.set(key, r);
    return r;
  }

  private async startWatch(r: Rollout): Promise<void> {
    if (r.watch) return;
    const prepared = await this.o.prepare(r.dir);
    r.watch = new LiveWatch({
      target: this.o.target,
      stage: r.stage,
      runId: r.runId,
      dir: r.dir,
      windowScale: this.o.windowScale,
      ratePerSecond: this.o.ratePerSecond,
      durationSeconds: this.o.durationSeconds,
      ...prepared,
      sqs: this.o.sqs,
      // Flagger rolls the canary back when the rollback hook answers 200.
      runRollback: false,
      alertWebhook: this.o.alertWebhook,
      pauseWebhook: this.o.pauseWebhook,
      display: createWatchDisplay(process.stderr, { tty: false, plainEveryMs: 60_000 }),
    });
    r.done = r.watch.run().then((result) => {
      writeWatchReports(
        r.dir,
        watchReport(result, {
          runId: r.runId,
          stage: r.stage,
          target: { name: this.o.target.name, environment: this.o.target.environment, sandbox: this.o.target.sandbox },
          windowScale: this.o.windowScale,
          ratePerSecond: this.o.ratePerSecond,
          faults: [],
        }),
      );
      return result;
    });
  }

  private async finish(r: Rollout): Promise<WatchResult | null> {
    r.watch?.stop();
    return r.done ? await r.done : null;
  }

  private async decide(hook: GateHook, r: Rollout): Promise<HookAnswer> {
    const w = () => r.watch?.states().map(triggerView) ?? [];
    switch (hook) {
      case 'pre-rollout': {
        if (this.o.preRollout === 'smoke') {
          r.smoke ??= this.o.runSmoke(r.stage, join(r.dir, 'smoke'));
          const s = (r.smokeResult = await r.smoke);
          if (s.verdict !== 'GO') {
            // A retry runs the smoke milestone again.
            r.smoke = null;
            return {
              status: 500,
              body: {
                decision: 'NO-GO',
                reason: `smoke milestone mvp${r.stage}: ${s.verdict}${s.failing.length ? ` (failing: ${s.failing.join(', ')})` : ''}`,
                report: s.dir,
              },
            };
          }
        }
        await this.startWatch(r);
        return {
          status: 200,
          body: {
            decision: 'GO',
            reason: this.o.preRollout === 'smoke' ? `smoke milestone mvp${r.stage}: GO; live triggers watching` : 'live triggers watching',
            triggers: w(),
          },
        };
      }
      case 'rollout': {
        await this.startWatch(r);
        const fired = r.watch!.fired('auto-rollback');
        if (fired.length)
          return {
            status: 500,
            body: { decision: 'NO-GO', reason: `auto-rollback trigger fired: ${fired.map((s) => s.id).join(', ')}`, triggers: w() },
          };
        return { status: 200, body: { decision: 'GO', reason: 'no auto-rollback trigger fired', triggers: w() } };
      }
      case 'confirm-rollout':
      case 'confirm-traffic-increase': {
        // "DLQ Depth > 1000 messages -> Pause deployment": hold the rollout while the DLQs are over.
        const over = r.watch?.states().filter((s) => s.trigger.action === 'pause-deployment' && s.overSince !== null) ?? [];
        if (over.length)
          return {
            status: 500,
            body: {
              decision: 'PAUSE',
              reason: `paused: ${over.map((s) => `${s.id} ${s.value} > ${s.trigger.threshold}`).join(', ')}`,
              triggers: w(),
            },
          };
        return { status: 200, body: { decision: 'GO', reason: 'no pause trigger over its threshold', triggers: w() } };
      }
      case 'confirm-promotion': {
        const reasons: string[] = [];
        if (this.o.preRollout === 'smoke' && r.smokeResult?.verdict !== 'GO')
          reasons.push(`smoke milestone mvp${r.stage} ${r.smokeResult ? r.smokeResult.verdict : 'not run (pre-rollout was not called)'}`);
        if (!r.watch) reasons.push('the live triggers are not watching (no pre-rollout or rollout call yet)');
        for (const s of r.watch?.states() ?? []) {
          if (s.firedAt !== null) reasons.push(`${s.id} fired (${s.trigger.actionLabel})`);
          else if (!s.full || s.value === null)
            reasons.push(
              `${s.id} not yet evaluated over a whole window (${Math.min(s.observedSeconds, s.windowSeconds)}/${s.windowSeconds} s)`,
            );
        }
        if (reasons.length) return { status: 500, body: { decision: 'NO-GO', reason: reasons.join('; '), triggers: w() } };
        return { status: 200, body: { decision: 'GO', reason: 'every trigger evaluated over a whole window, none fired', triggers: w() } };
      }
      case 'rollback': {
        const fired: string[] = r.watch?.fired('auto-rollback').map((s) => s.id) ?? [];
        if (r.smokeResult?.autoRollback) fired.push('smoke milestone rollback triggers');
        if (fired.length)
          return { status: 200, body: { decision: 'ROLLBACK', reason: `auto-rollback: ${fired.join(', ')}`, triggers: w() } };
        return { status: 409, body: { decision: 'NO-ROLLBACK', reason: 'no auto-rollback trigger fired', triggers: w() } };
      }
      case 'post-rollout': {
        const result = await this.finish(r);
        this.rollouts.delete(r.key);
        return {
          status: 200,
          body: { decision: result?.outcome ?? 'not-watched', reason: result?.reason ?? 'no live watch ran', report: r.dir },
        };
      }
    }
  }

  status(): Record<string, unknown> {
    return Object.fromEntries(
      [...this.rollouts.values()].map((r) => [
        r.key,
        {
          stage: r.stage,
          checksum: r.checksum,
          dir: r.dir,
          smoke: r.smokeResult?.verdict ?? null,
          triggers: r.watch?.states().map(triggerView) ?? [],
        },
      ]),
    );
  }

  /** Ends every watch and writes their reports (the gate is shutting down). */
  async close(): Promise<void> {
    await Promise.all([...this.rollouts.values()].map((r) => this.finish(r)));
  }
}

/** The HTTP face: POST /<hook> for each webhook type, GET /status, GET /healthz. */
export function buildGateApp(gate: FlaggerGate): FastifyInstance {
  const app = Fastify({ logger: false });
  for (const hook of GATE_HOOKS) {
    app.post(`/${hook}`, async (req, reply) => {
      const a = await gate.handle(hook, req.body);
      return reply.code(a.status).send(a.body);
    });
  }
  app.get('/status', async () => gate.status());
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}

/** Whether a smoke run's post-run check saw an auto-rollback trigger fire. */
export function smokeAutoRollback(probes: Readonly<Record<string, ProbeResult>>): boolean {
  const rows =
    (probes['rollback-triggers']?.details as { triggers?: Array<{ fired: boolean; action: string }> } | undefined)?.triggers ?? [];
  return rows.some((t) => t.fired && t.action === 'Auto-rollback');
}
