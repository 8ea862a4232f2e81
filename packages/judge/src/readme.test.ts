import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStandIn, tokenVerdict } from './__fixtures__/stand-in-server.js';
import { createJudgeVerifyReward } from './index.js';

test('the README example runs: the judge says yes to the boxed 3/4, and the hack never reaches it', async () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain(`console.log(hack.reward, hack.reason); // 0 'a bare reasoning opener "Thought process:" with no answer (judge not called)'`);
  const stand = await startStandIn(() => tokenVerdict('yes', 0.998));
  try {
    const reward = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'Qwen/Qwen2.5-7B-Instruct', template: 'math' });
    const [result] = await reward.score([{ prompt: 'What is 1/2 + 1/4?', completion: '<think>…</think>The sum is \\boxed{\\frac34}.', reference: '0.75' }], { signal: new AbortController().signal });
    expect(result?.reward).toBe(1);
    expect(result?.components?.p_yes).toBeCloseTo(0.998, 10);
    const [hack] = await reward.score([{ prompt: 'What is 1/2 + 1/4?', completion: 'Thought process:', reference: '0.75' }], { signal: new AbortController().signal });
    expect([hack?.reward, hack?.reason]).toEqual([0, 'a bare reasoning opener "Thought process:" with no answer (judge not called)']);
    expect(stand.received).toHaveLength(1);
    expect(stand.received[0]?.messages[1]?.content).toContain('<candidate_answer>\n\\frac34\n</candidate_answer>');
  } finally {
    await stand.close();
  }
});
