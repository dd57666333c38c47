import { getHeapStatistics, getHeapSpaceStatistics } from 'node:v8';
import { ingestK6Ndjson } from '../lib/results/index.js';
const r = await ingestK6Ndjson(process.argv[2]!);
const mu = process.memoryUsage();
console.log(r.stats().lines, 'maxRSS', (process.resourceUsage().maxRSS / 1024).toFixed(1), 'rss', (mu.rss / 2 ** 20).toFixed(1), 'heapUsed', (mu.heapUsed / 2 ** 20).toFixed(1), 'heapTotal', (mu.heapTotal / 2 ** 20).toFixed(1), 'ext', (mu.external / 2 ** 20).toFixed(1), 'ab', (mu.arrayBuffers / 2 ** 20).toFixed(1));
globalThis.gc?.();
const mu2 = process.memoryUsage();
console.log('after gc heapUsed', (mu2.heapUsed / 2 ** 20).toFixed(1), 'ab', (mu2.arrayBuffers / 2 ** 20).toFixed(1));
for (const s of getHeapSpaceStatistics()) console.log(s.space_name, (s.space_size / 2 ** 20).toFixed(1), (s.space_used_size / 2 ** 20).toFixed(1));
