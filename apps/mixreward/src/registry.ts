import { createRegistry, plugins as corePlugins, type Registry } from '@mixreward/core';
import { plugins as codePlugins } from '@mixreward/code';
import { plugins as inferencePlugins } from '@mixreward/inference';
import { plugins as judgePlugins } from '@mixreward/judge';
import { plugins as mathPlugins } from '@mixreward/math';
import { plugins as translationPlugins } from '@mixreward/translation';
import { plugins as visionPlugins } from '@mixreward/vision';

/** A registry with every reward of every mixreward package. */
export function defaultRegistry(): Registry {
  return createRegistry([...corePlugins, ...inferencePlugins, ...mathPlugins, ...codePlugins, ...translationPlugins, ...visionPlugins, ...judgePlugins]);
}
