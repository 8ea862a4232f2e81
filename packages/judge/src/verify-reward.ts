/**
 * `judge.verify`: a reference-based yes/no verdict from a language model over an OpenAI-compatible
 * server (a generative verifier in the manner of CompassVerifier and Cooper's VerifyRM).
 */
import { z } from 'zod';
import { RewardError, concurrentPerRollout, createScorer, definePlugin, failed, ok, promptText, referenceText, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { capLength, extractFinalAnswer, normalizeForEcho, screenAnswer, withoutThinking } from './hardening.js';
import { JudgeClient, clientOptionsShape, type JudgeMessage, type JudgeRequest } from './judge-client.js';
import { VERDICT_SCHEMA, VERIFY_TEMPLATES, fillTemplate, parseVerdict, probabilityOfYes, verdictRule, type VerifyTemplate } from './templates.js';

const customTemplateSchema = z
  .object({
    system: z.string().default('').describe('System message (default: none).'),
    user: z.string().min(1).refine((text) => text.includes('{answer}'), 'the user template must hold {answer}').describe('User message with {question}, {reference} and {answer} placeholders. Required.'),
    user_swapped: z.string().min(1).optional().describe('The user message with the answer before the reference, for swap_check (default: none; swap_check then fails at config time).'),
  })
  .strict();

/** @internal */
export const answerSourceSchema = z
  .enum(['final_answer', 'answer_tag', 'completion'])
  .default('final_answer')
  .describe('What the judge sees of the completion: "final_answer" (thinking dropped, then the last \\boxed{}, <answer>, "final answer:" or the visible text), "answer_tag" (the last <answer> block, else the visible text), "completion" (the whole completion, reasoning included). Default "final_answer".');

const verifyOptionsSchema = z
  .object({
    ...clientOptionsShape,
    template: z.union([z.enum(['general', 'math']), customTemplateSchema]).default('general').describe('The prompt: "general", "math" (CompassVerifier-style equivalence) or {system, user, user_swapped} with {question}/{reference}/{answer} placeholders. Default "general".'),
    answer_source: answerSourceSchema,
    verdict_format: z.enum(['token', 'json_schema']).default('token').describe('"token": the reply must be the single word yes or no; "json_schema": structured output {"verdict": "yes"|"no"} via response_format (servers that support it: vLLM, SGLang, OpenAI). Default "token".'),
    logprobs: z.boolean().default(true).describe('Ask for the top 5 logprobs and report P(yes) in components.p_yes (default true; set false for servers that reject logprobs).'),
    reward_from: z.enum(['verdict', 'p_yes']).default('verdict').describe('"verdict": 1 for yes, 0 for no; "p_yes": P(yes) in [0, 1] from logprobs (the verdict when none came back). Default "verdict".'),
    max_tokens: z.number().int().min(1).max(4096).default(16).describe('Most tokens the judge may generate, 1..4096 (default 16: a verdict is one word).'),
    max_answer_chars: z.number().int().min(1).default(4000).describe('Longest answer sent, in characters (the end is kept), >= 1 (default 4000).'),
    hardening: z.boolean().default(true).describe('Screen out empty, punctuation-only, bare-opener and echo answers before the judge (scored 0; default true).'),
    swap_check: z.boolean().default(false).describe('Ask twice, the second time with the answer before the reference; yes only when both passes say yes (default false; doubles the calls).'),
  })
  .strict()
  .superRefine((options, context) => {
    if (options.swap_check && typeof options.template === 'object' && options.template.user_swapped === undefined) {
      context.addIssue({ code: 'custom', path: ['template', 'user_swapped'], message: 'swap_check needs template.user_swapped (the user message with {answer} before {reference})' });
    }
  });

/** Options of `judge.verify`, as written in a config. */
export type JudgeVerifyOptions = z.input<typeof verifyOptionsSchema>;
type Settings = z.output<typeof verifyOptionsSchema>;

/** The answer text the judge sees, per `answer_source`. @internal */
export function answerFor(completion: string, source: 'final_answer' | 'answer_tag' | 'completion'): string {
  if (source === 'completion') return completion;
  if (source === 'final_answer') return extractFinalAnswer(completion);
  const visible = withoutThinking(completion);
  const match = /<answer>([\s\S]*?)<\/answer>(?![\s\S]*<answer>)/.exec(visible);
  return (match?.[1] ?? visible).trim();
}

function messagesFor(template: VerifyTemplate, userText: string, format: 'token' | 'json_schema', values: Record<string, string>): JudgeMessage[] {
  const system = [template.system, verdictRule(format)].filter((part) => part.length > 0).join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: fillTemplate(userText, values) },
  ];
}

async function judgeOnce(client: JudgeClient, settings: Settings, messages: JudgeMessage[], signal: AbortSignal): Promise<{ verdict: 'yes' | 'no'; pYes: number | undefined }> {
  const request: JudgeRequest = { messages, max_tokens: settings.max_tokens };
  if (settings.logprobs) request.top_logprobs = 5;
  if (settings.verdict_format === 'json_schema') request.json_schema = VERDICT_SCHEMA;
  const reply = await client.complete(request, signal);
  const verdict = parseVerdict(reply.content, settings.verdict_format);
  if (verdict === undefined) {
    throw new RewardError('MODEL_UNAVAILABLE', `the judge's reply is not a verdict (${settings.verdict_format === 'token' ? 'expected the single word yes or no' : 'expected {"verdict": "yes"|"no"}'}), got ${JSON.stringify(reply.content.slice(0, 80))}; use a judge model that follows the template, or set verdict_format: json_schema`);
  }
  return { verdict, pYes: probabilityOfYes(reply.logprobs) };
}

/** `judge.verify`: a language model says whether the answer matches the reference (yes/no, P(yes) from logprobs). */
export const judgeVerifyPlugin = definePlugin({
  name: 'judge.verify',
  description: 'A judge model over an OpenAI-compatible server says whether the final answer matches the reference (yes/no; P(yes) from logprobs); hack answers never reach it.',
  follows: 'CompassVerifier (Liu et al., 2025) and Cooper VerifyRM (reference-based generative verifiers); One Token to Fool LLM-as-a-Judge (Zhao et al., 2025) for the screen',
  reference: 'the reference answer: a string or a number',
  options: verifyOptionsSchema,
  batchSize: 64,
  scope: 'rollout',
  async create(settings, context) {
    const client = await JudgeClient.create(settings, context.baseDir);
    const template: VerifyTemplate = typeof settings.template === 'string' ? VERIFY_TEMPLATES[settings.template] : settings.template;
    return concurrentPerRollout(async (rollout: Rollout, scoreContext): Promise<RewardResult> => {
      if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: judge.verify needs rollout.reference (the answer, a string or number)');
      const reference = referenceText(rollout.reference);
      if (reference === undefined) {
        throw new RewardError('INVALID_REFERENCE', `judge.verify needs rollout.reference as a string or a number, got ${JSON.stringify(rollout.reference)?.slice(0, 60) ?? typeof rollout.reference}`);
      }
      if (typeof rollout.completion !== 'string') return failed(new RewardError('INVALID_ROLLOUT', 'rollout.completion is not a string'));
      const question = promptText(rollout.prompt) ?? '';
      const answer = answerFor(rollout.completion, settings.answer_source);
      if (settings.hardening) {
        const problem = screenAnswer(answer, { question: question || undefined });
        if (problem !== undefined) return ok(0, { reason: problem, components: { verdict: 0, p_yes: null } });
        if (normalizeForEcho(answer) === normalizeForEcho(reference)) {
          return ok(1, { reason: 'the answer is the reference verbatim (judge not called)', components: { verdict: 1, p_yes: null } });
        }
      }
      const values = { question: question || '(no question given)', reference, answer: capLength(answer, settings.max_answer_chars) };
      const first = await judgeOnce(client, settings, messagesFor(template, template.user, settings.verdict_format, values), scoreContext.signal);
      const components: Record<string, number | null> = { verdict: first.verdict === 'yes' ? 1 : 0, p_yes: first.pYes ?? null };
      let verdict = first.verdict;
      let reason = `the judge said ${first.verdict}${first.pYes === undefined ? '' : ` (P(yes) = ${first.pYes.toFixed(3)})`}`;
      if (settings.swap_check && template.user_swapped !== undefined) {
        const second = await judgeOnce(client, settings, messagesFor(template, template.user_swapped, settings.verdict_format, values), scoreContext.signal);
        components.swapped_verdict = second.verdict === 'yes' ? 1 : 0;
        components.agreement = second.verdict === first.verdict ? 1 : 0;
        if (second.verdict !== first.verdict) {
          verdict = 'no';
          reason = `the two passes disagree (reference first: ${first.verdict}, answer first: ${second.verdict}); counted as no`;
        } else reason += '; the swapped pass agrees';
      }
      components.verdict = verdict === 'yes' ? 1 : 0;
      const reward = settings.reward_from === 'p_yes' && first.pYes !== undefined && !(settings.swap_check && components.agreement === 0) ? first.pYes : components.verdict;
      return ok(reward, { reason, components });
    }, () => undefined);
  },
});

/**
 * Make a `judge.verify` scorer.
 * @param options the reward's options (`base_url` and `model` are required)
 * @param context where relative paths resolve, and the logger
 */
export function createJudgeVerifyReward(options: JudgeVerifyOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(judgeVerifyPlugin, options, context);
}
