// The README performance table is made from `pnpm bench`'s output: turbo prefixes every line with
// its task, some lines are not JSON, and each bench names its headline differently.
// @ts-expect-error: a plain ES module script without declarations
import { benchLines, rows, table } from '../bench-report.mjs';

const log = [
  '@mixreward/core:bench: > node --conditions=@mixreward/source --import tsx bench/composer.bench.ts',
  '@mixreward/core:bench: {"bench":"core.composer-overhead","rollouts":100000,"directMs":2000,"composerMs":2100.4,"overhead":0.05,"goal":"overhead < 0.10"}',
  '@mixreward/translation:bench: {"bench":"translation.bleu","workload":"pairs","perSecond":221135,"ratioToObject":14.2,"ratio":14.2}',
  '{"bench":"video.tiou-parses-and-scores-per-second","scorerPerSecond":153766,"parseAndIouPerSecond":306697,"baseline":"single regex | tIoU","ratio":0.057,"goalPerSecond":200000,"meetsGoal":true}',
  '@mixreward/x:bench: {"bench":"cut off',
  '{"not":"a bench"}',
  ' WARN  Unsupported engine',
].join('\n');

describe('bench report', () => {
  test('keeps only whole JSON bench lines, wherever turbo put them', () => {
    expect(benchLines(log).map((line: { bench: string }) => line.bench)).toEqual(['core.composer-overhead', 'translation.bleu', 'video.tiou-parses-and-scores-per-second']);
  });

  test('one row per line: case, headline figure, ratio, baseline (pipes escaped), goal', () => {
    expect(rows(benchLines(log))).toEqual([
      ['`core.composer-overhead`', '', 'composerMs 2,100', 'overhead 0.05', '', 'overhead < 0.10'],
      ['`translation.bleu`', 'workload pairs', 'perSecond 221,135', 'ratioToObject 14.2', '', ''],
      ['`video.tiou-parses-and-scores-per-second`', '', 'parseAndIouPerSecond 306,697', 'ratio 0.057', 'single regex \\| tIoU', '200,000 (met)'],
    ]);
  });

  test('the table names the machine and has a row per line', () => {
    const text = table(benchLines(log), { date: '2026-12-06', cpu: 'AMD EPYC', cores: 2, memoryGiB: 24, node: 'v22.23.5', loadAverage: [3.3, 5.1] });
    expect(text).toContain('on 2026-12-06: AMD EPYC, 2 cores, 24 GiB, Node v22.23.5, load average 3.3 → 5.1');
    expect(text.split('\n').filter((line: string) => line.startsWith('| `'))).toHaveLength(3);
  });
});
