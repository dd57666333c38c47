import type { SQSClient } from '@aws-sdk/client-sqs';
import type { EventPublisher } from '../events/publisher.js';
import type { TraceContext } from '../events/types.js';
import type { FaultService, FaultSet } from '../faults.js';
import type { FlagStore } from '../flag-store.js';
import type { LegacyBus } from '../legacy-bus/index.js';

export type ServiceHealth = 'up' | 'down';

/** What a service module gets from the sandbox. */
export interface ServiceContext {
  publisher: EventPublisher;
  legacy: LegacyBus;
  sqs: SQSClient;
  /** Queue URL by queue name (from the topology). */
  queueUrls: Readonly<Record<string, string>>;
  faults: FaultSet;
  /** The live feature flags (MVP 4's rollback strategies read their own flag: cache, database fallback). */
  flags: FlagStore;
  seed: number;
  log: (line: string) => void;
}

export interface RouteRequest {
  body: unknown;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** The authenticated user on `auth: true` routes, '' otherwise. */
  userId: string;
  trace: TraceContext;
  /** Request headers, lower-cased names (e.g. the sandbox's `x-force-failure` hook). Absent on admin routes. */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface RouteResult {
  status: number;
  body: unknown;
  /** Extra response headers (e.g. `Server-Timing`). */
  headers?: Record<string, string>;
}

/** A gateway route a service contributes; the gateway applies auth and the owning service's fault knobs. */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** Requires `Authorization: Bearer <token>` (401 otherwise). */
  auth?: boolean;
  handler(req: RouteRequest): Promise<RouteResult> | RouteResult;
}

/** A long-lived response (Server-Sent Events) a service serves through the gateway. */
export interface StreamRoute {
  url: string;
  /** Requires `Authorization: Bearer <token>` (401 otherwise). */
  auth?: boolean;
  /** Takes over the raw response: writes its own headers and keeps it open. */
  open(
    req: { userId: string; headers: Readonly<Record<string, string | string[] | undefined>> },
    res: import('node:http').ServerResponse,
  ): void;
  /** Ends every open stream (before the gateway closes). */
  closeAll(): void;
}

/** One platform service: its own state, its routes, its consumer, its health. */
export interface ServiceModule {
  /** Short name, also the fault-knob prefix (`user` -> `user.error`). */
  readonly name: FaultService | string;
  health(): ServiceHealth;
  readonly routes?: readonly HttpRoute[];
  /** Streaming routes (MVP 4's SSE gateways). */
  readonly streams?: readonly StreamRoute[];
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
  /** Read-only routes this module adds to the admin API (probes read them), e.g. `GET /admin/ledger`. */
  readonly adminRoutes?: readonly HttpRoute[];
  /**
   * Knob suffixes this module applies itself rather than the gateway (e.g. `['latency']`: the signature service
   * adds `signature.latency` inside its measured validation time, so the gateway must not add it again).
   */
  readonly ownFaults?: readonly string[];
}

/** A service that can resolve bearer tokens (the user service). */
export interface Authenticator {
  authenticate(token: string): string | undefined;
}

/** An HTTP error a route handler throws; the gateway turns it into `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
