// Runs INSIDE k6. A thin client for the platform's HTTP API (see lib/sandbox/openapi.yaml). Every
// request carries the run id and a correlation id, and a stable `name` tag so results group by
// endpoint rather than by URL.
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { gatewayUrl, runId, vuKey } from './env.ts';
import type { Identity } from './test-data.ts';

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

export function signup(id: Identity): Res {
  return http.post(`${gatewayUrl}/api/users/signup`, JSON.stringify({ email: id.email, name: id.name, password: id.password }), {
    headers: headers(),
    tags: { name: 'POST /api/users/signup' },
  });
}

export function login(id: Identity): Res {
  return http.post(`${gatewayUrl}/api/users/login`, JSON.stringify({ email: id.email, password: id.password }), {
    headers: headers(),
    tags: { name: 'POST /api/users/login' },
  });
}

export function updateProfile(token: string, id: Identity): Res {
  return http.put(`${gatewayUrl}/api/users/me/profile`, JSON.stringify({ displayName: id.displayName, phone: id.phone }), {
    headers: headers(token),
    tags: { name: 'PUT /api/users/me/profile' },
  });
}

export function notifications(token: string): Res {
  return http.get(`${gatewayUrl}/api/users/me/notifications`, { headers: headers(token), tags: { name: 'GET /api/users/me/notifications' } });
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
 * Signs up many users at once (one http.batch round, so set-up time does not grow with latency); returns the
 * indexes of the identities signed up.
 */
export function signupAll(ids: Identity[]): number[] {
  const signups = http.batch(
    ids.map(
      (id) =>
        ({
          method: 'POST',
          url: `${gatewayUrl}/api/users/signup`,
          body: JSON.stringify({ email: id.email, name: id.name, password: id.password }),
          params: { headers: headers(), tags: { name: 'POST /api/users/signup' } },
        }) as const,
    ),
  );
  return ids.flatMap((_, i) => (signups[i].status === 201 ? [i] : []));
}

/** Signs up and logs in; returns the bearer token or null. */
export function signupAndLogin(id: Identity): string | null {
  const s = signup(id);
  if (s.status !== 201) return null;
  const l = login(id);
  return l.status === 200 ? (jsonBody<{ token: string }>(l)?.token ?? null) : null;
}
