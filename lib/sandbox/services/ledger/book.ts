/** A double-entry book: transactions by id (idempotent posting) and running balances (credits - debits). */

export type EntrySide = 'debit' | 'credit';

export interface LedgerEntry {
  accountId: string;
  side: EntrySide;
  /** Minor units (cents), > 0. */
  amount: number;
}

export type TransactionKind = 'opening' | 'settlement' | 'reversal';

/** Which path the posting request travelled: the legacy exchange, EventBridge + SQS FIFO, or a direct call. */
export type PostingPath = 'legacy' | 'eventbridge' | 'direct';

export interface LedgerTransaction {
  txId: string;
  kind: TransactionKind;
  paymentId?: string;
  runId: string;
  entries: LedgerEntry[];
  path: PostingPath;
  postedAt: string;
}

export class Book {
  private readonly byId = new Map<string, LedgerTransaction>();
  private readonly byRun = new Map<string, LedgerTransaction[]>();
  private readonly balances = new Map<string, number>();

  /** Posts `tx` unless a transaction with its id is already in the book. Returns whether it was posted. */
  post(tx: LedgerTransaction): boolean {
    if (this.byId.has(tx.txId)) return false;
    this.byId.set(tx.txId, tx);
    const list = this.byRun.get(tx.runId);
    if (list) list.push(tx);
    else this.byRun.set(tx.runId, [tx]);
    for (const e of tx.entries) {
      this.balances.set(e.accountId, (this.balances.get(e.accountId) ?? 0) + (e.side === 'credit' ? e.amount : -e.amount));
    }
    return true;
  }

  get(txId: string): LedgerTransaction | undefined {
    return this.byId.get(txId);
  }

  /** Transactions of one run (all runs when undefined), in posting order. */
  transactions(runId?: string): LedgerTransaction[] {
    if (runId !== undefined) return [...(this.byRun.get(runId) ?? [])];
    return [...this.byId.values()];
  }

  /** Credits minus debits over every posted entry of `accountId`. */
  balance(accountId: string): number {
    return this.balances.get(accountId) ?? 0;
  }
}
