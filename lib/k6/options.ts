// Runs INSIDE k6. Builds a scenario's exported `options`: every scenario file runs exactly one k6 scenario, named
// after the file, with the harness's thresholds and the same summary statistics (the harness reads p(90)..p(99)
// from the summary, so every scenario must export the same set).
import type { ConstantArrivalRateScenario, Options, SharedIterationsScenario } from 'k6/options';

/** The executors the scenarios use. */
export type ScenarioExecutor = SharedIterationsScenario | ConstantArrivalRateScenario;

/** Test-wide options a scenario may add to its single scenario and thresholds. */
export type ExtraOptions = Pick<Options, 'setupTimeout' | 'batch' | 'batchPerHost' | 'tags'>;

/**
 * A `shared-iterations` executor from a scenario's size table (other fields of the table, such as think time,
 * stay with the scenario and are not passed to k6, which would reject them).
 */
export function sharedIterations(sizes: { vus: number; iterations: number; maxDuration: string }): SharedIterationsScenario {
  return { executor: 'shared-iterations', vus: sizes.vus, iterations: sizes.iterations, maxDuration: sizes.maxDuration };
}

/**
 * A scenario file's `options`: one k6 scenario called `name` run by `executor`, the given thresholds (those the
 * harness hands over, see `thresholdsFromEnv`), `extra` test-wide options, and the same trend statistics in every
 * end-of-test summary. The executor and thresholds are functions, called only where k6 reads the options: a VU's
 * own init then parses no JSON and builds no objects it would keep (see `readsOptions`).
 */
export function scenarioOptions(
  name: string,
  executor: () => ScenarioExecutor,
  thresholds: () => Record<string, string[]>,
  extra: ExtraOptions = {},
): Options {
  if (!readsOptions()) return {};
  return {
    scenarios: { [name]: splittable(executor()) },
    ...extra,
    thresholds: scenarioThresholds(name, thresholds()),
    summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  };
}

/**
 * k6 reads a script's `options` only from the init context where __VU is 0 (the one that plans the test, and
 * `k6 inspect` / `k6 archive`); each VU's own init would build them again for nothing, and every regular expression,
 * iterator and object a VU's init touches stays in that VU's memory for the whole run (`npm run bench -- vus`).
 * Outside k6 (Node tests) there is no __VU: build them.
 */
function readsOptions(): boolean {
  const vu = (globalThis as { __VU?: number }).__VU;
  return vu === undefined || vu === 0;
}

/** QSL_SEGMENTS, read here without k6 modules: this file is imported by Node tests too. */
function segmentsFromEnv(): number {
  const v = Number((globalThis as { __ENV?: Record<string, string | undefined> }).__ENV?.QSL_SEGMENTS);
  return Number.isInteger(v) && v > 1 ? v : 1;
}

/**
 * Split over QSL_SEGMENTS processes (execution segments, k6-operator parallelism), an arrival-rate
 * executor keeps its total rate (k6 splits it by segment) but needs VUs divisible by the number of
 * processes, so each gets an equal share: round them up.
 */
export function splittable(executor: ScenarioExecutor, n: number = segmentsFromEnv()): ScenarioExecutor {
  if (executor.executor !== 'constant-arrival-rate' || n <= 1) return executor;
  const up = (v: number | undefined) => (v === undefined ? v : Math.ceil(v / n) * n);
  return { ...executor, preAllocatedVUs: up(executor.preAllocatedVUs)!, maxVUs: up(executor.maxVUs) };
}

/**
 * The thresholds on the scenario's own samples (`metric{tags}` gains `scenario:<name>`): requests made in setup() to
 * prepare the run's data carry no scenario tag, and never count toward a criterion, in k6's summary as in the verdict.
 */
export function scenarioThresholds(name: string, thresholds: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, rules] of Object.entries(thresholds)) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
    out[m ? `${m[1]}{${m[2] ? `${m[2]},` : ''}scenario:${name}}` : key] = rules;
  }
  return out;
}
