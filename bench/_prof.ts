import { ingestK6Ndjson } from '../lib/results/index.js';
const res: number[] = [];
for (let i = 0; i < 6; i++) {
const c = process.cpuUsage();
const r = await ingestK6Ndjson(process.argv[2]!);
const u = process.cpuUsage(c);
res.push((u.user + u.system) / 1e6);
}
console.log(res.map((x) => x.toFixed(2)).join(' '), 'best', Math.min(...res).toFixed(2), process.resourceUsage().maxRSS / 1024);
