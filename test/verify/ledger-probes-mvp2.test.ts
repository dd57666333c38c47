import { describe, expect, it } from 'vitest';
import type { LedgerSnapshot, LedgerTxView, PaymentView } from '../../lib/verify/ledger-snapshot.js';
import { parallelValidation, reconcileLedger, sagaCompensation } from '../../lib/verify/index.js';

// The MVP 2 probes on hand-made snapshots: each discrepancy the seed cares about is caught and named.

const A = 'acc-a';
const B = 'acc-b';
const open = (acc: string, amount: number): LedgerTxView => ({
  txId: `open:${acc}`,
  kind: 'opening',
  runId: 'r',
  entries: [
    { accountId: 'sys:funding', side: 'debit', amount },
    { accountId: acc, side: 'credit', amount },
  ],
});
const settlement = (paymentId: string, amount: number, fee: number, kind: 'settlement' | 'reversal' = 'settlement'): LedgerTxView => {
  const flip = (s: 'debit' | 'credit') => (kind === 'reversal' ? (s === 'debit' ? 'credit' : 'debit') : s);
  return {
    txId: `${paymentId}:${kind}`,
    kind,
    paymentId,
    runId: 'r',
    entries: [
      { accountId: A, side: flip('debit'), amount: amount + fee },
      { accountId: B, side: flip('credit'), amount },
      { accountId: 'sys:fees', side: flip('credit'), amount: fee - 5 },
      { accountId: 'sys:treasury', side: flip('credit'), amount: 5 },
    ],
  };
};
const payment = (paymentId: string, status: string, extra: Partial<PaymentView> = {}): PaymentView => ({
  paymentId,
  reference: `r/${paymentId}`,
  runId: 'r',
  payerAccountId: A,
  payeeAccountId: B,
  amount: 1000,
  fee: 25,
  treasuryShare: 5,
  status,
  forcedFailure: null,
  failedStep: null,
  settlementTxId: null,
  reversalTxId: null,
  compensations: [],
  ...extra,
});

function snapshot(over: Partial<LedgerSnapshot> = {}): LedgerSnapshot {
  const primary = [
    open(A, 100_000),
    open(B, 100_000),
    settlement('p1', 1000, 25),
    settlement('p2', 1000, 25),
    settlement('p2', 1000, 25, 'reversal'),
  ];
  return {
    payments: [payment('p1', 'confirmed'), payment('p2', 'compensated', { forcedFailure: 'confirm', failedStep: 'confirm' })],
    accounts: [
      {
        accountId: A,
        reference: 'ra',
        openingBalance: 100_000,
        balance: 100_000 - 1025,
        holds: [{ holdId: 'h2', paymentId: 'p2', amount: 1025, status: 'released' }],
      },
      { accountId: B, reference: 'rb', openingBalance: 100_000, balance: 101_000, holds: [] },
    ],
    books: { primary, validation: primary.filter((t) => t.kind !== 'opening') },
    ...over,
  };
}

describe('reconcileLedger', () => {
  it('a consistent ledger measures 1', () => {
    const r = reconcileLedger(snapshot());
    expect(r.value).toBe(1);
    expect(r.details?.failed).toBe(0);
  });

  it('a one-sided entry fails the transaction, the total, the payment and the balance', () => {
    const s = snapshot();
    s.books.primary[2].entries.push({ accountId: B, side: 'credit', amount: 1000 });
    s.accounts[1].balance += 1000;
    const r = reconcileLedger(s);
    expect(r.value).toBeLessThan(1);
    expect(Object.keys(r.details?.failedByCheck as object).sort()).toEqual(
      ['balance as predicted', 'ledger balanced in total', 'settled payment has its balanced entries', 'transaction balanced'].sort(),
    );
  });

  it('a compensated payment whose settlement was never reversed does not net to zero', () => {
    const s = snapshot();
    s.books.primary.pop();
    expect(reconcileLedger(s).note).toMatch(/compensated payment nets to zero/);
  });

  it("balances are checked against the harness record, not the platform's own opening balance", () => {
    const plan = {
      accounts: [
        { reference: 'ra', openingBalance: 100_000 },
        { reference: 'rb', openingBalance: 90_000 },
      ],
      payments: [
        { reference: 'r/p1', payer: 'ra', payee: 'rb', amount: 1000 },
        { reference: 'r/p2', payer: 'ra', payee: 'rb', amount: 1000, force: 'confirm' },
      ],
      k6Confirmed: 1,
    };
    const r = reconcileLedger(snapshot(), plan);
    expect(r.details?.failedByCheck).toEqual({ 'balance as predicted': 1 });
  });

  it('a payment k6 never saw confirmed is a discrepancy; nothing at all is not measured', () => {
    const plan = {
      accounts: [
        { reference: 'ra', openingBalance: 100_000 },
        { reference: 'rb', openingBalance: 100_000 },
      ],
      payments: [],
      k6Confirmed: 0,
    };
    expect(reconcileLedger(snapshot(), plan).note).toMatch(/scenarios saw what the platform booked/);
    expect(reconcileLedger({ payments: [], accounts: [], books: { primary: [], validation: [] } }).value).toBeNull();
  });
});

describe('sagaCompensation', () => {
  it('measures the fraction of forced failures fully compensated, from holds and ledger', () => {
    expect(sagaCompensation(snapshot()).value).toBe(1);
    const s = snapshot();
    s.books.primary.pop();
    s.accounts[0].holds[0].status = 'active';
    const r = sagaCompensation(s, new Map([['r/p2', 'confirm']]));
    expect(r.value).toBe(0);
    expect(JSON.stringify(r.details)).toMatch(/hold of 1025 still active/);
    expect(JSON.stringify(r.details)).toMatch(/settlement posted without a reversal/);
  });

  it('a forced payment that never reached the platform counts as not compensated', () => {
    const r = sagaCompensation(
      snapshot(),
      new Map([
        ['r/p2', 'confirm'],
        ['r/p9', 'settle'],
      ]),
    );
    expect(r.value).toBe(0.5);
  });
});

describe('parallelValidation', () => {
  it('counts transactions missing or different on the EventBridge path', () => {
    expect(parallelValidation(snapshot()).value).toBe(0);
    const s = snapshot();
    s.books.validation = s.books.validation.slice(1).map((t) => ({ ...t, entries: t.entries.map((e) => ({ ...e })) }));
    s.books.validation[0].entries[0].amount += 1;
    const r = parallelValidation(s);
    expect(r.value).toBe(2);
    expect(r.details?.discrepancies).toEqual([
      expect.objectContaining({ reason: 'missing on the EventBridge path' }),
      expect.objectContaining({ reason: 'entries differ' }),
    ]);
  });

  it('no shadow book at all is not measured (the flag is not parallel)', () => {
    expect(parallelValidation(snapshot({ books: { primary: snapshot().books.primary, validation: [] } })).value).toBeNull();
  });
});
