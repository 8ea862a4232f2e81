import { editDistance } from './shared-loaders.js';
import { RewardError } from './errors.js';
import type { RewardPlugin } from './plugin.js';

/** Rewards by name. Packages export their plugins; an application registers the ones it wants. */
export interface Registry {
  /** Add plugins; a second plugin with a taken name is an error. Returns the registry. */
  register(...plugins: RewardPlugin[]): Registry;
  /** The plugin with this name, or a `RewardError('UNKNOWN_REWARD')` listing close names. */
  get(name: string): RewardPlugin;
  /** True when a plugin with this name is registered. */
  has(name: string): boolean;
  /** Every plugin, sorted by name. */
  list(): RewardPlugin[];
}

/** Make a registry, optionally with plugins. There is no global registry. */
export function createRegistry(plugins: Iterable<RewardPlugin> = []): Registry {
  const byName = new Map<string, RewardPlugin>();
  const registry: Registry = {
    register(...added) {
      for (const plugin of added) {
        if (byName.has(plugin.name)) {
          throw new RewardError('INVALID_CONFIG', `a reward named "${plugin.name}" is already registered`);
        }
        byName.set(plugin.name, plugin);
      }
      return registry;
    },
    get(name) {
      const plugin = byName.get(name);
      if (plugin) return plugin;
      const close = [...byName.keys()].filter((known) => similar(known, name)).slice(0, 3);
      const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : '';
      throw new RewardError('UNKNOWN_REWARD', `unknown reward "${name}".${hint} Run \`mixreward list\` to see every reward.`);
    },
    has: (name) => byName.has(name),
    list: () => [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
  registry.register(...plugins);
  return registry;
}

function similar(a: string, b: string): boolean {
  if (a.includes(b) || b.includes(a)) return true;
  return editDistance(a, b) <= Math.max(2, Math.floor(Math.min(a.length, b.length) / 4));
}

