import { startStandIn, type ReceivedRequest, type StandIn } from './__fixtures__/stand-in-server.js';
import { createJudgePairwiseReward, pairOutcome, parsePreference } from './index.js';

const signal = new AbortController().signal;
let stand: StandIn | undefined;
afterEach(async () => {
  await stand?.close();
  stand = undefined;
});

// A judge that prefers the response holding "BEST" wherever it stands, and otherwise always says A
// (pure position bias, which the swapped order must turn into a tie).
function biasedJudge(request: ReceivedRequest): { content: string } {
  const user = request.messages[1]?.content ?? '';
  const a = /<response_a>\n([\s\S]*?)\n<\/response_a>/.exec(user)?.[1] ?? '';
  const b = /<response_b>\n([\s\S]*?)\n<\/response_b>/.exec(user)?.[1] ?? '';
  if (a.includes('BEST')) return { content: 'A' };
  if (b.includes('BEST')) return { content: 'B' };
  return { content: 'A' };
}

test('a group: the better response wins both orders; position bias becomes a tie; a hack is 0 and never compared', async () => {
  stand = await startStandIn(biasedJudge);
  const scorer = await createJudgePairwiseReward({ base_url: stand.baseUrl, model: 'judge-1' });
  const prompt = 'Add 48 and 24.';
  const results = await scorer.score(
    [
      { prompt, completion: 'BEST: 48 + 24 = 72', meta: { group: 'p1' } },
      { prompt, completion: '48 + 24 = 70', meta: { group: 'p1' } },
      { prompt, completion: '48 + 24 = 71', meta: { group: 'p1' } },
      { prompt, completion: 'Thought process:', meta: { group: 'p1' } },
      { prompt, completion: 'alone: 72', meta: { group: 'p2' } },
    ],
    { signal },
  );
  // BEST beats both (1); 70 and 71 each lose to BEST (0) and tie each other (0.5): (0 + 0.5) / 2.
  expect(results.map((result) => [result.status, result.reward])).toEqual([
    ['ok', 1],
    ['ok', 0.25],
    ['ok', 0.25],
    ['ok', 0],
    ['skipped', null],
  ]);
  expect(results[1]?.components).toEqual({ win_rate: 0.25 });
  expect(stand.received).toHaveLength(6);
});

test('against the reference: a tie when the orders disagree; no reference is skipped', async () => {
  stand = await startStandIn(biasedJudge);
  const scorer = await createJudgePairwiseReward({ base_url: stand.baseUrl, model: 'judge-1', against: 'reference' });
  const results = await scorer.score(
    [
      { prompt: 'q', completion: 'BEST 72', reference: '72' },
      { prompt: 'q', completion: '71', reference: '72' },
      { prompt: 'q', completion: '71' },
    ],
    { signal },
  );
  expect(results.map((result) => [result.status, result.reward])).toEqual([
    ['ok', 1],
    ['ok', 0.5],
    ['skipped', null],
  ]);
});

test('a reply that is not A or B is an error for the rollouts of that pair', async () => {
  stand = await startStandIn(() => ({ content: 'Both are fine.' }));
  const scorer = await createJudgePairwiseReward({ base_url: stand.baseUrl, model: 'judge-1' });
  const results = await scorer.score(
    [
      { completion: 'one', group: 1 },
      { completion: 'two', group: 1 },
    ],
    { signal },
  );
  for (const result of results) expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE' } });
});

test('parsePreference and pairOutcome', () => {
  expect(['A', ' b. ', '**A**', '(B)', 'A or B', 'C', ''].map(parsePreference)).toEqual(['A', 'B', 'A', 'B', undefined, undefined, undefined]);
  expect([pairOutcome('A', 'B'), pairOutcome('B', 'A'), pairOutcome('A', 'A'), pairOutcome('B', 'B')]).toEqual([1, 0, 0.5, 0.5]);
});
