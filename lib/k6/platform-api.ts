// Runs INSIDE k6. A thin client for the platform's HTTP API (see lib/sandbox/openapi.yaml). Every
// request carries the run id and a correlation id, and a stable `name` tag so results group by
// endpoint rather than by URL.
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { gatewayUrl, runId, vuKey } from './env.ts';
import { RECORDED_SUCCESS_METRIC, type NotifiedEventType } from '../contract/index.ts';
import type { Identity } from './test-data.ts';

const recordedSuccess = new Counter(RECORDED_SUCCESS_METRIC);

/** Records a success the platform must follow with a notification to that user (read by the notifications-delivered probe). */
function recordSuccess(res: Res, status: number, type: NotifiedEventType): void {
  if (res.status !== status) return;
  const userId = jsonBody<{ userId?: string }>(res)?.userId;
  if (userId) recordedSuccess.add(1, { user: String(userId), type });
}

let seq = 0;
/** Unique per request within the run: VU number (0 in setup, plus the instance in a split test) and a per-VU sequence. */
function correlationId(): string {
  seq += 1;
  return `${runId}-${vuKey()}-${seq}`;
}

function headers(token?: string): Record<string, string> {
  const h: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Run-Id': runId,
    'X-Correlation-Id': correlationId(),
  };
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

type Res = RefinedResponse<ResponseType | undefined>;

export function jsonBody<T>(res: Res): T | null {
  try {
    return res.json() as unknown as T;
  } catch {
    return null;
  }
}

/**
 * The JSON body when the response has `status` and its body carries every named field (non-empty), else null. Checks
 * use it so that a 200 with an empty or malformed body fails, as a client reading it would.
 */
export function bodyWith<T = Record<string, unknown>>(res: Res, status: number, ...fields: string[]): T | null {
  if (res.status !== status) return null;
  const body = jsonBody<Record<string, unknown>>(res);
  if (body === null || typeof body !== 'object') return null;
  for (const f of fields) {
    const v = body[f];
    if (v === undefined || v === null || v === '') return null;
  }
  return body as T;
}

export function signup(id: Identity): Res {
  const res = http.post(`${gatewayUrl}/api/users/signup`, JSON.stringify({ email: id.email, name: id.name, password: id.password }), {
    headers: headers(),
    tags: { name: 'POST /api/users/signup' },
  });
  recordSuccess(res, 201, 'UserSignedUp');
  return res;
}

export function login(id: Identity): Res {
  return http.post(`${gatewayUrl}/api/users/login`, JSON.stringify({ email: id.email, password: id.password }), {
    headers: headers(),
    tags: { name: 'POST /api/users/login' },
  });
}

export function updateProfile(token: string, id: Identity): Res {
  const res = http.put(`${gatewayUrl}/api/users/me/profile`, JSON.stringify({ displayName: id.displayName, phone: id.phone }), {
    headers: headers(token),
    tags: { name: 'PUT /api/users/me/profile' },
  });
  recordSuccess(res, 200, 'UserProfileUpdated');
  return res;
}

export function notifications(token: string): Res {
  return http.get(`${gatewayUrl}/api/users/me/notifications`, {
    headers: headers(token),
    tags: { name: 'GET /api/users/me/notifications' },
  });
}

export function createWorkflow(token: string, type: string): Res {
  return http.post(`${gatewayUrl}/api/workflows`, JSON.stringify({ type, input: { requestedBy: runId } }), {
    headers: headers(token),
    tags: { name: 'POST /api/workflows' },
  });
}

export function executeWorkflow(token: string, workflowId: string): Res {
  return http.post(`${gatewayUrl}/api/workflows/${workflowId}/execute`, null, {
    headers: headers(token),
    tags: { name: 'POST /api/workflows/{id}/execute' },
  });
}

export function getWorkflow(token: string, workflowId: string): Res {
  return http.get(`${gatewayUrl}/api/workflows/${workflowId}`, { headers: headers(token), tags: { name: 'GET /api/workflows/{id}' } });
}

/**
 * Signs up and logs in many users at once (two http.batch rounds, so set-up time does not grow with
 * latency); returns one token per identity, null where either step failed.
 */
export function signupAndLoginAll(ids: Identity[]): Array<string | null> {
  const post = (path: string, body: object, name: string) =>
    ({ method: 'POST', url: `${gatewayUrl}${path}`, body: JSON.stringify(body), params: { headers: headers(), tags: { name } } }) as const;
  const signups = http.batch(
    ids.map((id) => post('/api/users/signup', { email: id.email, name: id.name, password: id.password }, 'POST /api/users/signup')),
  );
  for (const s of signups) recordSuccess(s, 201, 'UserSignedUp');
  const logins = http.batch(ids.map((id) => post('/api/users/login', { email: id.email, password: id.password }, 'POST /api/users/login')));
  return ids.map((_, i) =>
    signups[i].status === 201 && logins[i].status === 200 ? (jsonBody<{ token: string }>(logins[i])?.token ?? null) : null,
  );
}

/** Signs up and logs in; returns the bearer token or null. */
export function signupAndLogin(id: Identity): string | null {
  const s = signup(id);
  if (s.status !== 201) return null;
  const l = login(id);
  return l.status === 200 ? (jsonBody<{ token: string }>(l)?.token ?? null) : null;
}
