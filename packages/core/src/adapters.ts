import { RewardError, type RewardErrorCode } from './errors.js';
import type { ChatMessage, RewardResult, Rollout } from './types.js';

/** The arguments verl passes to a custom `compute_score` (one sample). */
export interface VerlSample {
  /** The dataset name; becomes the rollout's `task`. */
  data_source?: string;
  /** The decoded response; becomes `completion`. */
  solution_str: string;
  /** Becomes `reference`. */
  ground_truth?: unknown;
  /** Becomes `meta` (its `group`/`uid`/`index` feed `meta.group` when present). */
  extra_info?: Record<string, unknown> | null;
}

/** verl's expected return of `compute_score`: a dict whose `score` is the reward; other keys are logged. */
export interface VerlScore {
  /** The reward; a `skipped` result gives `nullReward`. */
  score: number;
  /** 1 for ok, 0 for skipped, so logs can filter abstentions. */
  valid: number;
  /** Every component, flattened (`null` becomes NaN so verl's numeric logging keeps the key). */
  [component: string]: number;
}

/** Map a verl sample to a rollout. */
export function fromVerl(sample: VerlSample): Rollout {
  if (typeof sample?.solution_str !== 'string') throw new RewardError('INVALID_ROLLOUT', 'verl sample needs a string "solution_str"');
  const meta: Record<string, unknown> = { ...(sample.extra_info ?? {}) };
  if (meta.group === undefined && meta.uid !== undefined) meta.group = meta.uid;
  const rollout: Rollout = { completion: sample.solution_str, reference: sample.ground_truth, meta };
  if (sample.data_source !== undefined) rollout.task = sample.data_source;
  return rollout;
}

// A record over the whole union, so a new code in errors.ts fails the type check until added here.
const faultCodes: Record<RewardErrorCode, true> = {
  INVALID_CONFIG: true, INVALID_OPTIONS: true, INVALID_ROLLOUT: true, INVALID_REFERENCE: true, INVALID_INPUT: true, UNKNOWN_REWARD: true,
  UNKNOWN_TASK: true, MODEL_UNAVAILABLE: true, SANDBOX_UNAVAILABLE: true, DEPENDENCY_UNAVAILABLE: true, TIMEOUT: true, ABORTED: true,
  WORKER_FAILED: true, INTERNAL: true,
};

function codeOf(result: RewardResult): RewardErrorCode {
  const code = result.error?.code;
  if (code !== undefined && Object.hasOwn(faultCodes, code)) return code as RewardErrorCode;
  return result.status === 'timeout' ? 'TIMEOUT' : 'INTERNAL';
}

function describeFault(result: RewardResult): string {
  const component = result.error?.component === undefined ? '' : ` in component "${result.error.component}"`;
  return `${result.status} [${codeOf(result)}]${component}: ${result.reason ?? 'no reason given'}`;
}

/**
 * The fault of a list of results, or undefined when every result is `ok` or `skipped`: an `error`
 * or `timeout` result is a fault of the reward's infrastructure or input, never a score of 0.
 * The RewardError's code is the first failed rollout's code.
 */
function faultOf(results: readonly RewardResult[], trainer: string): RewardError | undefined {
  const failures: string[] = [];
  let first: RewardResult | undefined;
  results.forEach((result, index) => {
    if (result.status !== 'error' && result.status !== 'timeout') return;
    first ??= result;
    if (failures.length < 5) failures.push(results.length === 1 ? describeFault(result) : `rollout ${index}: ${describeFault(result)}`);
  });
  if (!first) return undefined;
  const count = results.filter((result) => result.status === 'error' || result.status === 'timeout').length;
  const more = count > failures.length ? `; and ${count - failures.length} more` : '';
  const what = results.length === 1 ? 'the reward failed' : `${count} of ${results.length} rewards failed`;
  return new RewardError(codeOf(first), `${trainer}: ${what}, so no score is returned (a fault is never a 0): ${failures.join('; ')}${more}`);
}

/**
 * Map a result back to verl's dict return. `ok` gives the reward; `skipped` gives `nullReward`
 * (default 0, since verl needs a number) with `valid: 0`; `error` and `timeout` throw a
 * {@link RewardError} carrying the result's code, so the fault reaches the trainer as a raise.
 * @throws RewardError for an `error` or `timeout` result
 */
export function toVerl(result: RewardResult, nullReward = 0): VerlScore {
  const fault = faultOf([result], 'verl');
  if (fault) throw fault;
  const out: VerlScore = { score: result.status === 'ok' ? (result.reward as number) : nullReward, valid: result.status === 'ok' ? 1 : 0 };
  for (const [name, value] of Object.entries(result.components ?? {})) {
    if (name !== 'score' && name !== 'valid') out[name] = value ?? Number.NaN;
  }
  return out;
}

/** The JSON body OpenRLHF's remote reward model client sends (`--remote_rm_url`). */
export interface OpenRlhfRequest {
  /** Prompt + response texts. */
  query: string[];
  /** Prompt texts (used to cut the response out of `query`). */
  prompts?: string[];
  /** Labels (references), one per query. */
  labels?: unknown[];
}

/** OpenRLHF's expected response body. */
export interface OpenRlhfResponse {
  /** Rewards used for the advantage, one per query. */
  rewards: number[];
  /** Scores used for dynamic filtering, one per query (same as rewards here). */
  scores: number[];
  /** Logged per-sample extras: status and every component. */
  extra_logs: Record<string, (number | null)[]>;
}

/** Map an OpenRLHF request to rollouts (the completion is `query` without its prompt prefix). */
export function fromOpenRlhf(request: OpenRlhfRequest): Rollout[] {
  if (!Array.isArray(request?.query)) throw new RewardError('INVALID_INPUT', 'OpenRLHF request needs a "query" list');
  return request.query.map((query, index) => {
    if (typeof query !== 'string') throw new RewardError('INVALID_INPUT', `query[${index}] must be a string`);
    const prompt = request.prompts?.[index];
    const completion = typeof prompt === 'string' && query.startsWith(prompt) ? query.slice(prompt.length) : query;
    const rollout: Rollout = { completion, reference: request.labels?.[index] };
    if (typeof prompt === 'string') rollout.prompt = prompt;
    return rollout;
  });
}

/**
 * Map results to OpenRLHF's response body. `skipped` gives `nullReward` (default 0, since OpenRLHF
 * needs a number) with `valid: 0` in `extra_logs`. Any `error` or `timeout` result throws a
 * {@link RewardError}: a server answers it with {@link httpStatusOf} (5xx for an infrastructure
 * fault), so OpenRLHF's client sees a failed request, never a batch of zeros.
 * @throws RewardError when any result is `error` or `timeout`
 */
export function toOpenRlhf(results: readonly RewardResult[], nullReward = 0): OpenRlhfResponse {
  const fault = faultOf(results, 'OpenRLHF');
  if (fault) throw fault;
  const rewards = results.map((result) => (result.status === 'ok' ? (result.reward as number) : nullReward));
  const extra: Record<string, (number | null)[]> = { valid: results.map((result) => (result.status === 'ok' ? 1 : 0)) };
  const names = new Set(results.flatMap((result) => Object.keys(result.components ?? {})));
  for (const name of names) extra[name] = results.map((result) => result.components?.[name] ?? null);
  return { rewards, scores: rewards, extra_logs: extra };
}

/**
 * The HTTP status a reward server answers for a thrown value: 400 for a fault of the request
 * (`INVALID_INPUT`, `INVALID_ROLLOUT`, `INVALID_REFERENCE`, `UNKNOWN_TASK`), 504 for `TIMEOUT`,
 * 503 for a missing or failed part (`MODEL_UNAVAILABLE`, `SANDBOX_UNAVAILABLE`,
 * `DEPENDENCY_UNAVAILABLE`, `WORKER_FAILED`, `ABORTED`), 500 for everything else.
 * @returns an HTTP status code in [400, 599]
 */
export function httpStatusOf(error: unknown): number {
  if (!RewardError.isInstance(error)) return 500;
  switch (error.code) {
    case 'INVALID_INPUT':
    case 'INVALID_ROLLOUT':
    case 'INVALID_REFERENCE':
    case 'UNKNOWN_TASK':
      return 400;
    case 'TIMEOUT':
      return 504;
    case 'MODEL_UNAVAILABLE':
    case 'SANDBOX_UNAVAILABLE':
    case 'DEPENDENCY_UNAVAILABLE':
    case 'WORKER_FAILED':
    case 'ABORTED':
      return 503;
    default:
      return 500;
  }
}

/** The keyword arguments TRL passes to a reward function (GRPOTrainer): lists of equal length. */
export interface TrlBatch {
  /** Prompts: strings or chat messages. */
  prompts?: (string | ChatMessage[])[];
  /** Completions: strings or chat messages (the last message's content is scored). */
  completions: (string | ChatMessage[])[];
  /** Dataset columns, one list each. */
  [column: string]: unknown;
}

/**
 * Map a TRL batch to rollouts. `referenceColumn` names the dataset column with the ground truth
 * (default: the first of `solution`, `answer`, `ground_truth`, `reference` present); `taskColumn`
 * the column that routes (default `task` when present). Other columns go to `meta`.
 */
export function fromTrl(batch: TrlBatch, options: { referenceColumn?: string; taskColumn?: string } = {}): Rollout[] {
  if (!Array.isArray(batch?.completions)) throw new RewardError('INVALID_INPUT', 'TRL batch needs a "completions" list');
  const referenceColumn = options.referenceColumn ?? ['solution', 'answer', 'ground_truth', 'reference'].find((name) => Array.isArray(batch[name]));
  const taskColumn = options.taskColumn ?? (Array.isArray(batch.task) ? 'task' : undefined);
  const columns = Object.keys(batch).filter((key) => key !== 'prompts' && key !== 'completions' && key !== referenceColumn && key !== taskColumn && Array.isArray(batch[key]));
  return batch.completions.map((completion, index) => {
    const rollout: Rollout = { completion: completionText(completion, index) };
    const prompt = batch.prompts?.[index];
    if (prompt !== undefined) rollout.prompt = prompt;
    if (referenceColumn) rollout.reference = (batch[referenceColumn] as unknown[])[index];
    if (taskColumn) rollout.task = String((batch[taskColumn] as unknown[])[index]);
    const meta: Record<string, unknown> = {};
    for (const column of columns) meta[column] = (batch[column] as unknown[])[index];
    rollout.meta = meta;
    return rollout;
  });
}

/**
 * Map results to TRL's return: a float per completion, `None` (null) where the reward abstains
 * (`skipped`; TRL ignores a None reward in its weighted sum). An `error` or `timeout` result throws
 * a {@link RewardError}, so the fault surfaces in the training loop instead of as an abstention.
 * @throws RewardError when any result is `error` or `timeout`
 */
export function toTrl(results: readonly RewardResult[]): (number | null)[] {
  const fault = faultOf(results, 'TRL');
  if (fault) throw fault;
  return results.map((result) => (result.status === 'ok' ? (result.reward as number) : null));
}

function completionText(completion: string | ChatMessage[], index: number): string {
  if (typeof completion === 'string') return completion;
  if (Array.isArray(completion)) {
    const last = completion[completion.length - 1];
    if (last && typeof last.content === 'string') return last.content;
    if (last && Array.isArray(last.content)) {
      return last.content.map((part: unknown) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
    }
  }
  throw new RewardError('INVALID_INPUT', `completions[${index}] must be a string or chat messages`);
}

/**
 * Normalise one JSONL record to a rollout: a rollout passes through; a verl-shaped record
 * (`solution_str`) or a TRL-shaped one (`completions` is not used per line) is mapped.
 */
export function toRollout(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return record;
  const value = record as Record<string, unknown>;
  if (value.completion === undefined && typeof value.solution_str === 'string') return { ...fromVerl(value as unknown as VerlSample), ...pickId(value) };
  if (value.completion === undefined && typeof value.response === 'string') return { ...value, completion: value.response };
  return record;
}

function pickId(value: Record<string, unknown>): { id?: string | number } {
  return typeof value.id === 'string' || typeof value.id === 'number' ? { id: value.id } : {};
}
