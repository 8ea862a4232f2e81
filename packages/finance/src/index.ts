/**
 * Finance rewards: numeric answers with scale, currency, percent and basis points (FinQA,
 * DianJin-R1), option-letter sets (CFLUE), DianJin-R1's format, checked financial arithmetic and
 * process rewards (Fin-PRM).
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { financeChoicePlugin } from './choice-reward.js';
import { financeFormatPlugin } from './format-reward.js';
import { financeArithmeticPlugin } from './arithmetic-reward.js';
import { financeNumericPlugin } from './numeric-reward.js';
import { financePrmPlugin } from './prm-reward.js';

export { financeChoicePlugin, createFinanceChoiceReward, readLetters, type FinanceChoiceOptions } from './choice-reward.js';
export { financeFormatPlugin, createFinanceFormatReward, type FinanceFormatOptions } from './format-reward.js';
export { financeArithmeticPlugin, createFinanceArithmeticReward, checkFinanceArithmetic, type FinanceArithmeticOptions, type FinanceCheck } from './arithmetic-reward.js';
export { financePrmPlugin, createFinancePrmReward, splitSteps, type FinancePrmOptions } from './prm-reward.js';
export { financeNumericPlugin, createFinanceNumericReward, compareFigures, currenciesCompatible, type FinanceNumericOptions } from './numeric-reward.js';
export { scanFigures, figureItems, normalizeFigureText, type Figure, type FigureItem, type FigureKind, type NumberLocale } from './figure-parse.js';
export { finalFigure, describeItem, type FinalFigure } from './figure-answer.js';

/** Every reward of this package, for a registry. */
export const plugins: RewardPlugin[] = [financeNumericPlugin, financeChoicePlugin, financeFormatPlugin, financeArithmeticPlugin, financePrmPlugin];
