import { createRegistry, plugins as corePlugins, type Registry, type RewardPlugin } from '@mixreward/core';
import { plugins as codePlugins } from '@mixreward/code';
import { plugins as financePlugins } from '@mixreward/finance';
import { plugins as inferencePlugins } from '@mixreward/inference';
import { plugins as judgePlugins } from '@mixreward/judge';
import { plugins as mathPlugins } from '@mixreward/math';
import { plugins as medicalPlugins } from '@mixreward/medical';
import { plugins as translationPlugins } from '@mixreward/translation';
import { plugins as videoPlugins } from '@mixreward/video';
import { plugins as visionPlugins } from '@mixreward/vision';

/** One workspace package whose rewards the app registers. */
export interface RewardPackage {
  /** The npm name (`@mixreward/math`). */
  name: string;
  /** Every plugin the package exports as `plugins`. */
  plugins: readonly RewardPlugin[];
}

/**
 * Every reward package the app registers, in registry order. A new package joins the CLI, the
 * server and the conformance test (tooling/conformance) by one line here.
 */
export const rewardPackages: readonly RewardPackage[] = [
  { name: '@mixreward/core', plugins: corePlugins },
  { name: '@mixreward/inference', plugins: inferencePlugins },
  { name: '@mixreward/math', plugins: mathPlugins },
  { name: '@mixreward/code', plugins: codePlugins },
  { name: '@mixreward/translation', plugins: translationPlugins },
  { name: '@mixreward/vision', plugins: visionPlugins },
  { name: '@mixreward/video', plugins: videoPlugins },
  { name: '@mixreward/medical', plugins: medicalPlugins },
  { name: '@mixreward/finance', plugins: financePlugins },
  { name: '@mixreward/judge', plugins: judgePlugins },
];

/** A registry with every reward of every mixreward package. */
export function defaultRegistry(): Registry {
  return createRegistry(rewardPackages.flatMap((entry) => entry.plugins));
}
