/** One chat message, when a prompt is given as messages. */
export interface ChatMessage {
  /** `system`, `user`, `assistant` or `tool`. */
  role: string;
  /** The text of the message (multimodal parts are kept as the trainer sent them). */
  content: unknown;
}

/** Media a rollout refers to: paths relative to the input file or absolute. */
export interface RolloutMedia {
  /** Image paths, in prompt order. */
  images?: string[];
  /** A video path. */
  video?: string;
  /** Anything else a reward documents. */
  [key: string]: unknown;
}

/**
 * One rollout: one JSON object, one line of a JSONL file.
 * `completion` is required; every other field is optional and documented by the reward that reads it.
 */
export interface Rollout {
  /** A caller-chosen id, echoed in the result. */
  id?: string | number;
  /** Routes the rollout in a Mixed-Reward config (`route`). */
  task?: string;
  /** The prompt: text or chat messages. */
  prompt?: string | ChatMessage[];
  /** The model's output to score. Required. */
  completion: string;
  /** Ground truth in whatever shape the reward documents (string, number, boxes, tests…). */
  reference?: unknown;
  /** Images and video the rollout refers to. */
  media?: RolloutMedia;
  /** Free-form metadata; `meta.group` groups the rollouts of one prompt. */
  meta?: Record<string, unknown>;
  /** The group id (alternative to `meta.group`). */
  group?: string | number;
  /** Trainer-specific fields are kept as they came. */
  [key: string]: unknown;
}

/** How a reward ended for one rollout. */
export type RewardStatus = 'ok' | 'skipped' | 'error' | 'timeout';

/** The result of scoring one rollout. */
export interface RewardResult {
  /** The reward for `ok`, `null` for every other status. Range depends on the reward (most are in [0, 1]). */
  reward: number | null;
  /** `ok`, `skipped` (does not apply / unusable reference), `error` (a fault) or `timeout`. */
  status: RewardStatus;
  /** Every named sub-score (metric-only ones included); `null` for a component that did not score. */
  components?: Record<string, number | null>;
  /** Why: what was compared, what failed, which setting to fix. */
  reason?: string;
  /** Step-level (process) rewards, one per reasoning step, where a reward produces them. */
  steps?: number[];
  /** For `error`/`timeout`: the fault code and the component that failed, when known. */
  error?: { code: string; component?: string };
}

/** A rollout with its result merged in, as the CLI writes it. */
export type ScoredRollout = Rollout & RewardResult;
