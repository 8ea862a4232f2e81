import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmbeddingModel, buildSequenceScoreModel, DEFAULT_WORDS, type EmbeddingModel } from '@mixreward/model-builder';
import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { DEFAULT_ANCHORS, createMedicalSemanticReward, spreadGroup } from './index.js';

const signal = new AbortController().signal;
const medicalWords = `patient has acute myocardial infarction heart attack give aspirin heparin start statin
  pneumonia antibiotics fever cough viral rest fluids unclear doctor consult more information needed know
  do i not answer the is are a of and to with`.split(/\s+/).filter(Boolean);
let built: EmbeddingModel;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixreward-medical-'));
  built = await buildEmbeddingModel({ dir: join(dir, 'embed'), seed: 7, words: [...new Set([...DEFAULT_WORDS, ...medicalWords])] });
});

// Independent maths: the builder's plain-TypeScript embeddings (not the ONNX runtime under test).
function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let left = 0;
  let right = 0;
  a.forEach((value, index) => {
    dot += value * (b[index] as number);
    left += value * value;
    right += (b[index] as number) ** 2;
  });
  return dot / Math.sqrt(left * right);
}
function expected(answer: string, reference: string, question?: string): { raw: number; baseline: number; calibrated: number } {
  const target = built.embed(reference);
  const raw = cosine(built.embed(answer), target);
  const anchors = [...DEFAULT_ANCHORS, ...(question ? [question] : [])];
  const baseline = Math.max(...anchors.map((anchor) => cosine(built.embed(anchor), target)));
  return { raw, baseline, calibrated: Math.min(1, Math.max(0, (raw - baseline) / (1 - baseline))) };
}

async function scoreAll(scorer: Scorer, rollouts: Rollout[]): Promise<RewardResult[]> {
  return scorer.score(rollouts, { signal });
}

const reference = 'acute myocardial infarction give aspirin and heparin';
// A group ordered by how much of the reference each answer says (the tiny model's embeddings are
// random, so meaning is token overlap here): all of it, most, half, one word, none.
const group = [
  'acute myocardial infarction give aspirin and heparin',
  'acute myocardial infarction give aspirin',
  'myocardial infarction give statin',
  'pneumonia give antibiotics',
  'viral fever rest fluids',
];

describe('medical.semantic', () => {
  test('raw cosine collapses on a crafted group; the calibrated reward keeps the answers apart (figures in the README)', async () => {
    const raw = await createMedicalSemanticReward({ model: join(dir, 'embed'), device: 'cpu', calibration: 'none' });
    const calibrated = await createMedicalSemanticReward({ model: join(dir, 'embed'), device: 'cpu' });
    const rollouts = group.map((completion, index) => ({ id: index, completion, reference, meta: { group: 'q1' } }));
    const rawResults = await scoreAll(raw, rollouts);
    const calibratedResults = await scoreAll(calibrated, rollouts);
    const rawRewards = rawResults.map((result) => result.reward as number);
    const calibratedRewards = calibratedResults.map((result) => result.reward as number);
    // Raw cosine: every answer, right or wrong, within a narrow band.
    const rawExpected = group.map((answer) => Math.max(0, expected(answer, reference).raw));
    rawRewards.forEach((value, index) => expect(value).toBeCloseTo(rawExpected[index] as number, 5));
    const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
    // Calibrated: baseline subtraction, then the group stretched around its mean.
    const stage1 = group.map((answer) => expected(answer, reference).calibrated);
    const stage2 = spreadGroup(stage1, 0.5, 5).values;
    calibratedRewards.forEach((value, index) => expect(value).toBeCloseTo(stage2[index] as number, 5));
    expect(spread(calibratedRewards)).toBeGreaterThan(spread(rawRewards));
    // The order is kept: more of the reference, more reward.
    for (let index = 1; index < group.length; index++) expect(calibratedRewards[index]).toBeLessThanOrEqual(calibratedRewards[index - 1] as number);
    expect(calibratedRewards[1]).toBeGreaterThan(calibratedRewards[3] as number);
    expect(calibratedResults[0]?.components?.group_spread).toBeCloseTo(spread(group.map((answer) => expected(answer, reference).raw)), 5);
    await raw.dispose?.();
    await calibrated.dispose?.();
  });

  test('baseline calibration uses the question as an anchor: restating the question earns nothing', async () => {
    const scorer = await createMedicalSemanticReward({ model: join(dir, 'embed'), device: 'cpu', calibration: 'baseline' });
    const question = 'patient has acute myocardial infarction what do i give';
    const [restated] = await scoreAll(scorer, [{ completion: question, prompt: question, reference }]);
    const want = expected(question, reference, question);
    expect(restated?.reward).toBeCloseTo(want.calibrated, 5);
    expect(restated?.reward).toBe(0);
    await scorer.dispose?.();
  });

  test('spreadGroup keeps the mean, caps the gain, leaves a wide or uniform group alone', () => {
    const stretched = spreadGroup([0.4, 0.5, 0.6], 0.5, 5);
    expect(stretched.gain).toBeCloseTo(2.5, 12);
    expect(stretched.values.map((value) => Number(value.toFixed(12)))).toEqual([0.25, 0.5, 0.75]);
    expect(spreadGroup([0.5, 0.5001], 0.5, 5).gain).toBe(5);
    expect(spreadGroup([0.1, 0.9], 0.5, 5)).toEqual({ values: [0.1, 0.9], gain: 1 });
    expect(spreadGroup([0.3, 0.3], 0.5, 5)).toEqual({ values: [0.3, 0.3], gain: 1 });
    expect(spreadGroup([0.9], 0.5, 5)).toEqual({ values: [0.9], gain: 1 });
  });

  test('no reference is skipped, a malformed one is INVALID_REFERENCE, an empty answer scores 0, a wrong model kind is refused', async () => {
    const scorer = await createMedicalSemanticReward({ model: join(dir, 'embed'), device: 'cpu' });
    const [missing, malformed, empty] = await scoreAll(scorer, [{ completion: 'aspirin' }, { completion: 'aspirin', reference: 42 }, { completion: '   ', reference }]);
    expect(missing).toMatchObject({ status: 'skipped', reward: null });
    expect(malformed?.error?.code).toBe('INVALID_REFERENCE');
    expect(empty).toMatchObject({ status: 'ok', reward: 0 });
    await scorer.dispose?.();
    await scorer.dispose?.();
    await buildSequenceScoreModel({ dir: join(dir, 'score') });
    await expect(createMedicalSemanticReward({ model: join(dir, 'score'), device: 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createMedicalSemanticReward({ model: join(dir, 'missing'), device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });
});
