/**
 * Naive baselines for the benchmark: direct JavaScript transliterations of sacreBLEU's Python
 * (string n-grams in plain objects, full edit-distance rows of [cost, op] pairs, no cache), run in
 * the same process so that the ratio to them does not depend on the machine.
 */
import { tokenize13a, tokenizeTercom } from '../src/index.js';

function counter(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

/** Sentence BLEU (13a, exp smoothing, effective order), sacreBLEU's loops with string n-grams. */
export function naiveSentenceBleu(hypothesis: string, reference: string): number {
  const hyp = tokenize13a(hypothesis.trimEnd()).split(' ').filter(Boolean);
  const ref = tokenize13a(reference.trimEnd()).split(' ').filter(Boolean);
  const correct = [0, 0, 0, 0];
  const total = [0, 0, 0, 0];
  for (let n = 1; n <= 4; n++) {
    const grams = (tokens: string[]) => {
      const out: string[] = [];
      for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
      return counter(out);
    };
    const hypGrams = grams(hyp);
    const refGrams = grams(ref);
    for (const [gram, count] of Object.entries(hypGrams)) {
      total[n - 1]! += count;
      correct[n - 1]! += Math.min(count, refGrams[gram] ?? 0);
    }
  }
  if (!correct.some(Boolean)) return 0;
  const bp = hyp.length < ref.length ? (hyp.length > 0 ? Math.exp(1 - ref.length / hyp.length) : 0) : 1;
  let smooth = 1;
  let order = 4;
  const precisions = [0, 0, 0, 0];
  for (let n = 1; n <= 4; n++) {
    if (total[n - 1] === 0) break;
    order = n;
    if (correct[n - 1] === 0) {
      smooth *= 2;
      precisions[n - 1] = 100 / (smooth * (total[n - 1] as number));
    } else precisions[n - 1] = (100 * (correct[n - 1] as number)) / (total[n - 1] as number);
  }
  return bp * Math.exp(precisions.slice(0, order).reduce((sum, p) => sum + (p === 0 ? -9999999999 : Math.log(p)), 0) / order);
}

/** Sentence chrF (defaults), sacreBLEU's loops with substring counters. */
export function naiveSentenceChrf(hypothesis: string, reference: string): number {
  const chars = (line: string) => Array.from(line.replace(/\s+/g, ''));
  const hyp = chars(hypothesis);
  const ref = chars(reference);
  let precision = 0;
  let recall = 0;
  let effective = 0;
  for (let n = 1; n <= 6; n++) {
    const grams = (items: string[]) => {
      const out: string[] = [];
      for (let i = 0; i + n <= items.length; i++) out.push(items.slice(i, i + n).join(''));
      return counter(out);
    };
    const hypGrams = grams(hyp);
    const refGrams = grams(ref);
    let match = 0;
    let hypCount = 0;
    for (const [gram, count] of Object.entries(hypGrams)) {
      hypCount += count;
      match += Math.min(count, refGrams[gram] ?? 0);
    }
    const refCount = Object.values(refGrams).reduce((sum, count) => sum + count, 0);
    if (hypCount > 0 && refCount > 0) {
      precision += match / hypCount;
      recall += match / refCount;
      effective++;
    }
  }
  if (effective === 0) return 0;
  precision /= effective;
  recall /= effective;
  return precision + recall ? (100 * 5 * precision * recall) / (4 * precision + recall) : 0;
}

type Cell = [number, string];

function editDistance(hyp: string[], ref: string[]): [number, string] {
  const width = ref.length + 1;
  const infinity = 1e16;
  const dist: Cell[][] = [Array.from({ length: width }, (_, j): Cell => [j, 'i'])];
  const ratio = hyp.length ? ref.length / hyp.length : 1;
  const beam = 25 < ratio / 2 ? Math.ceil(ratio / 2 + 25) : 25;
  for (let i = 1; i <= hyp.length; i++) {
    const row: Cell[] = Array.from({ length: width }, (): Cell => [infinity, 'x']);
    dist.push(row);
    const diagonal = Math.floor(i * ratio);
    const maxJ = i === hyp.length ? width : Math.min(width, diagonal + beam);
    for (let j = Math.max(0, diagonal - beam); j < maxJ; j++) {
      if (j === 0) {
        row[0] = [(dist[i - 1] as Cell[])[0]![0] + 1, 'd'];
        continue;
      }
      const same = hyp[i - 1] === ref[j - 1];
      const ops: Cell[] = [
        [(dist[i - 1] as Cell[])[j - 1]![0] + (same ? 0 : 1), same ? ' ' : 's'],
        [(dist[i - 1] as Cell[])[j]![0] + 1, 'd'],
        [row[j - 1]![0] + 1, 'i'],
      ];
      for (const op of ops) if (row[j]![0] > op[0]) row[j] = op;
    }
  }
  let trace = '';
  let i = hyp.length;
  let j = ref.length;
  while (i > 0 || j > 0) {
    const op = (dist[i] as Cell[])[j]![1];
    trace = op + trace;
    if (op === 's' || op === ' ') {
      i--;
      j--;
    } else if (op === 'i') j--;
    else i--;
  }
  return [(dist[hyp.length] as Cell[])[ref.length]![0], trace];
}

function shiftWords(words: string[], start: number, length: number, target: number): string[] {
  if (target < start) return [...words.slice(0, target), ...words.slice(start, start + length), ...words.slice(target, start), ...words.slice(start + length)];
  if (target > start + length) return [...words.slice(0, start), ...words.slice(start + length, target), ...words.slice(start, start + length), ...words.slice(target)];
  return [...words.slice(0, start), ...words.slice(start + length, length + target), ...words.slice(start, start + length), ...words.slice(length + target)];
}

/** Sentence TER (defaults), sacreBLEU's lib_ter without its cache. */
export function naiveSentenceTer(hypothesis: string, reference: string): number {
  let hyp = tokenizeTercom(hypothesis.trimEnd()).split(' ').filter(Boolean);
  const ref = tokenizeTercom(reference.trimEnd()).split(' ').filter(Boolean);
  if (ref.length === 0) return hyp.length > 0 ? 100 : 0;
  let shifts = 0;
  let checked = 0;
  for (;;) {
    const [preScore, inverse] = editDistance(hyp, ref);
    const trace = inverse.replace(/[id]/g, (op) => (op === 'i' ? 'd' : 'i'));
    const align: Record<number, number> = {};
    const hypErr: number[] = [];
    const refErr: number[] = [];
    let ph = -1;
    let pr = -1;
    for (const op of trace) {
      if (op === ' ' || op === 's') {
        ph++;
        pr++;
        align[pr] = ph;
        hypErr.push(op === 's' ? 1 : 0);
        refErr.push(op === 's' ? 1 : 0);
      } else if (op === 'i') {
        ph++;
        hypErr.push(1);
      } else {
        pr++;
        align[pr] = ph;
        refErr.push(1);
      }
    }
    let best: [number, number, number, number, string[]] | null = null;
    outer: for (let sh = 0; sh < hyp.length; sh++) {
      for (let sr = 0; sr < ref.length; sr++) {
        if (Math.abs(sr - sh) > 50) continue;
        let length = 0;
        while (hyp[sh + length] === ref[sr + length] && length < 10) {
          length++;
          const sum = (values: number[], from: number) => values.slice(from, from + length).reduce((a, b) => a + b, 0);
          if (sum(hypErr, sh) > 0 && sum(refErr, sr) > 0 && !(sh <= align[sr]! && align[sr]! < sh + length)) {
            let previous = -1;
            for (let offset = -1; offset < length; offset++) {
              let idx: number;
              if (sr + offset === -1) idx = 0;
              else if (sr + offset in align) idx = align[sr + offset]! + 1;
              else break;
              if (idx === previous) continue;
              previous = idx;
              const shifted = shiftWords(hyp, sh, length, idx);
              const candidate: [number, number, number, number, string[]] = [preScore - editDistance(shifted, ref)[0], length, -sh, -idx, shifted];
              checked++;
              if (!best || candidate[0] > best[0] || (candidate[0] === best[0] && (candidate[1] > best[1] || (candidate[1] === best[1] && (candidate[2] > best[2] || (candidate[2] === best[2] && candidate[3] > best[3]))))))
                best = candidate;
            }
            if (checked >= 1000) break outer;
          }
          if (hyp.length === sh + length || ref.length === sr + length) break;
        }
      }
    }
    if (checked >= 1000 || !best || best[0] <= 0) break;
    shifts++;
    hyp = best[4];
  }
  return (100 * (shifts + editDistance(hyp, ref)[0])) / ref.length;
}
