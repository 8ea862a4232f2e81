/**
 * Finance rewards: numeric answers with scale, currency, percent and basis points (FinQA,
 * DianJin-R1), option-letter sets (CFLUE), DianJin-R1's format, checked financial arithmetic and
 * process rewards (Fin-PRM).
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { financeChoicePlugin } from './choice-reward.js';
import { financeNumericPlugin } from './numeric-reward.js';

export { financeChoicePlugin, createFinanceChoiceReward, readLetters, type FinanceChoiceOptions } from './choice-reward.js';
export { financeNumericPlugin, createFinanceNumericReward, compareFigures, currenciesCompatible, type FinanceNumericOptions } from './numeric-reward.js';
export { scanFigures, figureItems, normalizeFigureText, type Figure, type FigureItem, type FigureKind, type NumberLocale } from './figure-parse.js';
export { finalFigure, describeItem, type FinalFigure } from './figure-answer.js';

/** Every reward of this package, for a registry. */
export const plugins: RewardPlugin[] = [financeNumericPlugin, financeChoicePlugin];
