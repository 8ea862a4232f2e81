import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { createMedicalConceptsReward, isNegated } from './index.js';

const signal = new AbortController().signal;
let scorer: Scorer;
beforeAll(async () => {
  scorer = await createMedicalConceptsReward();
});
async function score(rollout: Rollout): Promise<RewardResult> {
  const [result] = await scorer.score([rollout], { signal });
  return result as RewardResult;
}

const mi = ['myocardial infarction', 'MI', 'heart attack', 'STEMI'];
const aspirin = ['aspirin', 'ASA', 'acetylsalicylic acid'];
const cath = ['cardiac catheterization', 'PCI', 'percutaneous coronary intervention', 'angiography'];
const reference = { concepts: [mi, aspirin, cath], forbidden: [['warfarin', 'Coumadin']] };

// [completion, expected reward] against `reference` (three required concepts, warfarin forbidden, penalty 0.5)
const cases: [string, number][] = [
  ['Acute MI: give aspirin and send for PCI.', 1],
  ['This is a heart attack. Give ASA now and arrange cardiac catheterization.', 1],
  ['Inferior STEMI; start acetylsalicylic acid; emergent percutaneous coronary intervention.', 1],
  ['Myocardial infarctions need aspirin and angiography.', 1],
  ['Likely myocardial infarction. Give aspirin.', 2 / 3],
  ['Give aspirin.', 1 / 3],
  ['', 0],
  ['The patient is stable.', 0],
  // negation
  ['No signs of MI. Give aspirin and plan PCI.', 2 / 3],
  ['MI was ruled out; give aspirin; PCI.', 2 / 3],
  ['Myocardial infarction is unlikely. Aspirin, PCI.', 2 / 3],
  ['The patient denies heart attack symptoms; aspirin; PCI.', 2 / 3],
  ['There is no evidence of myocardial infarction, but aspirin and PCI are reasonable.', 2 / 3],
  ['MI cannot be ruled out, so give aspirin and do PCI.', 1],
  ['MI was not ruled out; aspirin; PCI.', 1],
  ['No chest pain, but the ECG shows an MI. Aspirin. PCI.', 1],
  ['Without delay, treat the MI with aspirin and PCI.', 1],
  ['Do not give aspirin. MI. PCI.', 2 / 3],
  // word boundaries and case
  ['MIDAS score is high; aspirin; PCI.', 2 / 3],
  ['mi amigo needs aspirin and PCI.', 2 / 3],
  ['The AMI is clear; aspirin; PCI.', 2 / 3],
  ['Heart-attack protocol: aspirin, PCI.', 1],
  ['HEART ATTACK. Aspirin. PCI.', 1],
  ['Aspirinate is not a drug. MI. PCI.', 2 / 3],
  // forbidden concepts
  ['MI: aspirin, PCI, and start warfarin.', 0.5],
  ['MI: aspirin, PCI, Coumadin.', 0.5],
  ['MI: aspirin, PCI. Do not give warfarin.', 1],
  ['MI: aspirin, PCI. Avoid warfarin.', 1],
  ['MI: aspirin, PCI. Warfarin is contraindicated.', 1],
  ['Start warfarin.', 0],
  ['Give aspirin and warfarin and coumadin.', 0],
];

describe('medical.concepts', () => {
  test.each(cases)('%j -> %d', async (completion, expected) => {
    const result = await score({ completion, reference });
    expect(result.status).toBe('ok');
    expect(result.reward).toBeCloseTo(expected, 12);
  });

  test('components report coverage and the count of recommended forbidden concepts; the reason lists what was found', async () => {
    const result = await score({ completion: 'No signs of MI. Aspirin. Start warfarin.', reference });
    expect(result.components).toEqual({ coverage: 1 / 3, forbidden: 1 });
    expect(result.reward).toBe(0);
    expect(result.reason).toBe('covered 1/3 (aspirin); negated only: myocardial infarction; missing: cardiac catheterization; forbidden recommended: warfarin (-0.5 each)');
  });

  test('mentions inside <think> do not count unless include_thinking', async () => {
    const completion = '<think>Could this be an MI? Aspirin? PCI?</think>Refer to cardiology.';
    expect((await score({ completion, reference })).reward).toBe(0);
    const thinking = await createMedicalConceptsReward({ include_thinking: true });
    const [result] = await thinking.score([{ completion, reference }], { signal });
    expect(result?.reward).toBe(1);
  });

  test('the negation window is an option: a trigger farther than the window does not negate', async () => {
    const text = 'No history of smoking, alcohol, travel, surgery or trauma and now MI.';
    const narrow = await createMedicalConceptsReward({ negation_window: 3 });
    const wide = await createMedicalConceptsReward({ negation_window: 12 });
    const rollout = { completion: text, reference: [mi] };
    expect((await narrow.score([rollout], { signal }))[0]?.reward).toBe(1);
    expect((await wide.score([rollout], { signal }))[0]?.reward).toBe(0);
  });

  test('reference shapes: a list of concepts, plain strings as one-name concepts', async () => {
    expect((await score({ completion: 'aspirin and heparin', reference: ['aspirin', ['heparin', 'UFH']] })).reward).toBe(1);
    expect((await score({ completion: 'aspirin', reference: ['aspirin', 'heparin'] })).reward).toBe(0.5);
  });

  test('no reference is skipped; malformed references are INVALID_REFERENCE', async () => {
    expect(await score({ completion: 'MI' })).toMatchObject({ status: 'skipped' });
    for (const bad of ['MI', 3, { concepts: [] }, { concepts: [[]] }, { concepts: [['MI', 4]] }, { concepts: [['MI']], forbidden: 'warfarin' }]) {
      expect((await score({ completion: 'MI', reference: bad })).error?.code).toBe('INVALID_REFERENCE');
    }
  });

  test('hostile input: 1 MB of mentions and 10k negations end with a result', async () => {
    expect((await score({ completion: 'MI aspirin PCI warfarin '.repeat(50_000), reference })).status).toBe('ok');
    expect((await score({ completion: 'no '.repeat(10_000) + 'MI', reference: [mi] })).reward).toBe(0);
  });

  test('isNegated: pre and post triggers, terminators, pseudo-triggers', () => {
    const at = (text: string, word: string) => {
      const start = text.indexOf(word);
      return isNegated(text, start, start + word.length);
    };
    expect(at('no fever', 'fever')).toBe(true);
    expect(at('fever was ruled out', 'fever')).toBe(true);
    expect(at('no cough but fever', 'fever')).toBe(false);
    expect(at('fever not ruled out', 'fever')).toBe(false);
    expect(at('there is fever', 'fever')).toBe(false);
    expect(at('negative for pneumonia', 'pneumonia')).toBe(true);
  });
});
