import { readFileSync } from 'node:fs';
import { sentenceBleu, sentenceChrf } from './src/index.ts';
const rows = JSON.parse(readFileSync('/tmp/oracle/metrics.json', 'utf8'));
let worst = 0; let bad = 0;
for (const r of rows) {
  const got: Record<string, number> = {
    bleu13a: sentenceBleu(r.h, r.refs).score,
    bleuIntlFloor: sentenceBleu(r.h, r.refs, { tokenize: 'intl', smoothMethod: 'floor' }).score,
    bleuZhAddk: sentenceBleu(r.h, r.refs, { tokenize: 'zh', smoothMethod: 'add-k', smoothValue: 2 }).score,
    bleuCharLcNone: sentenceBleu(r.h, r.refs, { tokenize: 'char', smoothMethod: 'none', lowercase: true }).score,
    bleuNoEff: sentenceBleu(r.h, r.refs, { effectiveOrder: false }).score,
    chrf: sentenceChrf(r.h, r.refs).score, chrfpp: sentenceChrf(r.h, r.refs, { wordOrder: 2 }).score, chrfEps: sentenceChrf(r.h, r.refs, { beta: 3, epsSmoothing: true }).score,
  };
  for (const [k, v] of Object.entries(got)) { const d = Math.abs(v - r[k]); worst = Math.max(worst, d); if (d > 1e-9) { bad++; if (bad < 5) console.log(k, JSON.stringify(r.h), JSON.stringify(r.refs), r[k], v); } }
}
console.log('rows', rows.length, 'bad', bad, 'worst', worst);
