/**
 * What the MVP 2 probes read from the platform's admin API (lib/sandbox/openapi.yaml): payments with their saga
 * state, accounts with balances and holds, and the ledger's two books. A staging environment exposes the same shapes.
 */
import { fetchJson } from './http-json.js';
import { settle } from './wait.js';

export interface LedgerEntryView {
  accountId: string;
  side: 'debit' | 'credit';
  amount: number;
}

export interface LedgerTxView {
  txId: string;
  kind: 'opening' | 'settlement' | 'reversal';
  paymentId?: string;
  runId: string;
  entries: LedgerEntryView[];
  path?: string;
}

export interface PaymentView {
  paymentId: string;
  reference: string;
  runId: string;
  payerAccountId: string;
  payeeAccountId: string;
  amount: number;
  fee: number | null;
  treasuryShare: number | null;
  status: string;
  forcedFailure: string | null;
  failedStep: string | null;
  settlementTxId: string | null;
  reversalTxId: string | null;
  compensations: Array<{ step: string; action: string }>;
}

export interface AccountView {
  accountId: string;
  reference: string;
  openingBalance: number;
  balance: number;
  holds: Array<{ holdId: string; paymentId: string; amount: number; status: string }>;
}

export interface LedgerSnapshot {
  payments: PaymentView[];
  accounts: AccountView[];
  books: { primary: LedgerTxView[]; validation: LedgerTxView[] };
}

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['confirmed', 'compensated', 'rejected']);

function q(runId: string | undefined): string {
  return runId === undefined ? '' : `?runId=${encodeURIComponent(runId)}`;
}

/** Payments, accounts and both books of one run (every run when `runId` is undefined). */
export async function readLedgerSnapshot(adminUrl: string, runId?: string): Promise<LedgerSnapshot> {
  const [p, a, l] = await Promise.all([
    fetchJson<{ payments: PaymentView[] }>(`${adminUrl}/admin/payments${q(runId)}`, { timeoutMs: 30_000 }),
    fetchJson<{ accounts: AccountView[] }>(`${adminUrl}/admin/accounts${q(runId)}`, { timeoutMs: 30_000 }),
    fetchJson<{ books: LedgerSnapshot['books'] }>(`${adminUrl}/admin/ledger${q(runId)}`, { timeoutMs: 30_000 }),
  ]);
  return { payments: p.payments, accounts: a.accounts, books: l.books };
}

/**
 * Waits (bounded) until every payment of the run is final and the validation book has caught up with the primary
 * book's payment postings, then returns the snapshot and how long it waited.
 */
export async function settledLedgerSnapshot(
  adminUrl: string,
  runId: string,
  opts: { timeoutMs: number; stallMs: number; signal?: AbortSignal },
): Promise<{ snapshot: LedgerSnapshot; waitedMs: number; settled: boolean }> {
  const r = await settle(
    async () => {
      const s = await readLedgerSnapshot(adminUrl, runId);
      const final = s.payments.filter((p) => FINAL_STATUSES.has(p.status)).length;
      const postings = s.books.primary.filter((t) => t.kind !== 'opening').length;
      const shadow = s.books.validation.length;
      return { done: final === s.payments.length && shadow >= postings, progress: final + shadow, value: s };
    },
    { ...opts, intervalMs: 500 },
  );
  return { snapshot: r.value, waitedMs: r.waitedMs, settled: r.done };
}

/** Per-account net effect (credits - debits) of a list of transactions. */
export function netByAccount(txs: readonly LedgerTxView[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const t of txs)
    for (const e of t.entries) net.set(e.accountId, (net.get(e.accountId) ?? 0) + (e.side === 'credit' ? e.amount : -e.amount));
  return net;
}

export function sums(entries: readonly LedgerEntryView[]): { debits: number; credits: number } {
  let debits = 0;
  let credits = 0;
  for (const e of entries) e.side === 'debit' ? (debits += e.amount) : (credits += e.amount);
  return { debits, credits };
}
