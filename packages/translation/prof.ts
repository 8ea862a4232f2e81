import { generatePairs } from './bench/generate.ts';
import { sentenceTer } from './src/index.ts';
const pairs = generatePairs(3000);
let s = 0;
for (let r = 0; r < 3; r++) for (const p of pairs) s += sentenceTer(p.hypothesis, p.reference).score;
console.log(s);
