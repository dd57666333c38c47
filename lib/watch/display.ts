import { describeTrigger } from '../../thresholds/rollback-triggers.js';
import type { TriggerState } from '../verdict/index.js';

/** What the watch shows while it runs: a live table on a TTY, plain lines in CI logs. */
export interface WatchDisplay {
  render(states: readonly TriggerState[], elapsedMs: number, requests: number): void;
  /** A decision or notice, always on its own line. */
  event(line: string): void;
  stop(): void;
}

export function formatTriggerValue(s: TriggerState): string {
  const v = s.value;
  if (v === null) return 'n/a';
  if (s.trigger.unit === 'ratio') return `${(v * 100).toFixed(2)}%`;
  if (s.trigger.unit === 'ms') return `${Math.round(v)} ms`;
  return String(v);
}

function threshold(s: TriggerState): string {
  return s.trigger.unit === 'ratio'
    ? `${+(s.trigger.threshold * 100).toFixed(3)}%`
    : s.trigger.unit === 'ms'
      ? `${s.trigger.threshold} ms`
      : String(s.trigger.threshold);
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One line per trigger: value against threshold, the window, how long it has been over, the action. */
export function triggerLine(s: TriggerState): string {
  const window = s.windowSeconds
    ? `${s.windowSeconds}s window${s.full ? '' : ` (${Math.min(s.observedSeconds, s.windowSeconds)}/${s.windowSeconds}s seen)`}`
    : 'instant';
  const state = s.firedAt !== null ? 'FIRED' : s.overSince !== null ? `over for ${s.overForSeconds}s` : 'ok';
  return `${s.id.padEnd(17)} ${formatTriggerValue(s).padStart(9)} / ${threshold(s).padEnd(9)} ${window.padEnd(26)} ${state.padEnd(14)} -> ${s.trigger.actionLabel}`;
}

export function createWatchDisplay(
  stream: NodeJS.WriteStream = process.stderr,
  opts: { tty?: boolean; plainEveryMs?: number } = {},
): WatchDisplay {
  const tty = opts.tty ?? (stream.isTTY === true && !process.env.CI);
  const every = opts.plainEveryMs ?? 10_000;
  let drawn = 0;
  let lastPlain = -Infinity;
  const clear = () => {
    if (drawn) stream.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  return {
    render(states, elapsed, requests) {
      if (tty) {
        clear();
        const lines = [`watching ${clock(elapsed)}  ${requests} requests`, ...states.map((s) => `  ${triggerLine(s)}`)];
        stream.write(`${lines.join('\n')}\n`);
        drawn = lines.length;
        return;
      }
      if (elapsed - lastPlain < every) return;
      lastPlain = elapsed;
      const parts = states.map(
        (s) =>
          `${s.id}=${formatTriggerValue(s)}/${threshold(s)}${s.firedAt !== null ? ' FIRED' : s.overSince !== null ? ` over ${s.overForSeconds}s` : ''}`,
      );
      stream.write(`  watch ${clock(elapsed)} ${requests} req  ${parts.join('  ')}\n`);
    },
    event(line) {
      clear();
      stream.write(`${line}\n`);
    },
    stop: () => {
      drawn = 0;
    },
  };
}

/** The seed's wording of every trigger, for the start of a watch. */
export function describeTriggers(states: readonly TriggerState[]): string[] {
  return states.map(
    (s) =>
      `  ${describeTrigger(s.trigger).padEnd(38)} window ${s.windowSeconds ? `${s.windowSeconds} s` : 'instant'} -> ${s.trigger.actionLabel}`,
  );
}
