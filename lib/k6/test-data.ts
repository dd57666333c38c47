// Runs INSIDE k6. Test data is generated in Node (faker) and handed over as a JSON file, read once
// into a SharedArray so every VU shares one copy.
import { SharedArray } from 'k6/data';
import { QSL_ENV, type IdentitiesFile, type Identity } from '../contract/index.ts';

export type { Identity };

/** Identities from QSL_DATA (a JSON file with `identities`), or a small built-in set for inspect/dry runs. */
export const identities = new SharedArray<Identity>('identities', () => {
  const path = __ENV[QSL_ENV.identities];
  if (!path) {
    return Array.from({ length: 50 }, (_, i) => ({
      name: `User ${i}`,
      email: `user${i}@example.test`,
      password: `pw-${i}-example`,
      displayName: `user-${i}`,
      phone: `+1555000${String(i).padStart(4, '0')}`,
    }));
  }
  return (JSON.parse(open(path)) as IdentitiesFile).identities;
});

/** A unique identity for the i-th use: the data is reused with a suffix when the run needs more. */
export function identityFor(i: number, salt: string): Identity {
  const base = identities[i % identities.length];
  const round = Math.floor(i / identities.length);
  const [local, domain] = base.email.split('@');
  return { ...base, email: `${local}+${salt}-${round}-${i}@${domain}` };
}
