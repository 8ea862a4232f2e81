import { generatePairs } from './bench/generate.ts';
import { sentenceBleu, sentenceChrf } from './src/index.ts';
const pairs = generatePairs(5000);
const which = process.argv[2];
let s = 0;
for (let r = 0; r < 4; r++) for (const p of pairs) s += which === 'chrf' ? sentenceChrf(p.hypothesis, p.reference).score : sentenceBleu(p.hypothesis, p.reference).score;
console.log(s);
