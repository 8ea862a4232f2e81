import { generatePairs } from './bench/generate.ts';
import { sentenceBleu, sentenceChrf } from './src/index.ts';
import { naiveSentenceBleu, naiveSentenceChrf } from './bench/naive.ts';
const pairs = generatePairs(3000);
function cpu(fn: (h: string, r: string) => number) { let best = 1e9; for (let k = 0; k < 3; k++) { const c = process.cpuUsage(); for (const p of pairs) fn(p.hypothesis, p.reference); const u = process.cpuUsage(c); best = Math.min(best, (u.user + u.system) / 1e6); } return pairs.length / best; }
for (let rep = 0; rep < 2; rep++) {
  const a = cpu((h, r) => sentenceBleu(h, r).score), b = cpu(naiveSentenceBleu);
  const c = cpu((h, r) => sentenceChrf(h, r).score), d = cpu(naiveSentenceChrf);
  console.log('bleu', a.toFixed(0), 'naive', b.toFixed(0), (a / b).toFixed(2), '| chrf', c.toFixed(0), 'naive', d.toFixed(0), (c / d).toFixed(2));
}
