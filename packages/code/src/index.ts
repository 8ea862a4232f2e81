/**
 * Sandboxed execution of generated code against tests, with dense rewards: the `code.tests`
 * reward, the execution backends (bubblewrap, resource-limited process, SandboxFusion), the
 * language table, test parsing (including verl/prime_code's shape) and VeRPO difficulty weights.
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { codeReasoningPlugin } from './reasoning-reward.js';
import { codeTestsPlugin } from './tests-reward.js';

export * from './backend.js';
export * from './compare.js';
export * from './difficulty-store.js';
export * from './exec.js';
export * from './extract.js';
export * from './harness.js';
export * from './languages.js';
export * from './limits.js';
export * from './local-backend.js';
export * from './pool.js';
export * from './reasoning-reward.js';
export * from './run-code.js';
export * from './run-tests.js';
export * from './sandbox-fusion.js';
export * from './test-cases.js';
export * from './tests-reward.js';
export * from './tools.js';

/** Every reward plugin of this package, for registries. */
export const plugins: RewardPlugin[] = [codeTestsPlugin, codeReasoningPlugin] as unknown as RewardPlugin[];
