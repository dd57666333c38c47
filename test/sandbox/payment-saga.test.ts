import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeatureFlags } from '../../lib/config/feature-flags.js';
import { buildSandbox, MVP2_SERVICES, MVP2_TOPOLOGY, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { Api, waitFor } from './platform-helpers.js';

// The MVP 2 payment platform in-process: a payment runs Initiate -> Validate -> Settle -> Confirm through the
// ledger's FIFO queue; forced failures end compensated; both ledger books agree; faults show up where expected.

async function start(faults: string[] = []): Promise<Sandbox> {
  return buildSandbox({
    flags: await loadFeatureFlags('flags/mvp2.json'),
    topology: MVP2_TOPOLOGY,
    services: MVP2_SERVICES,
    faults: parseFaults(faults),
  });
}

async function openAccounts(api: Api, n: number, opening = 1_000_000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await api.gw('POST', '/api/accounts', { reference: `acct-${i}`, openingBalance: opening });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(r.body.accountId);
  }
  return ids;
}

async function pay(api: Api, payer: string, payee: string, amount: number, force?: string) {
  const r = await api.gw(
    'POST',
    '/api/payments',
    { payerAccountId: payer, payeeAccountId: payee, amount, reference: `p-${amount}` },
    force ? { 'x-force-failure': force } : {},
  );
  if (r.status === 422) return r.body;
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const done = await api.gw('GET', `/api/payments/${r.body.paymentId}?wait=5`);
  return done.body;
}

describe('MVP 2 payments in the sandbox', () => {
  let sandbox: Sandbox;
  const api = () => new Api(sandbox.endpoints, 'run-pay-1');
  beforeAll(async () => {
    sandbox = await start();
  });
  afterAll(() => sandbox?.stop());

  it('a payment settles through the ledger with balanced entries for payer, payee, fee and treasury', async () => {
    const a = api();
    await a.newUser('payer');
    const [payer, payee] = await openAccounts(a, 2);
    const p = await pay(a, payer, payee, 10_000);
    expect(p.status).toBe('confirmed');
    expect(p.fee).toBe(125);
    expect(p.steps.map((s: { step: string }) => s.step)).toEqual(['validate', 'settle', 'confirm']);
    const accounts = (await a.admin('GET', '/admin/accounts?runId=run-pay-1')).body.accounts;
    const byId = Object.fromEntries(accounts.map((x: { accountId: string }) => [x.accountId, x]));
    expect(byId[payer].balance).toBe(1_000_000 - 10_125);
    expect(byId[payee].balance).toBe(1_010_000);
    expect(byId[payer].holds[0].status).toBe('captured');
    const books = await waitFor(async () => {
      const b = (await a.admin('GET', '/admin/ledger?runId=run-pay-1')).body.books;
      return b.validation.length >= 1 ? b : undefined;
    }, 'the validation book');
    const settle = books.primary.find((t: { kind: string }) => t.kind === 'settlement');
    expect(settle.path).toBe('legacy');
    expect(settle.entries).toHaveLength(4);
    expect(books.validation[0].path).toBe('eventbridge');
    expect(books.validation[0].entries).toEqual(settle.entries);
  });

  for (const step of ['validate', 'settle', 'confirm']) {
    it(`a forced failure at ${step} ends compensated: hold released, ledger nets to zero`, async () => {
      const a = new Api(sandbox.endpoints, `run-force-${step}`);
      await a.newUser('payer');
      const [payer, payee] = await openAccounts(a, 2);
      const p = await pay(a, payer, payee, 5_000, step);
      expect(p.status).toBe('compensated');
      expect(p.failedStep).toBe(step);
      const actions = p.compensations.map((c: { action: string }) => c.action);
      expect(actions).toEqual(step === 'validate' ? ['hold-released'] : ['ledger-reversed', 'hold-released']);
      const accounts = (await a.admin('GET', `/admin/accounts?runId=run-force-${step}`)).body.accounts;
      for (const acc of accounts) {
        expect(acc.balance).toBe(1_000_000);
        expect(acc.available).toBe(1_000_000);
      }
    });
  }

  it('serves every MVP 2 operation lib/sandbox/openapi.yaml documents', async () => {
    const yaml = await readFile(new URL('../../lib/sandbox/openapi.yaml', import.meta.url), 'utf8');
    const ops: [string, string][] = [];
    let path = '';
    let op: [string, string] | null = null;
    for (const line of yaml.split('\n')) {
      const p = /^  (\/\S+):$/.exec(line);
      if (p) path = p[1];
      const m = /^    (get|put|post|delete):$/.exec(line);
      if (m && path) op = [m[1].toUpperCase(), path.replace(/\{id\}/g, 'some-id')];
      if (op && /^      x-milestone: mvp2$/.test(line)) ops.push(op);
    }
    expect(ops.length).toBe(9);
    const a = api();
    await a.newUser('ops');
    for (const [method, p] of ops) {
      const r = await a.call(
        method,
        (p.startsWith('/admin') ? sandbox.endpoints.admin : sandbox.endpoints.gateway) + p,
        method === 'GET' ? undefined : {},
      );
      const unrouted = r.status === 404 && (r.body?.error?.code === 'NOT_FOUND' || /^Route /.test(r.body?.message ?? ''));
      expect(unrouted, `${method} ${p}`).toBe(false);
    }
  });

  it('an unknown X-Force-Failure step is a 400', async () => {
    const a = api();
    await a.newUser('payer');
    const [payer, payee] = await openAccounts(a, 2);
    const r = await a.gw(
      'POST',
      '/api/payments',
      { payerAccountId: payer, payeeAccountId: payee, amount: 100 },
      { 'x-force-failure': 'launch' },
    );
    expect(r.status).toBe(400);
  });

  it('insufficient funds is rejected at validate with nothing to compensate', async () => {
    const a = api();
    await a.newUser('payer');
    const [payer, payee] = await openAccounts(a, 2, 1_000);
    const p = await pay(a, payer, payee, 5_000);
    expect(p.status).toBe('rejected');
    expect(p.failureReason).toMatch(/INSUFFICIENT_FUNDS/);
  });
});

describe('MVP 2 faults', () => {
  it('ledger.skew=2: the first two settlements carry a one-sided entry, in both books', async () => {
    const sandbox = await start(['ledger.skew=2']);
    try {
      const a = new Api(sandbox.endpoints, 'run-skew');
      await a.newUser('payer');
      const [payer, payee] = await openAccounts(a, 2);
      for (const amount of [1000, 2000, 3000]) expect((await pay(a, payer, payee, amount)).status).toBe('confirmed');
      const books = await waitFor(async () => {
        const b = (await a.admin('GET', '/admin/ledger?runId=run-skew')).body.books;
        return b.validation.length >= 3 ? b : undefined;
      }, 'three validation postings');
      const settlements = books.primary.filter((t: { kind: string }) => t.kind === 'settlement');
      expect(settlements.map((t: { entries: unknown[] }) => t.entries.length).sort()).toEqual([4, 5, 5]);
      expect(books.validation.map((t: { entries: unknown[] }) => t.entries.length).sort()).toEqual([4, 5, 5]);
    } finally {
      await sandbox.stop();
    }
  });

  it('payment.compensation=broken: the payment says compensated, the hold and the settlement stay', async () => {
    const sandbox = await start(['payment.compensation=broken']);
    try {
      const a = new Api(sandbox.endpoints, 'run-broken');
      await a.newUser('payer');
      const [payer, payee] = await openAccounts(a, 2);
      const p = await pay(a, payer, payee, 5_000, 'confirm');
      expect(p.status).toBe('compensated');
      expect(p.compensations).toEqual([]);
      const accounts = (await a.admin('GET', '/admin/accounts?runId=run-broken')).body.accounts;
      const payerView = accounts.find((x: { accountId: string }) => x.accountId === payer);
      expect(payerView.balance).toBe(1_000_000 - 5_000 - 63);
    } finally {
      await sandbox.stop();
    }
  });
});
