import type { MixConfig, MixNode, RewardResult } from '@mixreward/core';

/** One node of an explanation: how a part of the mix came to its value. */
export interface ExplainNode {
  /** What the node is: `formula "0.1*format + accuracy"`, `route (task math)`, `component accuracy`. */
  node: string;
  /** The node's value when known (components and the root), else null. */
  value: number | null;
  /** The component's status (components only). */
  status?: string;
  /** Child nodes. */
  children?: ExplainNode[];
}

/**
 * Explain a composed result as a tree that follows the config's mix: the root is the reward, each
 * formula/sum/gate/cascade/transform node lists the components it reads, and each component shows
 * its value (null when it did not score) and status. A `route` shows only the branch the rollout's
 * task took.
 *
 * @param config the config as given
 * @param result the rollout's composed result
 * @param task the rollout's task (for `route`)
 */
export function explainResult(config: MixConfig, result: RewardResult, task: string | undefined): ExplainNode {
  const componentNames = Object.keys(config.rewards);
  const component = (name: string): ExplainNode => {
    const value = result.components?.[name];
    const status = typeof value === 'number' ? 'ok' : result.error?.component === name ? result.status : 'not scored or skipped';
    return { node: `component ${name} (${describeUse(config, name)})`, value: typeof value === 'number' ? value : null, status };
  };
  const walk = (node: MixNode): ExplainNode => {
    if (typeof node === 'string') {
      const names = componentNames.filter((name) => new RegExp(`(^|[^A-Za-z0-9_.])${escapeRegex(name)}($|[^A-Za-z0-9_.])`).test(node));
      if (names.length === 1 && node.trim() === names[0]) return component(names[0] as string);
      return { node: `formula ${JSON.stringify(node)}`, value: null, children: names.map(component) };
    }
    const record = node as Record<string, unknown>;
    if ('sum' in record) {
      const weights = record.sum as Record<string, number>;
      return { node: `sum ${JSON.stringify(weights)}`, value: null, children: Object.keys(weights).map(component) };
    }
    if ('route' in record) {
      const routes = record.route as Record<string, MixNode>;
      const key = task !== undefined && task in routes ? task : 'default';
      const chosen = routes[key];
      return { node: `route (task ${task ?? '(none)'} -> ${chosen === undefined ? 'no route' : key})`, value: null, children: chosen === undefined ? [] : [walk(chosen)] };
    }
    if ('gate' in record) {
      const gate = record.gate as { when: string; then: MixNode; else: MixNode };
      return { node: `gate when ${JSON.stringify(gate.when)}`, value: null, children: [walk(gate.when), walk(gate.then), walk(gate.else)] };
    }
    if ('cascade' in record) return { node: 'cascade (first ok wins)', value: null, children: (record.cascade as string[]).map(component) };
    if ('transform' in record) {
      const { transform, ...settings } = record;
      return { node: `transform ${JSON.stringify(settings)}`, value: null, children: [walk(transform as MixNode)] };
    }
    return { node: JSON.stringify(node), value: null };
  };
  const root = walk(config.mix ?? (componentNames[0] as string));
  return { node: `reward (${result.status}${result.reason ? `: ${result.reason}` : ''})`, value: result.reward, status: result.status, children: [root] };
}

function describeUse(config: MixConfig, name: string): string {
  const entry = config.rewards[name] as unknown;
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'object' && entry !== null && typeof (entry as { use?: unknown }).use === 'string') return (entry as { use: string }).use;
  return 'reward';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Render an explanation as indented text lines (for `mixreward explain`). */
export function renderExplanation(tree: ExplainNode, indent = ''): string {
  const value = tree.value === null ? '' : ` = ${Number(tree.value.toFixed(6))}`;
  const status = tree.status && !tree.node.startsWith('reward') ? ` [${tree.status}]` : '';
  const lines = [`${indent}${tree.node}${value}${status}`];
  for (const child of tree.children ?? []) lines.push(renderExplanation(child, `${indent}  `));
  return lines.join('\n');
}
