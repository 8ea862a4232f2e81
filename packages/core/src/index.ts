/**
 * The mixreward contract: rollouts and results, the plugin interface, the registry, the batch
 * runner, the worker pool, the Mixed-Reward composer and config loader, and the generic rewards.
 *
 * The names below are the whole public surface (listed explicitly, no `export *`): what a user
 * scoring rollouts needs (composer, config, registry, generic rewards, trainer adapters) and what a
 * plugin author needs (the plugin contract, result helpers, errors, shared text and loading
 * helpers). Everything else in `src/` is internal.
 * @packageDocumentation
 */

// The data that flows, and faults.
export type { ChatMessage, RolloutMedia, Rollout, RewardStatus, RewardResult, ScoredRollout } from './types.js';
export { RewardError, errorMessage, type RewardErrorCode } from './errors.js';

// The plugin contract and what a plugin author builds with.
export {
  definePlugin,
  createScorer,
  parseOptions,
  perRollout,
  concurrentPerRollout,
  silentLogger,
  type RewardPlugin,
  type Scorer,
  type ScoreContext,
  type CreateContext,
  type Logger,
} from './plugin.js';
export { ok, skipped, failed, timedOut, type ResultDetails } from './results.js';
export { lastTagContent, answerText, referenceText, promptText } from './text-extract.js';
export { loadOptionalModule, editDistance, resolveMediaPath, type LoadOptionalModuleOptions } from './shared-loaders.js';
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions, type WorkerTaskOptions } from './worker-pool.js';
export { eachOf, runInBatches, type RunInBatchesOptions, type SettledTask } from './worker-batches.js';
export { loadTokenizer } from './length-count.js';
export { checkArithmetic, type ArithmeticCheckOptions, type ArithmeticComputation, type ArithmeticReport } from './arithmetic.js';

// Registry, runner, configs and the composer.
export { createRegistry, type Registry } from './registry.js';
export { runBatch, groupOf, type RunOptions, type ProgressEvent } from './runner.js';
export {
  validateConfig,
  parseConfigText,
  loadConfig,
  configJsonSchema,
  type ComponentConfig,
  type MixNode,
  type TransformNode,
  type ConfigSettings,
  type MixConfig,
  type ValidatedConfig,
  type CompiledNode,
} from './config.js';
export type { FormulaAst } from './formula.js';
export { createComposer, type Composer, type ComposerOptions, type ComposeRunOptions } from './composer.js';

// The generic rewards.
export { plugins } from './generic-plugins.js';
export { formatTagsPlugin, createFormatTagsReward, checkTags, type FormatTagsOptions, type TagCheck } from './format-tags-reward.js';
export { formatRegexPlugin, createFormatRegexReward, type FormatRegexOptions } from './format-regex-reward.js';
export { matchExactPlugin, createMatchExactReward, type MatchExactOptions } from './match-exact-reward.js';
export { matchChoicePlugin, createMatchChoiceReward, extractChoices, type MatchChoiceOptions } from './match-choice-reward.js';
export { lengthCosinePlugin, createLengthCosineReward, cosineScaled, type LengthCosineOptions } from './length-cosine-reward.js';
export { lengthOverlongPlugin, createLengthOverlongReward, overlongPenalty, type LengthOverlongOptions } from './length-overlong-reward.js';
export { repetitionNgramPlugin, createRepetitionNgramReward, ngramRepetition, type RepetitionNgramOptions } from './repetition-ngram-reward.js';

// Trainer adapters (verl, OpenRLHF, TRL).
export {
  fromVerl,
  toVerl,
  fromOpenRlhf,
  toOpenRlhf,
  fromTrl,
  toTrl,
  toRollout,
  httpStatusOf,
  type VerlSample,
  type VerlScore,
  type OpenRlhfRequest,
  type OpenRlhfResponse,
  type TrlBatch,
} from './adapters.js';
