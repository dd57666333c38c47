import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureK6 } from '../../lib/run/k6-binary.js';
import { classifyK6Exit, RequestCounter, runK6 } from '../../lib/run/k6-process.js';

// Real k6 on tiny scripts: how its exit codes become the harness's scenario status.
const dir = mkdtempSync(join(tmpdir(), 'qsl-k6proc-'));
let k6Path = '';
beforeAll(async () => {
  k6Path = (await ensureK6({ projectRoot: process.cwd(), build: false })).path;
});

function script(name: string, body: string): string {
  const f = join(dir, `${name}.js`);
  writeFileSync(f, body);
  return f;
}

async function run(name: string, body: string, extra: Partial<Parameters<typeof runK6>[0]> = {}) {
  return runK6({
    k6Path,
    bundle: script(name, body),
    scenario: name,
    outFile: join(dir, `${name}.ndjson`),
    logFile: join(dir, `${name}.log`),
    env: { PATH: process.env.PATH ?? '' },
    ...extra,
  });
}

// A background load that would run 60 s, stopped as soon as its first iteration has written a point.
const background = `import { Counter } from 'k6/metrics'; import { sleep } from 'k6'; const c = new Counter('ticks');
export const options = { vus: 1, duration: '60s' }; export default function () { c.add(1); sleep(0.05); }`;
async function stopOnceRunning(controller: AbortController, name: string): Promise<void> {
  const file = join(dir, `${name}.ndjson`);
  for (let i = 0; i < 300 && !(existsSync(file) && readFileSync(file, 'utf8').includes('"metric":"ticks"')); i++)
    await new Promise((r) => setTimeout(r, 100));
  controller.abort();
}

describe('runK6 with real k6', () => {
  it('completed: exit 0, raw results written', async () => {
    const o = await run(
      'ok',
      `import { Counter } from 'k6/metrics'; const c = new Counter('ticks'); export const options = { iterations: 3 }; export default function () { c.add(1); }`,
    );
    expect(o).toMatchObject({ status: 'completed', k6ExitCode: 0 });
    expect(readFileSync(join(dir, 'ok.ndjson'), 'utf8')).toMatch(/"metric":"ticks"/);
  });

  it('thresholds crossed: exit 99 is a result, not a harness failure', async () => {
    const o = await run(
      'thr',
      `import { Trend } from 'k6/metrics'; const t = new Trend('slow_thing'); export const options = { iterations: 2, thresholds: { slow_thing: ['max<1'] } }; export default function () { t.add(5); }`,
    );
    expect(o).toMatchObject({ status: 'thresholds-crossed', k6ExitCode: 99 });
    expect(o.message).toBeUndefined();
  });

  it("script error in init code: status script-error with k6's own message", async () => {
    const o = await run(
      'broken',
      `export const options = { iterations: 1 }; throw new Error('scenario data missing: QSL_DATA'); export default function () {}`,
    );
    expect(o.status).toBe('script-error');
    expect(o.k6ExitCode).toBe(107);
    expect(o.message).toMatch(/scenario data missing: QSL_DATA/);
  });

  it('a background load ended by the harness as planned: completed, its results kept', async () => {
    const stop = new AbortController();
    const lines: string[] = [];
    const [o] = await Promise.all([
      run('stopped', background, { stop: stop.signal, progress: { update: () => {}, stop: (l) => lines.push(l) } }),
      stopOnceRunning(stop, 'stopped'),
    ]);
    expect(o).toMatchObject({ status: 'completed', k6ExitCode: 105 });
    expect(o.durationMs).toBeLessThan(60_000);
    expect(lines.join('\n')).toMatch(/stopped: stopped as planned in/);
    expect(readFileSync(join(dir, 'stopped.ndjson'), 'utf8')).toMatch(/"metric":"ticks"/);
  });

  it('the same graceful stop from Ctrl-C is an interruption', async () => {
    const signal = new AbortController();
    const [o] = await Promise.all([run('ctrlc', background, { signal: signal.signal }), stopOnceRunning(signal, 'ctrlc')]);
    expect(o).toMatchObject({ status: 'interrupted', k6ExitCode: 105 });
  });

  it('test.abort() in the script: status aborted', async () => {
    const o = await run(
      'abort',
      `import exec from 'k6/execution'; export const options = { iterations: 1 }; export default function () { exec.test.abort('stop here'); }`,
    );
    expect(o.status).toBe('aborted');
    expect(o.k6ExitCode).toBe(108);
  });
});

describe('classifyK6Exit', () => {
  it('maps k6 exit codes and an operator interrupt', () => {
    expect(classifyK6Exit(0, false)).toBe('completed');
    expect(classifyK6Exit(99, false)).toBe('thresholds-crossed');
    expect(classifyK6Exit(105, false)).toBe('interrupted');
    expect(classifyK6Exit(104, false)).toBe('script-error');
    expect(classifyK6Exit(0, true)).toBe('interrupted');
  });
});

describe('RequestCounter', () => {
  it('counts http_reqs points as the file grows, across partial lines', () => {
    const f = join(dir, 'grow.ndjson');
    const point = '{"metric":"http_reqs","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{}}}\n';
    writeFileSync(f, '{"type":"Metric","data":{"name":"http_reqs","type":"counter"},"metric":"http_reqs"}\n' + point + point.slice(0, 20));
    const c = new RequestCounter(f);
    expect(c.poll()).toBe(1);
    writeFileSync(f, readFileSync(f, 'utf8') + point.slice(20) + point);
    expect(c.poll()).toBe(3);
  });
});
