import { request } from 'node:http';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFeatureFlags } from '../../lib/config/feature-flags.js';
import { buildSandbox, parseFaults, type Sandbox } from '../../lib/sandbox/index.js';
import { MVP4_TOPOLOGY, mvp4Services } from '../../lib/sandbox/mvp4.js';
import { Api, waitFor } from './platform-helpers.js';

let sb: Sandbox | null = null;
afterEach(async () => {
  await sb?.stop();
  sb = null;
});

async function start(faults: string[] = [], heartbeatMs = 15_000): Promise<Api> {
  sb = await buildSandbox({
    topology: MVP4_TOPOLOGY,
    services: mvp4Services({ sse: { heartbeatMs } }),
    flags: await loadFeatureFlags('flags/mvp4.json'),
    faults: parseFaults(faults),
  });
  return new Api(sb.endpoints, `mvp4-services-${Math.random().toString(36).slice(2)}`);
}

async function account(api: Api, balance: number): Promise<string> {
  const r = await api.gw('POST', '/api/accounts', { reference: `acc-${Math.random()}`, openingBalance: balance, currency: 'EUR' });
  expect(r.status).toBe(201);
  return r.body.accountId;
}

const adult = { name: 'Ada Lovelace', country: 'DE', documentId: 'DE12345678', dateOfBirth: '1990-01-01' };

/** An SSE client that records every event and its id. */
function listen(api: Api, path: string, token: string, lastEventId?: string) {
  const got: Array<{ id: string; type: string; data: any }> = [];
  const es = new EventSource(api.endpoints.gateway + path, {
    fetch: (url, init) =>
      fetch(url, {
        ...init,
        headers: { ...init?.headers, authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      }),
  });
  const types = [
    'NotificationDelivered',
    'PaymentInitiated',
    'PaymentConfirmed',
    'OrderPlaced',
    'OrderSettled',
    'OrderDelivered',
    'ComplianceDecided',
    'ReviewCompleted',
    'ListingCreated',
    'VoteCast',
    'UserProfileUpdated',
  ];
  for (const t of types) es.addEventListener(t, (e) => got.push({ id: e.lastEventId, type: t, data: JSON.parse(e.data) }));
  return { es, got };
}

describe('MVP 4 sandbox services', () => {
  it("marketplace: list, buy through the payment saga, settle and deliver; the buyer's SSE stream sees the order", async () => {
    const api = await start();
    const seller = await api.newUser('seller');
    const sellerToken = api.token;
    const sellerAcc = await account(api, 0);
    const listing = await api.gw('POST', '/api/marketplace/listings', { title: 'Quantum widget', price: 2500, sellerAccountId: sellerAcc });
    expect(listing.status).toBe(201);
    expect(listing.body.sellerId).toBe(seller);

    const buyer = await api.newUser('buyer');
    const buyerAcc = await account(api, 10_000);
    const stream = listen(api, '/api/mobile/events', api.token);
    await waitFor(() => (stream.es.readyState === EventSource.OPEN ? true : undefined), 'stream open');

    const order = await api.gw('POST', `/api/marketplace/listings/${listing.body.listingId}/buy`, { buyerAccountId: buyerAcc });
    expect(order.status).toBe(202);
    const done = await api.gw('GET', `/api/marketplace/orders/${order.body.orderId}?wait=5`);
    expect(done.body.status).toBe('delivered');
    expect(done.body.paymentId).toBeTruthy();
    const pay = await api.gw('GET', `/api/payments/${done.body.paymentId}`);
    expect(pay.body.status).toBe('confirmed');

    await waitFor(() => (stream.got.some((e) => e.type === 'OrderDelivered') ? true : undefined), 'OrderDelivered on the buyer stream');
    const types = stream.got.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['OrderPlaced', 'PaymentInitiated', 'PaymentConfirmed', 'OrderSettled', 'OrderDelivered']),
    );
    const ids = stream.got.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(stream.got.every((e) => e.data.payload.buyerId === buyer || e.data.payload.userId === buyer || e.data.payload.paymentId)).toBe(
      true,
    );
    stream.es.close();

    // The seller reads the listing from the cache once the marketplace flag is off.
    api.token = sellerToken;
    const flags = (await api.admin('GET', '/admin/flags')).body;
    flags.FeatureManagement.EventBridge.MarketplaceService = false;
    expect((await api.admin('PUT', '/admin/flags', flags)).status).toBe(200);
    const cached = await api.gw('GET', `/api/marketplace/listings/${listing.body.listingId}`);
    expect(cached.body.source).toBe('cache');
  });

  it('compliance: KYC -> AML -> risk, rejections with reasons, both paths agree; compliance.mismatch makes them differ', async () => {
    let api = await start();
    await api.newUser('kyc');
    const ok = await api.gw('POST', '/api/compliance/checks', { subject: adult, amount: 1000 });
    expect(ok.status).toBe(201);
    expect(ok.body.decision).toBe('approved');
    const aml = await api.gw('POST', '/api/compliance/checks', { subject: { ...adult, name: 'Ivan Sanctioned' }, amount: 10 });
    expect(aml.body).toMatchObject({
      decision: 'rejected',
      steps: [
        { step: 'kyc', passed: true },
        { step: 'aml', passed: false },
      ],
    });
    const kyc = await api.gw('POST', '/api/compliance/checks', { subject: { ...adult, documentId: 'nope' }, amount: 10 });
    expect(kyc.body.steps).toEqual([{ step: 'kyc', passed: false, reason: 'document id malformed' }]);
    const risk = await api.gw('POST', '/api/compliance/checks', { subject: { ...adult, country: 'KP' }, amount: 10 });
    expect(risk.body.decision).toBe('rejected');
    const bad = await api.gw('POST', '/api/compliance/checks', { subject: { ...adult, country: 'Germany' }, amount: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('subject.country');
    const pairs = await waitFor(async () => {
      const r = await api.admin('GET', `/admin/compliance/decisions?runId=${api.runId}`);
      return r.body.decisions.every((d: any) => d.eventbridge !== null) ? r.body : undefined;
    }, 'both paths decided');
    expect(pairs.mode).toBe('parallel');
    expect(pairs.decisions).toHaveLength(4);
    expect(pairs.decisions.every((d: any) => d.primary === d.eventbridge)).toBe(true);
    await sb!.stop();

    api = await start(['compliance.mismatch=0.5']);
    await api.newUser('kyc2');
    for (let i = 0; i < 4; i++) await api.gw('POST', '/api/compliance/checks', { subject: adult, amount: i });
    const mixed = await waitFor(async () => {
      const r = await api.admin('GET', `/admin/compliance/decisions?runId=${api.runId}`);
      return r.body.decisions.length === 4 && r.body.decisions.every((d: any) => d.eventbridge !== null) ? r.body.decisions : undefined;
    }, 'both paths decided');
    expect(mixed.filter((d: any) => d.primary !== d.eventbridge)).toHaveLength(2);
  });

  it('AI review: the model answers in time; with aireview.latency past the deadline the rule-based fallback answers and says so', async () => {
    let api = await start();
    await api.newUser('reviewer');
    const r = await api.gw('POST', '/api/reviews', { subjectType: 'listing', subjectId: 'l1', text: 'great widget' });
    expect(r.status).toBe(202);
    const v = await api.gw('GET', `/api/reviews/${r.body.reviewId}?wait=3`);
    expect(v.body).toMatchObject({ status: 'completed', decision: 'approved', source: 'model', fallbackReason: null });
    await sb!.stop();

    api = await start(['aireview.latency=3000ms']);
    await api.newUser('reviewer2');
    const t0 = Date.now();
    const slow = await api.gw('POST', '/api/reviews', { subjectType: 'listing', subjectId: 'l1', text: 'a scam' });
    expect(Date.now() - t0).toBeLessThan(1000);
    const f = await api.gw('GET', `/api/reviews/${slow.body.reviewId}?wait=4`);
    expect(f.body).toMatchObject({ status: 'completed', decision: 'rejected', source: 'rule-based-fallback' });
    expect(f.body.fallbackReason).toMatch(/did not answer within/);
  });

  it('governance: one vote per user, tallies from the events, database fallback when the bus path is off', async () => {
    const api = await start();
    await api.newUser('gov');
    const p = await api.gw('POST', '/api/governance/proposals', { title: 'Raise fee cap', options: ['yes', 'no'] });
    expect(p.status).toBe(201);
    expect((await api.gw('POST', `/api/governance/proposals/${p.body.proposalId}/votes`, { option: 'yes' })).status).toBe(201);
    expect((await api.gw('POST', `/api/governance/proposals/${p.body.proposalId}/votes`, { option: 'no' })).status).toBe(409);
    const t = await api.gw('GET', `/api/governance/proposals/${p.body.proposalId}?wait=5`);
    expect(t.body).toMatchObject({ votes: 1, tally: { yes: 1, no: 0 }, source: 'events' });
    const flags = (await api.admin('GET', '/admin/flags')).body;
    flags.FeatureManagement.EventBridge.GovernanceService = false;
    await api.admin('PUT', '/admin/flags', flags);
    const db = await api.gw('GET', `/api/governance/proposals/${p.body.proposalId}`);
    expect(db.body).toMatchObject({ tally: { yes: 1, no: 0 }, source: 'database' });
  });

  it('SSE: headers, retry, heartbeat comments, monotonic ids, Last-Event-ID replay; the admin stream sees platform-wide events', async () => {
    const api = await start([], 300);
    const userId = await api.newUser('sse');
    // Raw bytes: the headers and comment lines a browser EventSource hides.
    const raw = await new Promise<{ headers: Record<string, unknown>; text: string }>((resolve, reject) => {
      const req = request(api.endpoints.gateway + '/api/web/events', { headers: { authorization: `Bearer ${api.token}` } }, (res) => {
        let text = '';
        res.on('data', (b: Buffer) => (text += b.toString()));
        setTimeout(() => {
          req.destroy();
          resolve({ headers: res.headers, text });
        }, 800);
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(raw.headers['x-accel-buffering']).toBe('no');
    expect(raw.text.startsWith('retry: 1000\n\n')).toBe(true);
    expect(raw.text.match(/^: heartbeat \d+$/gm)?.length).toBeGreaterThanOrEqual(2);

    const user = listen(api, '/api/web/events', api.token);
    const admin = listen(api, '/api/admin/events', api.token);
    await waitFor(
      () => (user.es.readyState === EventSource.OPEN && admin.es.readyState === EventSource.OPEN ? true : undefined),
      'streams open',
    );
    for (let i = 0; i < 3; i++) await api.gw('POST', '/api/compliance/checks', { subject: adult, amount: i });
    await waitFor(() => (user.got.length >= 3 ? true : undefined), 'three decisions on the user stream');
    expect(user.got.map((e) => e.type)).toEqual(['ComplianceDecided', 'ComplianceDecided', 'ComplianceDecided']);
    expect(user.got.every((e) => e.data.payload.userId === userId)).toBe(true);
    await waitFor(() => (admin.got.some((e) => e.type === 'ComplianceDecided') ? true : undefined), 'the admin stream');
    user.es.close();
    admin.es.close();

    // Reconnecting after id 1 replays 2 and 3 from the buffer.
    const again = listen(api, '/api/web/events', api.token, user.got[0].id);
    await waitFor(() => (again.got.length >= 2 ? true : undefined), 'replay');
    expect(again.got.map((e) => e.id)).toEqual([user.got[1].id, user.got[2].id]);
    again.es.close();

    const anon = await fetch(api.endpoints.gateway + '/api/mobile/events');
    expect(anon.status).toBe(401);
  });

  it('billing meter: PutEvents entries by source and SQS requests by queue, on the wire', async () => {
    const api = await start();
    await api.newUser('bill');
    await api.gw('POST', '/api/compliance/checks', { subject: adult, amount: 1 });
    const b = await waitFor(async () => {
      const r = await api.admin('GET', '/admin/billing');
      return r.body.eventBridge.bySource['qsl.compliance']?.entries >= 4 && r.body.sqs.byQueue['qsl-compliance'].send >= 1
        ? r.body
        : undefined;
    }, 'compliance entries metered');
    expect(b.eventBridge.bySource['qsl.user'].entries).toBeGreaterThanOrEqual(1);
    expect(b.sqs.byQueue['qsl-compliance'].send).toBeGreaterThanOrEqual(1);
    expect(b.sqs.byQueue['qsl-compliance'].emptyReceive + b.sqs.byQueue['qsl-compliance'].receive).toBeGreaterThan(0);
    expect(b.sqs.byQueue['qsl-ledger.fifo'].fifo).toBe(true);
  });
});
