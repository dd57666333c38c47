import type { Target } from '../config/index.js';
import { createError } from '../errors/index.js';

/** The target's gateway answers `/health` within 5 s, or QSL_TARGET_UNREACHABLE naming it (`extraFix`: one more way out). */
export async function checkReachable(target: Target, extraFix = ''): Promise<void> {
  try {
    const res = await fetch(`${target.gateway}/health`, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
  } catch (e) {
    throw createError(
      'QSL_TARGET_UNREACHABLE',
      `the gateway of target "${target.name}" did not answer at ${target.gateway}/health (${(e as Error).cause ? String((e as Error).cause) : (e as Error).message}). ` +
        `Check the gateway URL in the target file and that the environment is up (VPN, DNS)${extraFix}.`,
    );
  }
}
