import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { z } from 'zod';
import type { TraceContext } from '../../events/types.js';
import { faultMs, faultOn } from '../../faults.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext, type ServiceModule } from '../types.js';
import { parseBody } from '../validate.js';
import { startVerifier, type Verifier } from './verifier.js';

export type KeyStatus = 'active' | 'grace' | 'retired';

interface RegisteredKey {
  keyId: string;
  publicKey: Uint8Array;
  publicKeyB64: string;
  registeredAt: number;
  /** Set by a rotation: from then on the key is in its grace period. */
  rotatedAt?: number;
  /** After this instant, signatures under the key are rejected. */
  retiresAt?: number;
}

export interface VerifyOutcome {
  valid: boolean;
  /** Why a signature was rejected (or `fault` when accept-invalid said yes to it). */
  reason?: 'unknown-key' | 'key-rotated-out' | 'bad-signature' | 'fault-accept-invalid';
  keyStatus?: KeyStatus;
  /** Time spent validating (the ML-DSA-44 verify call on the verifier thread; plus `signature.latency` when set), ms. */
  durationMs: number;
}

const DEFAULT_GRACE_MS = 60_000;
const MAX_GRACE_MS = 7 * 24 * 3600_000;
const b64 = z.string().min(1).max(20_000);
const registerSchema = z.object({ keyId: z.string().min(1).max(200), publicKey: b64 });
const rotateSchema = z.object({ graceMs: z.number().int().min(0).max(MAX_GRACE_MS).optional(), replacement: registerSchema.optional() });
const verifySchema = z.object({ keyId: z.string().min(1).max(200), message: b64, signature: b64 });

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/**
 * SignatureService (seed Stage 4, "PQC Dilithium2"): ML-DSA-44 (FIPS 204) verification with @noble/post-quantum
 * and a key registry with rotation: a rotated key stays valid for its grace period, then signatures under it are
 * rejected. Every validation answers with `Server-Timing: pqc;dur=<ms>`, the time of the verification alone
 * (not the HTTP handling around it), and publishes a `Validation` event; rotations publish `Rotation`.
 *
 * Faults: `signature.latency` adds a delay inside the measured validation; `signature.accept-invalid` says yes to
 * every signature.
 */
export class SignatureService implements ServiceModule {
  readonly name = 'signature';
  /** `signature.latency` belongs inside the measured validation time, not in front of the handler. */
  readonly ownFaults = ['latency'] as const;
  readonly routes: readonly HttpRoute[];
  private readonly keys = new Map<string, RegisteredKey>();
  private readonly latencyMs: number;
  /** Fault signature.throttle: a wait before each validation request is served, outside the measured validation. */
  private readonly throttleMs: number;
  private readonly acceptInvalid: boolean;
  private running = false;
  private verifier: Verifier | null = null;
  readonly stats = { validations: 0, accepted: 0, rejected: 0 };

  constructor(private readonly ctx: ServiceContext) {
    this.latencyMs = faultMs(ctx.faults, 'signature.latency');
    this.throttleMs = faultMs(ctx.faults, 'signature.throttle');
    this.acceptInvalid = faultOn(ctx.faults, 'signature.accept-invalid');
    this.routes = [
      { method: 'POST', url: '/api/signatures/keys', handler: (r) => this.register(r.body) },
      {
        method: 'GET',
        url: '/api/signatures/keys/:keyId',
        handler: (r) => ({ status: 200, body: this.keyView(this.key(r.params.keyId)) }),
      },
      { method: 'POST', url: '/api/signatures/keys/:keyId/rotate', handler: (r) => this.rotate(r.params.keyId, r.body, r.trace) },
      { method: 'POST', url: '/api/signatures/verify', handler: (r) => this.verifyRoute(r.body, r.trace) },
    ];
  }

  /** Starts the verifier thread, warmed up (V8 optimises noble's code over the first few hundred calls), as a deployed service is. */
  async start(): Promise<void> {
    this.verifier = await startVerifier();
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.verifier?.close();
    this.verifier = null;
  }

  health() {
    return this.running ? ('up' as const) : ('down' as const);
  }

  /** Status of a key at `now`. */
  statusOf(k: RegisteredKey, now = Date.now()): KeyStatus {
    if (k.retiresAt === undefined) return 'active';
    return now < k.retiresAt ? 'grace' : 'retired';
  }

  /** Validate one signature (also used in tests without HTTP). */
  async verify(keyId: string, message: Uint8Array, signature: Uint8Array): Promise<VerifyOutcome> {
    const k = this.keys.get(keyId);
    if (!k) return this.outcome(false, 'unknown-key', undefined, 0);
    const status = this.statusOf(k);
    if (!this.verifier) throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'the SignatureService is not started');
    let { ok, durationMs } = await this.verifier.verify(signature, message, k.publicKey);
    if (this.latencyMs > 0) {
      const t0 = performance.now();
      await sleep(this.latencyMs);
      durationMs += performance.now() - t0;
    }
    if (!ok) return this.outcome(false, 'bad-signature', status, durationMs);
    if (status === 'retired') return this.outcome(false, 'key-rotated-out', status, durationMs);
    return this.outcome(true, undefined, status, durationMs);
  }

  private outcome(valid: boolean, reason: VerifyOutcome['reason'], keyStatus: KeyStatus | undefined, durationMs: number): VerifyOutcome {
    this.stats.validations += 1;
    if (!valid && this.acceptInvalid) {
      this.stats.accepted += 1;
      return { valid: true, reason: 'fault-accept-invalid', ...(keyStatus ? { keyStatus } : {}), durationMs };
    }
    if (valid) this.stats.accepted += 1;
    else this.stats.rejected += 1;
    return { valid, ...(reason ? { reason } : {}), ...(keyStatus ? { keyStatus } : {}), durationMs };
  }

  private async verifyRoute(body: unknown, trace: TraceContext) {
    const req = parseBody(verifySchema, body);
    if (this.throttleMs > 0) await sleep(this.throttleMs);
    const o = await this.verify(req.keyId, bytes(req.message), bytes(req.signature));
    // The public answer does not say the fault was at work: the service "says yes".
    const reason = o.reason === 'fault-accept-invalid' ? undefined : o.reason;
    await this.ctx.publisher.publish(
      'SignatureService',
      'Validation',
      { keyId: req.keyId, valid: o.valid, ...(reason ? { reason } : {}) },
      trace,
    );
    return {
      status: 200,
      body: { keyId: req.keyId, valid: o.valid, ...(reason ? { reason } : {}), ...(o.keyStatus ? { keyStatus: o.keyStatus } : {}) },
      headers: { 'Server-Timing': `pqc;dur=${o.durationMs.toFixed(3)};desc="ML-DSA-44 verify"` },
    };
  }

  private key(keyId: string): RegisteredKey {
    const k = this.keys.get(keyId);
    if (!k) throw new HttpError(404, 'KEY_NOT_FOUND', `key ${keyId} is not registered; register it with POST /api/signatures/keys`);
    return k;
  }

  private keyView(k: RegisteredKey) {
    return {
      keyId: k.keyId,
      status: this.statusOf(k),
      registeredAt: new Date(k.registeredAt).toISOString(),
      ...(k.rotatedAt !== undefined ? { rotatedAt: new Date(k.rotatedAt).toISOString() } : {}),
      ...(k.retiresAt !== undefined ? { retiresAt: new Date(k.retiresAt).toISOString() } : {}),
    };
  }

  /** Idempotent: the same key again is 200, another key under a registered id is 409. */
  private addKey(keyId: string, publicKeyB64: string): { key: RegisteredKey; created: boolean } {
    const existing = this.keys.get(keyId);
    if (existing) {
      if (existing.publicKeyB64 !== publicKeyB64)
        throw new HttpError(409, 'KEY_ID_TAKEN', `key id ${keyId} is registered with another public key`);
      return { key: existing, created: false };
    }
    const publicKey = bytes(publicKeyB64);
    if (publicKey.length !== ml_dsa44.lengths.publicKey) {
      throw new HttpError(
        400,
        'INVALID_PUBLIC_KEY',
        `an ML-DSA-44 public key is ${ml_dsa44.lengths.publicKey} bytes, got ${publicKey.length}`,
      );
    }
    const key: RegisteredKey = { keyId, publicKey, publicKeyB64, registeredAt: Date.now() };
    this.keys.set(keyId, key);
    return { key, created: true };
  }

  private register(body: unknown) {
    const req = parseBody(registerSchema, body);
    const { key, created } = this.addKey(req.keyId, req.publicKey);
    return { status: created ? 201 : 200, body: this.keyView(key) };
  }

  private async rotate(keyId: string, body: unknown, trace: TraceContext) {
    const req = parseBody(rotateSchema, body);
    const k = this.key(keyId);
    const replacement = req.replacement ? this.addKey(req.replacement.keyId, req.replacement.publicKey).key : undefined;
    const now = Date.now();
    const retiresAt = now + (req.graceMs ?? DEFAULT_GRACE_MS);
    // A second rotation never extends an earlier, shorter grace period.
    if (k.retiresAt === undefined || retiresAt < k.retiresAt) {
      k.rotatedAt ??= now;
      k.retiresAt = retiresAt;
    }
    await this.ctx.publisher.publish(
      'SignatureService',
      'Rotation',
      { keyId, retiresAt: new Date(k.retiresAt).toISOString(), ...(replacement ? { replacementKeyId: replacement.keyId } : {}) },
      trace,
    );
    return { status: 200, body: { ...this.keyView(k), ...(replacement ? { replacement: this.keyView(replacement) } : {}) } };
  }
}

export function createSignatureService(ctx: ServiceContext, _registry: ServiceRegistry): SignatureService {
  return new SignatureService(ctx);
}
