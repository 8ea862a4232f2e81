/**
 * `medical.concepts`: a checklist of required clinical concepts (each with synonyms and
 * abbreviations), negation-aware, with a penalty for recommending forbidden ones.
 */
import { z } from 'zod';
import { RewardError, createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { withoutThinking } from './answer-region.js';
import { NEGATION_WINDOW, isNegated } from './negation.js';

const conceptsOptionsSchema = z
  .object({
    negation_window: z.number().int().min(1).max(20).default(NEGATION_WINDOW).describe(`Words searched on each side of a mention for a negation trigger (NegEx), 1-20 (default ${NEGATION_WINDOW}).`),
    forbidden_penalty: z.number().min(0).max(1).default(0.5).describe('Reward subtracted per forbidden concept the answer recommends (mentioned, not negated), 0-1 (default 0.5); the reward never goes below 0.'),
    include_thinking: z.boolean().default(false).describe('Count mentions inside <think> blocks (default false: only the visible answer counts).'),
  })
  .strict();

/** Options of `medical.concepts`, as written in a config. */
export type MedicalConceptsOptions = z.input<typeof conceptsOptionsSchema>;

/** One concept: its names (synonyms, abbreviations). */
type Concept = string[];

interface ConceptReference {
  concepts: Concept[];
  forbidden: Concept[];
}

function conceptList(value: unknown, field: string): Concept[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RewardError('INVALID_REFERENCE', `medical.concepts: "${field}" must be a list of concepts (each a name or a list of synonyms)`);
  return value.map((concept, index) => {
    const names = typeof concept === 'string' ? [concept] : Array.isArray(concept) ? concept : undefined;
    if (!names || names.length === 0 || !names.every((name) => typeof name === 'string' && name.trim().length > 0)) {
      throw new RewardError('INVALID_REFERENCE', `medical.concepts: ${field}[${index}] must be a non-empty name or list of names, got ${JSON.stringify(concept)?.slice(0, 60)}`);
    }
    return (names as string[]).map((name) => name.trim());
  });
}

function readReference(reference: unknown): ConceptReference {
  if (Array.isArray(reference)) return { concepts: conceptList(reference, 'reference'), forbidden: [] };
  if (typeof reference === 'object' && reference !== null) {
    const record = reference as Record<string, unknown>;
    const concepts = conceptList(record.concepts, 'concepts');
    if (concepts.length === 0) throw new RewardError('INVALID_REFERENCE', 'medical.concepts needs at least one required concept in "concepts"');
    return { concepts, forbidden: conceptList(record.forbidden, 'forbidden') };
  }
  throw new RewardError('INVALID_REFERENCE', `medical.concepts needs {"concepts": [[name, synonym, …], …], "forbidden"?: […]} or a list of concepts, got ${JSON.stringify(reference)?.slice(0, 60) ?? String(reference)}`);
}

const patternCache = new Map<string, RegExp>();

/**
 * The pattern of one concept name: whole words only; an abbreviation (a short name with no lower
 * case letter: "MI", "CHF", "T2DM") matches case-sensitively so "mi" in prose or "MIDAS" is not MI;
 * other names match in any case, with any whitespace or hyphen between words.
 */
function namePattern(name: string): RegExp {
  let pattern = patternCache.get(name);
  if (!pattern) {
    const abbreviation = name.length <= 6 && !/\p{Ll}/u.test(name);
    const body = name
      .split(/[\s-]+/)
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join(String.raw`[\s-]+`);
    pattern = new RegExp(String.raw`(?<![\p{L}\p{N}])${body}s?(?![\p{L}\p{N}])`, abbreviation ? 'gu' : 'giu');
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(name, pattern);
  }
  return pattern;
}

/** A concept's mentions in a text: how many, and how many of them are not negated. */
function mentions(text: string, concept: Concept, window: number): { total: number; affirmed: number } {
  let total = 0;
  let affirmed = 0;
  for (const name of concept) {
    const pattern = namePattern(name);
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      total++;
      if (!isNegated(text, match.index, match.index + match[0].length, window)) affirmed++;
      if (total > 200) return { total, affirmed };
    }
  }
  return { total, affirmed };
}

/** `medical.concepts`: covered share of required concepts, negation-aware, minus a penalty per recommended forbidden concept. */
export const medicalConceptsPlugin = definePlugin({
  name: 'medical.concepts',
  description: 'Checklist of required clinical concepts (synonyms, abbreviations), negated mentions do not count, recommending a forbidden concept costs a penalty.',
  follows: 'nugget/checklist rewards (HealthBench-style rubrics); NegEx negation (Chapman et al., 2001)',
  reference: '{"concepts": [["myocardial infarction", "MI", "heart attack"], …], "forbidden"?: [["warfarin"]]} or a list of concepts',
  options: conceptsOptionsSchema,
  batchSize: 512,
  create(settings) {
    return perRollout((rollout) => {
      if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: medical.concepts needs rollout.reference ({"concepts": [[name, synonym, …], …]})');
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const reference = readReference(rollout.reference);
      const text = settings.include_thinking ? rollout.completion : withoutThinking(rollout.completion);
      const covered: string[] = [];
      const negatedOnly: string[] = [];
      const missing: string[] = [];
      for (const concept of reference.concepts) {
        const found = mentions(text, concept, settings.negation_window);
        if (found.affirmed > 0) covered.push(concept[0] as string);
        else if (found.total > 0) negatedOnly.push(concept[0] as string);
        else missing.push(concept[0] as string);
      }
      const recommended = reference.forbidden.filter((concept) => mentions(text, concept, settings.negation_window).affirmed > 0).map((concept) => concept[0] as string);
      const coverage = covered.length / reference.concepts.length;
      const reward = Math.max(0, coverage - settings.forbidden_penalty * recommended.length);
      const parts = [`covered ${covered.length}/${reference.concepts.length}${covered.length > 0 ? ` (${covered.join(', ')})` : ''}`];
      if (negatedOnly.length > 0) parts.push(`negated only: ${negatedOnly.join(', ')}`);
      if (missing.length > 0) parts.push(`missing: ${missing.join(', ')}`);
      if (recommended.length > 0) parts.push(`forbidden recommended: ${recommended.join(', ')} (-${settings.forbidden_penalty} each)`);
      return ok(reward, { components: { coverage, forbidden: recommended.length }, reason: parts.join('; ') });
    });
  },
});

/**
 * Make a `medical.concepts` scorer.
 * @param options the reward's options (all optional)
 * @param context unused by this rule-based reward
 */
export function createMedicalConceptsReward(options: MedicalConceptsOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(medicalConceptsPlugin, options, context);
}
