import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createComposer, loadConfig, parseConfigText, validateConfig } from '@mixreward/core';
import { defaultRegistry } from './registry.js';

const example = join(import.meta.dirname, '..', '..', '..', 'packages', 'judge', 'examples', 'hybrid-math.yaml');
const registry = defaultRegistry();

test('the judge package\'s hybrid-math example validates with the app\'s registry', async () => {
  const validated = await loadConfig(example, registry);
  expect([...validated.components.keys()]).toEqual(['rule', 'judge']);
  expect(validated.mix.kind).toBe('cascade');
});

test('cascade: math.verify decides what it can; judge.verify is asked only where the rule abstains', async () => {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const parsed = JSON.parse(body) as { messages: { content: string }[] };
      asked.push(parsed.messages[1]?.content ?? '');
      const choice = { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'yes' }, logprobs: null };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [choice] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const raw = parseConfigText(readFileSync(example, 'utf8'), example) as { rewards: { judge: { with: Record<string, unknown> } } };
    raw.rewards.judge.with.base_url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const composer = createComposer(validateConfig(raw, registry), registry);
    const results = await composer.score([
      { prompt: 'Compute 1/2 + 1/4.', completion: 'So \\boxed{\\frac{3}{4}}', reference: '0.75' },
      { prompt: 'Compute 1/2 + 1/4.', completion: 'So \\boxed{\\frac{1}{4}}', reference: '0.75' },
      // A reference math.verify cannot parse (unbalanced braces): the rule abstains and the judge answers.
      { prompt: 'Which integers n make n^2 even?', completion: 'Exactly the even ones: \\boxed{n \\text{ even}}', reference: '\\text{all even integers}}{' },
    ]);
    await composer.dispose();
    expect(results.map((result) => [result.status, result.reward])).toEqual([
      ['ok', 1],
      ['ok', 0],
      ['ok', 1],
    ]);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('all even integers');
  } finally {
    server.close();
  }
});
