/**
 * Every error the harness reports to a user, in one catalogue. Each has a stable code, the exit
 * code it maps to, and a message that says what to do. The CLI's top-level catch turns a thrown one
 * into exit 2; a milestone run that meets one mid-run records it as the summary's `undecided` reason
 * (also exit 2) so its partial results are still written. Library code never calls process.exit.
 */

export const ERROR_CODES = {
  QSL_CONFIG_INVALID: 'the target file, flags file or an option is invalid',
  QSL_UNKNOWN_MILESTONE: 'no such milestone',
  QSL_TARGET_UNREACHABLE: 'the target (or a part a command needs, such as its ledger) did not answer',
  QSL_K6_MISSING: 'no k6 binary could be found or built',
  QSL_PRODUCTION_GUARD: 'refused: load, faults or forced failures against a production target',
  QSL_FAULT_INVALID: 'an unknown or malformed --fault knob (thrown as FaultError by lib/sandbox)',
  QSL_FLAGS_INVALID: 'a feature flags file that does not match the FeatureManagement shape (thrown as FeatureFlagsError)',
  QSL_BUILD_FAILED: 'bundling the k6 scenarios failed',
  QSL_RUN_DIR_INVALID: 'a run directory lacks run.json or has unreadable raw results',
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
