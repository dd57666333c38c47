import { defineConfig } from 'vitest/config';

// Tests whose outcome depends on timing (a wall-clock upper bound, a heartbeat gap, a live stream or a window of
// seconds) run in the `serial` project, one file at a time after everything else: with two files at once on 2 cores,
// CPU contention, not the code, would decide them. Everything else runs in parallel in `unit`. docs/operations.md
// ("Tests") says which is which.
const SERIAL = [
  'test/milestones/**/*.test.ts',
  'test/soak/**/*.test.ts',
  'test/sandbox/mvp4-services.test.ts',
  'test/verify/rollback-drill.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SERIAL, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        // Whole milestone runs (real k6 + sandbox) and the timing-sensitive files, one at a time after everything
        // else: two at once on 2 cores would measure the machine, not the platform.
        extends: true,
        test: {
          name: 'serial',
          include: SERIAL,
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
