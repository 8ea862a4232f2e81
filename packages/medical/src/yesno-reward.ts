/**
 * `medical.yesno`: PubMedQA's yes / no / maybe, with negations read as what they mean.
 */
import { z } from 'zod';
import { RewardError, createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { findAnswerRegion, withoutThinking } from './answer-region.js';

const yesnoOptionsSchema = z
  .object({
    answer_tag: z.string().min(1).default('answer').describe('The tag whose content is the answer when present (default "answer").'),
  })
  .strict();

/** Options of `medical.yesno`, as written in a config. */
export type MedicalYesNoOptions = z.input<typeof yesnoOptionsSchema>;

/** A PubMedQA label. */
export type YesNoLabel = 'yes' | 'no' | 'maybe';

// Cues that mean "no" although they hold no "no" label word, or hold "no" as a determiner.
const NO_CUES = [
  String.raw`\bnot\s+(?:statistically\s+)?significant(?:ly)?\b`,
  String.raw`\bno\s+(?:statistically\s+)?(?:significant\s+)?(?:evidence|difference|association|effect|benefit|improvement|correlation|relationship|impact|link|increase|reduction|change)\b`,
  String.raw`\b(?:was|were|is|are|did|does|do)\s+not\s+(?:associated|correlated|linked|related|effective|improve[sd]?|reduce[sd]?|increase[sd]?|predict(?:ive)?|beneficial|superior|significant)\b`,
  String.raw`\b(?:did|does|do)n[’']?t\s+(?:improve|reduce|increase|predict|affect|change)\b`,
  String.raw`\bfailed\s+to\s+(?:show|demonstrate|improve|reduce|find)\b`,
  String.raw`\bnot\s+(?:associated|correlated|supported|effective|beneficial)\b`,
];
const MAYBE_CUES = [
  String.raw`\bcannot\s+(?:be\s+)?(?:conclude|concluded|determine|determined|say|establish|established)\b`,
  String.raw`\bcan[’']?t\s+(?:conclude|determine|say)\b`,
  String.raw`\b(?:inconclusive|uncertain|unclear|equivocal|undetermined)\b`,
  String.raw`\binsufficient\s+(?:evidence|data)\b`,
  String.raw`\b(?:it\s+)?depends\b`,
  String.raw`\bpossibly\b|\bperhaps\b`,
];
const noCue = new RegExp(NO_CUES.join('|'), 'i');
const maybeCue = new RegExp(MAYBE_CUES.join('|'), 'i');
const LABEL = /\b(yes|no|maybe)\b(?!\s+(?:evidence|difference|association|effect|benefit|improvement|correlation|relationship|impact|link|significant|increase|reduction|change|longer|more|less)\b)/gi;
const HEDGE = /\b(yes|no|maybe)\s*(?:\/|\bor\b|,\s*or\b)\s*(yes|no|maybe)\b|\beither\s+(yes|no|maybe)\b/i;

/** What a text says, as a PubMedQA label. */
export interface YesNoReading {
  /** The label, or undefined when none can be read (or two conflict). */
  label?: YesNoLabel;
  /** Why no label was read, when there is none. */
  problem?: string;
}

/**
 * Read a yes/no/maybe answer from a short text: an explicit label word first ("Yes.", "Answer: no"),
 * then negation and uncertainty cues ("no significant difference" -> no, "cannot conclude" ->
 * maybe). A hedge across labels ("yes or no", "yes/maybe") and a "yes" contradicted by a negative
 * cue in the same text are not answers.
 */
export function readYesNo(text: string): YesNoReading {
  const hedge = HEDGE.exec(text);
  if (hedge) {
    const pair = [hedge[1], hedge[2], hedge[3]].filter(Boolean).map((label) => (label as string).toLowerCase());
    if (new Set(pair).size > 1 || hedge[3]) return { problem: `a hedge across labels ("${hedge[0]}")` };
  }
  const labels = new Set<YesNoLabel>();
  for (const match of text.matchAll(LABEL)) labels.add((match[1] as string).toLowerCase() as YesNoLabel);
  const negative = noCue.test(text);
  const uncertain = maybeCue.test(text);
  if (labels.size > 1) return { problem: `several labels (${[...labels].join(', ')})` };
  if (labels.size === 1) {
    const label = [...labels][0] as YesNoLabel;
    if (label === 'yes' && negative) return { problem: '"yes" contradicted by a negative finding in the same answer' };
    if (label === 'yes' && uncertain) return { problem: '"yes" hedged by an uncertain finding in the same answer' };
    return { label };
  }
  if (negative && uncertain) return { problem: 'both a negative and an uncertain finding' };
  if (negative) return { label: 'no' };
  if (uncertain) return { label: 'maybe' };
  return { problem: 'no yes/no/maybe answer' };
}

function referenceLabel(reference: unknown): YesNoLabel {
  const value = typeof reference === 'object' && reference !== null && !Array.isArray(reference) ? ((reference as Record<string, unknown>).answer ?? (reference as Record<string, unknown>).final_decision) : reference;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : typeof value === 'boolean' ? (value ? 'yes' : 'no') : '';
  if (text === 'yes' || text === 'no' || text === 'maybe') return text;
  throw new RewardError('INVALID_REFERENCE', `medical.yesno needs "yes", "no" or "maybe" (or {"answer": …} / PubMedQA's {"final_decision": …}), got ${JSON.stringify(reference)?.slice(0, 60) ?? String(reference)}`);
}

/** `medical.yesno`: PubMedQA yes/no/maybe with negation handled; hedges earn nothing. */
export const medicalYesnoPlugin = definePlugin({
  name: 'medical.yesno',
  description: 'PubMedQA yes/no/maybe: explicit labels first, then negation ("no significant difference" is no) and uncertainty cues; hedges earn nothing.',
  follows: 'PubMedQA (Jin et al., 2019) labels; Gazal-R1 / MedVLThinker accuracy reward',
  reference: '"yes" | "no" | "maybe" (or {"answer": …}, PubMedQA\'s {"final_decision": …}, a boolean)',
  options: yesnoOptionsSchema,
  batchSize: 1024,
  create(settings) {
    return perRollout((rollout) => {
      if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: medical.yesno needs rollout.reference ("yes", "no" or "maybe")');
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const expected = referenceLabel(rollout.reference);
      const region = findAnswerRegion(rollout.completion, settings.answer_tag);
      if (!region) return ok(0, { reason: `no answer; reference ${expected}` });
      let reading = readYesNo(region.text);
      let where = `the ${region.source.replace('_', ' ')}`;
      if (!reading.label && region.source === 'last_line') {
        // PubMedQA answers often open with the label: "Yes. The trial shows …".
        const visible = withoutThinking(rollout.completion).trim();
        const opening = /^\W*(yes|no|maybe)\b[.,:;!]/i.exec(visible);
        if (opening) {
          reading = readYesNo((visible.split(/(?<=[.!?])\s/)[0] ?? visible).slice(0, 400));
          where = 'the opening sentence';
        }
      }
      if (!reading.label) return ok(0, { reason: `${reading.problem ?? 'no label'} in ${where}; reference ${expected}` });
      return ok(reading.label === expected ? 1 : 0, { reason: `answered ${reading.label} (${where}); reference ${expected}` });
    });
  },
});

/**
 * Make a `medical.yesno` scorer.
 * @param options the reward's options (all optional)
 * @param context unused by this rule-based reward
 */
export function createMedicalYesnoReward(options: MedicalYesNoOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(medicalYesnoPlugin, options, context);
}
