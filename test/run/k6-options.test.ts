import { describe, expect, it } from 'vitest';
import { scenarioThresholds } from '../../lib/k6/options.js';

describe('scenarioThresholds', () => {
  it("scopes every threshold to the scenario's own samples, so setup() requests never cross one", () => {
    expect(
      scenarioThresholds('load', {
        http_req_duration: ['p(95)<200'],
        'http_req_failed{forced:false}': ['rate<0.001'],
      }),
    ).toEqual({
      'http_req_duration{scenario:load}': ['p(95)<200'],
      'http_req_failed{forced:false,scenario:load}': ['rate<0.001'],
    });
  });
});
