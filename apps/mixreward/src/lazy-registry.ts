// The CLI's registry, loading only the reward packages a run uses: importing every package (and
// what each imports) costs several hundred milliseconds of start-up, while `score --reward
// math.verify` needs only core and math. The first part of a reward's name says where it lives.
import { createRegistry, parseConfigText, plugins as corePlugins, type Registry, type RewardPlugin } from '@mixreward/core';
import { readFile } from 'node:fs/promises';

type Loader = () => Promise<{ plugins: readonly RewardPlugin[] }>;

/** The package of each reward namespace (the part of the name before the dot), and how to load it. */
export const rewardNamespaces: Readonly<Record<string, { name: string; load: Loader }>> = (() => {
  const core: Loader = async () => ({ plugins: corePlugins });
  const inference: Loader = () => import('@mixreward/inference');
  const entries: [string, string, Loader][] = [
    ['format', '@mixreward/core', core],
    ['match', '@mixreward/core', core],
    ['length', '@mixreward/core', core],
    ['repetition', '@mixreward/core', core],
    ['model', '@mixreward/inference', inference],
    ['text', '@mixreward/inference', inference],
    ['math', '@mixreward/math', () => import('@mixreward/math')],
    ['code', '@mixreward/code', () => import('@mixreward/code')],
    ['translation', '@mixreward/translation', () => import('@mixreward/translation')],
    ['vision', '@mixreward/vision', () => import('@mixreward/vision')],
    ['video', '@mixreward/video', () => import('@mixreward/video')],
    ['medical', '@mixreward/medical', () => import('@mixreward/medical')],
    ['finance', '@mixreward/finance', () => import('@mixreward/finance')],
    ['judge', '@mixreward/judge', () => import('@mixreward/judge')],
  ];
  return Object.fromEntries(entries.map(([namespace, name, load]) => [namespace, { name, load }]));
})();

/** The full registry (every package), loaded on demand. */
export async function fullRegistry(): Promise<Registry> {
  const { defaultRegistry } = await import('./registry.js');
  return defaultRegistry();
}

/**
 * A registry with core's rewards and those of the packages that the named rewards live in. A name
 * whose package is unknown, or that the loaded packages do not have, gives the full registry, so
 * an unknown name is reported (with its close names) exactly as before.
 * @param names reward names (`math.verify`)
 */
export async function registryFor(names: Iterable<string>): Promise<Registry> {
  const wanted = [...new Set(names)];
  const packages = new Map<string, Loader>();
  for (const name of wanted) {
    const entry = rewardNamespaces[name.slice(0, Math.max(0, name.indexOf('.')))];
    if (!entry) return fullRegistry();
    packages.set(entry.name, entry.load);
  }
  packages.delete('@mixreward/core');
  const loaded = await Promise.all([...packages.values()].map((load) => load()));
  const registry = createRegistry([...corePlugins, ...loaded.flatMap((module) => module.plugins)]);
  return wanted.every((name) => registry.has(name)) ? registry : fullRegistry();
}

/**
 * The registry a config file needs: the rewards its `rewards` entries `use`. A file that cannot be
 * read or parsed gives the full registry (loading the config then reports the fault as before).
 */
export async function registryForConfig(file: string): Promise<Registry> {
  let raw: unknown;
  try {
    raw = parseConfigText(await readFile(file, 'utf8'), file);
  } catch {
    return fullRegistry();
  }
  const rewards = (raw as { rewards?: unknown } | null)?.rewards;
  if (typeof rewards !== 'object' || rewards === null || Array.isArray(rewards)) return fullRegistry();
  const names: string[] = [];
  for (const entry of Object.values(rewards)) {
    const use = (entry as { use?: unknown } | null)?.use;
    if (typeof use !== 'string') return fullRegistry();
    names.push(use);
  }
  return registryFor(names);
}
