import fc from 'fast-check';
import { parseVerdict, probabilityOfYes } from './index.js';

test('parseVerdict (token): only a bare yes/no is a verdict', () => {
  expect(['yes', ' No ', 'YES.', '**yes**', '"no"', '`yes`'].map((reply) => parseVerdict(reply, 'token'))).toEqual(['yes', 'no', 'yes', 'yes', 'no', 'yes']);
  expect(['yes, it is', 'no.', 'Yes and no', 'correct', 'y', 'yes\nno', '', 'The answer is yes'].map((reply) => parseVerdict(reply, 'token'))).toEqual([undefined, 'no', undefined, undefined, undefined, undefined, undefined, undefined]);
});

test('parseVerdict (token), property: any reply holding a letter besides one yes or no word is no verdict', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), fc.constantFrom('yes', 'no'), fc.string({ minLength: 1, maxLength: 30 }), (before, word, after) => {
      const reply = `${before}${word} ${after}`;
      const extra = `${before}${after}`;
      fc.pre(/[a-z0-9]/i.test(extra));
      expect(parseVerdict(reply, 'token')).toBeUndefined();
    }),
  );
});

test('parseVerdict (json_schema): exactly {"verdict": "yes"|"no"}', () => {
  expect(parseVerdict('{"verdict":"yes"}', 'json_schema')).toBe('yes');
  expect(parseVerdict(' {"verdict": "no", "why": "x"} ', 'json_schema')).toBe('no');
  for (const reply of ['{"verdict":"Yes"}', '{"verdict":true}', '["yes"]', 'yes', '{"verdict":"yes"', 'null']) expect(parseVerdict(reply, 'json_schema')).toBeUndefined();
});

test('probabilityOfYes: mass on yes over mass on yes or no, from the first yes/no token', () => {
  const token = (text: string, top: [string, number][]) => ({ token: text, logprob: Math.log(top[0]?.[1] ?? 1), top: top.map(([alternative, p]) => ({ token: alternative, logprob: Math.log(p) })) });
  // 0.5 + 0.1 on "yes"/" Yes", 0.2 on "no": 0.6 / 0.8 = 0.75.
  expect(probabilityOfYes([token('\n', [['\n', 1]]), token('yes', [['yes', 0.5], ['no', 0.2], [' Yes', 0.1], ['maybe', 0.2]])])).toBeCloseTo(0.75, 12);
  expect(probabilityOfYes([token('Correct', [['Correct', 1]])])).toBeUndefined();
  expect(probabilityOfYes(undefined)).toBeUndefined();
});
