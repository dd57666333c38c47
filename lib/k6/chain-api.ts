// Runs INSIDE k6. A thin client for the MVP 3 blockchain API (networks, transactions, tokens, signatures; see
// lib/sandbox/openapi.yaml). Every request carries the run id and a correlation id, and a stable `name` tag.
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { QSL_ENV } from '../contract/index.ts';
import { gatewayUrl, runId, thresholdsFromEnv, vuKey } from './env.ts';
import { jsonBody } from './platform-api.ts';

type Res = RefinedResponse<ResponseType | undefined>;

let seq = 0;
function headers(): Record<string, string> {
  seq += 1;
  return { 'Content-Type': 'application/json', 'X-Run-Id': runId, 'X-Correlation-Id': `${runId}-${vuKey()}-c${seq}` };
}

function post(path: string, body: unknown, name: string): Res {
  return http.post(`${gatewayUrl}${path}`, JSON.stringify(body), { headers: headers(), tags: { name } });
}

function get(path: string, name: string): Res {
  return http.get(`${gatewayUrl}${path}`, { headers: headers(), tags: { name } });
}

export interface NetworkInfo {
  id: string;
  confirmations: number;
  blockTimeMs: number;
}

/** The networks to broadcast to: QSL_NETWORKS (comma list, from the target file) or what the platform lists. */
export function listNetworks(): string[] {
  const fromEnv = (__ENV[QSL_ENV.networks] || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (fromEnv.length) return fromEnv;
  const r = get('/api/networks', 'GET /api/networks');
  return (jsonBody<{ networks: NetworkInfo[] }>(r)?.networks ?? []).map((n) => n.id);
}

export interface NetworkTx {
  network: string;
  status: 'submitted' | 'confirmed' | 'failed';
  attempts: number;
  confirmations: number;
  confirmationMs?: number;
  error?: string;
}

export interface TransactionView {
  txId: string;
  networks: NetworkTx[];
}

export function broadcast(networks: string[], payload: Record<string, unknown>): Res {
  return post('/api/transactions', { networks, payload }, 'POST /api/transactions');
}

export function getTransaction(txId: string): Res {
  return get(`/api/transactions/${encodeURIComponent(txId)}`, 'GET /api/transactions/{id}');
}

export function mint(network: string, token: string, account: string, amount: number): Res {
  return post(`/api/tokens/${network}/mint`, { token, account, amount }, 'POST /api/tokens/{network}/mint');
}

export function transfer(network: string, token: string, from: string, to: string, amount: number): Res {
  return post(`/api/tokens/${network}/transfer`, { token, from, to, amount }, 'POST /api/tokens/{network}/transfer');
}

export function burn(network: string, token: string, account: string, amount: number): Res {
  return post(`/api/tokens/${network}/burn`, { token, account, amount }, 'POST /api/tokens/{network}/burn');
}

/** The run's own token, so supply accounting is per run even on a shared environment. */
export function runToken(): string {
  return `QSLT-${runId}`;
}

export function registerKey(keyId: string, publicKey: string): Res {
  return post('/api/signatures/keys', { keyId, publicKey }, 'POST /api/signatures/keys');
}

export function rotateKey(keyId: string, graceMs: number): Res {
  return post(`/api/signatures/keys/${encodeURIComponent(keyId)}/rotate`, { graceMs }, 'POST /api/signatures/keys/{id}/rotate');
}

export function getKey(keyId: string): Res {
  return get(`/api/signatures/keys/${encodeURIComponent(keyId)}`, 'GET /api/signatures/keys/{id}');
}

export function verifySignature(keyId: string, message: string, signature: string): Res {
  return post('/api/signatures/verify', { keyId, message, signature }, 'POST /api/signatures/verify');
}

/** `dur` of the named entry of a Server-Timing header (`pqc;dur=1.23;desc="..."`), or null. */
export function serverTiming(res: Res, metric: string): number | null {
  const raw = res.headers['Server-Timing'] ?? res.headers['server-timing'];
  if (!raw) return null;
  for (const entry of String(raw).split(',')) {
    const parts = entry
      .trim()
      .split(';')
      .map((p) => p.trim());
    if (parts[0] !== metric) continue;
    for (const p of parts.slice(1)) {
      const m = /^dur=([0-9.]+)$/.exec(p);
      if (m) return Number(m[1]);
    }
  }
  return null;
}

/**
 * The harness's thresholds minus those on metrics this scenario never records: k6 refuses a threshold on a
 * metric the script does not define, and a rate with no samples would fail.
 */
export function thresholdsWithout(metrics: readonly string[]): Record<string, string[]> {
  const all = thresholdsFromEnv();
  const out: Record<string, string[]> = {};
  for (const [key, rules] of Object.entries(all)) {
    if (!metrics.includes(key.split('{')[0])) out[key] = rules;
  }
  return out;
}

/** Metrics only the signature-validation scenario records. */
export const SIGNATURE_METRICS = ['pqc_validation_time', 'pqc_correct'] as const;
