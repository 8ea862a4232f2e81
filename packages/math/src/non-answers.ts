/**
 * Text that is not an answer: references that are placeholders or prose without mathematical
 * content, completions that end in a degenerate repetition, and answers that only restate the
 * question's expression. Each check is cheap and leaves ordinary answers alone.
 * @module
 */
import { finalSection } from './extract.js';

// Placeholders datasets leave where an answer should be.
const PLACEHOLDER =
  /^[([{]?\s*(?:see\s+(?:above|below|the\s+(?:solution|explanation|figure|work|proof)|solution|explanation|figure|work|proof)|omitted|redacted|hidden|tbd|tba|to\s+be\s+(?:determined|announced|added)|n\s*\/\s*a|n\.a\.|not\s+(?:available|applicable|given|provided|known)|no\s+(?:answer|reference)(?:\s+(?:given|provided))?|placeholder|todo|fixme|null|nil|nan|undefined\s+reference|answer|solution|\?+|\.{3}|…|-{1,3}|—|–)\s*[)\]}]?\s*[.!]?$/i;
// Words that carry mathematical meaning on their own ("no solution", "all real numbers", "infinitely many").
const MATH_WORDS =
  /\b(?:no|none|all|every|real|reals|complex|numbers?|integers?|naturals?|solutions?|roots?|infinite(?:ly)?|infinity|many|exists?|undefined|empty|set|even|odd|prime|composite|positive|negative|zero|one|two|three|four|five|six|seven|eight|nine|ten|true|false|yes|converges?|convergent|diverges?|divergent|increasing|decreasing|constant|rational|irrational|finite|impossible|always|never|sometimes|maximum|minimum|max|min)\b/i;

/**
 * Why a reference answer text is not an answer (a placeholder such as "see above", "TBD", "N/A",
 * "(omitted)", or two or more words without digits, formulas or mathematical words), or undefined
 * when it may be one.
 */
export function notAnAnswer(text: string): string | undefined {
  const plain = text
    .replace(/\\(?:text|textbf|textit|mathrm|mbox)\s*\{([^}]*)\}/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (PLACEHOLDER.test(plain)) return 'a placeholder, not an answer';
  if (/[0-9\\^_=+*/<>|]/.test(plain)) return undefined;
  const words = plain.match(/[A-Za-z]{2,}/g) ?? [];
  // Short phrases may be answers in words ("no solution", "all real numbers"); five or more words without a formula are prose.
  if (words.length >= 5 || (words.length >= 2 && !MATH_WORDS.test(plain))) return 'prose without mathematical content, not an answer';
  return undefined;
}

/** Shortest repeated unit that must end the text, in characters; how long the run must be. */
const REPETITION = { maxPeriod: 64, minLength: 256, minCount: 16 };

/**
 * A completion that ends in one short unit repeated over and over ("7 7 7 …", "the answer is 5.
 * the answer is 5. …"): the unit and how many times it repeats, or undefined. Only the end of the
 * text counts, or the end before one last short unmarked word (a loop the model recovered from,
 * followed by a sentence or a `\boxed{}` answer, is left alone), and the run
 * must be at least 256 characters and 16 repetitions of a unit of at most 64 characters holding a
 * letter or digit, which no ordinary answer ends with. Linear in the run's length.
 */
export function trailingRepetition(completion: string): { unit: string; count: number } | undefined {
  const text = completion.trimEnd();
  // "wait wait … wait 42": the loop counts when only a last short unmarked word follows it (a
  // `\boxed{}` or `<answer>` after the loop is a deliberate final answer).
  const lastWord = /\s(\S{1,64})$/.exec(text);
  const unmarked = lastWord !== null && !/\\boxed|\\fbox|<\/?answer>/i.test(lastWord[1] as string);
  return repetitionAtEnd(text) ?? (unmarked ? repetitionAtEnd(text.slice(0, (lastWord as RegExpExecArray).index).trimEnd()) : undefined);
}

function repetitionAtEnd(text: string): { unit: string; count: number } | undefined {
  const length = text.length;
  if (length < REPETITION.minLength) return undefined;
  for (let period = 1; period <= REPETITION.maxPeriod; period++) {
    let run = 0;
    while (run < length - period && text.charCodeAt(length - 1 - run) === text.charCodeAt(length - 1 - run - period)) run++;
    const covered = run + period;
    const count = Math.floor(covered / period);
    if (covered >= REPETITION.minLength && count >= REPETITION.minCount) {
      const unit = text.slice(length - period);
      if (/[\p{L}\p{N}]/u.test(unit)) return { unit, count };
    }
  }
  return undefined;
}

/** Spacing and spelling variants that do not change a formula (`\dfrac` is `\frac`, `\cdot` is `\times`). */
function normalizeFormula(text: string): string {
  return text
    .replace(/\\(?:left|right|displaystyle)\b|\\[,;:! ]|\$|\\\(|\\\)|\\\[|\\\]/g, '')
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/\\cdot|\*|×/g, '\\times')
    .replace(/\s+/g, '')
    .toLowerCase();
}

// "compute $7 \times 8$", "the task is to evaluate", "what is": the expression that follows is the question.
const ASKING = /(?:compute|calculate|evaluate|simplify|find|determine|whatis|what's|workout|expand|factor|factorise|factorize|solve|valueof|productof|sumof|quotientof|differenceof)[:,]?$/;

/** A formula with some operation in it, not a plain number or a lone symbol. */
function isUnevaluated(answer: string): boolean {
  const normalized = normalizeFormula(answer);
  if (/^-?[\d,]*\.?\d+%?$/.test(normalized)) return false;
  if (/=|\\approx|\\ne|\\le|\\ge|<|>/.test(normalized)) return false;
  return /[-+/^]|\\times|\\frac|\\sqrt|\\binom|\\sum|\\prod|\\int|!/.test(normalized);
}

/**
 * Whether an answer only restates the question's expression instead of giving its value: the same
 * formula that the prompt asks to compute ("Compute $7 \times 8$."), or, without a prompt, an
 * unmarked formula that the completion itself introduces as the task ("the task is to compute
 * $7 \times 8$"). A formula equal to the reference as written is never a restatement.
 * @param marked true when the answer was marked as final (boxed, tags, "the answer is"): then only the prompt can show a restatement
 */
export function restatesQuestion(options: { answer: string; reference: string; completion: string; prompt?: string; marked: boolean }): boolean {
  const { answer, reference, completion, prompt, marked } = options;
  if (!isUnevaluated(answer)) return false;
  const formula = normalizeFormula(answer);
  if (formula.length < 3 || formula === normalizeFormula(reference)) return false;
  const asked = (text: string): boolean => {
    const normalized = normalizeFormula(text);
    for (let at = normalized.indexOf(formula); at >= 0; at = normalized.indexOf(formula, at + 1)) {
      // The whole formula, not a part of a longer one, introduced as what to compute.
      const after = normalized.slice(at + formula.length, at + formula.length + 2);
      if (/^(?:[0-9^_{}+\-*/=\\]|\.\d)/.test(after)) continue;
      if (ASKING.test(normalized.slice(Math.max(0, at - 30), at))) return true;
    }
    return false;
  };
  if (prompt !== undefined && prompt.length <= 100_000 && asked(prompt)) return true;
  if (marked) return false;
  const section = finalSection(completion) ?? completion;
  return asked(section.slice(-4_000));
}
