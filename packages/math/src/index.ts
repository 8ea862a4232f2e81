/**
 * Math rewards for mixreward: `math.verify` (final-answer extraction and a fast symbolic/numeric
 * equivalence check with a CAS only where needed) and `math.arithmetic` (every explicit computation
 * in the reasoning recomputed) and `math.prm` (step scores from a process reward model).
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { arithmeticPlugin } from './arithmetic-plugin.js';
import { prmPlugin } from './prm-plugin.js';
import { verifyPlugin } from './verify-plugin.js';

export * from './ast.js';
export * from './latex-parse.js';
export * from './evaluate.js';
export * from './equivalence.js';
export * from './extract.js';
export * from './cas.js';
export * from './verify.js';
export * from './verify-plugin.js';
export * from './arithmetic-plugin.js';
export * from './step-split.js';
export * from './prm-plugin.js';

/** Every reward of this package, for registration in an application. */
export const plugins: RewardPlugin[] = [verifyPlugin, arithmeticPlugin, prmPlugin] as unknown as RewardPlugin[];
