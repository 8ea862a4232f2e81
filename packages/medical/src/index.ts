/**
 * Medical rewards: clinical multiple choice (MedQA/MedMCQA), yes/no/maybe (PubMedQA), concept
 * checklists with negation (NegEx), and discriminative semantic scores that resist reward collapse
 * (ARMed).
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { medicalChoicePlugin } from './choice-reward.js';
import { medicalConceptsPlugin } from './concepts-reward.js';
import { medicalSemanticPlugin } from './semantic-reward.js';
import { medicalYesnoPlugin } from './yesno-reward.js';

export { medicalChoicePlugin, createMedicalChoiceReward, readChoiceAnswer, type MedicalChoiceOptions, type ChoiceAnswer } from './choice-reward.js';
export { medicalYesnoPlugin, createMedicalYesnoReward, readYesNo, type MedicalYesNoOptions, type YesNoLabel, type YesNoReading } from './yesno-reward.js';
export { medicalConceptsPlugin, createMedicalConceptsReward, type MedicalConceptsOptions } from './concepts-reward.js';
export { medicalSemanticPlugin, createMedicalSemanticReward, spreadGroup, DEFAULT_ANCHORS, type MedicalSemanticOptions } from './semantic-reward.js';
export { isNegated, NEGATION_WINDOW } from './negation.js';
export { optionsFromPrompt, type OptionTexts } from './choice-options.js';

/** Every reward of this package, for a registry. */
export const plugins: RewardPlugin[] = [medicalChoicePlugin, medicalYesnoPlugin, medicalConceptsPlugin, medicalSemanticPlugin];
