#!/usr/bin/env node
import { stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { RewardError, configJsonSchema, errorMessage, loadConfig, validateConfig, z, type Logger, type Registry, type ValidatedConfig } from './deps.js';
import { readJsonl, streamJsonl } from './jsonl.js';
import { OutputWriteError, openOutputFile, streamSink, type OutputSink } from './output.js';
import { createProgressBar } from './progress.js';
import { fullRegistry, registryFor, registryForConfig } from './lazy-registry.js';
import { componentWarningTracker, componentWarnings, composerFor, summarize, type OutputRecord } from './score.js';
import { countGroups, needsWholeGroups, scoreStream, type StreamSummary } from './stream-score.js';

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
                  [--group-size N]  (stdin with group transforms: members per group)
  mixreward score --reward NAME [--with JSON] [--input FILE|-] [--output FILE]
  mixreward validate FILE          check a config without running anything
  mixreward list [--json]          every reward with its description and options
  mixreward schema                 the JSON Schema of configs, for editors
  mixreward demo [--output FILE]   score the bundled multi-task rollouts with configs/multi-task.yaml
  mixreward serve --config FILE [--host 127.0.0.1] [--port 8000] [--token-env NAME] [--on-skip N]
                  [--max-batch N] [--max-wait-ms N] [--timeout-ms N]
                                   the reward server (POST /v1/score, OpenRLHF's POST /get_reward,
                                   GET /health, /metrics, /v1/config, /v1/rewards)
  mixreward explain --config FILE --input ROLLOUT.json
                                   the composed reward of one rollout as a tree

Input is streamed: results are written in input order as chunks finish, in bounded memory. With a
group transform (rank/zscore) a group is scored once complete: a file is read twice (first pass:
group sizes); stdin holds open groups until they reach --group-size / meta.group_size, or the end.
Output goes to a temporary file renamed over --output FILE when the run completes, so a failed or
interrupted run never leaves a truncated file. SIGINT/SIGTERM stop the run (exit 130/143) and say
how far it got; a failure to write (disk full) exits 74.

Input is JSONL, one rollout per line ({"completion": ..., "reference": ..., "task": ...});
verl-shaped lines (solution_str, ground_truth, data_source) are accepted too.
Output is the input lines with reward, status, components, reason (and steps) merged in.`;

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The bundled demo config (multi-task, Mixed-R1 style) and its rollouts. */
export const demoFiles = {
  config: resolve(appRoot, 'configs', 'multi-task.yaml'),
  input: resolve(appRoot, 'data', 'multi-task-rollouts.jsonl'),
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

/**
 * Run the CLI with arguments (without `node` and the script). Resolves to the exit code.
 * @param registry the rewards; default: every mixreward package's (`score` loads only the packages
 *   its rewards live in, which keeps start-up short)
 */
export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, registry?: Registry): Promise<number> {
  const [command, ...rest] = argv;
  const full = async () => registry ?? (await fullRegistry());
  try {
    switch (command) {
      case 'score':
        return await scoreCommand(rest, io, registry);
      case 'validate':
        return await validateCommand(rest, io, await full());
      case 'list':
        return listCommand(rest, io, await full());
      case 'schema':
        io.stdout.write(`${JSON.stringify(configJsonSchema(await full()), null, 2)}\n`);
        return 0;
      case 'demo':
        return await demoCommand(rest, io, await full());
      case 'serve':
        return await serveCommand(rest, io, await full());
      case 'explain':
        return await explainCommand(rest, io, await full());
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
    if (error instanceof OutputWriteError) {
      io.stderr.write(`mixreward: error: ${error.message}\n`);
      return error.exitCode;
    }
    const code = RewardError.isInstance(error) ? ` [${error.code}]` : '';
    io.stderr.write(`mixreward: error${code}: ${errorMessage(error)}\n`);
    return RewardError.isInstance(error) && error.code !== 'INTERNAL' ? 1 : 70;
  }
}

async function scoreCommand(argv: string[], io: CliIo, given: Registry | undefined): Promise<number> {
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
      'group-size': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const registry = given ?? (values.config && !values.reward ? await registryForConfig(values.config) : await registryFor(values.reward ? [values.reward] : []));
  const config = await configFromFlags(values, registry);
  const groupSize = positiveInteger(values['group-size'], '--group-size');
  const input = values.input as string;
  const sink = values.output ? await openOutputFile(values.output) : streamSink(io.stdout);
  let outcome: Awaited<ReturnType<typeof runScore>>;
  try {
    outcome = await runScore(config, input, io, registry, {
      concurrency: positiveInteger(values.concurrency, '--concurrency'),
      timeoutMs: positiveInteger(values['timeout-ms'], '--timeout-ms'),
      progress: values['no-progress'] ? false : values.progress ? true : undefined,
      groupSize,
    }, (record) => sink.write(`${JSON.stringify(record)}\n`));
  } catch (error) {
    await sink.discard();
    throw error;
  }
  if (outcome.stoppedBy) {
    await sink.discard();
    return reportStop(io, outcome.stoppedBy, outcome.summary, values.output ? `--output ${values.output}` : undefined);
  }
  await sink.commit();
  return 0;
}

const signalNumbers = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof signalNumbers;

/**
 * Say where a run stopped by a signal was. A file output is left as it was (no partial output);
 * standard output already holds the records written so far, in input order. Exit code 128 + the
 * signal number.
 */
function reportStop(io: CliIo, signal: StopSignal, summary: StreamSummary, file: string | undefined): number {
  const where = file === undefined
    ? `the first ${summary.written} records were already written to standard output, in input order`
    : `nothing was written to ${file} (no partial output)`;
  io.stderr.write(`mixreward: stopped by ${signal} after ${summary.finished} of ${summary.read} rollouts were scored; ${where}\n`);
  return 128 + signalNumbers[signal];
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

/**
 * Stream the input through the composer, handing each output record to `write` in input order.
 * Warns on stderr about components that gave no rollout a score, and (stdin with group transforms)
 * how many records waited for their group.
 */
async function runScore(
  config: ValidatedConfig,
  input: string,
  io: CliIo,
  registry: Registry,
  options: { concurrency: number | undefined; timeoutMs: number | undefined; progress: boolean | undefined; groupSize?: number | undefined },
  write: (record: OutputRecord) => void | Promise<void>,
): Promise<{ summary: StreamSummary; stoppedBy: StopSignal | undefined }> {
  // A second pass needs a regular file: stdin, a pipe or a device is read once (groups held).
  const rereadable = input !== '-' && (await stat(input).then((info) => info.isFile(), () => false));
  const mode = !needsWholeGroups(config, registry) ? 'none' : rereadable ? 'sized' : 'hold';
  const groupSizes = mode === 'sized' ? await countGroups(streamJsonl(input, io.stdin)) : undefined;
  // Rollouts' relative media paths resolve against the input file's folder (stdin: the working directory).
  const mediaDir = input === '-' ? process.cwd() : dirname(resolve(input));
  const composer = composerFor(config, registry, { concurrency: options.concurrency, timeoutMs: options.timeoutMs, mediaDir, logger: stderrLogger(io) });
  const bar = createProgressBar(io.stderr, options.progress === undefined ? {} : { force: options.progress });
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  // First SIGINT/SIGTERM: cancel (workers and sandboxes are stopped, pending rollouts become
  // ABORTED), then report where it stopped. A second one exits at once.
  const handlers = (Object.keys(signalNumbers) as StopSignal[]).map((signal) => {
    const handler = () => {
      if (stoppedBy) process.exit(128 + signalNumbers[signal]);
      stoppedBy = signal;
      io.stderr.write(`mixreward: ${signal} received: stopping (send it again to exit at once)\n`);
      controller.abort(new RewardError('ABORTED', `stopped by ${signal}`));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const tracker = componentWarningTracker();
  try {
    const summary = await scoreStream(
      composer,
      streamJsonl(input, io.stdin),
      (record) => {
        tracker.add(record);
        return write(record);
      },
      {
        groups: mode,
        ...(groupSizes ? { groupSizes } : {}),
        ...(options.groupSize !== undefined ? { groupSize: options.groupSize } : {}),
        signal: controller.signal,
        onProgress: (event) => bar.update(event, false, mode === 'none' ? undefined : `open groups ${event.openGroups} held ${event.heldRecords} (${(event.heldBytes / 1048576).toFixed(1)} MiB)`),
      },
    );
    if (!stoppedBy) {
      for (const warning of tracker.warnings()) io.stderr.write(`mixreward: warning: ${warning}\n`);
      if (mode === 'hold' && summary.peakOpenGroups > 0) {
        io.stderr.write(`mixreward: group transforms on stdin: up to ${summary.peakOpenGroups} open groups and ${summary.peakHeldRecords} records were held until their groups completed (give --group-size N or meta.group_size, or a file, which is read twice, to release groups early)\n`);
      }
    }
    return { summary, stoppedBy };
  } finally {
    bar.finish();
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
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
    if (reward.options.length > 0) out.push(`    options (score --with '{"<name>": value}', or the config's \`with:\`):`);
    for (const option of reward.options) {
      const fallback = option.default === undefined ? '' : ` = ${JSON.stringify(option.default)}`;
      out.push(`      ${option.name}: ${option.type}${fallback}${option.description ? `  ${option.description}` : ''}`);
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
  io.stdout.write(`Scoring the bundled rollouts ${relative(process.cwd(), demoFiles.input)} with ${relative(process.cwd(), demoFiles.config)} (${config.components.size} components)\n`);
  const started = Date.now();
  const records: OutputRecord[] = [];
  const sink: OutputSink = await openOutputFile(output);
  let outcome: Awaited<ReturnType<typeof runScore>>;
  try {
    outcome = await runScore(config, demoFiles.input, io, registry, { concurrency: undefined, timeoutMs: undefined, progress: values.progress }, (record) => {
      records.push(record);
      return sink.write(`${JSON.stringify(record)}\n`);
    });
  } catch (error) {
    await sink.discard();
    throw error;
  }
  if (outcome.stoppedBy) {
    await sink.discard();
    return reportStop(io, outcome.stoppedBy, outcome.summary, relative(process.cwd(), output));
  }
  await sink.commit();
  const seconds = (Date.now() - started) / 1000;
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
    if (summary.firstProblem !== undefined) lines.push(`    first error/timeout:   ${summary.firstProblem}`);
  }
  const warnings = componentWarnings(records);
  if (warnings.length > 0) lines.push('', ...warnings.map((warning) => `warning: ${warning}`));
  return lines.join('\n');
}

// Through npm's bin symlink (node_modules/.bin/mixreward) argv[1] names the link: compare real paths.
const invokedDirectly = process.argv[1] !== undefined && realPath(resolve(process.argv[1])) === realPath(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function nonNegativeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new RewardError('INVALID_INPUT', `${flag} must be a number >= 0, got "${value}"`);
  return number;
}

async function serveCommand(argv: string[], io: CliIo, registry: Registry): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: process.env.MIXREWARD_PORT ?? '8000' },
      'token-env': { type: 'string' },
      'on-skip': { type: 'string' },
      'max-batch': { type: 'string' },
      'max-wait-ms': { type: 'string' },
      'max-pending': { type: 'string' },
      'timeout-ms': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'media-root': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.config) throw new RewardError('INVALID_INPUT', 'serve needs --config FILE');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RewardError('INVALID_INPUT', `--port must be an integer in [0, 65535], got "${values.port}"`);
  let token: string | undefined;
  if (values['token-env'] !== undefined) {
    token = process.env[values['token-env']];
    if (!token) throw new RewardError('INVALID_INPUT', `--token-env ${values['token-env']}: that environment variable is empty or unset`);
  }
  const onSkip = values['on-skip'] === undefined ? undefined : Number(values['on-skip']);
  if (onSkip !== undefined && !Number.isFinite(onSkip)) throw new RewardError('INVALID_INPUT', `--on-skip must be a number, got "${values['on-skip']}"`);
  const logger = stderrLogger(io);
  const maxBatch = positiveInteger(values['max-batch'], '--max-batch');
  const maxWaitMs = nonNegativeNumber(values['max-wait-ms'], '--max-wait-ms');
  const maxPending = positiveInteger(values['max-pending'], '--max-pending');
  const timeoutMs = positiveInteger(values['timeout-ms'], '--timeout-ms');
  const requestTimeoutMs = positiveInteger(values['request-timeout-ms'], '--request-timeout-ms');
  const { createRewardServer } = await import('./server/server.js');
  const server = await createRewardServer({
    configPath: values.config,
    registry,
    host: values.host as string,
    port,
    logger,
    ...(token !== undefined ? { token } : {}),
    ...(onSkip !== undefined ? { onSkip } : {}),
    ...(maxBatch !== undefined ? { maxBatch } : {}),
    ...(maxWaitMs !== undefined ? { maxWaitMs } : {}),
    ...(maxPending !== undefined ? { maxPending } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(values['media-root'] !== undefined ? { mediaDir: values['media-root'] } : {}),
  });
  const address = await server.listen();
  io.stderr.write(`mixreward: serving ${values.config} on ${address} (POST /v1/score, POST /get_reward, GET /health, GET /metrics)\n`);
  return new Promise<number>((resolveExit) => {
    const stop = (signal: string) => {
      io.stderr.write(`mixreward: ${signal}: finishing in-flight requests\n`);
      process.removeListener('SIGHUP', onHup);
      server.close().then(
        () => resolveExit(0),
        (error: unknown) => {
          io.stderr.write(`mixreward: error while closing: ${errorMessage(error)}\n`);
          resolveExit(1);
        },
      );
    };
    const onHup = () => {
      server.reload().then(
        () => io.stderr.write(`mixreward: reloaded ${values.config}\n`),
        (error: unknown) => io.stderr.write(`mixreward: reload failed, keeping the running config: ${errorMessage(error)}\n`),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', onHup);
  });
}

async function explainCommand(argv: string[], io: CliIo, registry: Registry): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' }, input: { type: 'string', short: 'i' }, json: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.config || !values.input) throw new RewardError('INVALID_INPUT', 'explain needs --config FILE and --input ROLLOUT.json');
  const config = await loadConfig(values.config, registry);
  const { explainResult, renderExplanation } = await import('./server/explain.js');
  const lines = await readJsonl(values.input, io.stdin);
  const first = lines[0];
  if (!first) throw new RewardError('INVALID_INPUT', `${values.input} holds no rollout`);
  if ('problem' in first) throw new RewardError('INVALID_INPUT', first.problem);
  const composer = composerFor(config, registry, { mediaDir: dirname(resolve(values.input)), logger: stderrLogger(io) });
  try {
    const [result] = await composer.score([first.record]);
    const record = first.record as Record<string, unknown>;
    const tree = explainResult(config.config, result as OutputRecord, typeof record.task === 'string' ? record.task : undefined);
    io.stdout.write(values.json ? `${JSON.stringify(tree, null, 2)}\n` : `${renderExplanation(tree)}\n`);
    return 0;
  } finally {
    await composer.dispose();
  }
}
