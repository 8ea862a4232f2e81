/**
 * Sandboxed execution of generated code against tests, with dense rewards: the `code.tests`
 * reward, the execution backends (bubblewrap, SandboxFusion, and an explicit unsandboxed
 * `process` backend), test parsing (including verl/prime_code's shape), VeRPO difficulty
 * weights, and the `code.reasoning` reward.
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { codeReasoningPlugin } from './reasoning-reward.js';
import { codeTestsPlugin } from './tests-reward.js';

export { codeTestsPlugin, createCodeTestsReward, type CodeTestsOptions, type CodeTestsRuntime } from './tests-reward.js';
export { codeReasoningPlugin, createCodeReasoningReward, explanationText, type CodeReasoningOptions } from './reasoning-reward.js';
export { runCode, type RunCodeOptions, type RunCodeResult } from './run-code.js';
export { runTests, type RunTestsOptions, type TestRunReport, type TestOutcome, type TestVerdict } from './run-tests.js';
export { parseCodeReference, type CodeReference, type CodeTest, type StdioTest, type CallTest, type AssertTest, type CheckerSettings } from './test-cases.js';
export { outputsMatch, type CompareMode } from './compare.js';
export { DifficultyStore, type DifficultySnapshot, type TestStats } from './difficulty-store.js';
export type { BackendName, ExecutionBackend, Program, PreparedProgram, PrepareOptions, RunInput } from './backend.js';
export type { ExecResult, ExecStatus } from './exec.js';
export { createLocalBackend, type LocalBackendOptions } from './local-backend.js';
export { probeBwrap, type BwrapProbe, type BwrapLocation } from './bwrap.js';
export { createSandboxFusionBackend, type SandboxFusionOptions } from './sandbox-fusion.js';
export { createExecutionPool, type ExecutionPool, type PoolSlot } from './pool.js';
export { defaultRunLimits, defaultCompileLimits, type ExecutionLimits } from './limits.js';
export type { LanguageEntry, LanguageSpec } from './languages.js';

/** Every reward plugin of this package (`code.tests`, `code.reasoning`), for registries. */
export const plugins: RewardPlugin[] = [codeTestsPlugin, codeReasoningPlugin];
