/**
 * The mixreward app: the CLI (`main`), the default registry of every reward, and the scoring
 * helpers the CLI and the reward server share.
 * @packageDocumentation
 */
export { main, renderSummary, demoFiles, type CliIo } from './cli.js';
export { defaultRegistry, rewardPackages, type RewardPackage } from './registry.js';
export { readJsonl, streamJsonl, maxLineLength, type InputLine, type SizedInputLine } from './jsonl.js';
export { scoreLines, summarize, composerFor, componentWarnings, componentWarningTracker, type OutputRecord, type ScoreLinesOptions, type TaskSummary } from './score.js';
export { scoreStream, countGroups, needsWholeGroups, type ScoreStreamOptions, type StreamProgress, type StreamSummary } from './stream-score.js';
export { createProgressBar } from './progress.js';
