// The harness CLI: `npm run mvp1 -- [flags]`, `npm run report -- <dir>`, `npm run qsl -- --help`.
import './node-support.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../lib/run/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.exitCode = await main(process.argv.slice(2), root);
