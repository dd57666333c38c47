/**
 * Every error the harness reports to a user, in one catalogue. Each has a stable code, the exit
 * code it maps to, and a message that says what to do. The CLI's one top-level catch turns a thrown one
 * into exit 2; a milestone run that meets one mid-run records it as the summary's `undecided` reason
 * (also exit 2) so its partial results are still written. Library code never calls process.exit.
 */

export const ERROR_CODES = {
  QSL_USAGE_INVALID: 'an unknown command or option, or an option value of the wrong form',
  QSL_CONFIG_INVALID: 'the target file, flags file or an option is invalid',
  QSL_UNKNOWN_MILESTONE: 'no such milestone',
  QSL_PORT_IN_USE: 'a port the embedded sandbox needs (--port-base n to n+3) is taken',
  QSL_TARGET_UNREACHABLE: 'the target (or a part a command needs, such as its ledger) did not answer',
  QSL_TARGET_BUSY: "another run on this machine has been changing the target's flags for longer than a run waits",
  QSL_K6_MISSING: 'no k6 binary could be found or built',
  QSL_PRODUCTION_GUARD: 'refused: load, faults or forced failures against a production target',
  QSL_FAULT_INVALID: 'an unknown or malformed --fault knob',
  QSL_FLAGS_INVALID: 'a feature flags file that does not match the FeatureManagement shape',
  QSL_BUILD_FAILED: 'bundling the k6 scenarios failed',
  QSL_RUN_DIR_INVALID: 'a run directory lacks run.json or has unreadable raw results',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The one coded error of the harness, made by {@link createError} (fastify's createError and vitest's coded errors
 * are the model): a stable code from the catalogue above, a message that names the field and the fix, exit code 2.
 * `details` carries one line per problem where there are several (e.g. each invalid flags field).
 */
export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly exitCode = 2;
  readonly details: readonly string[];
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: readonly string[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.details = options?.details ?? [];
  }
}

/** Every coded error comes from here. */
export function createError(code: ErrorCode, message: string, options?: { cause?: unknown; details?: readonly string[] }): HarnessError {
  return new HarnessError(code, message, options);
}

/** True for a coded error (of the given code, when one is given). */
export function isHarnessError(e: unknown, code?: ErrorCode): e is HarnessError {
  return e instanceof HarnessError && (code === undefined || e.code === code);
}

/** How a coded error reaches the user: `error [QSL_X]: message`. */
export function formatError(e: HarnessError): string {
  return `error [${e.code}]: ${e.message}`;
}
