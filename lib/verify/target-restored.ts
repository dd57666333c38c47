import type { ProbeResult } from '../verdict/index.js';
import { fetchJson } from './http-json.js';
import { flagDifferences } from './rollback-action.js';

/**
 * The harness's own guard "leave no trace", read at the very end of a run: the target's flags equal what the run
 * found at its start. `fromSession` is what a phase that changed flags recorded (its restore action, events on
 * EventBridge again); a difference in the flags read now fails it whatever that said.
 */
export async function targetRestored(
  admin: string,
  found: Record<string, unknown> | null,
  fromSession?: ProbeResult,
): Promise<ProbeResult> {
  if (!found)
    return (
      fromSession ?? {
        value: null,
        note: 'the flags could not be read at the start of the run (GET /admin/flags): cannot tell whether the target was left as found',
      }
    );
  let now: unknown;
  try {
    now = await fetchJson<unknown>(`${admin}/admin/flags`);
  } catch (e) {
    return {
      value: 0,
      veto: `could not read the flags at the end of the run: ${(e as Error).message}`,
      details: { ...fromSession?.details },
    };
  }
  const differences = flagDifferences(found, now);
  if (differences.length) {
    const veto = fromSession?.veto ?? `the flags at the end of the run differ from the start: ${differences.slice(0, 5).join('; ')}`;
    return { value: 0, veto, details: { ...fromSession?.details, differencesAtEnd: differences } };
  }
  return fromSession ?? { value: 1, note: 'no flag changed: the flags at the end equal the start' };
}
