/**
 * Math rewards for mixreward: `math.verify` (final-answer extraction and a fast symbolic/numeric
 * equivalence check with a CAS only where needed), `math.arithmetic` (every explicit computation
 * in the reasoning recomputed) and `math.prm` (step scores from a process reward model).
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { mathArithmeticPlugin } from './arithmetic-reward.js';
import { mathPrmPlugin } from './prm-reward.js';
import { mathVerifyPlugin } from './verify-reward.js';

export { mathVerifyPlugin, createMathVerifyReward, type MathVerifyOptions } from './verify-reward.js';
export { mathArithmeticPlugin, createMathArithmeticReward, type MathArithmeticOptions } from './arithmetic-reward.js';
export { mathPrmPlugin, createMathPrmReward, type MathPrmOptions } from './prm-reward.js';
export { verifyAnswer, defaultVerifySettings, type VerifyInput, type VerifyOutcome, type VerifySettings } from './verify.js';
export { extractAnswers, type ExtractedAnswers, type AnswerSource, type BoxedSelection, type ExtractionSettings } from './extract.js';
export type { PercentMode } from './equivalence.js';

/** Every reward of this package, for registration in an application. */
export const plugins: RewardPlugin[] = [mathVerifyPlugin, mathArithmeticPlugin, mathPrmPlugin];
