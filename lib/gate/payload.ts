import { z } from 'zod';
import { describeZodIssues } from '../config/index.js';

/** The canary phases Flagger reports (fluxcd/flagger pkg/apis/flagger/v1beta1 CanaryPhase). */
export const FLAGGER_PHASES = [
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
] as const;

/**
 * The body Flagger POSTs to every webhook (CanaryWebhookPayload): the canary's name and namespace,
 * its phase, the checksum of its tracked configuration, and the webhook's `metadata` map (strings).
 * The gate reads the rollout stage from `metadata.stage`.
 */
export const FlaggerPayload = z.object({
  name: z.string().min(1, 'the canary name is required'),
  namespace: z.string().min(1, 'the canary namespace is required'),
  phase: z.enum(FLAGGER_PHASES, { message: `expected one of Flagger's canary phases: ${FLAGGER_PHASES.join(', ')}` }),
  checksum: z.string().optional(),
  metadata: z.record(z.string(), z.string(), { message: 'expected a map of strings (the webhook metadata)' }).optional(),
});
export type FlaggerPayload = z.infer<typeof FlaggerPayload>;

export type ParsedHook = { ok: true; payload: FlaggerPayload; stage: string } | { ok: false; error: string };

/** Validates a webhook body; the error names the field and the fix (Flagger logs it on a non-2xx answer). */
export function parseFlaggerPayload(body: unknown): ParsedHook {
  const r = FlaggerPayload.safeParse(body);
  if (!r.success) return { ok: false, error: `invalid Flagger webhook payload: ${describeZodIssues(r.error).join('; ')}` };
  const stage = r.data.metadata?.stage;
  if (stage === undefined)
    return {
      ok: false,
      error:
        'metadata.stage is missing: add `metadata: { stage: "1" }` to the webhook in the Canary (the rollout stage, as for emergency-rollback.sh)',
    };
  if (!/^[1-9]$/.test(stage))
    return { ok: false, error: `metadata.stage "${stage}" is not a stage: give a number 1-9 as a string, e.g. stage: "1"` };
  return { ok: true, payload: r.data, stage };
}
