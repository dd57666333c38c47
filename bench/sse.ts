/**
 * SSE client cost: N clients on one core (this process) hold one user's stream on the sandbox while a producer in a
 * child process emits that user's events at a fixed rate (every client receives every event); first the soak's own
 * clients (`eventsource` with the heartbeat-watching fetch, id and duplicate tracking, delivery histogram), then N
 * bare `http.get` readers that only split frames, in the same run against the same server. Reports the events/s each
 * kind delivered and the RSS the soak clients cost (after a full GC).
 *
 *   npm run bench -- sse [--clients 1000] [--rate 15] [--seconds 10]
 * Last line: `sse ratio=<eventsource events/s ÷ bare events/s> clients=<n> rss_mb_per_1000=<MB>`.
 * Targets: ratio >= 0.7, rss_mb_per_1000 <= 100.
 */
import { spawn } from 'node:child_process';
import { get, Agent } from 'node:http';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { emptyCounters, newMsHistogram, SseClientPool } from '../lib/soak/index.js';

interface Args {
  clients: number;
  rate: number;
  seconds: number;
}

function parseArgs(args: string[]): Args {
  const out: Args = { clients: 1000, rate: 15, seconds: 10 };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=');
    const key = flag.replace(/^--/, '') as keyof Args;
    if (!(key in out))
      throw new Error(`unknown option \`${args[i]}\`; usage: npm run bench -- sse [--clients N] [--rate checks/s] [--seconds S]`);
    const v = Number(inline ?? args[++i]);
    if (!Number.isFinite(v) || v <= 0)
      throw new Error(`invalid --${key}; reason: expected a positive number, got \`${inline ?? args[i]}\``);
    out[key] = v;
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => b / 1048576;

// A full GC before reading RSS, without a command-line flag: the measure is the clients, not garbage awaiting collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function settleGc(): void {
  gc();
  gc();
}

async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Events/s over `seconds` once every client is connected. */
async function measure(count: () => number, seconds: number): Promise<number> {
  await sleep(1000);
  const c0 = count();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  return ((count() - c0) * 1000) / (performance.now() - t0);
}

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/sse-sandbox.ts', String(a.rate)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (c) => reject(new Error(`the sandbox child exited with ${c}`)));
    });
    const { gateway, token, userId } = JSON.parse(first) as { gateway: string; token: string; userId: string };
    const url = `${gateway}/api/mobile/events`;
    console.log(`sse bench: ${a.clients} clients on one user's stream, producer ${a.rate} events/s, ${a.seconds} s per client kind`);

    // The soak's clients.
    settleGc();
    const rssBefore = process.memoryUsage().rss;
    const counters = emptyCounters();
    const pool = new SseClientPool({
      url,
      users: Array.from({ length: a.clients }, () => ({ userId, token })),
      counters,
      reconnectMs: newMsHistogram(),
      deliveryMs: newMsHistogram(),
      retryMs: 1000,
      onEvent: () => {},
      onDuplicate: () => {},
    });
    pool.open();
    await waitFor(() => pool.connected === a.clients, `${a.clients} eventsource clients`);
    const esRate = await measure(() => counters.received, a.seconds);
    settleGc();
    const rssEs = process.memoryUsage().rss;
    pool.close();
    const rssPer1000 = (mb(rssEs - rssBefore) * 1000) / a.clients;
    console.log(
      `  eventsource (soak clients): ${esRate.toFixed(0)} events/s, RSS +${mb(rssEs - rssBefore).toFixed(1)} MB for ${a.clients} clients`,
    );
    await sleep(1000);

    // Bare readers: http.get, frames split on the blank line, nothing else.
    let bareEvents = 0;
    let bareOpen = 0;
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const reqs = Array.from({ length: a.clients }, () => {
      const req = get(url, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
        bareOpen += 1;
        let carry = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const parts = (carry + chunk).split('\n\n');
          carry = parts.pop() ?? '';
          for (const p of parts) if (p.includes('\ndata:')) bareEvents += 1;
        });
      });
      req.on('error', () => {});
      return req;
    });
    await waitFor(() => bareOpen === a.clients, `${a.clients} bare readers`);
    const bareRate = await measure(() => bareEvents, a.seconds);
    for (const r of reqs) r.destroy();
    console.log(`  bare http.get: ${bareRate.toFixed(0)} events/s`);

    console.log(`sse ratio=${(esRate / bareRate).toFixed(3)} clients=${a.clients} rss_mb_per_1000=${rssPer1000.toFixed(1)}`);
  } finally {
    child.kill('SIGTERM');
  }
}
