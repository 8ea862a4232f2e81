/**
 * How the hostile suite attacks each registered reward: its options, the sensible reference, a
 * correct completion (whose reward is the bar no hostile input may reach), and the attack.
 * A reward that is registered but has no profile runs with default options, no reference and
 * the generic attack; one that cannot be created that way fails the suite until it gets a profile.
 * @module
 */
import type { Attack } from './corpus.js';

/** The attack on one reward. */
export interface Profile {
  /**
   * `accuracy` and `format`: no hostile input may reach the correct completion's reward. `shaping`
   * (length and repetition penalties, not a judgement of correctness): only a defined, finite result.
   */
  kind: 'accuracy' | 'format' | 'shaping';
  /** Options in config form (`with`). */
  options?: Record<string, unknown>;
  /** The rollout's reference. */
  reference?: unknown;
  /** The rollout's meta. */
  meta?: Record<string, unknown>;
  /** The rollout's prompt. */
  prompt?: string;
  /** A completion that is right; it must score `ok`, and its reward is the bar. */
  correct: string;
  /** The corpus parameters. */
  attack: Attack;
  /** Corpus inputs (by name) whose format really is right, for a `format` reward (it judges format, not content). */
  wellFormed?: readonly string[];
  /** Only these corpus inputs (by name prefix), for rewards whose every input is expensive. */
  only?: readonly string[];
}

/** A reward the suite does not run, and why. */
export interface Skip {
  /** Why it is not in the rule-based suite. */
  skip: string;
}

const numbers = (answer: number, count = 30): string[] => Array.from({ length: count + 1 }, (_, index) => String(answer - 15 + index)).filter((value) => value !== String(answer));

const mathAttack: Attack = { question: 'What is 6 times 7? Put the final answer in \\boxed{}.', answer: '42', wrong: numbers(42) };
const boxAttack: Attack = {
  question: 'Find the bounding box of the cat in the image, as [x1, y1, x2, y2] in pixels.',
  answer: '[10,10,50,50]',
  wrong: ['[0,0,5,5]', '[60,60,90,90]', '[100,0,120,20]', '[0,80,20,99]', '[70,10,95,30]', '[55,55,60,60]'],
};
const translationAttack: Attack = {
  question: 'Translate into German: The dog sleeps in the garden.',
  answer: 'Der Hund schläft im Garten.',
  wrong: ['Die Katze isst.', 'Ich bin müde.', 'Das Haus ist rot.', 'Wir gehen nach Hause.'],
};

/** The profile of every reward the apps' registry holds today. */
export const profiles: Record<string, Profile | Skip> = {
  'format.tags': {
    kind: 'format',
    correct: '<think>6 times 7 is 42</think>\n<answer>42</answer>',
    attack: mathAttack,
    // Both have one non-empty <think> and one non-empty <answer>: right in format, wrong in content.
    wellFormed: ['spam:one-answer-tag', 'restated-question-tagged'],
  },
  'format.regex': {
    kind: 'format',
    options: { pattern: '<think>[^<]*[A-Za-z0-9][^<]*</think>\\s*<answer>\\s*-?\\d+\\s*</answer>' },
    correct: '<think>6 times 7 is 42</think>\n<answer>42</answer>',
    attack: mathAttack,
  },
  'match.exact': { kind: 'accuracy', reference: '42', correct: '<think>6 times 7</think><answer>42</answer>', attack: mathAttack },
  'match.choice': {
    kind: 'accuracy',
    reference: 'B',
    correct: 'The capital of France is Paris, so the answer is B.',
    attack: { question: 'Which is the capital of France? A) Lyon B) Paris C) Nice D) Lille', answer: 'B', wrong: ['A', 'C', 'D', 'E'] },
  },
  'length.cosine': { kind: 'shaping', meta: { correct: true }, correct: '<answer>42</answer>', attack: mathAttack },
  'length.overlong': { kind: 'shaping', correct: '<answer>42</answer>', attack: mathAttack },
  'repetition.ngram': { kind: 'shaping', correct: 'six times seven is forty two', attack: mathAttack },
  'math.verify': { kind: 'accuracy', reference: '42', correct: '6 \\times 7 = 42, so the answer is \\boxed{42}.', attack: mathAttack },
  'math.arithmetic': { kind: 'accuracy', correct: 'First, 6 × 7 = 42. Then 42 + 8 = 50.', attack: mathAttack },
  'vision.iou': { kind: 'accuracy', reference: { boxes: [[10, 10, 50, 50]] }, correct: 'The cat is at [10,10,50,50].', attack: boxAttack },
  'vision.match': { kind: 'accuracy', reference: { boxes: [[10, 10, 50, 50]] }, correct: '[[10,10,50,50]]', attack: boxAttack },
  'vision.point': {
    kind: 'accuracy',
    reference: { boxes: [[10, 10, 50, 50]] },
    correct: 'Click at (30, 30).',
    attack: { question: 'Where should I click to select the cat? Answer as (x, y).', answer: '(30,30)', wrong: ['(0,0)', '(80,80)', '(60,5)', '(5,70)', '(99,99)'] },
  },
  'vision.detection': {
    kind: 'accuracy',
    reference: { boxes: [{ bbox: [10, 10, 50, 50], label: 'cat' }] },
    correct: '[{"bbox_2d": [10, 10, 50, 50], "label": "cat"}]',
    attack: { ...boxAttack, answer: '{"bbox_2d": [10, 10, 50, 50], "label": "cat"}', wrong: boxAttack.wrong.map((box) => `{"bbox_2d": ${box}, "label": "cat"}`) },
  },
  'vision.count': {
    kind: 'accuracy',
    reference: 3,
    correct: 'I see three cats. <answer>3</answer>',
    attack: { question: 'How many cats are in the picture?', answer: '3', wrong: ['0', '1', '2', '4', '5', '6', '7'] },
  },
  'translation.bleu': { kind: 'accuracy', reference: 'Der Hund schläft im Garten.', meta: { target_lang: 'de' }, correct: 'Der Hund schläft im Garten.', attack: translationAttack },
  'translation.chrf': { kind: 'accuracy', reference: 'Der Hund schläft im Garten.', meta: { target_lang: 'de' }, correct: 'Der Hund schläft im Garten.', attack: translationAttack },
  'translation.ter': { kind: 'accuracy', reference: 'Der Hund schläft im Garten.', meta: { target_lang: 'de' }, correct: 'Der Hund schläft im Garten.', attack: translationAttack },
  // A language check judges the language, not the translation: the attack is text in other languages.
  'translation.language': {
    kind: 'format',
    meta: { target_lang: 'de' },
    correct: 'Der Hund schläft im Garten, und die Katze sitzt auf dem Dach des Hauses.',
    attack: {
      question: 'Translate into German: The dog sleeps in the garden.',
      answer: 'Der Hund schläft im Garten.',
      wrong: ['The dog sleeps in the garden.', 'I am tired today.', 'The house is red and old.', 'We are going home now.', 'Le chien dort.', 'El perro duerme.'],
    },
  },
  // A sandbox per rollout: its own bounded cases (short inputs only), each one a real bwrap run.
  'code.tests': {
    kind: 'accuracy',
    reference: { tests: [{ stdin: '6 7', stdout: '42' }] },
    correct: '```python\na, b = map(int, input().split())\nprint(a * b)\n```',
    attack: { question: 'Read two integers and print their product.', answer: '```python\nprint(42)\n```', wrong: ['```python\nprint(41)\n```', '```python\nprint(43)\n```'] },
    only: ['opener:', 'empty', 'whitespace', 'spam:boxed', 'format-only:', 'restated-question', 'control:', 'surrogate:lone', 'number:10k-digits', 'nan:'],
  },
  'code.reasoning': { skip: 'model-backed (an ONNX reward model)' },
  'math.prm': { skip: 'model-backed (an ONNX process reward model)' },
  'model.score': { skip: 'model-backed (an ONNX reward model)' },
  'text.similarity': { skip: 'model-backed (an ONNX embedding model)' },
  'translation.comet': { skip: 'model-backed (an ONNX COMET model)' },
  'vision.clip': { skip: 'model-backed (an ONNX CLIP model) and needs images' },
  'vision.ocr': { skip: 'model-backed (PP-OCR ONNX models) and needs images' },
  'video.tiou': {
    kind: 'accuracy',
    reference: { spans: [[12.5, 15]], duration: 60 },
    correct: 'The event happens from 12.5 to 15 seconds.',
    attack: { question: 'When does the person open the door? Answer as a time span in seconds.', answer: '12.5 to 15 seconds', wrong: ['0 to 60 seconds', '30 to 35 seconds', '1 to 2 seconds', '40 to 59 seconds', '20 to 25 seconds'] },
  },
  'video.order': {
    kind: 'accuracy',
    reference: { order: ['a', 'b', 'c', 'd'] },
    correct: 'The order is a, b, c, d.',
    attack: { question: 'Order the events c, a, d and b as they happen in the video.', answer: 'a, b, c, d', wrong: ['d, c, b, a', 'b, a, d, c', 'c, d, a, b', 'd, b, c, a'] },
  },
  'video.tube': {
    kind: 'accuracy',
    reference: { frames: { '0': [10, 10, 50, 50], '1': [12, 10, 52, 50], '2': [14, 10, 54, 50] } },
    correct: '{"0": [10, 10, 50, 50], "1": [12, 10, 52, 50], "2": [14, 10, 54, 50]}',
    attack: {
      question: 'Track the cat: give its box in frames 0, 1 and 2 as {"frame": [x1, y1, x2, y2]}.',
      answer: '{"0": [10, 10, 50, 50], "1": [12, 10, 52, 50], "2": [14, 10, 54, 50]}',
      wrong: ['{"0": [60, 60, 90, 90]}', '{"5": [10, 10, 50, 50]}', '{"0": [0, 0, 5, 5], "1": [0, 0, 5, 5]}', '{"2": [70, 70, 95, 95]}'],
    },
  },
  'video.clip': { skip: 'model-backed (an ONNX CLIP model) and needs a video' },
  'video.score': { skip: 'model-backed (an ONNX video reward model) and needs a video' },
  'medical.choice': {
    kind: 'accuracy',
    reference: { answer: 'B', options: { A: 'Insulin glargine', B: 'Metformin', C: 'Glipizide', D: 'Sitagliptin' } },
    correct: 'Metformin is first line, so the answer is B.',
    attack: { question: 'Which drug is first line for type 2 diabetes? A. Insulin glargine B. Metformin C. Glipizide D. Sitagliptin', answer: 'B', wrong: ['A', 'C', 'D', 'Insulin glargine', 'Glipizide'] },
  },
  'medical.yesno': {
    kind: 'accuracy',
    reference: 'no',
    correct: 'No. The trial found no significant difference in mortality.',
    attack: { question: 'Does drug X reduce mortality in sepsis?', answer: 'no', wrong: ['yes', 'maybe', 'yes, it does', 'probably yes'] },
  },
  'medical.concepts': {
    kind: 'accuracy',
    reference: { concepts: [['myocardial infarction', 'MI'], ['aspirin', 'ASA']], forbidden: [['warfarin']] },
    correct: 'This is an acute MI: give aspirin now.',
    attack: { question: 'A patient has crushing chest pain and ST elevation. What is the diagnosis and the first drug?', answer: 'MI and aspirin', wrong: ['no MI, no aspirin', 'pneumonia', 'give warfarin', 'anxiety'] },
  },
  'medical.semantic': { skip: 'model-backed (an ONNX embedding model)' },
  'finance.numeric': {
    kind: 'accuracy',
    reference: '$1.2 million',
    correct: 'Net income is revenue minus costs: the answer is $1.2 million.',
    attack: { question: 'Revenue was $5 million and costs were $3.8 million. What is net income?', answer: '$1.2 million', wrong: ['$1.1 million', '$8.8 million', '$3.8 million', '$5 million', '$1.3 million', '$12 million'] },
  },
  'finance.choice': {
    kind: 'accuracy',
    reference: 'AC',
    correct: 'Options A and C are both correct. The answer is A, C.',
    attack: { question: 'Which are current assets? A. Cash B. Goodwill C. Inventory D. Land', answer: 'AC', wrong: ['A', 'C', 'B', 'D', 'ABCD', 'BD'] },
  },
  'finance.format': {
    kind: 'format',
    correct: '<think>Revenue 5, costs 3.8.</think><answer>\\boxed{1.2}</answer>',
    attack: { question: 'What is net income?', answer: '1.2', wrong: ['1.1', '1.3', '8.8'] },
  },
  'finance.arithmetic': { kind: 'accuracy', correct: 'Net income: 5 - 3.8 = 1.2. Margin: 1.2 / 5 = 24%.', attack: { question: 'Compute net income and margin.', answer: '5 - 3.8 = 1.2', wrong: ['5 - 3.8 = 1.3', '5 - 3.8 = 2.2', '1.2 / 5 = 30%'] } },
  'finance.prm': { skip: 'model-backed (an ONNX process reward model)' },
  'judge.verify': { skip: 'model-backed (an LLM judge over HTTP); its package runs the One Token openers and echo hacks against a stand-in server, which receives no request' },
  'judge.rubric': { skip: 'model-backed (an LLM judge over HTTP); hardened in its package tests' },
  'judge.pairwise': { skip: 'model-backed (an LLM judge over HTTP); hardened in its package tests' },
};
