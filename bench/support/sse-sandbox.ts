/**
 * Child process of `npm run bench -- sse`: the MVP 4 sandbox plus a producer that runs compliance checks at a fixed
 * rate for one user (each one puts a ComplianceDecided event on that user's streams). Prints `{"gateway": ..., "token": ..., "userId": ...}` once up; stops on
 * SIGTERM. Kept apart so the clients being measured have the bench process's core to themselves.
 */
import { loadFeatureFlags } from '../../lib/config/feature-flags.js';
import { buildSandbox } from '../../lib/sandbox/index.js';
import { MVP4_TOPOLOGY, mvp4Services } from '../../lib/sandbox/mvp4.js';

const rate = Number(process.argv[2] ?? '15');
const sb = await buildSandbox({ topology: MVP4_TOPOLOGY, services: mvp4Services(), flags: await loadFeatureFlags('flags/mvp4.json') });
const gw = sb.endpoints.gateway;
const json = { 'content-type': 'application/json' };
const { userId } = (await (
  await fetch(`${gw}/api/users/signup`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: 'bench@example.test', name: 'Bench', password: 'pw' }),
  })
).json()) as { userId: string };
const { token } = (await (
  await fetch(`${gw}/api/users/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: 'bench@example.test', password: 'pw' }),
  })
).json()) as { token: string };
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  void sb.stop().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ gateway: gw, token, userId })}\n`);
const subject = { name: 'Ada Lovelace', country: 'DE', documentId: 'DE12345678', dateOfBirth: '1985-12-10' };
const started = Date.now();
for (let i = 0; !stopping; i++) {
  const due = started + (i * 1000) / rate;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  void fetch(`${gw}/api/compliance/checks`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify({ subject, amount: i }),
  }).catch(() => {});
}
