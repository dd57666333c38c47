/**
 * One run at a time changes a target's flags. The rollback drill (MVP 1) and the legacy baseline (MVP 2) set the
 * flags to false and later put back what the run found at its start; two runs against one environment would undo
 * each other's changes mid-window (the other drill's cutover "did not hold") or find the other's rollback in place
 * and "restore" it. So a flag change holds a lease on the target, and reading the flags at the start waits for any
 * change in progress to end.
 *
 * The lease is a lock (proper-lockfile: an atomic mkdir, kept fresh while held, taken over when its holder died)
 * under the machine's temp directory, keyed by the target's admin URL: it serialises the runs of one machine. Runs
 * from several machines against one environment must be scheduled apart (docs/real-environments.md).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { createError } from '../errors/index.js';

export interface FlagLeaseOptions {
  /** The target's admin URL (the flags API): the lease's key. */
  admin: string;
  /** Written beside the lock, so that a run that waits can say for whom. */
  holder: string;
  log: (line: string) => void;
  /** Longest wait for another run's lease (default 15 minutes: a full drill with its restore). */
  maxWaitMs?: number;
  signal?: AbortSignal;
  /** Where the leases live (tests). */
  dir?: string;
}

const POLL_MS = 500;
/** A lease whose holder stopped refreshing it this long ago is taken over (the holder was killed). */
const STALE_MS = 20_000;

function leasePath(admin: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256').update(admin.replace(/\/+$/, '')).digest('hex').slice(0, 16);
  return join(dir, `flags-${key}`);
}

/** Takes the target's flag lease, waiting (bounded) for another run's; returns its release. */
export async function acquireFlagLease(opts: FlagLeaseOptions): Promise<() => Promise<void>> {
  const path = leasePath(opts.admin, opts.dir ?? join(tmpdir(), 'qsl-harness-leases'));
  const maxWaitMs = opts.maxWaitMs ?? 15 * 60_000;
  const deadline = Date.now() + maxWaitMs;
  let told = false;
  for (;;) {
    try {
      const release = await lockfile.lock(path, {
        realpath: false,
        stale: STALE_MS,
        update: STALE_MS / 4,
        retries: 0,
        // The library's default throws from a timer; a lost lease is worth a loud line, not a crashed run.
        onCompromised: (e) =>
          opts.log(`  warning: the flag lease on ${opts.admin} was lost (${e.message}); another run may change the flags now`),
      });
      writeFileSync(path, opts.holder);
      return async () => {
        await release().catch(() => {});
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'ELOCKED') throw e;
    }
    const holder = readHolder(path);
    if (!told) {
      opts.log(`  waiting for ${holder} to finish changing the flags of ${opts.admin} (one run at a time changes a target's flags)`);
      told = true;
    }
    if (Date.now() >= deadline || opts.signal?.aborted)
      throw createError(
        'QSL_TARGET_BUSY',
        `${holder} has been changing the flags of ${opts.admin} for over ${Math.round(maxWaitMs / 1000)} s; this run did not touch them. ` +
          'Wait for that run to end, or stop it, and run again.',
      );
    await delay(POLL_MS);
  }
}

function readHolder(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim() || 'another run';
  } catch {
    return 'another run';
  }
}

/** Runs `fn` holding the target's flag lease. */
export async function withFlagLease<T>(opts: FlagLeaseOptions, fn: () => Promise<T>): Promise<T> {
  const release = await acquireFlagLease(opts);
  try {
    return await fn();
  } finally {
    await release();
  }
}
