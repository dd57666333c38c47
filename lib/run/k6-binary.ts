import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createError } from '../errors/index.js';
import { K6_MODULE, K6_VERSION } from './k6-version.js';

export interface K6Binary {
  path: string;
  version: string;
  /** Where it was found: env, project, cache, path, built. */
  source: 'env' | 'project' | 'cache' | 'path' | 'built';
}

export interface EnsureK6Options {
  projectRoot: string;
  /** Build with Go when nothing is found (default true). */
  build?: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Per-user cache, shared by every clone on the machine, so CI builds k6 once. */
export function k6CacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'qsl-harness', 'k6', K6_VERSION);
}

/** `k6 version` → "v2.2.0", or null when the file is not a working k6. */
export function readK6Version(path: string): string | null {
  const r = spawnSync(path, ['version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0) return null;
  const m = /k6 (v\d+\.\d+\.\d+\S*)/.exec(r.stdout);
  return m ? m[1] : null;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

function majorOf(v: string): string {
  return v.split('.')[0];
}

/**
 * Finds k6 in this order: K6_BINARY, the project's `.tools/k6`, the per-user cache, `k6` on PATH
 * (accepted only with the pinned major). Builds the pinned version with Go into the cache when none
 * is found; without Go, throws QSL_K6_MISSING with install instructions.
 */
export async function ensureK6(opts: EnsureK6Options): Promise<K6Binary> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});

  if (env.K6_BINARY) {
    const path = resolve(env.K6_BINARY);
    const version = existsSync(path) ? readK6Version(path) : null;
    if (!version) {
      throw createError(
        'QSL_K6_MISSING',
        `K6_BINARY points at ${path}, which is not a working k6 binary ("k6 version" failed). ` +
          `Unset K6_BINARY to let the harness find or build k6 ${K6_VERSION}, or point it at a k6 ${majorOf(K6_VERSION)}.x binary.`,
      );
    }
    return { path, version, source: 'env' };
  }

  const candidates: Array<[string, K6Binary['source']]> = [
    [join(opts.projectRoot, '.tools', 'k6'), 'project'],
    [join(k6CacheDir(env), 'k6'), 'cache'],
  ];
  for (const [path, source] of candidates) {
    if (!existsSync(path)) continue;
    const version = readK6Version(path);
    if (version) return { path, version, source };
  }

  const fromPath = onPath('k6', env);
  if (fromPath) {
    const version = readK6Version(fromPath);
    if (version && majorOf(version) === majorOf(K6_VERSION)) return { path: fromPath, version, source: 'path' };
    if (version) log(`ignoring ${fromPath}: it is k6 ${version}, the harness needs ${majorOf(K6_VERSION)}.x`);
  }

  const go = onPath('go', env);
  if (opts.build === false || !go) {
    throw createError(
      'QSL_K6_MISSING',
      `k6 ${K6_VERSION} was not found (looked at K6_BINARY, .tools/k6, ${k6CacheDir(env)}/k6 and PATH) and ` +
        (go ? 'building it was not allowed. ' : 'no Go toolchain is available to build it. ') +
        `Install k6 ${majorOf(K6_VERSION)}.x with your package manager (e.g. "brew install k6", the Grafana apt/rpm repository, ` +
        `"winget install k6"), or use the container image grafana/k6, or install Go and run "npm run setup" to build ${K6_MODULE}@${K6_VERSION}; ` +
        `then run again, or point K6_BINARY at the binary.`,
    );
  }
  return buildK6(go, env, log);
}

/**
 * Builds k6 with Go into the per-user cache. A throwaway module pins the version: plain
 * `go install module@version` also asks the proxy for the module's version list, which the
 * proxy here does not serve for k6/v2.
 */
async function buildK6(go: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<K6Binary> {
  const dir = k6CacheDir(env);
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'qsl-k6-build-'));
  writeFileSync(join(work, 'go.mod'), `module qsl-harness/k6-build\n\ngo 1.24\n\nrequire ${K6_MODULE} ${K6_VERSION}\n`);
  const partial = join(dir, `k6.partial-${process.pid}`);
  log(`k6 ${K6_VERSION} not found: building it with Go into ${dir} (first run only; a few minutes on 2 cores)...`);
  const started = Date.now();
  const ticker = setInterval(() => log(`  still building k6 (${Math.round((Date.now() - started) / 1000)} s)...`), 30_000);
  try {
    const code = await new Promise<number | null>((res, rej) => {
      const child = spawn(go, ['build', '-trimpath', '-o', partial, K6_MODULE], {
        cwd: work,
        env: { ...env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (b: Buffer) => {
        err = (err + b.toString()).slice(-4000);
      });
      child.on('error', rej);
      child.on('close', (c) => {
        if (c !== 0) log(err.trim());
        res(c);
      });
    });
    if (code !== 0) {
      throw createError(
        'QSL_K6_MISSING',
        `building k6 ${K6_VERSION} with Go failed (exit ${code}; Go's output is above). Check that the Go module proxy is reachable ` +
          `(GOPROXY), or install k6 ${majorOf(K6_VERSION)}.x yourself and point K6_BINARY at it.`,
      );
    }
    const path = join(dir, 'k6');
    renameSync(partial, path);
    const version = readK6Version(path);
    if (!version) throw createError('QSL_K6_MISSING', `the k6 built at ${path} does not run; delete ${dir} and try again.`);
    log(`built k6 ${version} in ${Math.round((Date.now() - started) / 1000)} s: ${path}`);
    return { path, version, source: 'built' };
  } finally {
    clearInterval(ticker);
    rmSync(work, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}
