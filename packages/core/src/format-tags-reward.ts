import { z } from 'zod';
import { createScorer, definePlugin, perRollout, type CreateContext, type Scorer } from './plugin.js';
import { ok } from './results.js';

const formatTagsOptions = z
  .object({
    tags: z.array(z.string().regex(/^[A-Za-z_][\w.-]*$/)).min(1).default(['think', 'answer']).describe('Tags that must each appear exactly once, as <tag>…</tag>. Default [think, answer].'),
    order: z.boolean().default(true).describe('The tags must appear in the listed order. Default true.'),
    outside: z.enum(['none', 'whitespace', 'any']).default('whitespace').describe('What may stand outside the tags: nothing, whitespace only, or anything. Default whitespace.'),
    non_empty: z.boolean().default(true).describe('Each tag must contain non-whitespace text. Default true.'),
    prefix: z.string().default('').describe('Text the prompt already opened (e.g. "<think>" for R1-style templates), prepended before checking. Default empty.'),
    partial: z.boolean().default(false).describe('Reward the share of checks passed (in [0, 1]) instead of 1 or 0. Default false.'),
  })
  .strict();

/** Options of `format.tags` as a caller writes them (every key optional). */
export type FormatTagsOptions = z.input<typeof formatTagsOptions>;
type FormatTagsSettings = z.output<typeof formatTagsOptions>;

/** What {@link checkTags} found. */
export interface TagCheck {
  /** Share of checks passed, in [0, 1]. */
  score: number;
  /** True when every check passed. */
  passed: boolean;
  /** Each problem found, in words. */
  problems: string[];
  /** Tags that appear exactly once, opened before closed, in [0, tags.length]. */
  wellFormed: number;
}

function countOccurrences(text: string, needle: string): { count: number; first: number } {
  let count = 0;
  let first = -1;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) break;
    if (first < 0) first = at;
    count++;
    from = at + needle.length;
  }
  return { count, first };
}

/**
 * Check a completion against a tag template: each tag exactly once, well-formed, in order, with
 * nothing but what `outside` allows around them. Linear in the completion's length.
 */
export function checkTags(completion: string, options: FormatTagsOptions = {}): TagCheck {
  return checkTagsWith(completion, formatTagsOptions.parse(options));
}

function checkTagsWith(completion: string, settings: FormatTagsSettings): TagCheck {
  const text = settings.prefix + completion;
  const problems: string[] = [];
  const spans: { tag: string; open: number; close: number }[] = [];
  let wellFormed = 0;
  for (const tag of settings.tags) {
    const open = countOccurrences(text, `<${tag}>`);
    const close = countOccurrences(text, `</${tag}>`);
    if (open.count !== 1 || close.count !== 1) {
      problems.push(`<${tag}> appears ${open.count} time(s) and </${tag}> ${close.count} time(s); expected once each`);
      continue;
    }
    if (close.first < open.first) {
      problems.push(`</${tag}> comes before <${tag}>`);
      continue;
    }
    const inner = text.slice(open.first + tag.length + 2, close.first);
    if (settings.non_empty && inner.trim() === '') {
      problems.push(`<${tag}> is empty`);
      continue;
    }
    wellFormed++;
    spans.push({ tag, open: open.first, close: close.first + tag.length + 3 });
  }
  let checks = settings.tags.length;
  let passedChecks = wellFormed;
  const allFound = wellFormed === settings.tags.length;
  if (settings.order) {
    checks++;
    let inOrder = allFound;
    for (let index = 1; index < spans.length && inOrder; index++) {
      if ((spans[index - 1] as { close: number }).close > (spans[index] as { open: number }).open) inOrder = false;
    }
    if (inOrder) passedChecks++;
    else if (allFound) problems.push(`the tags are not in the order ${settings.tags.map((tag) => `<${tag}>`).join(' ')}`);
  }
  if (settings.outside !== 'any') {
    checks++;
    let clean = allFound;
    if (allFound) {
      const sorted = [...spans].sort((a, b) => a.open - b.open);
      let cursor = 0;
      for (const span of sorted) {
        if (span.open < cursor) {
          clean = false; // nested or overlapping tags
          break;
        }
        if (!allowedOutside(text.slice(cursor, span.open), settings.outside)) clean = false;
        cursor = span.close;
      }
      if (clean && !allowedOutside(text.slice(cursor), settings.outside)) clean = false;
      if (!clean) problems.push(settings.outside === 'none' ? 'text stands outside the tags' : 'non-whitespace text stands outside the tags');
    }
    if (clean) passedChecks++;
  }
  const passed = problems.length === 0 && passedChecks === checks;
  return { score: passedChecks / checks, passed, problems, wellFormed };
}

function allowedOutside(text: string, rule: 'none' | 'whitespace'): boolean {
  return rule === 'none' ? text === '' : text.trim() === '';
}

/**
 * `format.tags`: 1 when the completion follows the tag template (DeepSeek-R1's
 * `<think>…</think><answer>…</answer>`, or any tag list), else 0, or the share of checks passed.
 */
export const formatTagsPlugin = definePlugin({
  name: 'format.tags',
  description: 'Completion follows a tag template: each tag exactly once, in order, nothing outside.',
  follows: 'DeepSeek-R1 format reward; open-r1 format/tag_count rewards',
  reference: 'not used',
  options: formatTagsOptions,
  batchSize: 1024,
  create(options) {
    return perRollout((rollout) => {
      const check = checkTagsWith(rollout.completion, options);
      const reward = options.partial ? check.score : check.passed ? 1 : 0;
      return ok(reward, {
        components: { tags_well_formed: check.wellFormed },
        reason: check.passed ? 'format follows the template' : check.problems.join('; '),
      });
    });
  },
});

/**
 * A `format.tags` scorer for library use.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir`, `mediaDir` and `logger` (unused by this reward)
 */
export function createFormatTagsReward(options: FormatTagsOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(formatTagsPlugin, options, context);
}
