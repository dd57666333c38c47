/**
 * `npm run bench -- vus [--duration 10s]`: k6's memory with our bundles against an empty script.
 * Runs the MVP 1 load bundle and an empty script with the same executor (constant-arrival-rate,
 * preAllocatedVUs = maxVUs = N) at N = 100 and N = 500 against the embedded sandbox, and reads each
 * k6 process's peak RSS (VmHWM in /proc/<pid>/status, polled until it exits).
 * Last line: `vus ratio=<load RSS ÷ empty RSS at 500 VUs> mb_per_vu=<(load RSS500 − RSS100) ÷ 400>`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mvp1Criteria } from '../thresholds/mvp1.js';
import { bundleScenarios } from '../lib/run/bundle.js';
import { ensureK6 } from '../lib/run/k6-binary.js';
import { startSandboxTarget } from '../lib/run/sandbox-target.js';
import { writeIdentities } from '../lib/fixtures/index.js';
import { parseFaults } from '../lib/sandbox/index.js';
import { k6ThresholdsFor } from '../lib/verdict/k6-thresholds.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [100, 500] as const;

function emptyScript(vus: number, duration: string): string {
  return `export const options = { scenarios: { load: { executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1m', duration: '${duration}', preAllocatedVUs: ${vus}, maxVUs: ${vus} } } };
export default function () {}
`;
}

function vmHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs k6 and returns its peak RSS in MB. */
async function peakRss(k6: string, script: string, out: string, env: Record<string, string>): Promise<number> {
  const child = spawn(k6, ['run', '--no-color', '--quiet', '--no-usage-report', '--out', `json=${out}`, script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', K6_NO_USAGE_REPORT: 'true', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, vmHwmKb(child.pid!))), 100);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(poll);
  if (code !== 0 && code !== 99) throw new Error(`k6 ${script} exited with ${code}:\n${err}`);
  return peak / 1024;
}

export async function main(args: string[]): Promise<void> {
  const i = args.indexOf('--duration');
  const duration = i === -1 ? '10s' : args[i + 1]!;
  if (!/^\d+s$/.test(duration)) throw new Error(`--duration: expected seconds like 10s, got ${duration}`);
  const k6 = await ensureK6({ projectRoot: root, log: () => {} });
  const load = (await bundleScenarios(root, 'mvp1')).find((b) => b.scenario === 'load')!.bundle;
  const dir = mkdtempSync(join(tmpdir(), 'qsl-bench-vus-'));
  const { sandbox, target } = await startSandboxTarget({
    projectRoot: root,
    flagsFile: 'flags/mvp1.json',
    faults: parseFaults([]),
    seed: 1,
    log: () => {},
  });
  try {
    const identities = join(dir, 'identities.json');
    writeIdentities(identities, 1000, 1);
    const loadEnv = (vus: number, run: string) => ({
      QSL_PROFILE: 'smoke',
      QSL_RUN_ID: run,
      QSL_GATEWAY_URL: target.gateway,
      QSL_THRESHOLDS: JSON.stringify(k6ThresholdsFor(mvp1Criteria, 'smoke')),
      QSL_DATA: identities,
      QSL_LOAD_USERS: String(vus),
      QSL_LOAD_DURATION: duration,
    });
    const rss: Record<string, Record<number, number>> = { load: {}, empty: {} };
    for (const vus of SIZES) {
      const empty = join(dir, `empty-${vus}.js`);
      writeFileSync(empty, emptyScript(vus, duration));
      rss.empty![vus] = await peakRss(k6.path, empty, join(dir, `empty-${vus}.ndjson`), {});
      rss.load![vus] = await peakRss(k6.path, load, join(dir, `load-${vus}.ndjson`), loadEnv(vus, `bench-vus-${vus}`));
      console.log(`${vus} VUs: load bundle ${rss.load![vus]!.toFixed(1)} MB, empty script ${rss.empty![vus]!.toFixed(1)} MB peak RSS`);
    }
    // Diagnostics, the floors the load bundle sits on: any script that does HTTP (every VU that makes a request builds
    // its own runtime objects for the response), the k6 modules the bundle imports by themselves, and those modules
    // with one request per iteration.
    const modules =
      "import http from 'k6/http';\nimport exec from 'k6/execution';\nimport { check } from 'k6';\nimport { SharedArray } from 'k6/data';\n" +
      "import { Counter } from 'k6/metrics';\nexport const used = [http, exec, check, SharedArray, Counter];\n";
    const oneGet = `export default function () { check(http.get('${target.gateway}/health'), { 'status 200': (r) => r.status === 200 }); }`;
    const diagnostics = [
      {
        name: 'minimal',
        label: 'minimal script (k6/http + check, one GET per iteration)',
        head: "import http from 'k6/http';\nimport { check } from 'k6';\n",
        body: oneGet,
      },
      {
        name: 'modules',
        label: "empty script importing the bundle's k6 modules (k6/http, k6/execution, k6, k6/data, k6/metrics)",
        head: modules,
        body: null,
      },
      { name: 'modules-get', label: 'the same imports, one GET per iteration', head: modules, body: oneGet },
    ];
    for (const d of diagnostics) {
      const file = join(dir, `${d.name}.js`);
      const script = emptyScript(500, duration);
      writeFileSync(file, d.head + (d.body === null ? script : script.replace('export default function () {}', d.body)));
      const mb = await peakRss(k6.path, file, join(dir, `${d.name}-500.ndjson`), {});
      console.log(`500 VUs: ${d.label} ${mb.toFixed(1)} MB: ratio ${(mb / rss.empty![500]!).toFixed(2)}`);
    }
    const ratio = rss.load![500]! / rss.empty![500]!;
    const perVu = (rss.load![500]! - rss.load![100]!) / 400;
    const emptyPerVu = (rss.empty![500]! - rss.empty![100]!) / 400;
    console.log(`empty script: ${emptyPerVu.toFixed(3)} MB per VU`);
    console.log(`vus ratio=${ratio.toFixed(2)} mb_per_vu=${perVu.toFixed(3)}`);
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
