/**
 * The mixreward contract: rollouts and results, the plugin interface, the registry, the batch
 * runner, the worker pool, the Mixed-Reward composer and config loader, and the generic rewards.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './types.js';
export * from './results.js';
export * from './plugin.js';
export * from './registry.js';
export * from './worker-pool.js';
export * from './runner.js';
export * from './formula.js';
export * from './config.js';
export * from './composer.js';
export * from './text-extract.js';
export * from './format-tags.js';
export * from './format-regex.js';
export * from './match-exact.js';
export * from './match-choice.js';
export * from './length-count.js';
export * from './length-rewards.js';
export * from './generic-plugins.js';
export * from './adapters.js';
export * from './arithmetic.js';
export { loadOptionalModule, editDistance, resolveMediaPath } from './shared-loaders.js';
export type { LoadOptionalModuleOptions } from './shared-loaders.js';
