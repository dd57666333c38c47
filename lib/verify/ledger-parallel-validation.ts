/**
 * Parallel validation (criterion parallel-validation): with PaymentGatewayService on "parallel", every ledger
 * posting request travels both paths; the ledger books the primary (legacy) copy and builds a shadow book from the
 * EventBridge copy. The two books must agree transaction for transaction and entry for entry.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ProbeResult } from '../verdict/index.js';
import type { LedgerEntryView, LedgerSnapshot, LedgerTxView } from './ledger-snapshot.js';

const canonical = (entries: readonly LedgerEntryView[]) => entries.map((e) => `${e.accountId}|${e.side}|${e.amount}`).sort();

export function parallelValidation(s: LedgerSnapshot): ProbeResult {
  const primary = s.books.primary.filter((t) => t.kind !== 'opening');
  const shadow = new Map(s.books.validation.map((t) => [t.txId, t]));
  if (primary.length === 0) return { value: null, note: 'no payment postings to compare' };
  if (shadow.size === 0) {
    return {
      value: null,
      note: 'the EventBridge path produced no shadow book: is PaymentGatewayService on "parallel" (and DualPublishing enabled)?',
    };
  }
  const discrepancies: Array<{ txId: string; paymentId?: string; reason: string; legacy?: string[]; eventbridge?: string[] }> = [];
  const seen = new Set<string>();
  for (const t of primary) {
    seen.add(t.txId);
    const eb: LedgerTxView | undefined = shadow.get(t.txId);
    if (!eb) discrepancies.push({ txId: t.txId, paymentId: t.paymentId, reason: 'missing on the EventBridge path' });
    else if (eb.kind !== t.kind || !isDeepStrictEqual(canonical(t.entries), canonical(eb.entries))) {
      discrepancies.push({
        txId: t.txId,
        paymentId: t.paymentId,
        reason: 'entries differ',
        legacy: canonical(t.entries),
        eventbridge: canonical(eb.entries),
      });
    }
  }
  for (const [txId, t] of shadow)
    if (!seen.has(txId)) discrepancies.push({ txId, paymentId: t.paymentId, reason: 'only on the EventBridge path' });
  return {
    value: discrepancies.length,
    ...(discrepancies.length
      ? { note: `${discrepancies.length} of ${primary.length} ledger transactions differ between the legacy and the EventBridge path` }
      : {}),
    details: { compared: primary.length, shadowBook: shadow.size, discrepancies: discrepancies.slice(0, 50) },
  };
}
