import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GATE_HOOKS, parseFlaggerPayload } from '../../lib/gate/index.js';

interface Canary {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    analysis: {
      interval: string;
      threshold: number;
      maxWeight: number;
      stepWeight: number;
      metrics: unknown[];
      webhooks: Array<{ name: string; type: string; url: string; metadata?: Record<string, string> }>;
    };
  };
}

const canary = parse(readFileSync('deploy/flagger/canary.yaml', 'utf8')) as Canary;

describe('deploy/flagger/canary.yaml', () => {
  it("keeps the seed's Canary analysis unchanged", () => {
    expect(canary).toMatchObject({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'eventbridge-migration' } });
    const { webhooks: _, ...analysis } = canary.spec.analysis;
    expect(analysis).toEqual({
      interval: '1m',
      threshold: 5,
      maxWeight: 100,
      stepWeight: 10,
      metrics: [
        { name: 'error-rate', thresholdRange: { max: 1 } },
        { name: 'latency', thresholdRange: { max: 500 } },
      ],
    });
  });

  it('wires every webhook to the gate path of its own type, with a stage the gate accepts', () => {
    const hooks = canary.spec.analysis.webhooks;
    expect(hooks.map((h) => h.type).sort()).toEqual([...GATE_HOOKS].sort());
    for (const h of hooks) {
      expect(new URL(h.url).pathname, h.name).toBe(`/${h.type}`);
      expect(
        parseFlaggerPayload({ name: canary.metadata.name, namespace: 'qsl', phase: 'Progressing', checksum: 'x', metadata: h.metadata }),
      ).toMatchObject({ ok: true, stage: '2' });
    }
  });
});
