/** Shared helpers for the sandbox integration tests (not a test file itself). */
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SandboxEndpoints } from '../../lib/sandbox/index.js';
import { sandboxSqsClient } from '../../lib/sandbox/sqs/index.js';

/** Poll `probe` until it returns a non-undefined value; fails after `timeoutMs` with the last value seen. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface Reply<T = any> {
  status: number;
  body: T;
  ms: number;
}

/** A tiny HTTP client for the gateway and admin APIs, carrying X-Run-Id. */
export class Api {
  token = '';
  constructor(
    readonly endpoints: SandboxEndpoints,
    readonly runId: string,
  ) {}

  async call<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const t0 = performance.now();
    const res = await fetch(url, {
      method,
      headers: {
        'x-run-id': this.runId,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - t0 };
  }

  gw<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    return this.call<T>(method, this.endpoints.gateway + path, body, headers);
  }

  admin<T = any>(method: string, path: string, body?: unknown) {
    return this.call<T>(method, this.endpoints.admin + path, body);
  }

  /** Sign up and log in a fresh user; keeps the token. */
  async newUser(tag: string): Promise<string> {
    const email = `${tag}-${Math.random().toString(36).slice(2)}@example.test`;
    const s = await this.gw('POST', '/api/users/signup', { email, name: tag, password: 'pw' });
    if (s.status !== 201) throw new Error(`signup answered ${s.status}: ${JSON.stringify(s.body)}`);
    const l = await this.gw('POST', '/api/users/login', { email, password: 'pw' });
    if (l.status !== 200) throw new Error(`login answered ${l.status}: ${JSON.stringify(l.body)}`);
    this.token = l.body.token;
    return s.body.userId;
  }

  /** Legacy-tap events for this run (all pages). */
  async legacyEvents(): Promise<{ seq: number; routingKey: string; message: any }[]> {
    const out: { seq: number; routingKey: string; message: any }[] = [];
    let after = 0;
    for (;;) {
      const r = await this.admin('GET', `/admin/legacy/events?runId=${encodeURIComponent(this.runId)}&after=${after}&limit=1000`);
      out.push(...r.body.events);
      if (r.body.next === after) return out;
      after = r.body.next;
    }
  }
}

/** Reads (and deletes) the audit queue, keeping one run's events (the EventBridge envelope's `detail`). */
export class AuditReader {
  readonly events: any[] = [];
  private readonly sqs;
  private queueUrl: string | undefined;

  constructor(
    endpoints: SandboxEndpoints,
    readonly runId: string,
  ) {
    this.sqs = sandboxSqsClient(endpoints.sqs, endpoints.region);
  }

  /** One receive round; resolves with how many messages (any run) came back. */
  async poll(waitSeconds = 0): Promise<number> {
    this.queueUrl ??= (await this.sqs.send(new GetQueueUrlCommand({ QueueName: 'qsl-audit' }))).QueueUrl;
    const r = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
    );
    const msgs = r.Messages ?? [];
    for (const m of msgs) {
      const detail = JSON.parse(m.Body ?? '{}').detail;
      if (detail?.runId === this.runId) this.events.push(detail);
    }
    if (msgs.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    return msgs.length;
  }

  /** Keep reading until the queue is empty for a whole 1 s long poll. */
  async drain(): Promise<any[]> {
    while ((await this.poll(1)) > 0);
    return this.events;
  }

  close(): void {
    this.sqs.destroy();
  }
}

/** This run's audit-queue events once at least `min` are in hand and a 1 s long poll comes back empty. */
export async function drainAudit(endpoints: SandboxEndpoints, runId: string, min: number, timeoutMs = 15_000): Promise<any[]> {
  const reader = new AuditReader(endpoints, runId);
  try {
    await waitFor(
      async () => ((await reader.poll(1)) === 0 && reader.events.length >= min ? true : undefined),
      `${min} audit events for ${runId}`,
      timeoutMs,
      0,
    );
    return reader.events;
  } finally {
    reader.close();
  }
}
