/**
 * A NegEx-style negation check (Chapman et al., 2001): a mention is negated when a negation trigger
 * stands within a window of words before it ("no signs of MI", "denies chest pain") or after it
 * ("MI was ruled out"), and no scope terminator ("but", "however", a sentence end) stands between.
 */

/** Pre-negation triggers: they negate the words that follow (within the window). */
const PRE = [
  'no', 'not', 'without', 'denies', 'denied', 'deny', 'negative for', 'no signs of', 'no sign of', 'no evidence of', 'no history of',
  'free of', 'absence of', 'absent', 'never', 'neither', 'nor', 'ruled out', 'rules out', 'excluded', 'unremarkable for', 'resolved',
  'do not', "don't", 'does not', "doesn't", 'did not', "didn't", 'should not', "shouldn't", 'must not', 'avoid', 'avoids', 'avoided', 'stop', 'stopped',
  'discontinue', 'discontinued', 'contraindicated', 'withhold', 'withheld', 'hold off',
];
/** Post-negation triggers: they negate the words before them (within the window). */
const POST = ['was ruled out', 'were ruled out', 'is ruled out', 'ruled out', 'was excluded', 'is excluded', 'excluded', 'is unlikely', 'unlikely', 'is absent', 'was absent', 'not present', 'was negative', 'is negative', 'is contraindicated', 'contraindicated', 'should be avoided', 'must be avoided', 'should be stopped', 'was stopped', 'should be discontinued', 'not indicated', 'is not indicated', 'not recommended', 'is not recommended'];
/** Phrases that hold a trigger word but do not negate (NegEx pseudo-triggers). */
const PSEUDO = ['not ruled out', 'not excluded', 'no increase', 'no change', 'not only', 'not necessarily', 'no further', 'without difficulty', 'without delay', 'without further delay', 'not cause', 'cannot be excluded', 'cannot be ruled out', 'can not be ruled out', 'gram negative', 'no suspicious change', 'not drain'];
/** Words and marks that end a trigger's scope. */
const TERMINATORS = /\b(?:but|however|although|though|yet|except|apart from|aside from|which|who|whereas|while|cause of|causes of|source of|etiology of|reason for|secondary to)\b|[.;:!?\n]/i;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+').replace(/'/g, "['’]");
const preTrigger = new RegExp(String.raw`(?:^|[^\p{L}\p{N}])(?:${[...PRE].sort((a, b) => b.length - a.length).map(escape).join('|')})(?=$|[^\p{L}\p{N}])`, 'giu');
const postTrigger = new RegExp(String.raw`^\W*(?:${[...POST].sort((a, b) => b.length - a.length).map(escape).join('|')})(?=$|[^\p{L}\p{N}])`, 'iu');
const pseudo = new RegExp(String.raw`(?:${PSEUDO.map(escape).join('|')})`, 'giu');

/** Default negation window, in words on each side of a mention. */
export const NEGATION_WINDOW = 5;

function lastWords(text: string, count: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.slice(-count).join(' ');
}

function firstWords(text: string, count: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.slice(0, count).join(' ');
}

/**
 * Whether the mention at `[start, end)` of `text` is negated.
 * @param text the whole text
 * @param start index of the mention's first character
 * @param end index after the mention's last character
 * @param window words searched on each side (>= 1; default {@link NEGATION_WINDOW})
 */
export function isNegated(text: string, start: number, end: number, window = NEGATION_WINDOW): boolean {
  // Before: the words since the last terminator, at most `window` words (plus the trigger's own words).
  let before = text.slice(Math.max(0, start - 300), start);
  const cut = lastTerminator(before);
  if (cut >= 0) before = before.slice(cut + 1);
  const beforeWindow = lastWords(before, window + 3).replace(pseudo, ' ');
  preTrigger.lastIndex = 0;
  for (let match = preTrigger.exec(beforeWindow); match; match = preTrigger.exec(beforeWindow)) {
    const after = beforeWindow.slice(match.index + match[0].length);
    if (after.split(/\s+/).filter(Boolean).length <= window) return true;
  }
  // After: up to the next terminator, at most `window` words.
  let after = text.slice(end, end + 300);
  const stop = after.search(TERMINATORS);
  if (stop >= 0) after = after.slice(0, stop);
  pseudo.lastIndex = 0;
  const pseudoAfter = pseudo.exec(firstWords(after, 6));
  if (pseudoAfter) return false;
  const words = after.split(/\s+/).filter(Boolean);
  for (let skip = 0; skip <= Math.min(window, words.length); skip++) {
    if (postTrigger.test(` ${firstWords(words.slice(skip).join(' '), 5)}`) && skip <= window) return true;
  }
  return false;
}

function lastTerminator(text: string): number {
  let last = -1;
  const pattern = new RegExp(TERMINATORS.source, 'gi');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) last = match.index + match[0].length - 1;
  return last;
}
