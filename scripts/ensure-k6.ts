// `npm run setup`: find or build the pinned k6, print where it is.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { ensureK6 } from '../lib/run/index.js';
import { HarnessError } from '../lib/errors/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
try {
  const k6 = await ensureK6({ projectRoot: root, log: (l) => console.error(l) });
  console.log(`k6 ${k6.version} (${k6.source}): ${k6.path}`);
} catch (e) {
  if (e instanceof HarnessError) {
    console.error(`error [${e.code}]: ${e.message}`);
    process.exitCode = e.exitCode;
  } else throw e;
}
