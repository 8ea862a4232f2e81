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
