import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStage1, STAGE1_TOPOLOGY, type Stage1Row } from '../../lib/stage1/index.js';

const quiet = () => {};

/** Every line passes except exactly the ones named `check subject`. */
function expectOnlyFailing(rows: Stage1Row[], failing: string[]): void {
  const bad = rows.filter((r) => !r.pass && !r.skipped);
  expect(bad.map((r) => `${r.check} ${r.subject}`).sort(), bad.map((r) => r.detail).join('\n')).toEqual([...failing].sort());
}

describe('npm run stage1 against the sandbox started as Stage 1', () => {
  it('clean topology: GO, a line per bus, queue, DLQ, rule, pattern and canary, all passing', async () => {
    const r = await runStage1({ faults: [], log: quiet });
    expect(r.exitCode).toBe(0);
    expect(r.result.verdict).toBe('GO');
    expectOnlyFailing(r.result.rows, []);
    const count = (check: string) => r.result.rows.filter((x) => x.check === check).length;
    expect(count('bus')).toBe(1);
    expect(count('queue')).toBe(STAGE1_TOPOLOGY.queues.length);
    expect(count('dlq')).toBe(STAGE1_TOPOLOGY.queues.length);
    for (const c of ['rule', 'pattern', 'canary']) expect(count(c)).toBe(STAGE1_TOPOLOGY.rules.length);
    // The FIFO ledger queue is checked as FIFO and each ledger rule's canary reached it.
    expect(r.result.rows.find((x) => x.check === 'queue' && x.subject === 'qsl-ledger.fifo')?.detail).toMatch(/FIFO/);
    expect(r.result.rows.find((x) => x.check === 'canary' && x.subject === 'qsl-ledger-accounts-2-rule')?.detail).toMatch(
      /1 canary arrived at qsl-ledger\.fifo/,
    );
    expect(r.text).toMatch(/stage1 verdict: GO$/);
    // No stack on the sandbox: the stack and permission lines are not checked, and say why.
    for (const check of ['stack', 'permissions']) {
      const skipped = r.result.rows.filter((x) => x.check === check);
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatchObject({ skipped: true, detail: expect.stringMatching(/^no stack named/) });
    }
    expect(r.text).toMatch(/^SKIP {2}stack {7}.*no stack named/m);
    expect(r.result.rows.filter((x) => x.check === 'security')).toEqual([
      expect.objectContaining({
        pass: true,
        detail: expect.stringMatching(/no policy open to \*.*encryption not checked.*DLQ readers not checked \(no stack named/),
      }),
    ]);
  });

  it('--stack without --target: refused with what to do (the sandbox has no CloudFormation)', async () => {
    await expect(runStage1({ stackName: 'qsl-eventbridge-mvp', faults: [], log: quiet })).rejects.toMatchObject({
      code: 'QSL_CONFIG_INVALID',
      message: expect.stringMatching(/--stack needs --target/),
    });
  });

  it("--fault topology.<rule>.missing: NO-GO on that rule's lines only", async () => {
    const r = await runStage1({ faults: ['topology.qsl-notification-rule.missing'], log: quiet });
    expect(r.exitCode).toBe(1);
    expectOnlyFailing(r.result.rows, ['rule qsl-notification-rule', 'pattern qsl-notification-rule', 'canary qsl-notification-rule']);
    expect(r.text).toMatch(/FAIL\s+rule\s+qsl-notification-rule\s+missing/);
  });

  it("--fault topology.<queue>.no-dlq: NO-GO on that queue's DLQ line only (FIFO queue named without .fifo)", async () => {
    const r = await runStage1({ faults: ['topology.qsl-ledger.no-dlq'], log: quiet });
    expect(r.exitCode).toBe(1);
    expectOnlyFailing(r.result.rows, ['dlq qsl-ledger.fifo']);
    expect(r.text).toMatch(/FAIL\s+dlq\s+qsl-ledger\.fifo\s+no RedrivePolicy/);
  });

  it('CLI: exit codes, an unknown topology name, and an unreachable target named as such', () => {
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'stage1', ...args], { encoding: 'utf8' });
    const bad = cli(['--fault', 'topology.qsl-nope-rule.missing']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no rule qsl-nope-rule in the topology/);

    const target = join(mkdtempSync(join(tmpdir(), 'qsl-stage1-')), 'down.json');
    writeFileSync(
      target,
      JSON.stringify({
        name: 'down',
        environment: 'staging',
        gateway: 'http://127.0.0.1:9',
        admin: 'http://127.0.0.1:9',
        aws: { region: 'us-east-1', eventbridgeEndpoint: 'http://127.0.0.1:9', sqsEndpoint: 'http://127.0.0.1:9' },
        rollback: { command: 'true' },
      }),
    );
    const down = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/qsl.ts', 'stage1', '--target', target], {
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    });
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/QSL_TARGET_UNREACHABLE.*EventBridge did not answer/);
  });
});
