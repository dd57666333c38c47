import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/milestones/**'], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        // Whole milestone runs (real k6 + sandbox) one at a time after everything else: two at once on
        // 2 cores would measure the machine, not the platform.
        extends: true,
        test: {
          name: 'milestones',
          include: ['test/milestones/**/*.test.ts'],
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
