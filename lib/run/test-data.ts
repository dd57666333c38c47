import { Faker, en } from '@faker-js/faker';
import { writeFileSync } from 'node:fs';

/**
 * Identities for the scenarios, generated in Node (faker, seeded so a run can be reproduced) and
 * handed to k6 as a JSON file read into a SharedArray: no faker inside VU code.
 */
export function writeIdentities(file: string, count: number, seed: number): void {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const identities = Array.from({ length: count }, () => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    return {
      name: `${first} ${last}`,
      email: faker.internet.email({ firstName: first, lastName: last, provider: 'example.test' }).toLowerCase(),
      password: faker.internet.password({ length: 16 }),
      displayName: faker.internet.username({ firstName: first, lastName: last }),
      phone: faker.phone.number({ style: 'international' }),
    };
  });
  writeFileSync(file, JSON.stringify({ identities }));
}
