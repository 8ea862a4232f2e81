// Re-exports used by the CLI, in one place.
export { RewardError, configJsonSchema, errorMessage, loadConfig, validateConfig } from '@mixreward/core';
export type { Logger, Registry, ValidatedConfig } from '@mixreward/core';
export { z } from 'zod';
