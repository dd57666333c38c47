/**
 * Ledger reconciliation (criterion ledger-consistency, and `npm run reconcile`): every check the seed's "100% ledger
 * consistency" implies, each counted; the value is passed / all checks (1 = consistent).
 */
import type { ProbeResult } from '../verdict/index.js';
import { FINAL_STATUSES, netByAccount, sums, type LedgerSnapshot, type LedgerTxView, type PaymentView } from './ledger-snapshot.js';

/** What the scenarios did, in the harness's own record (the generated plan, by reference). */
export interface ReconciliationPlan {
  accounts: ReadonlyArray<{ reference: string; openingBalance: number }>;
  payments: ReadonlyArray<{ reference: string; payer: string; payee: string; amount: number; force?: string }>;
  /** Payments the k6 scenarios saw confirmed (counter payments_confirmed), when known. */
  k6Confirmed?: number | null;
}

export interface Discrepancy {
  check: string;
  subject: string;
  detail: string;
}

/**
 * Reconciles one run's (or the whole platform's) ledger. With a `plan`, expected balances come from the harness's
 * own record (opening balances and payment amounts by reference, final states from the platform); without one
 * (`npm run reconcile`), from the platform's own account and payment records.
 */
export function reconcileLedger(s: LedgerSnapshot, plan?: ReconciliationPlan): ProbeResult {
  const bad: Discrepancy[] = [];
  let checks = 0;
  const check = (ok: boolean, d: Discrepancy) => {
    checks += 1;
    if (!ok) bad.push(d);
  };
  const txs = s.books.primary;
  if (s.payments.length === 0 && txs.length === 0) {
    return { value: null, note: 'nothing to reconcile: no payments and no ledger transactions for this run' };
  }

  // 1. Debits = credits per transaction and in total.
  let debits = 0;
  let credits = 0;
  for (const t of txs) {
    const x = sums(t.entries);
    debits += x.debits;
    credits += x.credits;
    check(x.debits === x.credits, { check: 'transaction balanced', subject: t.txId, detail: `debits ${x.debits}, credits ${x.credits}` });
  }
  check(debits === credits, {
    check: 'ledger balanced in total',
    subject: 'all transactions',
    detail: `debits ${debits}, credits ${credits}`,
  });

  // 2. Every payment: final, and its ledger effect matches its state.
  const byPayment = new Map<string, LedgerTxView[]>();
  for (const t of txs) if (t.paymentId) (byPayment.get(t.paymentId) ?? byPayment.set(t.paymentId, []).get(t.paymentId)!).push(t);
  for (const p of s.payments) {
    const own = byPayment.get(p.paymentId) ?? [];
    check(FINAL_STATUSES.has(p.status), { check: 'payment final', subject: ref(p), detail: `still ${p.status}` });
    if (p.status === 'confirmed') {
      const settlement = own.filter((t) => t.kind === 'settlement');
      const ok = settlement.length === 1 && own.length === 1 && settlementMatches(p, settlement[0]);
      check(ok, { check: 'settled payment has its balanced entries', subject: ref(p), detail: describeTx(own) });
    } else if (p.status === 'compensated' || p.status === 'rejected') {
      const nonZero = [...netByAccount(own)].filter(([, n]) => n !== 0);
      check(nonZero.length === 0, {
        check: `${p.status} payment nets to zero`,
        subject: ref(p),
        detail: nonZero.map(([a, n]) => `${a} ${n > 0 ? '+' : ''}${n}`).join(', '),
      });
    }
  }

  // 3. Balances: what the record predicts vs what the ledger says.
  const planned = new Map((plan?.payments ?? []).map((x) => [x.reference, x]));
  const opening = new Map((plan?.accounts ?? []).map((a) => [a.reference, a.openingBalance]));
  const refOf = new Map(s.accounts.map((a) => [a.accountId, a.reference]));
  const expected = new Map<string, number>();
  for (const a of s.accounts) {
    const o = plan ? opening.get(a.reference) : a.openingBalance;
    check(o !== undefined, {
      check: 'account in the record',
      subject: a.reference || a.accountId,
      detail: 'the platform has an account the scenarios never opened',
    });
    expected.set(a.accountId, o ?? 0);
  }
  for (const p of s.payments) {
    if (plan) {
      const x = planned.get(p.reference);
      const same = !!x && x.amount === p.amount && x.payer === refOf.get(p.payerAccountId) && x.payee === refOf.get(p.payeeAccountId);
      check(same || (!!x?.force && x.payer === refOf.get(p.payerAccountId)), {
        check: 'payment as recorded',
        subject: ref(p),
        detail: x
          ? `recorded ${x.amount} ${x.payer} -> ${x.payee}, platform ${p.amount} ${refOf.get(p.payerAccountId)} -> ${refOf.get(p.payeeAccountId)}`
          : "not in the scenarios' record",
      });
    }
    if (p.status !== 'confirmed') continue;
    const amount = plan && !planned.get(p.reference)?.force ? (planned.get(p.reference)?.amount ?? p.amount) : p.amount;
    expected.set(p.payerAccountId, (expected.get(p.payerAccountId) ?? 0) - amount - (p.fee ?? 0));
    expected.set(p.payeeAccountId, (expected.get(p.payeeAccountId) ?? 0) + amount);
  }
  const ledgerNet = netByAccount(txs);
  for (const a of s.accounts) {
    const want = expected.get(a.accountId) ?? 0;
    check(a.balance === want && (ledgerNet.get(a.accountId) ?? 0) === want, {
      check: 'balance as predicted',
      subject: a.reference || a.accountId,
      detail: `expected ${want}, account says ${a.balance}, ledger entries sum to ${ledgerNet.get(a.accountId) ?? 0}`,
    });
  }
  if (plan?.k6Confirmed !== undefined && plan.k6Confirmed !== null) {
    const confirmed = s.payments.filter((p) => p.status === 'confirmed').length;
    check(plan.k6Confirmed === confirmed, {
      check: 'scenarios saw what the platform booked',
      subject: 'confirmed payments',
      detail: `k6 saw ${plan.k6Confirmed} confirmed, the platform has ${confirmed}`,
    });
  }

  const byCheck: Record<string, number> = {};
  for (const d of bad) byCheck[d.check] = (byCheck[d.check] ?? 0) + 1;
  return {
    value: (checks - bad.length) / checks,
    ...(bad.length
      ? {
          note: `${bad.length} of ${checks} ledger checks failed: ${Object.entries(byCheck)
            .map(([c, n]) => `${c} (${n})`)
            .join(', ')}`,
        }
      : {}),
    details: {
      checks,
      failed: bad.length,
      failedByCheck: byCheck,
      payments: s.payments.length,
      transactions: txs.length,
      accounts: s.accounts.length,
      totals: { debits, credits },
      discrepancies: bad.slice(0, 50),
    },
  };
}

function ref(p: PaymentView): string {
  return p.reference || p.paymentId;
}

/** Payer debited amount + fee, payee credited amount, the rest of the credits (fee, treasury) = the fee. */
function settlementMatches(p: PaymentView, t: LedgerTxView): boolean {
  const x = sums(t.entries);
  if (x.debits !== x.credits) return false;
  const fee = p.fee ?? 0;
  const payer = t.entries.filter((e) => e.accountId === p.payerAccountId);
  const payee = t.entries.filter((e) => e.accountId === p.payeeAccountId);
  const others = t.entries.filter((e) => e.accountId !== p.payerAccountId && e.accountId !== p.payeeAccountId);
  return (
    payer.length === 1 &&
    payer[0].side === 'debit' &&
    payer[0].amount === p.amount + fee &&
    payee.length === 1 &&
    payee[0].side === 'credit' &&
    payee[0].amount === p.amount &&
    others.every((e) => e.side === 'credit') &&
    others.reduce((n, e) => n + e.amount, 0) === fee
  );
}

function describeTx(txs: LedgerTxView[]): string {
  if (txs.length === 0) return 'no ledger transaction';
  return txs.map((t) => `${t.kind} ${t.txId}: ${t.entries.map((e) => `${e.side} ${e.accountId} ${e.amount}`).join('; ')}`).join(' | ');
}
