import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFlagLease, withFlagLease } from '../../lib/verify/index.js';

const admin = 'http://127.0.0.1:9/admin-of-a-shared-environment';

describe('flag lease: one run at a time changes a target’s flags', () => {
  it('a second run waits for the first to release, and says for whom it waits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qsl-lease-'));
    const lines: string[] = [];
    const order: string[] = [];
    const releaseA = await acquireFlagLease({ admin, holder: 'run A (rollback drill)', log: () => {}, dir });
    const b = withFlagLease({ admin: `${admin}/`, holder: 'run B', log: (l) => lines.push(l), dir }, async () => {
      order.push('B changes the flags');
    });
    await new Promise((r) => setTimeout(r, 700));
    order.push('A restores and releases');
    await releaseA();
    await b;
    expect(order).toEqual(['A restores and releases', 'B changes the flags']);
    expect(lines.join('\n')).toContain('waiting for run A (rollback drill) to finish changing the flags');
  });

  it('another target is not held up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qsl-lease-'));
    const release = await acquireFlagLease({ admin, holder: 'run A', log: () => {}, dir });
    const other = await acquireFlagLease({ admin: 'http://127.0.0.1:10/admin', holder: 'run B', log: () => {}, dir, maxWaitMs: 0 });
    await other();
    await release();
  });

  it('gives up after its longest wait with QSL_TARGET_BUSY naming the holder, and never ran its change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qsl-lease-'));
    const release = await acquireFlagLease({ admin, holder: 'run A (legacy baseline)', log: () => {}, dir });
    let ran = false;
    await expect(
      withFlagLease({ admin, holder: 'run B', log: () => {}, dir, maxWaitMs: 600 }, async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: 'QSL_TARGET_BUSY', message: expect.stringContaining('run A (legacy baseline)') });
    expect(ran).toBe(false);
    await release();
    // Released: the next run takes it at once.
    await withFlagLease({ admin, holder: 'run C', log: () => {}, dir, maxWaitMs: 0 }, async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});
