/**
 * Saga compensation (criterion saga-compensation): every payment the scenarios forced to fail must end compensated
 * at that step with no partial state left: no active hold, the ledger effect of its transactions zero for every
 * account, a reversal for every settlement. Checked against the holds and the ledger, not the payment's own status.
 */
import type { ProbeResult } from '../verdict/index.js';
import { netByAccount, type LedgerSnapshot, type LedgerTxView } from './ledger-snapshot.js';

/** `forced`: reference -> step the scenario forced; absent: the platform's own `forcedFailure` field. */
export function sagaCompensation(s: LedgerSnapshot, forced?: ReadonlyMap<string, string>): ProbeResult {
  const targets = s.payments.filter((p) => (forced ? forced.has(p.reference) : p.forcedFailure !== null));
  if (targets.length === 0) {
    return {
      value: null,
      note: forced?.size
        ? 'none of the forced-failure payments reached the platform'
        : 'no payment was forced to fail: does the target file say how (forcedFailure)?',
    };
  }
  const byPayment = new Map<string, LedgerTxView[]>();
  for (const t of s.books.primary)
    if (t.paymentId) (byPayment.get(t.paymentId) ?? byPayment.set(t.paymentId, []).get(t.paymentId)!).push(t);
  const activeHolds = new Map<string, number>();
  for (const a of s.accounts)
    for (const h of a.holds) if (h.status === 'active') activeHolds.set(h.paymentId, (activeHolds.get(h.paymentId) ?? 0) + h.amount);

  const failures: Array<{ payment: string; step: string; problems: string[] }> = [];
  const byStep: Record<string, { forced: number; compensated: number }> = {};
  for (const p of targets) {
    const step = forced?.get(p.reference) ?? p.forcedFailure ?? '?';
    const problems: string[] = [];
    if (p.status !== 'compensated') problems.push(`status ${p.status}, expected compensated`);
    if (p.failedStep !== step) problems.push(`failed at ${p.failedStep ?? 'no step'}, forced at ${step}`);
    const held = activeHolds.get(p.paymentId);
    if (held) problems.push(`hold of ${held} still active`);
    const own = byPayment.get(p.paymentId) ?? [];
    const residue = [...netByAccount(own)].filter(([, n]) => n !== 0);
    if (residue.length) problems.push(`ledger not reversed: ${residue.map(([a, n]) => `${a} ${n > 0 ? '+' : ''}${n}`).join(', ')}`);
    const settled = own.some((t) => t.kind === 'settlement');
    if (settled && !own.some((t) => t.kind === 'reversal')) problems.push('settlement posted without a reversal');
    const s2 = (byStep[step] ??= { forced: 0, compensated: 0 });
    s2.forced += 1;
    if (problems.length) failures.push({ payment: p.reference || p.paymentId, step, problems });
    else s2.compensated += 1;
  }
  const missing = forced ? [...forced.keys()].filter((r) => !targets.some((p) => p.reference === r)) : [];
  const total = targets.length + missing.length;
  const ok = targets.length - failures.length;
  return {
    value: ok / total,
    ...(failures.length || missing.length
      ? {
          note: `${total - ok} of ${total} forced failures not fully compensated${missing.length ? ` (${missing.length} never reached the platform)` : ''}`,
        }
      : {}),
    details: { forced: total, compensated: ok, byStep, failures: failures.slice(0, 50), missing: missing.slice(0, 50) },
  };
}
