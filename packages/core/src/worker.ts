/**
 * The light entry for worker-thread task modules (`@mixreward/core/worker`): the helpers a module
 * that a worker pool loads needs, without the rest of core (configs, the composer, zod, yaml), so
 * that a worker starts in tens of milliseconds instead of hundreds. The same functions as the main
 * entry exports.
 * @module
 */
export { eachOf, type SettledTask } from './worker-batches.js';
export { loadOptionalModule, type LoadOptionalModuleOptions } from './shared-loaders.js';
export { RewardError, errorMessage, type RewardErrorCode } from './errors.js';
