import { loadOptionalModule } from '@mixreward/core';
import type SharpDefault from 'sharp';

/**
 * sharp, loaded on first use through core's optional-module loader (installing this package does
 * not require it unless a reward reads images).
 * @param feature what needs it, for the error message
 * @internal
 */
export function loadSharp(feature: string): Promise<typeof SharpDefault> {
  // The importer resolves `sharp` from this package (core does not depend on it).
  return loadOptionalModule<typeof SharpDefault>('sharp', { feature, install: 'pnpm add sharp', importer: () => import('sharp') });
}
