import { buildSandbox } from './lib/sandbox/index.js';
import { MVP3_TOPOLOGY, mvp3Services } from './lib/sandbox/mvp3.js';
import { loadFeatureFlags, parseFeatureFlags } from './lib/config/feature-flags.js';
import { generateSignatureFixtures } from './lib/fixtures/index.js';
const mode = process.argv[2] ?? 'eb';
let flags = await loadFeatureFlags('flags/mvp3.json');
if (mode === 'legacy') flags = parseFeatureFlags({ FeatureManagement: { ...flags.FeatureManagement, EventBridge: { ...flags.FeatureManagement.EventBridge, SignatureService: false } } });
const sb = await buildSandbox({ topology: MVP3_TOPOLOGY, services: mvp3Services(), flags });
const { set } = await generateSignatureFixtures({ count: 1500, seed: 1 });
const g = sb.endpoints.gateway;
for (const k of set.keys) await fetch(`${g}/api/signatures/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(k) });
const durs: number[] = [];
let i = 0;
const t0 = performance.now();
const elu0 = performance.eventLoopUtilization();
await Promise.all([0, 1, 2, 3].map(async () => {
  while (i < 1500) {
    const f = set.fixtures[i++];
    const r = await fetch(`${g}/api/signatures/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-run-id': 'x' }, body: JSON.stringify(f) });
    await r.text();
    durs.push(Number(/dur=([0-9.]+)/.exec(r.headers.get('server-timing') ?? '')?.[1]));
  }
}));
const s = (performance.now() - t0) / 1000;
durs.sort((a, b) => a - b);
console.log(mode, 'rps', (1500 / s).toFixed(0), 'p50', durs[750], 'p95', durs[1425], 'p99', durs[1485], 'elu', performance.eventLoopUtilization(elu0).utilization.toFixed(2));
await sb.stop();
console.log('stopped');
const h = (process as any)._getActiveHandles(); console.log('handles', h.map((x: any) => x.constructor?.name === 'Server' ? ['Server', x.address()] : x.constructor?.name === 'Socket' ? ['Socket', x.localPort, x.remotePort] : x.constructor?.name)); console.log(sb.endpoints);
setTimeout(() => { console.log('still alive after 2s'); }, 2000).unref();
