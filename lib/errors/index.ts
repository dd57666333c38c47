/**
 * Every error the harness reports to a user, in one catalogue. Each has a stable code, the exit
 * code it maps to, and a message that says what to do. Only the CLI's top-level catch turns these
 * into an exit code; library code throws, it never calls process.exit.
 */

export const ERROR_CODES = {
  QSL_CONFIG_INVALID: 'the target file, flags file or an option is invalid',
  QSL_UNKNOWN_MILESTONE: 'no such milestone',
  QSL_TARGET_UNREACHABLE: 'the target did not answer its health check',
  QSL_K6_MISSING: 'no k6 binary could be found or built',
  QSL_K6_SCRIPT_ERROR: 'k6 stopped on a script or configuration error',
  QSL_PRODUCTION_GUARD: 'refused: load, faults or forced failures against a production target',
  QSL_FAULT_INVALID: 'an unknown or malformed --fault knob',
  QSL_BUILD_FAILED: 'bundling the k6 scenarios failed',
  QSL_RUN_DIR_INVALID: 'a run directory is missing its raw results',
  QSL_INTERRUPTED: 'the run was interrupted before a verdict could be reached',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the harness can explain. Exit code 2: the harness could not decide. */
export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly exitCode = 2;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
  }
}
