/**
 * Fault knobs for the embedded sandbox: the one place where knobs are declared, parsed and validated.
 *
 * A knob is written `name=value` on the command line (`--fault notification.drop=0.05`). Adding a knob for a
 * later milestone means adding one entry to {@link FAULT_KNOBS}; parsing, validation, the error message that
 * lists the known knobs and the CLI help all follow from that catalogue.
 */
import { createError, type HarnessError } from '../errors/index.js';

/** The value a parsed knob holds: a ratio or a number of milliseconds (number), or a keyword (string). */
export type FaultValue = number | string;

/** Parsed, validated knobs keyed by knob name (e.g. `{ 'user.error': 0.02, 'gateway.latency': 300 }`). Frozen. */
export type FaultSet = Readonly<Record<string, FaultValue>>;

/** The services whose HTTP handling the `<service>.error` / `<service>.latency` knobs act on. */
export const FAULT_SERVICES = ['gateway', 'user', 'notification', 'orchestration'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

/** How a knob's value is written and parsed. */
export interface FaultValueKind {
  /** Human-readable form, shown in error messages and help ("a ratio 0..1, e.g. 0.05"). */
  readonly expects: string;
  /** Parsed value, or undefined when `raw` is not of this form. */
  parse(raw: string): FaultValue | undefined;
}

export interface FaultKnob {
  /** Knob name; `<word>` placeholders match one name segment (`network.<id>.down`). */
  readonly name: string;
  readonly description: string;
  readonly value: FaultValueKind;
}

/** A ratio 0..1 (`0`, `0.05`, `1`). */
export const ratioValue: FaultValueKind = {
  expects: 'a ratio between 0 and 1, e.g. 0.05',
  parse(raw) {
    if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(raw)) return undefined;
    const n = Number(raw);
    return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
  },
};

/** A duration in milliseconds written with its unit (`300ms`). */
export const durationMsValue: FaultValueKind = {
  expects: 'a duration in milliseconds, e.g. 300ms',
  parse(raw) {
    const m = /^(\d+(?:\.\d+)?)ms$/.exec(raw);
    return m ? Number(m[1]) : undefined;
  },
};

/** A switch: given alone (`--fault signature.accept-invalid`) or as `=on` / `=true`; parsed to `on`. */
export const switchValue: FaultValueKind = {
  expects: 'no value (or `on`)',
  parse: (raw) => (raw === '' || raw === 'on' || raw === 'true' ? 'on' : undefined),
};

/** A whole number of items (`3`). */
export const countValue: FaultValueKind = {
  expects: 'a whole number, e.g. 3',
  parse: (raw) => (/^\d+$/.test(raw) ? Number(raw) : undefined),
};

/** One of a fixed set of keywords. */
export function keywordValue(...words: string[]): FaultValueKind {
  return {
    expects: words.map((w) => `\`${w}\``).join(' or '),
    parse: (raw) => (words.includes(raw) ? raw : undefined),
  };
}

/** The knob catalogue, every milestone's knobs in one place (MVP 1, then MVP 2 payments/ledger, MVP 3 networks/signatures/journal, MVP 4 SSE/marketplace/compliance/AI review). */
export const FAULT_KNOBS: readonly FaultKnob[] = Object.freeze([
  ...FAULT_SERVICES.map((s) => ({
    name: `${s}.error`,
    description:
      s === 'gateway'
        ? 'fraction of all gateway HTTP requests answered with 5xx'
        : `fraction of the ${s} service's HTTP requests answered with 5xx`,
    value: ratioValue,
  })),
  ...FAULT_SERVICES.map((s) => ({
    name: `${s}.latency`,
    description: s === 'gateway' ? 'delay added to every gateway HTTP request' : `delay added to each request the ${s} service handles`,
    value: durationMsValue,
  })),
  ...FAULT_SERVICES.map((s) => ({
    name: `${s}.down`,
    description: `the ${s} service's health reads down, as a rollout whose new version never became ready; requests are still served by the previous version, so only the health reading sees it (given alone or as =on)`,
    value: switchValue,
  })),
  {
    name: 'orchestration.stall',
    description:
      'the OrchestrationService accepts and executes workflows (201, 202, 200 on every read) but never completes one (given alone or as =on)',
    value: switchValue,
  },
  {
    name: 'notification.drop',
    description: 'fraction of notifications silently lost (not recorded, the event is still acknowledged)',
    value: ratioValue,
  },
  {
    name: 'eventbridge.drop',
    description: 'fraction of EventBridge -> SQS deliveries lost, exactly that fraction per target queue (the legacy path is untouched)',
    value: ratioValue,
  },
  {
    name: 'eventbridge.latency',
    description: 'delay added to every EventBridge -> SQS delivery (the legacy path is untouched)',
    value: durationMsValue,
  },
  {
    name: 'rollback',
    description: 'POST /admin/rollback answers 200 but changes nothing',
    value: keywordValue('broken'),
  },
  {
    name: 'restore',
    description: 'POST /admin/restore answers 200 but changes nothing (the target is left rolled back)',
    value: keywordValue('broken'),
  },
  {
    name: 'ledger.skew',
    description: "the ledger posts an extra one-sided credit on the settlements of each run's first n payments (both books)",
    value: countValue,
  },
  {
    name: 'payment.compensation',
    description: 'the payment saga marks failed payments compensated but silently skips the compensation',
    value: keywordValue('broken'),
  },
  { name: 'payment.latency', description: 'delay added to each request the payment service handles', value: durationMsValue },
  { name: 'payment.error', description: "fraction of the payment service's HTTP requests answered with 5xx", value: ratioValue },
  {
    name: 'network.<id>.down',
    description: 'the simulated blockchain network <id> rejects every submission (given alone or as =on)',
    value: switchValue,
  },
  {
    name: 'network.<id>.latency',
    description: 'delay added to every submission to the simulated blockchain network <id>',
    value: durationMsValue,
  },
  {
    name: 'signature.latency',
    description: 'delay added inside each ML-DSA-44 validation (counted in the Server-Timing validation time)',
    value: durationMsValue,
  },
  {
    name: 'signature.accept-invalid',
    description: 'the SignatureService accepts every signature, valid or not (given alone or as =on)',
    value: switchValue,
  },
  {
    name: 'signature.throttle',
    description:
      'each validation request waits this long before it is served (a rate-limited service; outside the measured validation time): the arrival-rate scenario runs out of VUs and validates fewer signatures than its sample needs',
    value: durationMsValue,
  },
  {
    name: 'token.supply-skew',
    description: "the TokenService's supply report overstates minted and supply by n units on every network (the balances are right)",
    value: countValue,
  },
  {
    name: 'dlq.fill',
    description:
      "messages put into the first service queue's dead-letter queue when the sandbox starts (past 1000: the DLQ-depth rollback trigger)",
    value: countValue,
  },
  {
    name: 'journal.drop',
    description: 'fraction of event-journal writes silently lost (the events themselves flow normally)',
    value: ratioValue,
  },
  {
    name: 'sse.disconnect',
    description: 'the SSE gateways drop every open stream at this interval in seconds (clients reconnect with Last-Event-ID)',
    value: countValue,
  },
  { name: 'sse.drop', description: 'fraction of user events lost on the SSE streams only (the buses carry them)', value: ratioValue },
  { name: 'sse.heartbeat', description: 'the SSE gateways send no heartbeat comments', value: keywordValue('off') },
  { name: 'marketplace.error', description: "fraction of the marketplace service's HTTP requests answered with 5xx", value: ratioValue },
  {
    name: 'compliance.mismatch',
    description: 'fraction of compliance decisions the EventBridge path decides differently (dual validation must catch it)',
    value: ratioValue,
  },
  {
    name: 'aireview.latency',
    description: "delay added to the AI model's review (past the deadline, reviews fall back to the rule-based decision)",
    value: durationMsValue,
  },
  // Stage 1 infrastructure (npm run stage1): a broken topology.
  {
    name: 'topology.<rule>.missing',
    description: 'the sandbox topology lacks rule <rule> (e.g. qsl-user-rule; given alone or as =on)',
    value: switchValue,
  },
  {
    name: 'topology.<queue>.no-dlq',
    description: 'queue <queue> is created without its DLQ and RedrivePolicy (a FIFO queue without .fifo: qsl-ledger)',
    value: switchValue,
  },
]);

/** An unknown knob or a badly formed value (QSL_FAULT_INVALID). The message lists the known knobs and the value they expect. */
export function faultError(message: string): HarnessError {
  return createError('QSL_FAULT_INVALID', message);
}

/** One line per knob: `name=<expected form>  description`. */
export function describeFaultKnobs(knobs: readonly FaultKnob[] = FAULT_KNOBS): string {
  return knobs.map((k) => `  ${k.name}=<${k.value.expects}>  ${k.description}`).join('\n');
}

function knobPattern(name: string): RegExp {
  const escaped = name
    .split(/(<[a-z]+>)/i)
    .map((part) => (/^<[a-z]+>$/i.test(part) ? '[A-Za-z0-9_-]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}$`);
}

/**
 * Parse `name=value` strings into a frozen {@link FaultSet}.
 * @throws HarnessError QSL_FAULT_INVALID on a missing `=`, an unknown knob, a bad value or a knob given twice.
 */
export function parseFaults(list: readonly string[], knobs: readonly FaultKnob[] = FAULT_KNOBS): FaultSet {
  const out: Record<string, FaultValue> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    // A switch knob may be given without a value; every other knob needs name=value.
    const bare = eq < 0 ? knobs.find((k) => k.value === switchValue && knobPattern(k.name).test(item.trim())) : undefined;
    if (eq === 0 || (eq < 0 && !bare)) {
      throw faultError(`invalid fault \`${item}\`; reason: expected name=value. Known knobs:\n${describeFaultKnobs(knobs)}`);
    }
    const name = eq < 0 ? item.trim() : item.slice(0, eq).trim();
    const raw = eq < 0 ? '' : item.slice(eq + 1).trim();
    const knob = bare ?? knobs.find((k) => knobPattern(k.name).test(name));
    if (!knob) {
      throw faultError(`unknown fault knob \`${name}\`. Known knobs:\n${describeFaultKnobs(knobs)}`);
    }
    const value = knob.value.parse(raw);
    if (value === undefined) {
      throw faultError(`invalid value for fault \`${name}\`; reason: expected ${knob.value.expects}, got \`${raw}\``);
    }
    if (name in out) throw faultError(`fault \`${name}\` given twice; give each knob once`);
    out[name] = value;
  }
  return Object.freeze(out);
}

/** The ratio a knob holds, 0 when absent. */
export function faultRatio(faults: FaultSet | undefined, name: string): number {
  const v = faults?.[name];
  return typeof v === 'number' ? v : 0;
}

/** The milliseconds a duration knob holds, 0 when absent. */
export function faultMs(faults: FaultSet | undefined, name: string): number {
  const v = faults?.[name];
  return typeof v === 'number' ? v : 0;
}

/** The whole number a count knob holds, 0 when absent. */
export function faultCount(faults: FaultSet | undefined, name: string): number {
  const v = faults?.[name];
  return typeof v === 'number' ? v : 0;
}

/** Whether a switch knob is on. */
export function faultOn(faults: FaultSet | undefined, name: string): boolean {
  return faults?.[name] === 'on';
}

/** Whether a keyword knob is set to `word`. */
export function faultIs(faults: FaultSet | undefined, name: string, word: string): boolean {
  return faults?.[name] === word;
}

/**
 * A deterministic ratio gate: over n calls to {@link RatioGate.next} it fires exactly floor(n * ratio + phase)
 * - floor(phase) times, spread evenly. With phase 0 (default) that is exactly floor(n * ratio): ratio 0.01 over
 * 300 calls fires 3 times, on calls 100, 200 and 300.
 */
export class RatioGate {
  private calls = 0;
  private fired = 0;
  constructor(
    readonly ratio: number,
    private readonly phase = 0,
  ) {}

  /** True when this call should take the fault. */
  next(): boolean {
    if (this.ratio <= 0) return false;
    this.calls += 1;
    // Small epsilon so 0.1 * 10 (= 0.9999999999999999) still counts as 1.
    const due = Math.floor(this.calls * this.ratio + this.phase + 1e-9) - Math.floor(this.phase);
    if (due > this.fired) {
      this.fired += 1;
      return true;
    }
    return false;
  }
}
