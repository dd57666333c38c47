import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { TargetSchema } from '../../lib/config/target.js';

// The example nightly workflow and 24-hour soak CronJob (docs/soak-and-cost.md) stay runnable: they call scripts
// and flags that exist, fit their platform's limits, and carry a target file the harness accepts.
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('deploy examples for the nightly MVP 4 run and the 24-hour soak', () => {
  it('GitHub Actions: the nightly mvp4 run fits the 6-hour job limit and keeps its run directory as an artifact', () => {
    const wf = parse(readFileSync('deploy/github-actions/nightly-mvp4.yml', 'utf8'));
    const job = wf.jobs.mvp4;
    expect(job['timeout-minutes']).toBeLessThan(360);
    const run = job.steps.find((s: { run?: string }) => s.run?.includes('npm run mvp4 ')).run as string;
    // A 5-hour soak is not the plan's 24 h: the job accepts exit 2 only when that is the one thing undecided.
    expect(run).toMatch(/of the plan's 24 h/);
    expect(scripts.mvp4).toBeDefined();
    const soakHours = Number(/--soak-duration (\d+)h/.exec(run)?.[1]);
    expect(soakHours * 60).toBeLessThan(job['timeout-minutes']);
    const out = /--out (\S+)/.exec(run)?.[1];
    const upload = job.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload.if).toBe('always()');
    expect(upload.with.path).toBe(out);
  });

  it("Kubernetes: the CronJob runs MVP 4 full (the plan's 24 h soak, 500 clients), never twice at once, onto a volume, with a valid target file", () => {
    const docs = parseAllDocuments(readFileSync('deploy/kubernetes/soak-24h-cronjob.yaml', 'utf8')).map((d) => d.toJS());
    const cron = docs.find((d) => d.kind === 'CronJob');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const job = cron.spec.jobTemplate.spec;
    expect(job.activeDeadlineSeconds).toBeGreaterThan(24 * 3600);
    expect(job.backoffLimit).toBe(0);
    const c = job.template.spec.containers[0];
    // The full profile's own soak: no --soak-duration, so sse-stability is the plan's criterion.
    expect(c.args[0]).toMatch(/^npm run mvp4 -- --profile full --target \/config\/staging\.json --out \/reports\//);
    expect(c.args[0]).not.toMatch(/--soak-duration|--soak-clients/);
    expect(scripts.mvp4).toBeDefined();
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/config', '/reports']);
    const cm = docs.find((d) => d.kind === 'ConfigMap');
    const target = TargetSchema.safeParse(JSON.parse(cm.data['staging.json']));
    expect(target.success, JSON.stringify(target.error?.issues)).toBe(true);
    expect(target.data?.cost?.reductionTargetPct).toBe(30);
    expect(docs.find((d) => d.kind === 'PersistentVolumeClaim').metadata.name).toBe(
      job.template.spec.volumes[1].persistentVolumeClaim.claimName,
    );
  });
});
