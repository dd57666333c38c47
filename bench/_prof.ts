import { ingestK6Ndjson } from '/work/main/lib/results/index.js';
const t = Date.now();
const r = await ingestK6Ndjson(process.argv[2]!);
console.log(r.stats(), (Date.now() - t) / 1000, process.resourceUsage().maxRSS / 1024);
