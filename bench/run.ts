/**
 * `npm run bench -- <name>` runs bench/<name>.ts. Each benchmark measures a ratio against a
 * baseline timed in the same process, and prints one machine-readable line last.
 *
 * The npm script starts Node with --single-threaded-gc: otherwise V8's parallel GC helper threads
 * give a "one thread" baseline part of the second core, and on 2 cores they compete with worker
 * pools, so ratios would measure the GC's thread scheduling rather than the code.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const known = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...rest] = process.argv.slice(2);

if (!name || !known.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\nknown benchmarks: ${known.join(', ') || '(none)'}`);
  process.exitCode = 2;
} else {
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { main(args: string[]): Promise<void> };
  await mod.main(rest);
}
