import { z } from 'zod';
import type { QslEvent } from '../../events/types.js';
import { ConsumingService } from '../consuming-service.js';
import type { ServiceRegistry } from '../registry.js';
import { type HttpRoute, type ServiceContext } from '../types.js';
import { Book, type LedgerEntry, type LedgerTransaction, type PostingPath } from './book.js';

export { Book } from './book.js';
export type { LedgerEntry, LedgerTransaction, TransactionKind, EntrySide, PostingPath } from './book.js';

/** The ledger's FIFO queue; rules deliver posting requests with one MessageGroupId per account group. */
export const LEDGER_QUEUE = 'qsl-ledger.fifo';
/** Posting requests carry `ledgerGroup` (`accounts-<n>`), chosen from the payer account. */
export const LEDGER_GROUPS = 4;
/** The account that funds opening balances. */
export const FUNDING_ACCOUNT = 'sys:funding';

const entrySchema = z.strictObject({
  accountId: z.string().min(1),
  side: z.enum(['debit', 'credit']),
  amount: z.number().int().positive(),
});
const postingSchema = z.object({
  txId: z.string().min(1),
  paymentId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  kind: z.enum(['settlement', 'reversal']),
  entries: z.array(entrySchema).min(2),
});

/**
 * QuantumLedger.Hub: a double-entry ledger. Posting requests (`LedgerPostingRequested`) arrive on the legacy
 * exchange and on the FIFO queue `qsl-ledger.fifo` (ordered per account group through MessageGroupId); posting is
 * idempotent on the transaction id. The `primary` copy is posted to the primary book (and answered with
 * `LedgerTransactionPosted`); in parallel mode the `validation` copy from the other path builds a shadow book, so a
 * probe can compare the two paths' outcomes entry for entry (`GET /admin/ledger`).
 *
 * Fault `ledger.skew=<n>`: the settlements of payments with sequence number <= n (each run id's first n payments) get
 * an extra one-sided credit to the payee, in both books (a posting bug, not a transport fault).
 */
export class LedgerHub extends ConsumingService {
  readonly primary = new Book();
  readonly validation = new Book();
  private readonly skew: number;
  readonly adminRoutes: readonly HttpRoute[];
  /** Posting requests refused as malformed or unbalanced. */
  rejected = 0;

  constructor(private readonly ctx: ServiceContext) {
    super(ctx, {
      name: 'ledger',
      queue: LEDGER_QUEUE,
      legacyBindings: ['payment.ledger_posting_requested'],
      handle: (e) => this.onPrimary(e),
      onValidation: async (e) => {
        this.apply(this.validation, e);
      },
    });
    const skew = ctx.faults['ledger.skew'];
    this.skew = typeof skew === 'number' ? skew : 0;
    this.adminRoutes = [
      {
        method: 'GET',
        url: '/admin/ledger',
        handler: (r) => {
          const runId = r.query.runId;
          return {
            status: 200,
            body: {
              books: { primary: this.primary.transactions(runId), validation: this.validation.transactions(runId) },
            },
          };
        },
      },
    ];
  }

  /** Balance of an account in the primary book (credits - debits). */
  balance(accountId: string): number {
    return this.primary.balance(accountId);
  }

  /** Opening balance of a new account: a direct posting (funding -> account), primary book only. */
  postOpening(accountId: string, amount: number, runId: string): void {
    if (amount <= 0) return;
    this.primary.post({
      txId: `open:${accountId}`,
      kind: 'opening',
      runId,
      entries: [
        { accountId: FUNDING_ACCOUNT, side: 'debit', amount },
        { accountId, side: 'credit', amount },
      ],
      path: 'direct',
      postedAt: new Date().toISOString(),
    });
  }

  private async onPrimary(event: QslEvent): Promise<void> {
    const tx = this.apply(this.primary, event);
    if (!tx) return;
    await this.ctx.publisher.publish(
      'QuantumLedger.Hub',
      'LedgerTransactionPosted',
      { txId: tx.txId, paymentId: tx.paymentId ?? '', kind: tx.kind, entries: tx.entries.length },
      { runId: event.runId, correlationId: event.correlationId },
    );
  }

  /** Posts a request to `book` (idempotent); the posted (or already posted) transaction, or null if refused. */
  private apply(book: Book, event: QslEvent): LedgerTransaction | null {
    if (event.type !== 'LedgerPostingRequested') return null;
    const parsed = postingSchema.safeParse(event.payload);
    if (!parsed.success) {
      this.rejected += 1;
      this.ctx.log(`ledger: malformed posting request ${event.eventId} refused`);
      return null;
    }
    const req = parsed.data;
    const existing = book.get(req.txId);
    if (existing) return existing;
    let debits = 0;
    let credits = 0;
    for (const e of req.entries) e.side === 'debit' ? (debits += e.amount) : (credits += e.amount);
    if (debits !== credits) {
      this.rejected += 1;
      this.ctx.log(`ledger: unbalanced posting ${req.txId} refused (debits ${debits}, credits ${credits})`);
      return null;
    }
    const entries: LedgerEntry[] = req.entries.map((e) => ({ ...e }));
    if (req.kind === 'settlement' && req.seq <= this.skew) {
      // Fault ledger.skew: a one-sided entry with no counterpart.
      const payee = entries.find((e) => e.side === 'credit');
      if (payee) entries.push({ accountId: payee.accountId, side: 'credit', amount: payee.amount });
    }
    const path: PostingPath = event.metadata.mode === 'eventbridge' || event.metadata.delivery === 'validation' ? 'eventbridge' : 'legacy';
    const tx: LedgerTransaction = {
      txId: req.txId,
      kind: req.kind,
      paymentId: req.paymentId,
      runId: event.runId,
      entries,
      path,
      postedAt: new Date().toISOString(),
    };
    book.post(tx);
    return tx;
  }
}

export function createLedgerHub(ctx: ServiceContext, _registry: ServiceRegistry): LedgerHub {
  if (!ctx.queueUrls[LEDGER_QUEUE]) throw new Error(`sandbox: the topology has no ${LEDGER_QUEUE} queue; use MVP2_TOPOLOGY`);
  return new LedgerHub(ctx);
}
