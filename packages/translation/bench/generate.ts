/** Deterministic hypothesis/reference pairs for the benchmark (mulberry32 PRNG, fixed seed). */
export interface Pair {
  hypothesis: string;
  reference: string;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'shi', 'ven', 'dor', 'al', 'ex', 'ium', 'pra', 'gel', 'ost', 'un'];
const PUNCTUATION = [',', '.', ';', '?', '!', ':'];

/**
 * `count` pairs of news-like sentences (10-40 words, mixed case, punctuation, numbers); each
 * reference is its hypothesis with about a fifth of the words substituted, dropped or inserted and
 * one phrase moved, so BLEU/chrF/TER see realistic partial overlap.
 */
export function generatePairs(count: number, seed = 20251122): Pair[] {
  const { sentence, perturb } = sentenceSource(seed);
  const pairs: Pair[] = [];
  for (let index = 0; index < count; index++) {
    const words = sentence();
    pairs.push({ hypothesis: `${words.join(' ')}.`, reference: `${perturb(words).join(' ')}.` });
  }
  return pairs;
}

/** One prompt of an RL batch: its references and the rollouts (hypotheses) scored against them. */
export interface Group {
  references: string[];
  hypotheses: string[];
}

/**
 * `count` groups as GRPO scores them: each prompt has 1-4 references (cycling) and
 * `rolloutsPerGroup` hypotheses, all perturbations of one sentence, so every hypothesis of a group
 * is scored against the same references.
 */
export function generateGroups(count: number, rolloutsPerGroup: number, seed = 20251123): Group[] {
  const { sentence, perturb } = sentenceSource(seed);
  const groups: Group[] = [];
  for (let index = 0; index < count; index++) {
    const words = sentence();
    const references = Array.from({ length: 1 + (index % 4) }, () => `${perturb(words).join(' ')}.`);
    const hypotheses = Array.from({ length: rolloutsPerGroup }, () => `${perturb(words).join(' ')}.`);
    groups.push({ references, hypotheses });
  }
  return groups;
}

function sentenceSource(seed: number): { sentence: () => string[]; perturb: (words: readonly string[]) => string[] } {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const vocabulary: string[] = [];
  for (let index = 0; index < 3000; index++) {
    const syllables = 1 + Math.floor(random() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(SYLLABLES);
    vocabulary.push(word);
  }
  // Zipf-like: frequent words first.
  const word = () => vocabulary[Math.floor(vocabulary.length * random() ** 3)] as string;
  const sentence = (): string[] => {
    const length = 10 + Math.floor(random() * 31);
    const words: string[] = [];
    for (let w = 0; w < length; w++) {
      let token = word();
      if (w === 0) token = token[0]!.toUpperCase() + token.slice(1);
      if (random() < 0.05) token = String(Math.floor(random() * 2000));
      if (random() < 0.08) token += pick(PUNCTUATION);
      words.push(token);
    }
    return words;
  };
  const perturb = (words: readonly string[]): string[] => {
    const reference: string[] = [];
    for (const token of words) {
      const roll = random();
      if (roll < 0.08) reference.push(word());
      else if (roll < 0.13) continue;
      else if (roll < 0.18) reference.push(token, word());
      else reference.push(token);
    }
    if (reference.length > 6) {
      const from = Math.floor(random() * (reference.length - 3));
      const moved = reference.splice(from, 3);
      reference.splice(Math.floor(random() * reference.length), 0, ...moved);
    }
    return reference;
  };
  return { sentence, perturb };
}
