#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { RewardError, configJsonSchema, errorMessage, loadConfig, validateConfig, z, type Logger, type Registry, type ValidatedConfig } from './deps.js';
import { readJsonl } from './jsonl.js';
import { createProgressBar } from './progress.js';
import { defaultRegistry } from './registry.js';
import { componentWarnings, composerFor, scoreLines, summarize, type OutputRecord } from './score.js';

/** The streams the CLI uses, so tests can run it in-process. */
export interface CliIo {
  /** Input for `--input -`. */
  stdin: Readable;
  /** Scored JSONL and command output. */
  stdout: NodeJS.WritableStream;
  /** Progress, logs and errors. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const usage = `mixreward: score RL rollouts with reward functions and Mixed-Reward configs

Usage:
  mixreward score --config FILE [--input FILE|-] [--output FILE] [--concurrency N] [--timeout-ms N] [--progress]
  mixreward score --reward NAME [--with JSON] [--input FILE|-] [--output FILE]
  mixreward validate FILE          check a config without running anything
  mixreward list [--json]          every reward with its description and options
  mixreward schema                 the JSON Schema of configs, for editors
  mixreward demo [--output FILE]   score the bundled rollouts with the bundled config

Input is JSONL, one rollout per line ({"completion": ..., "reference": ..., "task": ...});
verl-shaped lines (solution_str, ground_truth, data_source) are accepted too.
Output is the input lines with reward, status, components, reason (and steps) merged in.`;

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The bundled demo config and rollouts. */
export const demoFiles = {
  config: resolve(appRoot, 'examples', 'demo.yaml'),
  input: resolve(appRoot, 'data', 'demo-rollouts.jsonl'),
  output: resolve(appRoot, 'out', 'demo-scored.jsonl'),
};

function stderrLogger(io: CliIo): Logger {
  const seen = new Set<string>();
  const write = (level: string, message: string) => {
    const line = `mixreward: ${level}${message}`;
    if (seen.has(line)) return;
    seen.add(line);
    io.stderr.write(`${line}\n`);
  };
  return { info: (message) => write('', message), warn: (message) => write('warning: ', message) };
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new RewardError('INVALID_INPUT', `${flag} must be a positive integer, got "${value}"`);
  return number;
}

/** Run the CLI with arguments (without `node` and the script). Resolves to the exit code. */
export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, registry: Registry = defaultRegistry()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'score':
        return await scoreCommand(rest, io, registry);
      case 'validate':
        return await validateCommand(rest, io, registry);
      case 'list':
        return listCommand(rest, io, registry);
      case 'schema':
        io.stdout.write(`${JSON.stringify(configJsonSchema(registry), null, 2)}\n`);
        return 0;
      case 'demo':
        return await demoCommand(rest, io, registry);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${usage}\n`);
        return command === undefined ? 2 : 0;
      default:
        io.stderr.write(`mixreward: unknown command "${command}"\n\n${usage}\n`);
        return 2;
    }
  } catch (error) {
    const code = RewardError.isInstance(error) ? ` [${error.code}]` : '';
    io.stderr.write(`mixreward: error${code}: ${errorMessage(error)}\n`);
    return RewardError.isInstance(error) && error.code !== 'INTERNAL' ? 1 : 70;
  }
}

async function scoreCommand(argv: string[], io: CliIo, registry: Registry): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      reward: { type: 'string', short: 'r' },
      with: { type: 'string' },
      input: { type: 'string', short: 'i', default: '-' },
      output: { type: 'string', short: 'o' },
      concurrency: { type: 'string' },
      'timeout-ms': { type: 'string' },
      progress: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const config = await configFromFlags(values, registry);
  const lines = await readJsonl(values.input as string, io.stdin);
  const records = await runScore(config, lines, io, registry, {
    concurrency: positiveInteger(values.concurrency, '--concurrency'),
    timeoutMs: positiveInteger(values['timeout-ms'], '--timeout-ms'),
    progress: values['no-progress'] ? false : values.progress ? true : undefined,
  });
  const text = records.map((record) => JSON.stringify(record)).join('\n') + (records.length > 0 ? '\n' : '');
  if (values.output) {
    await mkdir(dirname(resolve(values.output)), { recursive: true });
    await writeFile(values.output, text);
  } else io.stdout.write(text);
  return 0;
}

async function configFromFlags(values: { config?: string | undefined; reward?: string | undefined; with?: string | undefined }, registry: Registry): Promise<ValidatedConfig> {
  if (values.config && values.reward) throw new RewardError('INVALID_INPUT', 'give --config FILE or --reward NAME, not both');
  if (values.config) return loadConfig(values.config, registry);
  if (!values.reward) throw new RewardError('INVALID_INPUT', 'score needs --config FILE or --reward NAME (see `mixreward list`)');
  let options: unknown = {};
  if (values.with !== undefined) {
    try {
      options = JSON.parse(values.with);
    } catch (error) {
      throw new RewardError('INVALID_INPUT', `--with must be a JSON object: ${(error as Error).message}`);
    }
  }
  const name = values.reward.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  return validateConfig({ rewards: { [name]: { use: values.reward, with: options } }, mix: name }, registry);
}

async function runScore(
  config: ValidatedConfig,
  lines: Awaited<ReturnType<typeof readJsonl>>,
  io: CliIo,
  registry: Registry,
  options: { concurrency: number | undefined; timeoutMs: number | undefined; progress: boolean | undefined },
): Promise<OutputRecord[]> {
  const composer = composerFor(config, registry, { concurrency: options.concurrency, timeoutMs: options.timeoutMs, logger: stderrLogger(io) });
  const bar = createProgressBar(io.stderr, options.progress === undefined ? {} : { force: options.progress });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const records = await scoreLines(composer, lines, { onProgress: (event) => bar.update(event), signal: controller.signal });
    for (const warning of componentWarnings(records)) io.stderr.write(`mixreward: warning: ${warning}\n`);
    return records;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await composer.dispose();
  }
}

async function validateCommand(argv: string[], io: CliIo, registry: Registry): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true });
  if (positionals.length === 0) throw new RewardError('INVALID_INPUT', 'validate needs a config file');
  let failures = 0;
  for (const file of positionals) {
    try {
      const config = await loadConfig(file, registry);
      const names = [...config.components.keys()];
      io.stdout.write(`${file}: ok (${names.length} component${names.length === 1 ? '' : 's'}: ${names.join(', ')})\n`);
    } catch (error) {
      failures++;
      io.stderr.write(`${errorMessage(error)}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}

interface OptionInfo {
  name: string;
  type: string;
  default?: unknown;
  description?: string;
}

function optionsOf(schema: z.ZodType): OptionInfo[] {
  let json: { properties?: Record<string, { type?: unknown; enum?: unknown[]; default?: unknown; description?: string; anyOf?: unknown[] }> };
  try {
    json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as typeof json;
  } catch {
    return [];
  }
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const type = property.enum ? property.enum.map((value) => JSON.stringify(value)).join(' | ') : Array.isArray(property.type) ? property.type.join(' | ') : String(property.type ?? (property.anyOf ? 'union' : 'any'));
    const info: OptionInfo = { name, type };
    if (property.default !== undefined) info.default = property.default;
    if (property.description) info.description = property.description;
    return info;
  });
}

function listCommand(argv: string[], io: CliIo, registry: Registry): number {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  const rewards = registry.list().map((plugin) => ({
    name: plugin.name,
    description: plugin.description,
    follows: plugin.follows,
    reference: plugin.reference,
    options: optionsOf(plugin.options),
  }));
  if (values.json) {
    io.stdout.write(`${JSON.stringify(rewards, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  for (const reward of rewards) {
    out.push(`${reward.name}  ${reward.description}`);
    if (reward.follows) out.push(`    follows:   ${reward.follows}`);
    if (reward.reference) out.push(`    reference: ${reward.reference}`);
    for (const option of reward.options) {
      const fallback = option.default === undefined ? '' : ` = ${JSON.stringify(option.default)}`;
      out.push(`    --with.${option.name}: ${option.type}${fallback}${option.description ? `  ${option.description}` : ''}`);
    }
    out.push('');
  }
  io.stdout.write(`${out.join('\n')}`);
  return 0;
}

async function demoCommand(argv: string[], io: CliIo, registry: Registry): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' }, progress: { type: 'boolean' } } });
  const output = values.output ? resolve(values.output) : demoFiles.output;
  const config = await loadConfig(demoFiles.config, registry);
  const lines = await readJsonl(demoFiles.input, io.stdin);
  io.stdout.write(`Scoring ${lines.length} bundled rollouts with ${relative(process.cwd(), demoFiles.config)} (${config.components.size} components)\n`);
  const started = Date.now();
  const records = await runScore(config, lines, io, registry, { concurrency: undefined, timeoutMs: undefined, progress: values.progress });
  const seconds = (Date.now() - started) / 1000;
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  io.stdout.write(`${renderSummary(records)}\nScored ${records.length} rollouts in ${seconds.toFixed(2)} s; results in ${relative(process.cwd(), output)}\n`);
  return 0;
}

/** A readable per-task table: count, mean reward, status counts, and the mean of each component. */
export function renderSummary(records: readonly OutputRecord[]): string {
  const lines: string[] = [];
  for (const [task, summary] of summarize(records)) {
    const statuses = Object.entries(summary.statuses).map(([status, count]) => `${status} ${count}`).join(', ');
    lines.push(`\n${task}: ${summary.count} rollout${summary.count === 1 ? '' : 's'}, mean reward ${summary.meanReward === null ? 'n/a' : summary.meanReward.toFixed(3)} (${statuses})`);
    const components = Object.entries(summary.components).filter(([name]) => !name.includes('.'));
    for (const [name, mean] of components) lines.push(`    ${name.padEnd(22)} ${mean.toFixed(3)}`);
  }
  const warnings = componentWarnings(records);
  if (warnings.length > 0) lines.push('', ...warnings.map((warning) => `warning: ${warning}`));
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
