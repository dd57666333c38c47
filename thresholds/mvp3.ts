/**
 * MVP 3 "Blockchain Integration": the seed's success criteria (5/6 networks minimum success, blockchain success
 * > 80%, PQC validation < 5ms, event journal 100% capture) plus the security and consistency checks the seed
 * implies, as data. One source for the harness's verdict and the k6 thresholds it generates.
 */
import type { Criterion, SampleNeed } from '../lib/verdict/index.js';

/** Test Scenario 3, "Signature Validation: 10,000 PQC validations" (1,000 in smoke): one pqc_correct sample each. */
const VALIDATIONS: SampleNeed = { what: 'validations', metric: 'pqc_correct', atLeast: { smoke: 1000, full: 10_000 } };

export const mvp3Criteria: Criterion[] = [
  {
    id: 'network-success',
    description: 'MVP 3 Success Criteria: "5/6 networks minimum success"; Deployment Decision Matrix: "Blockchain success >80%".',
    rule: 'the target broadcasts to the 6 networks the plan names and every broadcast succeeds on at least 5 of them (veto otherwise: the counts are the plan\'s, never scaled to the networks a target lists, so 4 listed networks is "4 of the 6"), and successful submissions / all network submissions over the run > 80%; a submission counts as successful only once confirmed (one left unconfirmed is a failure on its network)',
    selector: { kind: 'probe', probe: 'network-success' },
    comparator: '>',
    threshold: 0.8,
    unit: 'ratio',
    hint: "The probe details give the success ratio per network and how many broadcasts missed the 5-of-6 quorum; check that network's RPC endpoint and the InfrastructureService logs. A target listing fewer than 6 networks (GET /api/networks or the target file's `networks`) cannot pass.",
    // Test Scenario 1, "Multi-Network Broadcast: Transaction to all 6 networks"; the seed gives no count.
    sample: [{ what: 'broadcasts', metric: 'broadcast_quorum', atLeast: { smoke: 60, full: 1200 } }],
  },
  {
    id: 'pqc-latency',
    description: 'MVP 3 Success Criteria: "PQC validation < 5ms"; Deployment Decision Matrix: "PQC <5ms".',
    rule: 'p95 of the server-side ML-DSA-44 validation time (Server-Timing `pqc;dur`, k6 trend pqc_validation_time); p99 in the pqc-latency probe',
    selector: { kind: 'metric', metric: 'pqc_validation_time', stat: 'p95' },
    comparator: '<',
    threshold: 5,
    unit: 'ms',
    hint: 'Compare with `npm run bench -- pqc` on the same machine (verify_p99_ms); a slow key store, CPU starvation or a cold verifier show up here.',
    sample: [VALIDATIONS],
  },
  {
    id: 'pqc-correctness',
    description:
      'Harness\'s own guard (security) for Test Scenario 3, "Signature Validation: 10,000 PQC validations": every valid signature accepted, every invalid one rejected.',
    rule: "validations whose answer matched the fixture's expectation / all validations (flipped bits, wrong key, wrong message and rotated-out key must be rejected): 100%",
    selector: { kind: 'metric', metric: 'pqc_correct', stat: 'rate' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: 'The signature-validation checks name the fixture kind that was answered wrongly; an accepted invalid signature is a security defect, never a flake.',
    sample: [VALIDATIONS],
  },
  {
    id: 'journal-capture',
    description: 'MVP 3 Success Criteria: "Event journal 100% capture".',
    rule: 'of the events this run caused that the harness saw on either path (EventBridge audit queue, legacy tap), the fraction found in the SurrealDB journal for the run id, per path',
    selector: { kind: 'probe', probe: 'journal-capture' },
    comparator: '>=',
    threshold: 1,
    unit: 'ratio',
    hint: "The probe details list missing event ids per path; check the journal queue (qsl-journal) and its DLQ, and the EventJournaler's connection to SurrealDB.",
  },
  {
    id: 'token-supply',
    description:
      'Harness\'s own guard (consistency) for Test Scenario 2, "Token Operations: Mint → Transfer → Burn cycle": the token supply adds up on every network and matches what the run did.',
    rule: "per network: minted - burned = supply = sum of balances, transfers conserve it, and the service's minted/burned equal what the run's successful operations did",
    selector: { kind: 'probe', probe: 'token-supply' },
    comparator: '==',
    threshold: 1,
    unit: 'bool',
    hint: "The probe details give each network's supply report next to what the token-lifecycle scenario did.",
    // Every cycle on every network the platform has up: 60 cycles over 6 networks in smoke (1,200 in full), at least
    // 5 of 6 networks' share completed (a down network is judged by network-success).
    sample: [{ what: 'completed token cycles', metric: 'token_cycles_completed', atLeast: { smoke: 50, full: 1000 } }],
  },
  {
    id: 'functional-checks',
    description:
      'Harness\'s own guard: every functional check the scenarios make (status and response body) passes: 100% in smoke, >= 99.9% in full, the error budget of MVP 1\'s "Error rate < 0.1%". A network that is down is judged by network-success (5 of 6), not here.',
    rule: 'passed / all k6 checks over every scenario (k6 rate checks); the failing check names are listed in the note',
    selector: { kind: 'checks' },
    comparator: '>=',
    threshold: 1,
    thresholdByProfile: { full: 0.999 },
    unit: 'ratio',
    hint: 'The note names each failing check with its scenario and count; a check fails on a wrong status or on a body without what a client needs.',
  },
];
