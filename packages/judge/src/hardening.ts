/**
 * What never reaches a judge: answers with nothing to judge, bare reasoning openers ("One Token to
 * Fool LLM-as-a-Judge", Zhao et al. 2025), and answers that only echo the question, the reference
 * slot of the judge's prompt or the rubric. Also the final-answer extraction and the length cap.
 */
import { lastTagContent } from '@mixreward/core';

// The "master keys" of One Token to Fool LLM-as-a-Judge (Table 1) and their kin, normalised
// (lower case, trailing punctuation and spaces dropped). An answer that is only one of these says nothing.
const OPENERS = new Set(
  [
    'thought process',
    'thinking process',
    'reasoning process',
    'reasoning',
    'let me think',
    "let's think",
    "let's think step by step",
    'let us think step by step',
    "let's solve this step by step",
    "let's solve this problem step by step",
    'let us solve this step by step',
    'let us solve this problem step by step',
    "let's solve this",
    "let's break this down",
    "let's analyze this",
    'to solve this problem',
    'to solve this',
    'step by step',
    'step 1',
    'first',
    'solution',
    'the solution is',
    'answer',
    'the answer is',
    'final answer',
    'the final answer is',
    'explanation',
    'okay',
    'ok',
    'sure',
    'well',
    'hmm',
    '解',
    '解答',
    '答案',
    '思考过程',
    'そうですね',
    'respuesta',
    'solución',
    'réponse',
    'lösung',
  ].map((text) => text.normalize('NFKC')),
);

/** Lower case, NFKC, Markdown emphasis/heading marks and outer punctuation dropped, spaces collapsed. */
export function normalizeForEcho(text: string): string {
  const collapsed = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[*_#`>]+/g, ' ')
    .replace(/\s+/g, ' ');
  // Outer spaces, punctuation and symbols dropped with two index walks (a regex anchored at the end
  // would be quadratic on long runs of punctuation).
  const chars = Array.from(collapsed);
  let start = 0;
  let end = chars.length;
  while (start < end && OUTER.test(chars[start] as string)) start++;
  while (end > start && OUTER.test(chars[end - 1] as string)) end--;
  return chars.slice(start, end).join('');
}

const OUTER = /^[\s\p{P}\p{S}]$/u;

// A candidate that talks to the judge's template: it names the reference slot or dictates a verdict.
const TEMPLATE_ECHO = /\b(?:reference answer|gold(?:en)? answer|verdict\s*[:=]|judg(?:e)?ment\s*[:=]|the candidate(?: answer)? is correct|output\s*[:=]\s*["']?(?:yes|correct)|(?:respond|reply|output) with ["']?(?:yes|correct)|say ["'](?:yes|correct))/i;

/** What the screen compares an answer with. */
export interface EchoContext {
  /** The question the policy saw, as text. */
  question?: string | undefined;
  /** The reference answer, as text. */
  reference?: string | undefined;
  /** Rubric criterion texts. */
  criteria?: readonly string[] | undefined;
}

/**
 * Why an answer must not reach the judge, or undefined when it may. Order of checks: empty,
 * punctuation-only (no letter or digit; ∅ and ∞ count as answers), a bare reasoning opener, an echo
 * of the question (the whole question, or a part of it of 12+ characters that is a question itself
 * or at least half of it), an address to the judge's template (names its reference slot or dictates
 * a verdict), an echo of the rubric (criterion texts making up half the answer or more).
 * @param answer the text that would be sent (the extracted final answer by default)
 */
export function screenAnswer(answer: string, context: EchoContext = {}): string | undefined {
  if (answer.trim().length === 0) return 'empty answer: nothing to judge (judge not called)';
  if (!/[\p{L}\p{N}∅∞]/u.test(answer)) return `punctuation-only answer ${JSON.stringify(answer.trim().slice(0, 20))}: nothing to judge (judge not called)`;
  const normalized = normalizeForEcho(answer);
  if (OPENERS.has(normalized)) return `a bare reasoning opener ${JSON.stringify(answer.trim().slice(0, 60))} with no answer (judge not called)`;
  if (context.question !== undefined) {
    const question = normalizeForEcho(context.question);
    const asks = /[?？]\s*$/.test(answer);
    if (question.length > 0 && (normalized === question || (normalized.length >= 12 && question.includes(normalized) && (asks || normalized.length * 2 >= question.length)))) {
      return 'the answer only echoes the question (judge not called)';
    }
  }
  if (TEMPLATE_ECHO.test(answer)) return 'the answer addresses the judge (names the reference slot or dictates a verdict) instead of answering (judge not called)';
  if (context.criteria && context.criteria.length > 0) {
    const criteria = context.criteria.map(normalizeForEcho).filter((text) => text.length >= 12);
    const echoed = criteria.filter((text) => normalized.includes(text));
    if (echoed.length > 0 && echoed.reduce((sum, text) => sum + text.length, 0) * 2 >= normalized.length) {
      return 'the answer only echoes the rubric criteria (judge not called)';
    }
  }
  return undefined;
}

/** The content of the last `\boxed{…}` (balanced braces), or undefined. */
export function lastBoxed(text: string): string | undefined {
  const at = Math.max(text.lastIndexOf('\\boxed{'), text.lastIndexOf('\\fbox{'));
  if (at < 0) return undefined;
  const open = text.indexOf('{', at);
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return text.slice(open + 1, index);
    }
  }
  return undefined;
}

/** What follows the last `</think>` (the whole completion when there is none), cut before an unclosed `<think>`. Linear time. */
export function withoutThinking(completion: string): string {
  const lastClose = completion.lastIndexOf('</think>');
  let visible = lastClose >= 0 ? completion.slice(lastClose + 8) : completion;
  // An unclosed <think> (thinking cut off) hides what follows it.
  const open = visible.indexOf('<think>');
  if (open >= 0) visible = visible.slice(0, open);
  return visible.trim();
}

/**
 * The final answer of a completion: after thinking is dropped, the last `\boxed{}`, else the last
 * `<answer>` block, else what follows the last "final answer:" / "the answer is", else the visible text.
 */
export function extractFinalAnswer(completion: string): string {
  const visible = withoutThinking(completion);
  const boxed = lastBoxed(visible);
  if (boxed !== undefined) return boxed.trim();
  const tagged = lastTagContent(visible, 'answer');
  if (tagged !== undefined) return tagged.trim();
  const markers = [...visible.matchAll(/final answer\s*(?:is)?\s*[:：]?\s*|the answer is\s*[:：]?\s*|\banswer\s*[:：]\s*/gi)];
  const last = markers.at(-1);
  if (last && last.index !== undefined) {
    const rest = visible.slice(last.index + last[0].length).split(/\n\s*\n/)[0]?.trim() ?? '';
    if (rest.length > 0) return rest.replace(/[.。]$/, '').trim();
  }
  return visible;
}

/**
 * The text sent to the judge, cut to `maxChars` characters: the end is kept (where answers are),
 * after a marker naming how much was cut.
 */
export function capLength(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `[… ${text.length - maxChars} characters cut]\n${text.slice(text.length - maxChars)}`;
}
