/**
 * The closed set of fault codes. A wrong answer is never one of these: it is a result with a low
 * reward. These are faults of input, configuration or infrastructure.
 */
export type RewardErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_OPTIONS'
  | 'INVALID_ROLLOUT'
  | 'INVALID_REFERENCE'
  | 'INVALID_INPUT'
  | 'UNKNOWN_REWARD'
  | 'UNKNOWN_TASK'
  | 'MODEL_UNAVAILABLE'
  | 'SANDBOX_UNAVAILABLE'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'WORKER_FAILED'
  | 'INTERNAL';

const marker = Symbol.for('mixreward.error');

/**
 * The one error type of mixreward: a closed `code`, a message that names the fix, and an optional
 * `cause`. Use {@link RewardError.isInstance} rather than `instanceof` across package copies.
 */
export class RewardError extends Error {
  /** The fault class; stable for programs to branch on. */
  readonly code: RewardErrorCode;
  /** Where the fault is, when known: a config path (`rewards.accuracy.with.tolerance`), a file, a field. */
  readonly path: string | undefined;
  private readonly [marker] = true;

  /**
   * @param code the fault class
   * @param message what went wrong and how to fix it
   * @param options `cause` (the underlying error) and `path` (where)
   */
  constructor(code: RewardErrorCode, message: string, options: { cause?: unknown; path?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RewardError';
    this.code = code;
    this.path = options.path;
  }

  /** True for any RewardError, also one made by another copy of this package. */
  static isInstance(value: unknown): value is RewardError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/** The message of any thrown value, for results and logs. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
