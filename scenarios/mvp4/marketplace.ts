// MVP 4, scenario 2 (seed): "Marketplace Operations: List → Buy → Settle → Deliver".
// Each iteration has its own seller and buyer: the seller lists an item, the buyer buys it (paid through the MVP 2
// payment saga and ledger), the order settles once the payment is confirmed and is delivered; the buyer then gets
// an AI review of the listing. Every step is a check (criterion features-operational).
import exec from 'k6/execution';
import { profile, runId, thresholdsFromEnv } from '../../lib/k6/env.ts';
import { scenarioOptions, sharedIterations } from '../../lib/k6/options.ts';
import { buyAndReceive, createListing, fundedAccount, newUser, review } from '../../lib/k6/platform4-api.ts';

const sizes = { smoke: { vus: 2, iterations: 8, maxDuration: '60s' }, full: { vus: 10, iterations: 500, maxDuration: '20m' } }[profile];

export const options = scenarioOptions('marketplace', () => sharedIterations(sizes), thresholdsFromEnv);

export default function marketplace(): void {
  const i = exec.scenario.iterationInTest;
  const seller = newUser(`seller-${i}+${runId}@example.test`, `Seller ${i}`, `pw-${runId}-s${i}`);
  const buyer = newUser(`buyer-${i}+${runId}@example.test`, `Buyer ${i}`, `pw-${runId}-b${i}`);
  if (!seller || !buyer) return;
  const sellerAccount = fundedAccount(seller, `market/${runId}/seller/${i}`, 0);
  const buyerAccount = fundedAccount(buyer, `market/${runId}/buyer/${i}`, 100_000);
  if (!sellerAccount || !buyerAccount) return;
  const listingId = createListing(seller, sellerAccount, `Item ${i}`, 1_000 + (i % 50) * 10);
  if (!listingId) return;
  if (buyAndReceive(buyer, listingId, buyerAccount)) review(buyer, 'listing', listingId, 'Exactly as listed, fast delivery');
}
