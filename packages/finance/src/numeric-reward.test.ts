import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { createFinanceNumericReward } from './index.js';

const signal = new AbortController().signal;
let scorer: Scorer;
beforeAll(async () => {
  scorer = await createFinanceNumericReward();
});
async function score(rollout: Rollout, custom?: Scorer): Promise<RewardResult> {
  const [result] = await (custom ?? scorer).score([rollout], { signal });
  return result as RewardResult;
}

// [completion, reference, expected reward]
const notation: [string, unknown, number][] = [
  // scale words and suffixes
  ['The answer is $1.2 million.', '$1.2 million', 1],
  ['The answer is $1,200,000.', '$1.2 million', 1],
  ['The answer is 1200000', '$1.2 million', 1],
  ['Answer: $1.2M', 1200000, 1],
  ['Answer: $1.2 mn', 1200000, 1],
  ['Answer: 1.2 mln USD', 1200000, 1],
  ['Answer: USD 1.2 million', 1200000, 1],
  ['Answer: 1,200 thousand', 1200000, 1],
  ['Answer: 1200k', 1200000, 1],
  ['Answer: 1200K', 1200000, 1],
  ['Answer: $0.0012 billion', 1200000, 1],
  ['Answer: $1.2 billion', 1200000, 0],
  ['Answer: 1.2', 1200000, 0],
  ['Answer: 12 million', 1200000, 0],
  ['Answer: $2.5bn', '£2.5bn', 0],
  ['Answer: 2.5 billion', '2500000000', 1],
  ['Answer: 2.5B', '2.5 billion', 1],
  ['Answer: 2,500 million', '2.5 billion', 1],
  ['Answer: 1.1 trillion', '1.1tn', 1],
  ['Answer: 1.1 T', '1,100 billion', 1],
  ['Answer: 4 MM', '4 million', 1],
  ['Answer: 3.5万', 35000, 1],
  ['Answer: 3.5万元', '35,000元', 1],
  ['Answer: 1.2亿元', 120000000, 1],
  ['Answer: 1.2亿元', '1.2亿', 1],
  ['Answer: 12000万', '1.2亿', 1],
  ['Answer: 3 lakh rupees', 300000, 1],
  ['Answer: 2 crore', 20000000, 1],
  ['Answer: \\$1.2\\text{ million}', 1200000, 1],
  ['Answer: $1.2 \\text{million}', 1200000, 1],
  ['\\boxed{1.2 \\text{ million}}', 1200000, 1],
  ['\\boxed{\\$1{,}200{,}000}', 1200000, 1],
  // separators and locales
  ['Answer: 1,234,567.89', 1234567.89, 1],
  ['Answer: 1.234.567,89 €', 1234567.89, 1],
  ['Answer: 1.234,56 €', '1234.56', 1],
  ['Answer: €1.234,56', 1234.56, 1],
  ['Answer: 1\u00a0234\u00a0567,89', 1234567.89, 1],
  ['Answer: 1\u202f234,5', 1234.5, 1],
  ["Answer: 1'234'567.89 CHF", 1234567.89, 1],
  ['Answer: 1’234.50', 1234.5, 1],
  ['Answer: 1,23,456 rupees', 123456, 1],
  ['Answer: ₹1,23,45,678', 12345678, 1],
  ['Answer: Rs. 5,00,000', 500000, 1],
  ['Answer: 1{,}234', 1234, 1],
  ['Answer: 1\\,234', 1234, 1],
  ['Answer: 1,5', 1.5, 1],
  ['Answer: 3,14', 3.14, 1],
  ['Answer: 1,234', 1234, 1],
  ['Answer: 1,234', 1.234, 0],
  ['Answer: .5', 0.5, 1],
  ['Answer: 0.5', '.5', 1],
  // accounting negatives and signs
  ['Answer: (1,234)', -1234, 1],
  ['Answer: (1,234)', '(1,234)', 1],
  ['Answer: -1,234', '(1,234)', 1],
  ['Answer: −1234', '(1,234)', 1],
  ['Answer: 1,234', '(1,234)', 0],
  ['Answer: $(2.5) million', -2500000, 1],
  ['Answer: ($2.5 million)', -2500000, 1],
  ['Answer: -$2.5 million', '$(2.5) million', 1],
  ['Answer: $-2.5 million', '$(2.5) million', 1],
  ['Answer: (2.5)', -2.5, 1],
  ['Answer: (2.5)', 2.5, 0],
  ['Answer: +3.2%', '3.2%', 1],
  // percent, basis points, multiples
  ['Answer: 12.5%', '12.5%', 1],
  ['Answer: 12.5 %', '12.5%', 1],
  ['Answer: 12.5\\%', '12.5%', 1],
  ['Answer: 12.5 percent', '12.5%', 1],
  ['Answer: 12.5 per cent', '12.5%', 1],
  ['Answer: 0.125', '12.5%', 1],
  ['Answer: 12.5', '12.5%', 1],
  ['Answer: 12.5%', 12.5, 1],
  ['Answer: 12.5%', 0.125, 1],
  ['Answer: 15%', 0.015, 0],
  ['Answer: 1.5%', 0.15, 0],
  ['Answer: 0.0125', '12.5%', 0],
  ['Answer: 125 bps', '1.25%', 1],
  ['Answer: 125 basis points', '1.25%', 1],
  ['Answer: 1.25%', '125 bps', 1],
  ['Answer: -50 bps', '-0.5%', 1],
  ['Answer: -0.5%', '-50 bps', 1],
  ['Answer: 50 bps', '-50 bps', 0],
  ['Answer: 1250 bps', '12.5%', 1],
  ['Answer: 4.2x', '4.2x', 1],
  ['Answer: 4.2×', '4.2x', 1],
  ['Answer: 4.2', '4.2x', 1],
  ['Answer: 4.2x', 4.2, 1],
  ['Answer: 4.2%', '4.2x', 0],
  ['Answer: 3.8x', '4.2x', 0],
  // currencies
  ['Answer: €1.2 million', '$1.2 million', 0],
  ['Answer: 1.2 million euros', '1.2 million USD', 0],
  ['Answer: US$1.2 million', '$1.2 million', 1],
  ['Answer: USD 1.2 million', '$1.2 million', 1],
  ['Answer: ¥500', 'JPY 500', 1],
  ['Answer: ¥500', '500 CNY', 1],
  ['Answer: 500元', '¥500', 1],
  ['Answer: JPY 500', '500元', 0],
  ['Answer: £2.5bn', '$2.5bn', 0],
  ['Answer: 2.5bn', '£2.5bn', 1],
  ['Answer: C$100', '$100', 1],
  ['Answer: 100 dollars', 'USD 100', 1],
  ['Answer: 100 rupees', '₹100', 1],
  // ranges
  ['Answer: 10%-12%', '10%-12%', 1],
  ['Answer: 10% to 12%', '10%-12%', 1],
  ['Answer: between 10% and 12%', '10%-12%', 1],
  ['Answer: 10-12%', '10%-12%', 1],
  ['Answer: 10%–12%', '10% to 12%', 1],
  ['Answer: 10%', '10%-12%', 0],
  ['Answer: 11%', '10%-12%', 0],
  ['Answer: 10%-12%', '11%', 0],
  ['Answer: 10%-13%', '10%-12%', 0],
  ['Answer: $1-2 million', '$1 million to $2 million', 1],
  // tolerance (default 1% of |ref|)
  ['Answer: 100.9', 100, 1],
  ['Answer: 101', 100, 1],
  ['Answer: 101.5', 100, 0],
  ['Answer: 99', 100, 1],
  ['Answer: 98.9', 100, 0],
  ['Answer: 0', 0, 1],
  ['Answer: 0.001', 0, 0],
  ['Answer: 12.6%', '12.5%', 1],
  ['Answer: 12.7%', '12.5%', 0],
];

const extraction: [string, unknown, number][] = [
  ['<answer>$1.2 million</answer>', 1200000, 1],
  ['<think>maybe $3 million</think><answer>$1.2 million</answer>', 1200000, 1],
  ['<think>the answer is $1.2 million</think>', 1200000, 0],
  ['<think>x</think>\nSo net income is $1.2 million.', 1200000, 1],
  ['Revenue was $5 million and costs $3.8 million.\nNet income: $1.2 million', 1200000, 1],
  ['Revenue was $5 million and costs $3.8 million, leaving $1.2 million.', 1200000, 0],
  ['Net income = 5 - 3.8 = 1.2 (million)\n\nThe answer is $1.2 million, up from $0.9 million in 2022.', 1200000, 1],
  ['**Final Answer:** $1.2 million', 1200000, 1],
  ['### Final answer\n**$1.2 million**', 1200000, 1],
  ['The final answer is: 12.5%', '12.5%', 1],
  ['Therefore, the result is 12.5%.', '12.5%', 1],
  ['\\boxed{12.5\\%}', '12.5%', 1],
  ['So the growth rate is $\\boxed{12.5\\%}$.', '12.5%', 1],
  ['The company grew in 2023.\n12.5%', '12.5%', 1],
  ['In fiscal 2023 the margin was 12.5%', '12.5%', 1],
  ['Answer: 12.5% in 2023', '12.5%', 1],
  ['Q3 2023 margin: 12.5%', '12.5%', 1],
  // several candidates, refusals, no numbers
  ['Answer: 10, 12, 15 or 20', 12, 0],
  ['Answer: 10,12,15 or 20', 12, 0],
  ['Answer: 5% or 6%', '5%', 0],
  ['Answer: 5%/6%', '5%', 0],
  ['Answer: either 5% or 6%', '6%', 0],
  ['Answer: 100 or (100)', 100, 0],
  ['Answer: 100; 200', 100, 0],
  ['I cannot determine the answer from the information given.', 100, 0],
  ['There is insufficient information to calculate this.', 100, 0],
  ['Answer: N/A', 100, 0],
  ['The answer is unknown.', 100, 0],
  ['', 100, 0],
  ['   ', 100, 0],
  [':', 100, 0],
  ['.', 100, 0],
  ['Thought process:', 100, 0],
  ["Let's solve this problem step by step.", 100, 0],
  ['Solution', 100, 0],
  ['<think></think><answer></answer>', 100, 0],
  ['The revenue was 100 and the cost was 60.', 40, 0],
  ['Answer: 40', 40, 1],
  ['Answer: forty', 40, 0],
];

describe('finance.numeric: notations', () => {
  test.each(notation)('%j vs %j -> %d', async (completion, reference, expected) => {
    const result = await score({ completion, reference });
    expect(result.status).toBe('ok');
    expect(result.reward).toBe(expected);
  });
});

describe('finance.numeric: where the answer is read', () => {
  test.each(extraction)('%j vs %j -> %d', async (completion, reference, expected) => {
    const result = await score({ completion, reference });
    expect(result.status).toBe('ok');
    expect(result.reward).toBe(expected);
  });
});

describe('finance.numeric: options and reference objects', () => {
  test('a reference object with value, unit and tolerance', async () => {
    expect((await score({ completion: 'Answer: $1.25 million', reference: { value: 1.2, unit: 'million USD', tolerance: 0.05 } })).reward).toBe(1);
    expect((await score({ completion: 'Answer: $1.25 million', reference: { value: 1.2, unit: 'million USD' } })).reward).toBe(0);
    expect((await score({ completion: 'Answer: €1.2 million', reference: { value: 1200000, unit: 'USD' } })).reward).toBe(0);
    expect((await score({ completion: 'Answer: 12.5%', reference: { value: 12.5, unit: '%' } })).reward).toBe(1);
    expect((await score({ completion: 'Answer: 1.23', reference: { value: '1.2', compare: 'precision' } })).reward).toBe(1);
    expect((await score({ completion: 'Answer: 1.26', reference: { value: '1.2', compare: 'precision' } })).reward).toBe(0);
  });

  test('compare: absolute and precision as options', async () => {
    const absolute = await createFinanceNumericReward({ compare: 'absolute', tolerance: 0.5 });
    expect((await score({ completion: 'Answer: 100.4', reference: 100 }, absolute)).reward).toBe(1);
    expect((await score({ completion: 'Answer: 100.6', reference: 100 }, absolute)).reward).toBe(0);
    expect((await score({ completion: 'Answer: 12.9%', reference: '12.5%' }, absolute)).reward).toBe(1);
    const precision = await createFinanceNumericReward({ compare: 'precision' });
    expect((await score({ completion: 'Answer: $1.24 million', reference: '$1.2 million' }, precision)).reward).toBe(1);
    expect((await score({ completion: 'Answer: $1.26 million', reference: '$1.2 million' }, precision)).reward).toBe(0);
    expect((await score({ completion: 'Answer: 12.54%', reference: '12.5%' }, precision)).reward).toBe(1);
    expect((await score({ completion: 'Answer: 0.1254', reference: '12.5%' }, precision)).reward).toBe(1);
    expect((await score({ completion: 'Answer: 0.1256', reference: '12.5%' }, precision)).reward).toBe(0);
    const exact = await createFinanceNumericReward({ tolerance: 0 });
    expect((await score({ completion: 'Answer: 100.01', reference: 100 }, exact)).reward).toBe(0);
  });

  test('locale eu reads 1.234 as a thousand and 1,234 as a decimal', async () => {
    const eu = await createFinanceNumericReward({ locale: 'eu' });
    expect((await score({ completion: 'Answer: 1.234', reference: 1234 }, eu)).reward).toBe(1);
    expect((await score({ completion: 'Answer: 1,234', reference: 1.234 }, eu)).reward).toBe(1);
    expect((await score({ completion: 'Answer: 1.234', reference: 1.234 })).reward).toBe(1);
  });

  test('the reason says what was read and the rule', async () => {
    const result = await score({ completion: 'Answer: $1.25 million', reference: '$1.2 million' });
    expect(result.reason).toBe('answered $ 1,250,000 (marker); reference $ 1,200,000: not equal (within 1% of the reference)');
    const range = await score({ completion: 'Answer: 11%', reference: '10%-12%' });
    expect(range.reason).toBe('answered 11% (marker): a single value where the reference is a range 10% to 12%');
  });

  test('missing reference is skipped; unusable references are INVALID_REFERENCE', async () => {
    expect(await score({ completion: 'Answer: 1' })).toMatchObject({ status: 'skipped', reward: null });
    for (const reference of ['see above', '', 'ten', Number.NaN, Infinity, [1, 2], { unit: 'USD' }, '5 or 6']) {
      expect((await score({ completion: 'Answer: 1', reference })).error?.code).toBe('INVALID_REFERENCE');
    }
  });
});
