// The harness CLI: `qsl run|report|reconcile|sandbox|setup|watch|gate`; the npm scripts (mvp1, report, sandbox, setup...) call it.
import './node-support.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerGateCommand } from '../lib/gate/index.js';
import { main } from '../lib/run/index.js';
import { registerWatchCommand } from '../lib/watch/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.exitCode = await main(process.argv.slice(2), root, [registerWatchCommand, registerGateCommand]);
