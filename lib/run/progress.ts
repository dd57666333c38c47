import cliProgress from 'cli-progress';

/** Progress of one k6 scenario: a bar on a TTY, a plain line every few seconds elsewhere (CI logs). */
export interface ScenarioProgress {
  update(elapsedMs: number, requests: number): void;
  stop(finalLine: string): void;
}

export interface ProgressFactory {
  scenario(name: string, plannedMs: number): ScenarioProgress;
  line(text: string): void;
}

function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function createProgress(
  stream: NodeJS.WriteStream = process.stderr,
  opts: { tty?: boolean; plainEveryMs?: number } = {},
): ProgressFactory {
  const tty = opts.tty ?? (stream.isTTY === true && !process.env.CI);
  const plainEvery = opts.plainEveryMs ?? 10_000;
  return {
    line: (text) => stream.write(`${text}\n`),
    scenario(name, plannedMs) {
      if (tty) {
        const bar = new cliProgress.SingleBar(
          {
            format: `  ${name.padEnd(22)} [{bar}] {elapsed}/{planned}  {requests} requests`,
            hideCursor: true,
            stream,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(1, plannedMs), 0, { elapsed: fmt(0), planned: fmt(plannedMs), requests: 0 });
        return {
          update: (elapsed, requests) =>
            bar.update(Math.min(elapsed, plannedMs), { elapsed: fmt(elapsed), planned: fmt(plannedMs), requests }),
          stop: (finalLine) => {
            bar.stop();
            stream.write(`${finalLine}\n`);
          },
        };
      }
      let lastPrinted = 0;
      stream.write(`  ${name}: started (planned ${fmt(plannedMs)})\n`);
      return {
        update(elapsed, requests) {
          if (elapsed - lastPrinted < plainEvery) return;
          lastPrinted = elapsed;
          stream.write(`  ${name}: ${fmt(elapsed)}/${fmt(plannedMs)}, ${requests} requests\n`);
        },
        stop: (finalLine) => stream.write(`${finalLine}\n`),
      };
    },
  };
}
