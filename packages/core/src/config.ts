import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { RewardError } from './errors.js';
import { checkFormulaNames, parseFormula, type FormulaAst } from './formula.js';
import { schemaKeys, unknownKeyMessage } from './key-suggestion.js';
import { parseOptions } from './plugin.js';
import type { Registry } from './registry.js';

/** One named component of a config: which reward, with which options. */
export interface ComponentConfig {
  /** Registry name of the reward (`math.verify`). */
  use: string;
  /** The reward's options (validated by its schema). */
  with?: Record<string, unknown>;
  /**
   * What an `error`/`timeout` of this component does to the nodes that use it: `fail` (default)
   * makes them `error`/`timeout`; `skip` treats it as skipped; `zero` as a reward of 0.
   */
  on_error?: 'fail' | 'skip' | 'zero';
  /** Per-rollout time limit of this component in ms (> 0). Default: the config's `settings.timeout_ms`. */
  timeout_ms?: number;
  /** Rollouts per call of this component's scorer (>= 1). Default: the reward's preference, else 32. */
  batch_size?: number;
}

/** A node of the `mix` tree (guide: "Writing a Mixed-Reward config"). */
export type MixNode =
  | string
  | { sum: Record<string, number>; renormalize?: boolean }
  | { route: Record<string, MixNode> }
  | { gate: { when: string; then: MixNode; else: MixNode } }
  | { cascade: string[] }
  | TransformNode;

/** A `transform` node: applied in the order group, threshold, scale, shift, clamp. */
export interface TransformNode {
  /** The node whose value is transformed. */
  transform: MixNode;
  /** `[lo, hi]`: the value is clamped to this range last. */
  clamp?: [number, number];
  /** Multiplier. */
  scale?: number;
  /** Added after scaling. */
  shift?: number;
  /** The value becomes 1 when >= t, else 0 (applied before scale and shift). */
  threshold?: number;
  /**
   * Within each group (`meta.group`): `rank` maps values to their rank in [0, 1] (ties averaged,
   * 0.5 for a group of one); `zscore` to (v - mean) / sample std (0 when the std is 0).
   */
  group?: 'rank' | 'zscore';
}

/** Run settings of a config. */
export interface ConfigSettings {
  /** Per-rollout time limit of every component in ms (> 0). Default 30,000. */
  timeout_ms?: number;
  /** Batches in flight per component (>= 1). Default 4. */
  concurrency?: number;
}

/** A Mixed-Reward config as written in YAML or JSON. */
export interface MixConfig {
  /** Named components. */
  rewards: Record<string, ComponentConfig>;
  /** How components become the reward. Optional when there is exactly one component. */
  mix?: MixNode;
  /** Run settings. */
  settings?: ConfigSettings;
}

const componentSchema = z
  .object({
    use: z.string().min(1),
    with: z.record(z.string(), z.unknown()).optional(),
    on_error: z.enum(['fail', 'skip', 'zero']).optional(),
    timeout_ms: z.number().positive().optional(),
    batch_size: z.number().int().positive().optional(),
  })
  .strict();

const settingsSchema = z
  .object({
    timeout_ms: z.number().positive().optional(),
    concurrency: z.number().int().positive().optional(),
  })
  .strict();

/** Component names: letters, digits and `_`, starting with a letter or `_` (so formulas can name them). */
export const componentNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

const reservedNames = new Set(['and', 'or', 'not', 'true', 'false', ...['min', 'max', 'abs', 'clamp', 'exp', 'log', 'sqrt', 'floor', 'ceil', 'if', 'default']]);

/**
 * A validated node, with formulas parsed once.
 * @internal
 */
export type CompiledNode =
  | { kind: 'formula'; source: string; tree: FormulaAst; path: string }
  | { kind: 'sum'; weights: [string, number][]; renormalize: boolean; path: string }
  | { kind: 'route'; routes: Map<string, CompiledNode>; fallback: CompiledNode | undefined; path: string }
  | { kind: 'gate'; when: { source: string; tree: FormulaAst }; then: CompiledNode; otherwise: CompiledNode; path: string }
  | { kind: 'cascade'; names: string[]; path: string }
  | { kind: 'transform'; inner: CompiledNode; options: Omit<TransformNode, 'transform'>; path: string };

/** A config that passed validation: components checked against the registry, the mix compiled. */
export interface ValidatedConfig {
  /** The config as given. */
  config: MixConfig;
  /** Components with their options parsed by each reward's schema. */
  components: Map<string, ComponentConfig & { options: unknown }>;
  /** The compiled mix tree. */
  mix: CompiledNode;
  /** Directory that relative paths in options resolve against. */
  baseDir: string;
}

function configError(path: string, message: string): RewardError {
  return new RewardError('INVALID_CONFIG', `${path}: ${message}`, { path });
}

const componentKeys = schemaKeys(componentSchema);
const settingsKeys = schemaKeys(settingsSchema);

/** A config error from a zod issue; an unknown key gets a spelling suggestion. */
function zodConfigError(prefix: string, issue: z.core.$ZodIssue, known: readonly string[]): RewardError {
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    return configError(zodPath(prefix, [...issue.path, issue.keys[0]]), unknownKeyMessage(issue.keys[0], known));
  }
  return configError(zodPath(prefix, issue.path), issue.message);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function zodPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((part) => part !== '').join('.');
}

/**
 * Validate a config object: shape, reward names, each reward's options, the mix tree and every
 * formula's names. Nothing runs. Errors are `RewardError('INVALID_CONFIG')` whose message starts
 * with the path (`rewards.accuracy.with.tolerance: expected number`).
 */
export function validateConfig(raw: unknown, registry: Registry, options: { baseDir?: string } = {}): ValidatedConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw configError('(root)', `expected an object with "rewards" and "mix", got ${describeValue(raw)}`);
  const top = raw as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (key !== 'rewards' && key !== 'mix' && key !== 'settings' && key !== '$schema') throw configError(key, unknownKeyMessage(key, ['rewards', 'mix', 'settings']));
  }
  if (typeof top.rewards !== 'object' || top.rewards === null || Array.isArray(top.rewards)) {
    throw configError('rewards', `expected an object of named components, got ${top.rewards === undefined ? 'nothing' : describeValue(top.rewards)}`);
  }
  const entries = Object.entries(top.rewards as Record<string, unknown>);
  if (entries.length === 0) throw configError('rewards', 'needs at least one component');
  const components = new Map<string, ComponentConfig & { options: unknown }>();
  for (const [name, entry] of entries) {
    const path = `rewards.${name}`;
    if (!componentNamePattern.test(name) || reservedNames.has(name)) {
      throw configError(path, `"${name}" is not a usable component name (letters, digits and _, not a keyword or function name)`);
    }
    const parsed = componentSchema.safeParse(entry);
    if (!parsed.success) throw zodConfigError(path, parsed.error.issues[0] as z.core.$ZodIssue, componentKeys);
    if (!registry.has(parsed.data.use)) {
      try {
        registry.get(parsed.data.use);
      } catch (error) {
        throw configError(`${path}.use`, (error as Error).message);
      }
    }
    const plugin = registry.get(parsed.data.use);
    let pluginOptions: unknown;
    try {
      pluginOptions = parseOptions(plugin, parsed.data.with ?? {}, `${path}.with`);
    } catch (error) {
      const message = (error as Error).message.replace(/^invalid options for [^:]+: /, '');
      throw new RewardError('INVALID_CONFIG', `${message} (reward ${plugin.name})`, { path: `${path}.with`, cause: error });
    }
    components.set(name, { ...(parsed.data as ComponentConfig), options: pluginOptions });
  }
  if (top.settings !== undefined) {
    const parsed = settingsSchema.safeParse(top.settings);
    if (!parsed.success) throw zodConfigError('settings', parsed.error.issues[0] as z.core.$ZodIssue, settingsKeys);
  }
  const known = new Set(components.keys());
  let mixRaw = top.mix;
  if (mixRaw === undefined) {
    if (components.size !== 1) throw configError('mix', `is required when there is more than one component (components: ${[...known].join(', ')})`);
    mixRaw = [...known][0];
  }
  const mix = compileNode(mixRaw, 'mix', known);
  return { config: top as unknown as MixConfig, components, mix, baseDir: options.baseDir ?? process.cwd() };
}

const nodeKeys = ['sum', 'route', 'gate', 'cascade', 'transform'];

function compileFormulaAt(source: unknown, path: string, known: ReadonlySet<string>): { source: string; tree: FormulaAst } {
  if (typeof source !== 'string') throw configError(path, `expected a formula string, got ${describeValue(source)}`);
  try {
    const tree = parseFormula(source);
    checkFormulaNames(source, tree, known);
    return { source, tree };
  } catch (error) {
    throw configError(path, (error as Error).message);
  }
}

function compileNode(raw: unknown, path: string, known: ReadonlySet<string>): CompiledNode {
  if (typeof raw === 'string') return { kind: 'formula', ...compileFormulaAt(raw, path, known), path };
  if (typeof raw === 'number') return { kind: 'formula', ...compileFormulaAt(String(raw), path, known), path };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw configError(path, `expected a formula string or one of {${nodeKeys.join(', ')}}, got ${describeValue(raw)}`);
  }
  const node = raw as Record<string, unknown>;
  const kinds = Object.keys(node).filter((key) => nodeKeys.includes(key));
  if (kinds.length !== 1) {
    throw configError(path, kinds.length === 0 ? `expected one of ${nodeKeys.join(', ')}; found keys ${Object.keys(node).join(', ') || 'none'}` : `has several node kinds (${kinds.join(', ')}); use one per node`);
  }
  const kind = kinds[0] as string;
  const allowed: Record<string, string[]> = {
    sum: ['sum', 'renormalize'],
    route: ['route'],
    gate: ['gate'],
    cascade: ['cascade'],
    transform: ['transform', 'clamp', 'scale', 'shift', 'threshold', 'group'],
  };
  for (const key of Object.keys(node)) {
    if (!(allowed[kind] as string[]).includes(key)) throw configError(`${path}.${key}`, `${unknownKeyMessage(key, allowed[kind] as string[])} for a ${kind} node`);
  }
  switch (kind) {
    case 'sum': {
      const weights = node.sum;
      if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) throw configError(`${path}.sum`, `expected an object of component: weight, got ${describeValue(weights)}`);
      const pairs: [string, number][] = [];
      for (const [name, weight] of Object.entries(weights)) {
        if (!known.has(name)) throw configError(`${path}.sum.${name}`, `unknown component "${name}" (components: ${[...known].join(', ')})`);
        if (typeof weight !== 'number' || !Number.isFinite(weight)) throw configError(`${path}.sum.${name}`, `expected a number, got ${describeValue(weight)}`);
        pairs.push([name, weight]);
      }
      if (pairs.length === 0) throw configError(`${path}.sum`, 'needs at least one component');
      if (node.renormalize !== undefined && typeof node.renormalize !== 'boolean') throw configError(`${path}.renormalize`, `expected true or false, got ${describeValue(node.renormalize)}`);
      return { kind: 'sum', weights: pairs, renormalize: node.renormalize === true, path };
    }
    case 'route': {
      const table = node.route;
      if (typeof table !== 'object' || table === null || Array.isArray(table)) throw configError(`${path}.route`, `expected an object of task: node, got ${describeValue(table)}`);
      const routes = new Map<string, CompiledNode>();
      let fallback: CompiledNode | undefined;
      for (const [task, child] of Object.entries(table)) {
        const compiled = compileNode(child, `${path}.route.${task}`, known);
        if (task === 'default') fallback = compiled;
        else routes.set(task, compiled);
      }
      if (routes.size === 0 && !fallback) throw configError(`${path}.route`, 'needs at least one task');
      return { kind: 'route', routes, fallback, path };
    }
    case 'gate': {
      const gate = node.gate;
      if (typeof gate !== 'object' || gate === null || Array.isArray(gate)) throw configError(`${path}.gate`, `expected {when, then, else}, got ${describeValue(gate)}`);
      const fields = gate as Record<string, unknown>;
      for (const key of Object.keys(fields)) if (!['when', 'then', 'else'].includes(key)) throw configError(`${path}.gate.${key}`, unknownKeyMessage(key, ['when', 'then', 'else']));
      for (const key of ['when', 'then', 'else']) if (fields[key] === undefined) throw configError(`${path}.gate.${key}`, 'is required');
      return {
        kind: 'gate',
        when: compileFormulaAt(fields.when, `${path}.gate.when`, known),
        then: compileNode(fields.then, `${path}.gate.then`, known),
        otherwise: compileNode(fields.else, `${path}.gate.else`, known),
        path,
      };
    }
    case 'cascade': {
      const names = node.cascade;
      if (!Array.isArray(names) || names.length === 0) throw configError(`${path}.cascade`, `expected a non-empty list of component names, got ${describeValue(names)}`);
      names.forEach((name, index) => {
        if (typeof name !== 'string' || !known.has(name)) throw configError(`${path}.cascade.${index}`, `unknown component ${JSON.stringify(name)} (components: ${[...known].join(', ')})`);
      });
      return { kind: 'cascade', names: names as string[], path };
    }
    default: {
      const transformOptions: Omit<TransformNode, 'transform'> = {};
      const numberAt = (key: 'scale' | 'shift' | 'threshold') => {
        const value = node[key];
        if (value === undefined) return;
        if (typeof value !== 'number' || !Number.isFinite(value)) throw configError(`${path}.${key}`, `expected a number, got ${describeValue(value)}`);
        transformOptions[key] = value;
      };
      numberAt('scale');
      numberAt('shift');
      numberAt('threshold');
      if (node.clamp !== undefined) {
        const clamp = node.clamp;
        if (!Array.isArray(clamp) || clamp.length !== 2 || !clamp.every((value) => typeof value === 'number' && Number.isFinite(value)) || (clamp[0] as number) > (clamp[1] as number)) {
          throw configError(`${path}.clamp`, `expected [lo, hi] with lo <= hi, got ${JSON.stringify(clamp)}`);
        }
        transformOptions.clamp = [clamp[0] as number, clamp[1] as number];
      }
      if (node.group !== undefined) {
        if (node.group !== 'rank' && node.group !== 'zscore') throw configError(`${path}.group`, `expected "rank" or "zscore", got ${describeValue(node.group)}`);
        transformOptions.group = node.group;
      }
      return { kind: 'transform', inner: compileNode(node.transform, `${path}.transform`, known), options: transformOptions, path };
    }
  }
}

/** Deepest YAML nesting accepted: the parser recurses per level and overflows the stack near 1,000. */
const maxYamlNesting = 100;

/**
 * An upper estimate of a YAML text's nesting, in one pass: open flow brackets plus the block
 * indicators (`- `, `? `) that start a line, plus half its indentation. Quoted text and comments
 * are not told apart, so brackets inside strings count too (the limit is far above real configs).
 */
function yamlNesting(text: string): { depth: number; line: number } {
  let flow = 0;
  let line = 1;
  let worst = { depth: 0, line: 1 };
  let lineStart = true;
  let block = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') {
      line++;
      lineStart = true;
      block = 0;
      continue;
    }
    if (lineStart) {
      if (char === ' ') block += 0.5;
      else if ((char === '-' || char === '?') && (text[index + 1] === ' ' || text[index + 1] === undefined)) {
        block += 1;
        index++;
        block += 0.5;
      } else lineStart = false;
    }
    if (char === '[' || char === '{') flow++;
    else if ((char === ']' || char === '}') && flow > 0) flow--;
    const depth = flow + block;
    if (depth > worst.depth) worst = { depth, line };
  }
  return worst;
}

/**
 * Parse config text: JSON when the file name ends in `.json` (or the text starts with `{`), YAML
 * otherwise. Syntax errors name the line and column.
 */
export function parseConfigText(text: string, fileName = 'config'): unknown {
  const isJson = fileName.endsWith('.json') || (!/\.ya?ml$/i.test(fileName) && text.trimStart().startsWith('{'));
  if (isJson) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new RewardError('INVALID_CONFIG', `${fileName}: not valid JSON: ${(error as Error).message}`, { path: fileName, cause: error });
    }
  }
  const nesting = yamlNesting(text);
  if (nesting.depth > maxYamlNesting) {
    throw new RewardError('INVALID_CONFIG', `${fileName}: nested deeper than ${maxYamlNesting} levels at line ${nesting.line}; a config needs a few levels`, { path: fileName });
  }
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new RewardError('INVALID_CONFIG', `${fileName}: not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`, { path: fileName, cause: error });
  }
}

/** Read, parse and validate a config file (YAML or JSON). Relative paths in options resolve against its folder. */
export async function loadConfig(file: string, registry: Registry): Promise<ValidatedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RewardError('INVALID_CONFIG', `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { path: file, cause: error });
  }
  const raw = parseConfigText(text, file);
  try {
    return validateConfig(raw, registry, { baseDir: dirname(resolve(file)) });
  } catch (error) {
    if (RewardError.isInstance(error)) throw new RewardError(error.code, `${file}: ${error.message}`, { path: error.path ?? file, cause: error });
    throw error;
  }
}

/**
 * The JSON Schema (draft 2020-12) of configs for editors, with each registered reward's options
 * schema attached to entries that `use` it.
 */
export function configJsonSchema(registry: Registry): Record<string, unknown> {
  const rewardNames = registry.list().map((plugin) => plugin.name);
  const perReward = registry.list().map((plugin) => {
    let options: unknown = { type: 'object' };
    try {
      options = z.toJSONSchema(plugin.options, { unrepresentable: 'any', io: 'input' });
    } catch {
      // Options that JSON Schema cannot express are still validated when the config loads.
    }
    return { if: { properties: { use: { const: plugin.name } }, required: ['use'] }, then: { properties: { with: stripSchemaKey(options) } } };
  });
  const formula = { type: 'string', description: 'A component name or a formula over component names.' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://mixreward.dev/schema/config.json',
    title: 'mixreward Mixed-Reward config',
    type: 'object',
    additionalProperties: false,
    required: ['rewards'],
    properties: {
      $schema: { type: 'string' },
      rewards: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: componentNamePattern.source },
        additionalProperties: { $ref: '#/$defs/component' },
      },
      mix: { $ref: '#/$defs/node' },
      settings: stripSchemaKey(z.toJSONSchema(settingsSchema)),
    },
    $defs: {
      component: {
        type: 'object',
        additionalProperties: false,
        required: ['use'],
        properties: {
          use: { type: 'string', enum: rewardNames },
          with: { type: 'object' },
          on_error: { enum: ['fail', 'skip', 'zero'] },
          timeout_ms: { type: 'number', exclusiveMinimum: 0 },
          batch_size: { type: 'integer', minimum: 1 },
        },
        allOf: perReward,
      },
      node: {
        oneOf: [
          formula,
          { type: 'number' },
          { type: 'object', additionalProperties: false, required: ['sum'], properties: { sum: { type: 'object', additionalProperties: { type: 'number' } }, renormalize: { type: 'boolean' } } },
          { type: 'object', additionalProperties: false, required: ['route'], properties: { route: { type: 'object', additionalProperties: { $ref: '#/$defs/node' } } } },
          {
            type: 'object', additionalProperties: false, required: ['gate'],
            properties: { gate: { type: 'object', additionalProperties: false, required: ['when', 'then', 'else'], properties: { when: formula, then: { $ref: '#/$defs/node' }, else: { $ref: '#/$defs/node' } } } },
          },
          { type: 'object', additionalProperties: false, required: ['cascade'], properties: { cascade: { type: 'array', minItems: 1, items: { type: 'string' } } } },
          {
            type: 'object', additionalProperties: false, required: ['transform'],
            properties: {
              transform: { $ref: '#/$defs/node' },
              clamp: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
              scale: { type: 'number' }, shift: { type: 'number' }, threshold: { type: 'number' },
              group: { enum: ['rank', 'zscore'] },
            },
          },
        ],
      },
    },
  };
}

function stripSchemaKey(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}
