// MVP 4, scenario 1 (seed): "End-to-End User Journey: Complete user lifecycle".
// Each iteration is one user's whole life on the platform: signup, KYC (compliance), funding (an account with an
// opening balance), a marketplace purchase from the scenario's seller, a token operation, a governance vote, an AI
// review of the purchase, and closure. Every step is a check (criterion features-operational).
import exec from 'k6/execution';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';
import {
  buyAndReceive,
  closeUser,
  complianceCheck,
  createListing,
  fundedAccount,
  newUser,
  propose,
  review,
  SUBJECTS,
  tokenOperation,
  vote,
} from '../../lib/k6/platform4-api.ts';

const sizes = { smoke: { vus: 2, iterations: 6, maxDuration: '60s' }, full: { vus: 10, iterations: 200, maxDuration: '20m' } }[profile];

export const options = scenarioOptions('user-lifecycle', () => sharedIterations(sizes), thresholdsFromEnv, { setupTimeout: '60s' });

interface Setup {
  listingId: string | null;
  proposalId: string | null;
}

export function setup(): Setup {
  const seller = newUser(`lifecycle-seller+${runId}@example.test`, 'Lifecycle Seller', `pw-${runId}`);
  if (!seller) return { listingId: null, proposalId: null };
  const account = fundedAccount(seller, `lifecycle/seller/${runId}`, 0);
  return {
    listingId: account ? createListing(seller, account, 'Lifecycle starter kit', 1_500) : null,
    proposalId: propose(seller, 'Lower marketplace fees'),
  };
}

export default function userLifecycle(data: Setup): void {
  const i = exec.scenario.iterationInTest;
  const token = newUser(`lifecycle-${i}+${runId}@example.test`, `Lifecycle ${i}`, `pw-${runId}-${i}`);
  if (!token) return;
  const kyc = SUBJECTS[i % 2];
  complianceCheck(token, kyc.subject, kyc.amount, { decision: 'approved' });
  const account = fundedAccount(token, `lifecycle/${runId}/${i}`, 50_000);
  if (account && data.listingId) {
    const orderId = buyAndReceive(token, data.listingId, account);
    if (orderId) review(token, 'order', orderId, 'Arrived at once, works as described');
  }
  tokenOperation(token, 'ethereum', `LIFE-${runId}`, `user-${i}`, `user-${i}-savings`);
  if (data.proposalId) vote(token, data.proposalId, i % 2 ? 'yes' : 'no');
  closeUser(token);
}
