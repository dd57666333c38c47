// The seed's emergency-rollback.sh <stage> as the target file declares it, run for real: shell commands,
// and the sandbox's flags API.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTargetFile, type Target } from '../../lib/config/index.js';
import { buildSandbox, type Sandbox } from '../../lib/sandbox/index.js';
import { performStageRollback } from '../../lib/verify/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qsl-stage-rollback-'));
const log = join(dir, 'rollback.log');

function targetFile(extra: Record<string, unknown>): string {
  const file = join(dir, `target-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name: 'staging',
      environment: 'staging',
      gateway: 'http://127.0.0.1:1',
      admin: 'http://127.0.0.1:1',
      aws: { region: 'eu-west-1' },
      rollback: { command: `echo rollback-{stage} >> ${log}` },
      ...extra,
    }),
  );
  return file;
}

describe('per-stage rollback action', () => {
  it("runs the stage's own action, else the `*` action, else `rollback`, with {stage} filled in", async () => {
    const t = loadTargetFile(
      targetFile({ stageRollback: { '2': { command: `echo stage-{stage} >> ${log}` }, '*': { command: `echo any-{stage} >> ${log}` } } }),
    );
    expect(await performStageRollback(t, '2')).toBe(`echo stage-2 >> ${log}`);
    await performStageRollback(t, '5');
    await performStageRollback(loadTargetFile(targetFile({})), '3');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['stage-2', 'any-5', 'rollback-3']);
  });

  it('fails loudly when the action fails', async () => {
    const t = loadTargetFile(targetFile({ stageRollback: { '1': { command: 'echo no kubectl here >&2; exit 3' } } }));
    await expect(performStageRollback(t, '1')).rejects.toThrow(/exited 3: no kubectl here/);
  });

  it('rejects a stage key that is not a stage, naming the field', () => {
    expect(() => loadTargetFile(targetFile({ stageRollback: { one: { command: 'true' } } }))).toThrow(
      /stageRollback.one: "one" is not a stage: use a stage number such as "1"/,
    );
  });
});

describe('the sandbox default: emergency-rollback.sh through the flags API', () => {
  let sandbox: Sandbox;
  let target: Target;
  beforeAll(async () => {
    sandbox = await buildSandbox();
    const e = sandbox.endpoints;
    target = {
      name: 'sandbox',
      environment: 'sandbox',
      sandbox: true,
      gateway: e.gateway,
      admin: e.admin,
      region: e.region,
      eventBus: 'qsl-core',
      serviceQueues: [],
      rollback: { sandbox: true },
    };
  });
  afterAll(() => sandbox.stop());

  it("stage 1 sets the seed's stage 1 services (orchestration, user) to false and leaves the rest", async () => {
    expect(await performStageRollback(target, '1')).toMatch(
      /OrchestrationService, UserService set to EventBridge false \(emergency-rollback.sh 1\)/,
    );
    const flags = (await (await fetch(`${target.admin}/admin/flags`)).json()) as {
      FeatureManagement: { EventBridge: Record<string, unknown> };
    };
    expect(flags.FeatureManagement.EventBridge).toMatchObject({
      OrchestrationService: false,
      UserService: false,
      NotificationService: 'parallel',
      PaymentGatewayService: 'shadow',
    });
  });

  it('any other stage rolls every service back', async () => {
    await performStageRollback(target, '9');
    const flags = (await (await fetch(`${target.admin}/admin/flags`)).json()) as {
      FeatureManagement: { EventBridge: Record<string, unknown> };
    };
    expect(Object.values(flags.FeatureManagement.EventBridge).every((v) => v === false)).toBe(true);
  });
});
