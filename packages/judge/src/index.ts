/**
 * LLM-judge rewards: reference-based generative verifiers (`judge.verify`) and rubric rewards
 * (`judge.rubric`, `judge.pairwise`) over any OpenAI-compatible server (vLLM, SGLang, a hosted API), with answers that
 * would fool a judge screened out before any call.
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { judgePairwisePlugin } from './pairwise-reward.js';
import { judgeRubricPlugin } from './rubric-reward.js';
import { judgeVerifyPlugin } from './verify-reward.js';

export { judgeVerifyPlugin, createJudgeVerifyReward, type JudgeVerifyOptions } from './verify-reward.js';
export { judgeRubricPlugin, createJudgeRubricReward, parseRubricReply, weightedRubricScore, type JudgeRubricOptions } from './rubric-reward.js';
export { judgePairwisePlugin, createJudgePairwiseReward, parsePreference, pairOutcome, type JudgePairwiseOptions } from './pairwise-reward.js';
export { screenAnswer, extractFinalAnswer, type EchoContext } from './hardening.js';
export { VERIFY_TEMPLATES, parseVerdict, probabilityOfYes, type VerifyTemplate } from './templates.js';
export { retryAfterMs, type TokenLogprob } from './judge-client.js';

/** Every reward of this package, for a registry. */
export const plugins: RewardPlugin[] = [judgeVerifyPlugin, judgeRubricPlugin, judgePairwisePlugin];
