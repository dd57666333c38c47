/**
 * MVP 3 "Blockchain Integration": the seed's success criteria (5/6 networks minimum success, blockchain success
 * > 80%, PQC validation < 5ms, event journal 100% capture) plus the security and consistency checks the seed
 * implies, as data. One source for the harness's verdict and the k6 thresholds it generates.
 */
import type { Criterion } from '../lib/verdict/index.js';

export const mvp3Criteria: Criterion[] = [
  {
    id: 'network-success',
    description: '5/6 networks minimum success; Blockchain success > 80%',
    rule: 'every broadcast succeeds on at least 5 of 6 networks (veto otherwise), and successful submissions / all network submissions over the run > 80%',
    selector: { kind: 'probe', probe: 'network-success' },
    comparator: '>',
    threshold: 0.8,
    unit: 'ratio',
    hint: 'The probe details give the success ratio per network and how many broadcasts missed the 5-of-6 quorum; check that network\'s RPC endpoint and the InfrastructureService logs.',
  },
  {
    id: 'pqc-latency',
    description: 'PQC validation < 5ms',
    rule: 'p95 of the server-side ML-DSA-44 validation time (Server-Timing `pqc;dur`, k6 trend pqc_validation_time); p99 in the pqc-latency probe',
    selector: { kind: 'metric', metric: 'pqc_validation_time', stat: 'p95' },
    comparator: '<',
    threshold: 5,
    unit: 'ms',
    hint: 'Compare with `npm run bench -- pqc` on the same machine (verify_p99_ms); a slow key store, CPU starvation or a cold verifier show up here.',
  },
  {
    id: 'pqc-correctness',
    description: 'Every valid signature accepted, every invalid one rejected (security)',
    rule: 'validations whose answer matched the fixture\'s expectation / all validations (flipped bits, wrong key, wrong message and rotated-out key must be rejected): 100%',
    selector: { kind: 'metric', metric: 'pqc_correct', stat: 'rate' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'The signature-validation checks name the fixture kind that was answered wrongly; an accepted invalid signature is a security defect, never a flake.',
  },
  {
    id: 'journal-capture',
    description: 'Event journal 100% capture',
    rule: 'of the events this run caused that the harness saw on either path (EventBridge audit queue, legacy tap), the fraction found in the SurrealDB journal for the run id, per path',
    selector: { kind: 'probe', probe: 'journal-capture' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'The probe details list missing event ids per path; check the journal queue (qsl-journal) and its DLQ, and the EventJournaler\'s connection to SurrealDB.',
  },
  {
    id: 'token-supply',
    description: 'Token supply consistent on every network (consistency)',
    rule: 'per network: minted - burned = supply = sum of balances, transfers conserve it, and the service\'s minted/burned equal what the run\'s successful operations did',
    selector: { kind: 'probe', probe: 'token-supply' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: 'The probe details give each network\'s supply report next to what the token-lifecycle scenario did.',
  },
];
