// Runs INSIDE k6. MVP 4's API client: accounts, marketplace, compliance, AI reviews, governance, tokens and user
// closure, every call tagged with a stable `name` and checked by the caller. Each functional outcome is a k6 check;
// the harness's `features-operational` criterion requires every one of them to pass.
import { check } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { gatewayUrl, runId } from './env.ts';
import { jsonBody } from './platform-api.ts';

type Res = RefinedResponse<ResponseType | undefined>;

let seq = 0;
function headers(token?: string): Record<string, string> {
  seq += 1;
  const h: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Run-Id': runId,
    'X-Correlation-Id': `${runId}-${__VU}-m${seq}`,
  };
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

function post(path: string, body: unknown, token: string | undefined, name: string): Res {
  return http.post(`${gatewayUrl}${path}`, JSON.stringify(body), { headers: headers(token), tags: { name } });
}

function get(path: string, token: string, name: string): Res {
  return http.get(`${gatewayUrl}${path}`, { headers: headers(token), tags: { name } });
}

/** Signs up and logs in a fresh user; the token or null (checked). */
export function newUser(email: string, name: string, password: string): string | null {
  const s = post('/api/users/signup', { email, name, password }, undefined, 'POST /api/users/signup');
  const l = s.status === 201 ? post('/api/users/login', { email, password }, undefined, 'POST /api/users/login') : null;
  const token = l && l.status === 200 ? (jsonBody<{ token: string }>(l)?.token ?? null) : null;
  check(token, { 'user signed up and logged in': (t) => !!t });
  return token;
}

/** Opens a funded account (the opening balance is the funding); its id or null (checked). */
export function fundedAccount(token: string, reference: string, openingBalance: number): string | null {
  const r = post('/api/accounts', { reference, openingBalance, currency: 'EUR' }, token, 'POST /api/accounts');
  const id = jsonBody<{ accountId: string }>(r)?.accountId ?? null;
  check(r, { 'account opened 201': (x) => x.status === 201 && !!id });
  return id;
}

export interface Subject {
  name: string;
  country: string;
  documentId: string;
  dateOfBirth: string;
}

/** A compliance check; checks the decision and, for a rejection, the step that rejected it. */
export function complianceCheck(
  token: string,
  subject: Subject,
  amount: number,
  expect: { decision: 'approved' | 'rejected'; failedStep?: string },
): boolean {
  const r = post('/api/compliance/checks', { subject, amount }, token, 'POST /api/compliance/checks');
  const b = jsonBody<{ decision: string; steps: Array<{ step: string; passed: boolean }> }>(r);
  return check(r, {
    'compliance check 201': (x) => x.status === 201,
    [`compliance ${expect.decision} as expected`]: () => b?.decision === expect.decision,
    'compliance ran KYC -> AML -> risk in order': () =>
      !!b && b.steps.map((s) => s.step).join(',') === ['kyc', 'aml', 'risk'].slice(0, b.steps.length).join(','),
    ...(expect.failedStep
      ? { [`rejected at ${expect.failedStep}`]: () => b?.steps.find((s) => !s.passed)?.step === expect.failedStep }
      : {}),
  });
}

/** A listing by the seller; its id or null (checked). */
export function createListing(token: string, sellerAccountId: string, title: string, price: number): string | null {
  const r = post('/api/marketplace/listings', { title, price, sellerAccountId }, token, 'POST /api/marketplace/listings');
  const id = jsonBody<{ listingId: string }>(r)?.listingId ?? null;
  check(r, { 'listing created 201': (x) => x.status === 201 && !!id });
  return id;
}

/** List -> Buy -> Settle -> Deliver: buys the listing and follows the order until delivered (bounded). */
export function buyAndReceive(token: string, listingId: string, buyerAccountId: string): string | null {
  const l = get(`/api/marketplace/listings/${listingId}`, token, 'GET /api/marketplace/listings/{id}');
  check(l, { 'listing readable': (x) => x.status === 200 });
  const b = post(`/api/marketplace/listings/${listingId}/buy`, { buyerAccountId }, token, 'POST /api/marketplace/listings/{id}/buy');
  const order = jsonBody<{ orderId: string; status: string }>(b);
  if (!check(b, { 'order accepted 202': (x) => x.status === 202 && !!order?.orderId }) || !order) return null;
  let status = order.status;
  let paymentId: string | null = null;
  for (let i = 0; i < 3 && status !== 'delivered' && status !== 'cancelled'; i++) {
    const g = get(`/api/marketplace/orders/${order.orderId}?wait=3`, token, 'GET /api/marketplace/orders/{id}');
    const v = jsonBody<{ status: string; paymentId: string | null }>(g);
    if (g.status !== 200 || !v) break;
    status = v.status;
    paymentId = v.paymentId;
  }
  check(status, { 'order settled and delivered': (s) => s === 'delivered' });
  if (paymentId) {
    const p = get(`/api/payments/${paymentId}`, token, 'GET /api/payments/{id}');
    check(p, { 'order paid through the payment saga (confirmed)': (x) => jsonBody<{ status: string }>(x)?.status === 'confirmed' });
  }
  return order.orderId;
}

/** An AI review; checks that the model (not the fallback) answered within the wait. */
export function review(token: string, subjectType: 'listing' | 'order' | 'proposal', subjectId: string, text: string): void {
  const r = post('/api/reviews', { subjectType, subjectId, text }, token, 'POST /api/reviews');
  const id = jsonBody<{ reviewId: string }>(r)?.reviewId;
  if (!check(r, { 'review accepted 202': (x) => x.status === 202 && !!id })) return;
  const g = get(`/api/reviews/${id}?wait=3`, token, 'GET /api/reviews/{id}');
  const v = jsonBody<{ status: string; source: string | null }>(g);
  check(v, {
    'review completed': (x) => x?.status === 'completed',
    'review answered by the AI model (no fallback)': (x) => x?.source === 'model',
  });
}

/** A proposal; its id or null (checked). */
export function propose(token: string, title: string): string | null {
  const r = post('/api/governance/proposals', { title, options: ['yes', 'no'] }, token, 'POST /api/governance/proposals');
  const id = jsonBody<{ proposalId: string }>(r)?.proposalId ?? null;
  check(r, { 'proposal created 201': (x) => x.status === 201 && !!id });
  return id;
}

/** One vote, then the tally from the events includes it. */
export function vote(token: string, proposalId: string, option: 'yes' | 'no'): void {
  const r = post(`/api/governance/proposals/${proposalId}/votes`, { option }, token, 'POST /api/governance/proposals/{id}/votes');
  check(r, { 'vote cast 201': (x) => x.status === 201 });
  const g = get(`/api/governance/proposals/${proposalId}?wait=3`, token, 'GET /api/governance/proposals/{id}');
  check(g, { 'vote counted in the tally': (x) => x.status === 200 && (jsonBody<{ votes: number }>(x)?.votes ?? 0) >= 1 });
}

/** Mint then transfer a token on one network (the token operation of the lifecycle). */
export function tokenOperation(token: string, network: string, tokenName: string, account: string, to: string): void {
  const m = post(`/api/tokens/${network}/mint`, { token: tokenName, account, amount: 100 }, token, 'POST /api/tokens/{network}/mint');
  check(m, { 'token minted 201': (x) => x.status === 201 });
  const t = post(
    `/api/tokens/${network}/transfer`,
    { token: tokenName, from: account, to, amount: 40 },
    token,
    'POST /api/tokens/{network}/transfer',
  );
  check(t, { 'token transferred 200': (x) => x.status === 200 });
}

/** Closure: the user is closed and its token no longer works. */
export function closeUser(token: string): void {
  const r = http.del(`${gatewayUrl}/api/users/me`, null, { headers: headers(token), tags: { name: 'DELETE /api/users/me' } });
  check(r, { 'user closed 200': (x) => x.status === 200 });
  const after = http.put(`${gatewayUrl}/api/users/me/profile`, JSON.stringify({ displayName: 'closed' }), {
    headers: headers(token),
    tags: { name: 'PUT /api/users/me/profile (closed)' },
    responseCallback: http.expectedStatuses(401),
  });
  check(after, { 'closed user token revoked (401)': (x) => x.status === 401 });
}

/** A profile update (MVP 1 API), checked; its HTTP status (0: no answer at all). */
export function updateProfile(token: string, displayName: string): number {
  const r = http.put(`${gatewayUrl}/api/users/me/profile`, JSON.stringify({ displayName }), {
    headers: headers(token),
    tags: { name: 'PUT /api/users/me/profile' },
  });
  check(r, { 'profile updated 200': (x) => x.status === 200 });
  return r.status;
}

/** Compliance subjects: one approved and three rejected at each step. */
export const SUBJECTS: ReadonlyArray<{ subject: Subject; amount: number; decision: 'approved' | 'rejected'; failedStep?: string }> = [
  {
    subject: { name: 'Ada Lovelace', country: 'DE', documentId: 'DE12345678', dateOfBirth: '1985-12-10' },
    amount: 5_000,
    decision: 'approved',
  },
  {
    subject: { name: 'Grace Hopper', country: 'US', documentId: 'US9876543', dateOfBirth: '1990-01-01' },
    amount: 120_000,
    decision: 'approved',
  },
  {
    subject: { name: 'No Papers', country: 'FR', documentId: 'x-123', dateOfBirth: '1990-01-01' },
    amount: 100,
    decision: 'rejected',
    failedStep: 'kyc',
  },
  {
    subject: { name: 'Too Young', country: 'FR', documentId: 'FR1234567', dateOfBirth: '2015-06-01' },
    amount: 100,
    decision: 'rejected',
    failedStep: 'kyc',
  },
  {
    subject: { name: 'Ivan Sanctioned', country: 'GB', documentId: 'GB1234567', dateOfBirth: '1970-01-01' },
    amount: 100,
    decision: 'rejected',
    failedStep: 'aml',
  },
  {
    subject: { name: 'Big Ticket', country: 'IR', documentId: 'IR7654321', dateOfBirth: '1975-03-03' },
    amount: 10,
    decision: 'rejected',
    failedStep: 'risk',
  },
];
