import type { RunMeta } from '../../lib/verdict/index.js';

/** A finished MVP 1 smoke run's metadata against the sandbox, with no scenario; tests override what they are about. */
export function runMeta(over: Partial<RunMeta> = {}): RunMeta {
  return {
    schemaVersion: 1,
    milestone: 'mvp1',
    profile: 'smoke',
    runId: 'mvp1-test',
    target: { name: 'sandbox', environment: 'sandbox', sandbox: true },
    startedAt: '2026-11-26T12:00:00.000Z',
    finishedAt: '2026-11-26T12:00:10.000Z',
    interrupted: false,
    versions: { harness: '0.1.0', k6: 'v2.2.0', node: 'v20' },
    flags: null,
    faults: [],
    scenarios: [],
    ...over,
  };
}
