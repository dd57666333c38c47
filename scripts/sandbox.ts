// Kept for callers of the old path: the same as `qsl sandbox` (`npm run sandbox`).
import './node-support.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../lib/run/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.exitCode = await main(['sandbox', ...process.argv.slice(2)], root);
