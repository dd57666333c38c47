import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { QslEvent, TraceContext } from '../../events/types.js';
import { faultRatio, RatioGate } from '../../faults.js';
import { ConsumingService } from '../consuming-service.js';
import type { ServiceRegistry } from '../registry.js';
import { HttpError, type HttpRoute, type ServiceContext } from '../types.js';
import { parseBody } from '../validate.js';

export const COMPLIANCE_QUEUE = 'qsl-compliance';

const subjectSchema = z.object({
  name: z.string().min(1).max(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 country code such as "DE"'),
  documentId: z.string().max(100),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
});
const checkSchema = z.object({ subject: subjectSchema, amount: z.number().int().min(0).max(1e12) });
export type ComplianceInput = z.infer<typeof checkSchema>;

export type Decision = 'approved' | 'rejected';
export interface ComplianceOutcome {
  decision: Decision;
  steps: Array<{ step: 'kyc' | 'aml' | 'risk'; passed: boolean; reason: string | null; score?: number }>;
}

/** Sanctions screening list of the sandbox (exact, case-insensitive names). */
const SANCTIONED = new Set(['ivan sanctioned', 'acme shell holdings', 'dmitri blocklist']);
const HIGH_RISK_COUNTRIES = new Set(['KP', 'IR', 'SY']);

/**
 * KYC -> AML -> Risk Assessment as one pure decision, so both paths of the dual validation run the very same rules:
 * KYC needs a well-formed document and an adult; AML rejects a sanctioned name; risk scores amount and country.
 */
export function decideCompliance(input: ComplianceInput, today = new Date()): ComplianceOutcome {
  const steps: ComplianceOutcome['steps'] = [];
  const { subject } = input;
  const age = (today.getTime() - Date.parse(subject.dateOfBirth)) / (365.25 * 24 * 3600 * 1000);
  const kycReason = !/^[A-Z]{2}\d{6,10}$/.test(subject.documentId) ? 'document id malformed' : !(age >= 18) ? 'under 18' : null;
  steps.push({ step: 'kyc', passed: kycReason === null, reason: kycReason });
  if (kycReason) return { decision: 'rejected', steps };
  const hit = SANCTIONED.has(subject.name.trim().toLowerCase());
  steps.push({ step: 'aml', passed: !hit, reason: hit ? 'sanctions list match' : null });
  if (hit) return { decision: 'rejected', steps };
  const score = Math.min(100, Math.round(input.amount / 10_000)) + (HIGH_RISK_COUNTRIES.has(subject.country) ? 80 : 0);
  const high = score >= 70;
  steps.push({ step: 'risk', passed: !high, reason: high ? `risk score ${score} >= 70` : null, score });
  return { decision: high ? 'rejected' : 'approved', steps };
}

interface CheckRecord {
  checkId: string;
  userId: string;
  runId: string;
  input: ComplianceInput;
  outcome: ComplianceOutcome;
  /** The EventBridge path's decision (dual validation), once its copy of ComplianceDecided arrived. */
  shadow: Decision | null;
  createdAt: string;
}

/**
 * ComplianceService (seed Stage 5): KYC -> AML -> Risk Assessment, each step and the decision published as events.
 * Rollback strategy "dual validation": while the service is `parallel`, the legacy path carries the primary decision
 * and the EventBridge path decides again from the validation copy of ComplianceDecided; `GET
 * /admin/compliance/decisions` lists both for the harness to compare. Fault `compliance.mismatch` makes the
 * EventBridge path decide a fraction of checks the other way.
 */
export class ComplianceService extends ConsumingService {
  readonly routes: readonly HttpRoute[];
  readonly adminRoutes: readonly HttpRoute[];
  private readonly checks = new Map<string, CheckRecord>();
  private readonly byRun = new Map<string, CheckRecord[]>();
  private readonly mismatch: RatioGate;

  constructor(private readonly ctx: ServiceContext) {
    super(ctx, {
      name: 'compliance',
      queue: COMPLIANCE_QUEUE,
      legacyBindings: [],
      // Its own primary decisions need no action; the validation copies are the EventBridge path's input.
      handle: async () => {},
      onValidation: (e) => this.onValidationCopy(e),
    });
    this.mismatch = new RatioGate(faultRatio(ctx.faults, 'compliance.mismatch'));
    this.routes = [
      { method: 'POST', url: '/api/compliance/checks', auth: true, handler: (r) => this.check(r.userId, r.body, r.trace) },
      {
        method: 'GET',
        url: '/api/compliance/checks/:id',
        auth: true,
        handler: (r) => {
          const c = this.checks.get(r.params.id);
          if (!c || c.userId !== r.userId) throw new HttpError(404, 'CHECK_NOT_FOUND', `compliance check ${r.params.id} not found`);
          return { status: 200, body: { checkId: c.checkId, ...c.outcome } };
        },
      },
    ];
    this.adminRoutes = [
      {
        method: 'GET',
        url: '/admin/compliance/decisions',
        handler: (r) => {
          const runId = r.query.runId;
          const list = runId !== undefined ? (this.byRun.get(runId) ?? []) : [...this.checks.values()];
          return {
            status: 200,
            body: {
              mode: this.ctx.flags.modeFor('ComplianceService'),
              decisions: list.map((c) => ({ checkId: c.checkId, primary: c.outcome.decision, eventbridge: c.shadow })),
            },
          };
        },
      },
    ];
  }

  private async check(userId: string, body: unknown, trace: TraceContext) {
    const input = parseBody(checkSchema, body);
    const outcome = decideCompliance(input);
    const c: CheckRecord = {
      checkId: randomUUID(),
      userId,
      runId: trace.runId,
      input,
      outcome,
      shadow: null,
      createdAt: new Date().toISOString(),
    };
    this.checks.set(c.checkId, c);
    const list = this.byRun.get(c.runId);
    if (list) list.push(c);
    else this.byRun.set(c.runId, [c]);
    const types = { kyc: 'KycCompleted', aml: 'AmlScreened', risk: 'RiskAssessed' } as const;
    for (const s of outcome.steps) {
      await this.ctx.publisher.publish(
        'ComplianceService',
        types[s.step],
        { checkId: c.checkId, userId, passed: s.passed, reason: s.reason },
        trace,
      );
    }
    await this.ctx.publisher.publish(
      'ComplianceService',
      'ComplianceDecided',
      { checkId: c.checkId, userId, decision: outcome.decision, input },
      trace,
    );
    return { status: 201, body: { checkId: c.checkId, ...outcome } };
  }

  /** The EventBridge path's own decision from the event's input. */
  private async onValidationCopy(e: QslEvent): Promise<void> {
    if (e.type !== 'ComplianceDecided') return;
    const c = this.checks.get(String(e.payload.checkId));
    if (!c || c.shadow !== null) return;
    const again = decideCompliance(e.payload.input as ComplianceInput).decision;
    c.shadow = this.mismatch.next() ? (again === 'approved' ? 'rejected' : 'approved') : again;
  }
}

export function createComplianceService(ctx: ServiceContext, _registry: ServiceRegistry): ComplianceService {
  return new ComplianceService(ctx);
}
