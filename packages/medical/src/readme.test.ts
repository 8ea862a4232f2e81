import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMedicalChoiceReward } from './index.js';

test('the README example runs and prints what it says', async () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain("console.log(result.reward, result.reason); // 1 \"chose B (read from the marker); reference B\"");
  const reward = await createMedicalChoiceReward();
  const [result] = await reward.score(
    [{ completion: 'The answer is (B) Metformin.', reference: { answer: 'B', options: { A: 'Insulin glargine', B: 'Metformin', C: 'Glipizide' } } }],
    { signal: new AbortController().signal },
  );
  expect([result?.reward, result?.reason]).toEqual([1, 'chose B (read from the marker); reference B']);
});
