/**
 * `finance.numeric`: the final figure equals the reference, with scale, currency, percent, basis
 * points, multiples and ranges understood (FinQA / DianJin-R1 answer correctness).
 */
import { z } from 'zod';
import { RewardError, createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { describeItem, finalFigure } from './figure-answer.js';
import { figureItems, scanFigures, type Figure, type FigureItem } from './figure-parse.js';

const numericOptionsSchema = z
  .object({
    compare: z
      .enum(['relative', 'absolute', 'precision'])
      .default('relative')
      .describe('"relative" (default): |pred - ref| <= tolerance x |ref| (exact when ref is 0); "absolute": |pred - ref| <= tolerance, in the reference\'s unit; "precision": equal when rounded to the decimals the reference shows.'),
    tolerance: z.number().min(0).default(0.01).describe('Relative tolerance as a fraction (default 0.01 = 1% of |ref|) or, with compare "absolute", an absolute one in the reference\'s unit (percent points for a percent).'),
    locale: z.enum(['auto', 'us', 'eu', 'ch', 'in']).default('auto').describe('How to read 1.234 and 1,234 when the shape leaves a doubt: "auto" (default: US, but 1.234,56 and 1,5 read as European), "us", "eu" (1.234 = 1234; 1,234 = 1.234), "ch", "in".'),
    answer_tag: z.string().min(1).default('answer').describe('The tag whose content is the answer when present (default "answer").'),
  })
  .strict();

/** Options of `finance.numeric`, as written in a config. */
export type FinanceNumericOptions = z.input<typeof numericOptionsSchema>;
type Settings = z.output<typeof numericOptionsSchema>;

interface NumericReference {
  item: FigureItem;
  compare?: Settings['compare'];
  tolerance?: number;
}

const referenceCache = new Map<string, FigureItem>();

function parseReferenceText(text: string, settings: Settings): FigureItem {
  const key = `${settings.locale}\u0000${text}`;
  const cached = referenceCache.get(key);
  if (cached) return cached;
  const item = parseReferenceTextUncached(text, settings);
  if (referenceCache.size >= 4096) referenceCache.delete(referenceCache.keys().next().value as string);
  referenceCache.set(key, item);
  return item;
}

function parseReferenceTextUncached(text: string, settings: Settings): FigureItem {
  const items = figureItems(scanFigures(text, settings.locale));
  if (items.length !== 1) throw new RewardError('INVALID_REFERENCE', `finance.numeric needs one figure or range as the reference, got ${JSON.stringify(text).slice(0, 80)}`);
  return items[0] as FigureItem;
}

function readReference(reference: unknown, settings: Settings): NumericReference {
  if (typeof reference === 'number') {
    if (!Number.isFinite(reference)) throw new RewardError('INVALID_REFERENCE', `finance.numeric: the reference ${reference} is not a finite number`);
    return { item: { kind: 'single', figure: { value: reference, kind: 'number', scale: 1, decimals: decimalsOf(reference), text: String(reference), start: 0, end: 0, yearLike: false } } };
  }
  if (typeof reference === 'string') return { item: parseReferenceText(reference, settings) };
  if (typeof reference === 'object' && reference !== null && !Array.isArray(reference)) {
    const record = reference as Record<string, unknown>;
    const value = record.value;
    let item: FigureItem;
    if (typeof value === 'number' && Number.isFinite(value)) {
      const unit = typeof record.unit === 'string' ? record.unit : '';
      item = unit ? parseReferenceText(`${value} ${unit}`, { ...settings, locale: 'us' }) : { kind: 'single', figure: { value, kind: 'number', scale: 1, decimals: decimalsOf(value), text: String(value), start: 0, end: 0, yearLike: false } };
    } else if (typeof value === 'string') item = parseReferenceText(typeof record.unit === 'string' ? `${value} ${record.unit}` : value, settings);
    else throw new RewardError('INVALID_REFERENCE', 'finance.numeric: a reference object needs "value" (a number or a figure as text)');
    const out: NumericReference = { item };
    if (typeof record.tolerance === 'number' && record.tolerance >= 0) out.tolerance = record.tolerance;
    if (record.compare === 'relative' || record.compare === 'absolute' || record.compare === 'precision') out.compare = record.compare;
    return out;
  }
  throw new RewardError('INVALID_REFERENCE', `finance.numeric needs a figure ("$1.2 million", 1200000, "12.5%", "10%-12%") or {"value": …, "unit"?, "tolerance"?}, got ${JSON.stringify(reference)?.slice(0, 60) ?? String(reference)}`);
}

function decimalsOf(value: number): number {
  const text = String(value);
  const at = text.indexOf('.');
  return at < 0 || text.includes('e') ? 0 : text.length - at - 1;
}

const DOLLARS = new Set(['USD', 'CAD', 'AUD', 'HKD', 'SGD', 'NZD']);

/** True when two stated currencies can be the same: `$` is any dollar, `¥` is yen or yuan. */
export function currenciesCompatible(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a === b) return true;
  const fits = (symbol: string, code: string) => (symbol === '$' && DOLLARS.has(code)) || (symbol === '¥' && (code === 'JPY' || code === 'CNY'));
  return fits(a, b) || fits(b, a);
}

function within(predicted: number, reference: Figure, settings: { compare: Settings['compare']; tolerance: number }, basis: 'value' | 'fraction'): boolean {
  const target = basis === 'fraction' ? reference.value / 100 : reference.value;
  if (settings.compare === 'precision') {
    const unit = reference.kind === 'percent' || basis === 'fraction' ? 1 : reference.scale;
    const decimals = basis === 'fraction' ? reference.decimals + 2 : reference.decimals;
    const round = (value: number) => Math.round((value / unit) * 10 ** decimals);
    return round(predicted) === round(target);
  }
  if (settings.compare === 'absolute') {
    const tolerance = basis === 'fraction' ? settings.tolerance / 100 : settings.tolerance;
    return Math.abs(predicted - target) <= tolerance + 1e-12 * Math.abs(target);
  }
  if (target === 0) return Math.abs(predicted) <= 1e-12;
  return Math.abs(predicted - target) <= settings.tolerance * Math.abs(target) * (1 + 1e-12);
}

/**
 * Compare one predicted figure with one reference figure. A percent reference accepts the same
 * percent, the bare number (`12.5`) and the fraction (`0.125`); a plain reference accepts a percent
 * whose number or fraction equals it (`12.5%` for `12.5`, `15%` for `0.15`, never `15%` for `0.015`);
 * a multiple (`4.2x`) equals the plain number 4.2.
 *
 * @returns undefined when equal, else why not
 */
export function compareFigures(predicted: Figure, reference: Figure, settings: { compare: Settings['compare']; tolerance: number }): string | undefined {
  if (!currenciesCompatible(predicted.currency, reference.currency)) return `currency ${predicted.currency} is not the reference's ${reference.currency}`;
  if (reference.kind === 'percent') {
    if (predicted.kind === 'multiple') return 'a multiple where a percent is asked';
    if (within(predicted.value, reference, settings, 'value')) return undefined;
    if (predicted.kind === 'number' && within(predicted.value, reference, settings, 'fraction')) return undefined;
    return 'not equal';
  }
  if (predicted.kind === 'percent' && reference.kind === 'multiple') return 'a percent where a multiple is asked';
  if (predicted.kind === 'percent') {
    if (within(predicted.value, reference, settings, 'value')) return undefined;
    if (within(predicted.value / 100, reference, settings, 'value')) return undefined;
    return 'not equal';
  }
  if (reference.kind === 'multiple' && predicted.kind === 'number' && predicted.currency !== undefined) return 'an amount where a multiple is asked';
  return within(predicted.value, reference, settings, 'value') ? undefined : 'not equal';
}

/** `finance.numeric`: the final figure equals the reference within the documented tolerance. */
export const financeNumericPlugin = definePlugin({
  name: 'finance.numeric',
  description: 'The final figure equals the reference: scale words, currencies, separators of several locales, percent, basis points, multiples and ranges; 1% relative tolerance by default.',
  follows: 'DianJin-R1 answer correctness on FinQA-style numbers; FinQA numeric answers',
  reference: '"$1.2 million", 1200000, "12.5%", "-50 bps", "(1,234)", "10%-12%", or {"value": …, "unit"?: "USD", "tolerance"?: …, "compare"?: …}',
  options: numericOptionsSchema,
  batchSize: 1024,
  create(settings) {
    const ruleOf = (compare: Settings['compare'], tolerance: number) => (compare === 'relative' ? `within ${tolerance * 100}% of the reference` : compare === 'absolute' ? `within ${tolerance} of the reference` : 'at the reference\'s precision');
    // Most references carry no settings of their own: their rule text is made once.
    const defaultRule = ruleOf(settings.compare, settings.tolerance);
    return perRollout((rollout) => {
      if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: finance.numeric needs rollout.reference (the figure)');
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const reference = readReference(rollout.reference, settings);
      const compareSettings = { compare: reference.compare ?? settings.compare, tolerance: reference.tolerance ?? settings.tolerance };
      const expected = describeItem(reference.item);
      const answer = finalFigure(rollout.completion, { answerTag: settings.answer_tag, locale: settings.locale });
      if (!answer.item) return ok(0, { components: { answered: 0 }, reason: `${answer.problem}${answer.source ? ` (${answer.source.replace('_', ' ')})` : ''}; reference ${expected}` });
      const given = describeItem(answer.item);
      const where = answer.source.replace('_', ' ');
      if (answer.item.kind !== reference.item.kind) {
        return ok(0, { components: { answered: 1 }, reason: `answered ${given} (${where}): a ${answer.item.kind === 'range' ? 'range' : 'single value'} where the reference is ${reference.item.kind === 'range' ? 'a range' : 'a single value'} ${expected}` });
      }
      let problem: string | undefined;
      if (answer.item.kind === 'range' && reference.item.kind === 'range') {
        problem = compareFigures(answer.item.low, reference.item.low, compareSettings) ?? compareFigures(answer.item.high, reference.item.high, compareSettings);
      } else if (answer.item.kind === 'single' && reference.item.kind === 'single') {
        problem = compareFigures(answer.item.figure, reference.item.figure, compareSettings);
      }
      const rule = compareSettings.compare === settings.compare && compareSettings.tolerance === settings.tolerance ? defaultRule : ruleOf(compareSettings.compare, compareSettings.tolerance);
      if (problem) return ok(0, { components: { answered: 1 }, reason: `answered ${given} (${where}); reference ${expected}: ${problem} (${rule})` });
      return ok(1, { components: { answered: 1 }, reason: `answered ${given} (${where}), equal to the reference ${expected} (${rule})` });
    });
  },
});

/**
 * Make a `finance.numeric` scorer.
 * @param options the reward's options (all optional)
 * @param context unused by this rule-based reward
 */
export function createFinanceNumericReward(options: FinanceNumericOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(financeNumericPlugin, options, context);
}
