import { readFileSync } from 'node:fs';
import { sentenceBleu } from './bleu.js';
import { sentenceChrf } from './chrf.js';
import { pyNormalizeSpaces } from './python-text.js';
import { tokenizeTercom } from './tercom-tokenizer.js';
import { tokenize13a, tokenizeChar, tokenizeIntl, tokenizeZh } from './tokenizers.js';

// Expected values computed in CPython (re, regex, str, float): see __fixtures__/README.md.
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;

describe('tokenizers agree with Python on 600 adversarial lines', () => {
  const { cases, expected } = fixture<{ cases: string[]; expected: Record<string, string[]> }>('tokenizer-oracle.json');
  test.each([
    ['13a', tokenize13a],
    ['intl', tokenizeIntl],
    ['zh', tokenizeZh],
    ['char', (line: string) => pyNormalizeSpaces(tokenizeChar(line))],
    ['ter', (line: string) => tokenizeTercom(line, { normalized: true })],
    ['lower', (line: string) => line.toLowerCase()],
  ] as const)('%s', (name, tokenize) => {
    const mismatches = cases.filter((line, index) => tokenize(line) !== expected[name]?.[index]);
    expect(mismatches).toEqual([]);
  });
});

interface MetricRow {
  h: string;
  refs: string[];
  [metric: string]: unknown;
}

test('BLEU and chrF agree with Python to 1e-9 on 300 multi-reference pairs', () => {
  const rows = fixture<MetricRow[]>('metric-oracle.json');
  let worst = 0;
  for (const row of rows) {
    const scores: Record<string, number> = {
      bleu13a: sentenceBleu(row.h, row.refs).score,
      bleuIntlFloor: sentenceBleu(row.h, row.refs, { tokenize: 'intl', smooth_method: 'floor' }).score,
      bleuZhAddk: sentenceBleu(row.h, row.refs, { tokenize: 'zh', smooth_method: 'add-k', smooth_value: 2 }).score,
      bleuCharLcNone: sentenceBleu(row.h, row.refs, { tokenize: 'char', smooth_method: 'none', lowercase: true }).score,
      bleuNoEff: sentenceBleu(row.h, row.refs, { effective_order: false }).score,
      chrf: sentenceChrf(row.h, row.refs).score,
      chrfpp: sentenceChrf(row.h, row.refs, { word_order: 2 }).score,
      chrfEps: sentenceChrf(row.h, row.refs, { beta: 3, eps_smoothing: true }).score,
    };
    for (const [metric, score] of Object.entries(scores)) worst = Math.max(worst, Math.abs(score - (row[metric] as number)));
  }
  expect(rows).toHaveLength(300);
  expect(worst).toBeLessThan(1e-9);
});
