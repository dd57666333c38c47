import { loadTargetFile } from '../config/index.js';
import { createError } from '../errors/index.js';
import type { ProbeResult } from '../verdict/index.js';
import { readLedgerSnapshot, reconcileLedger } from '../verify/index.js';

export interface ReconcileOutcome {
  result: ProbeResult;
  exitCode: 0 | 1 | 2;
  text: string;
}

/**
 * `npm run reconcile -- --target <file> [--run-id <id>]`: the ledger reconciliation probe alone against an
 * environment (the seed's hourly reconciliation). Expected balances come from the platform's own account and
 * payment records. Exit 0 consistent, 1 inconsistent, 2 could not reconcile.
 */
export async function reconcileTarget(opts: { targetFile?: string; runId?: string }): Promise<ReconcileOutcome> {
  if (!opts.targetFile) {
    throw createError(
      'QSL_CONFIG_INVALID',
      'reconcile needs --target <file>: a freshly started sandbox has no ledger to reconcile. ' +
        'Point it at an environment (targets/<name>.json), or run "npm run mvp2", which reconciles its own run.',
    );
  }
  const target = loadTargetFile(opts.targetFile);
  let snapshot;
  try {
    snapshot = await readLedgerSnapshot(target.admin, opts.runId);
  } catch (e) {
    throw createError(
      'QSL_TARGET_UNREACHABLE',
      `could not read the ledger of "${target.name}" from ${target.admin} (${(e as Error).message}). ` +
        'The admin API must serve GET /admin/payments, /admin/accounts and /admin/ledger (lib/sandbox/openapi.yaml); check the admin URL and that the environment is up.',
    );
  }
  const result = reconcileLedger(snapshot);
  const scope = opts.runId ? `run ${opts.runId}` : 'all runs';
  const d = (result.details ?? {}) as {
    checks?: number;
    failed?: number;
    payments?: number;
    transactions?: number;
    discrepancies?: Array<{ check: string; subject: string; detail: string }>;
  };
  const lines = [
    `ledger reconciliation of "${target.name}" (${scope}): ${d.payments ?? 0} payments, ${d.transactions ?? 0} transactions, ${d.checks ?? 0} checks`,
  ];
  let exitCode: 0 | 1 | 2;
  if (result.value === null) {
    exitCode = 2;
    lines.push(`could not reconcile: ${result.note ?? 'no value'}`);
  } else if (result.value >= 1) {
    exitCode = 0;
    lines.push('CONSISTENT: every check passed');
  } else {
    exitCode = 1;
    lines.push(`INCONSISTENT: ${result.note ?? ''}`);
    for (const x of (d.discrepancies ?? []).slice(0, 20)) lines.push(`  ${x.check}: ${x.subject}: ${x.detail}`);
  }
  return { result, exitCode, text: lines.join('\n') };
}
