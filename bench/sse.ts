/**
 * SSE client cost: N clients on one core (this process) hold the sandbox's admin stream while a producer in a child
 * process emits events at a fixed rate; first N `eventsource` clients (what the soak uses), then N bare
 * `http.get` readers that only split frames, in the same run against the same server. Reports the events/s each
 * delivered and the RSS the eventsource clients cost.
 *
 *   npm run bench -- sse [--clients 1000] [--rate 10] [--seconds 10]
 * Last line: `sse ratio=<eventsource events/s ÷ bare events/s> clients=<n> rss_mb_per_1000=<MB>`.
 * Targets: ratio >= 0.7, rss_mb_per_1000 <= 100.
 */
import { spawn } from 'node:child_process';
import { get, Agent } from 'node:http';
import { createInterface } from 'node:readline';
import { EventSource } from 'eventsource';

interface Args {
  clients: number;
  rate: number;
  seconds: number;
}

function parseArgs(args: string[]): Args {
  const out: Args = { clients: 1000, rate: 10, seconds: 10 };
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

function settleGc(): void {
  (globalThis as { gc?: () => void }).gc?.();
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
    const { gateway, token } = JSON.parse(first) as { gateway: string; token: string };
    const url = `${gateway}/api/admin/events`;
    console.log(`sse bench: ${a.clients} clients, producer ${a.rate} checks/s (4 admin events each), ${a.seconds} s per client kind`);

    // eventsource clients.
    settleGc();
    const rssBefore = process.memoryUsage().rss;
    let esEvents = 0;
    let open = 0;
    const sources: EventSource[] = [];
    for (let i = 0; i < a.clients; i++) {
      const es = new EventSource(url, {
        fetch: (u, init) =>
          fetch(u, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } }),
      });
      es.addEventListener('open', () => (open += 1));
      for (const t of ['KycCompleted', 'AmlScreened', 'RiskAssessed', 'ComplianceDecided']) es.addEventListener(t, () => (esEvents += 1));
      sources.push(es);
    }
    await waitFor(() => open === a.clients, `${a.clients} eventsource clients`);
    const esRate = await measure(() => esEvents, a.seconds);
    settleGc();
    const rssEs = process.memoryUsage().rss;
    for (const es of sources) es.close();
    const rssPer1000 = (mb(rssEs - rssBefore) * 1000) / a.clients;
    console.log(`  eventsource: ${esRate.toFixed(0)} events/s, RSS +${mb(rssEs - rssBefore).toFixed(1)} MB for ${a.clients} clients`);
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
