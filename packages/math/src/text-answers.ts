/**
 * Answers that are words (`\\text{Evelyn}`, `yes`): compared case- and punctuation-insensitively.
 * @module
 */
import type { MathNode } from './ast.js';

/** Lower-case, spaces and punctuation folded: `\text{Evelyn}` equals `evelyn`. */
function foldText(value: string): string {
  return value
    .toLowerCase()
    .replace(/\\text\{([^}]*)\}/g, '$1')
    .replace(/[\s.,;:!?'"`*_{}()[\]\\]+/g, ' ')
    .trim();
}

/** A word answer against a word reference (case, spaces and punctuation ignored). @internal */
export function compareText(reference: string, answer: MathNode): boolean {
  const expected = foldText(reference);
  if (expected.length === 0) return false;
  if (answer.kind === 'text') return foldText(answer.value) === expected;
  // A word typed without \text parses as symbols: `abc` is a·b·c.
  if (answer.kind === 'sym' || (answer.kind === 'const' && answer.name !== 'pi' && answer.name !== 'inf')) return answer.name.toLowerCase() === expected.replace(/ /g, '');
  if (answer.kind === 'mul' && answer.factors.every((factor) => factor.kind === 'sym' || factor.kind === 'text' || (factor.kind === 'const' && factor.name !== 'pi'))) {
    const joined = answer.factors.map((factor) => (factor.kind === 'sym' || factor.kind === 'const' ? factor.name : factor.kind === 'text' ? factor.value : '')).join('');
    return foldText(joined).replace(/ /g, '') === expected.replace(/ /g, '');
  }
  return false;
}
