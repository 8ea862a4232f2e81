import { editDistance } from './shared-loaders.js';

/** A key with case, `_` and `-` removed: `maxLength`, `max_length` and `MAX-LENGTH` agree. */
function looseKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/**
 * The known key that an unknown key most likely meant: the same key up to case, `_` and `-`
 * (`maxLength` -> `max_length`, `timeoutMs` -> `timeout_ms`), else the closest by edit distance
 * within 2 (and within a third of its length). `undefined` when none is close.
 */
export function suggestKey(unknown: string, known: Iterable<string>): string | undefined {
  const loose = looseKey(unknown);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const key of known) {
    const candidate = looseKey(key);
    if (candidate === loose) return key;
    const distance = editDistance(loose, candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = key;
    }
  }
  return bestDistance <= Math.min(2, Math.floor(loose.length / 3)) ? best : undefined;
}

/** `unknown key "maxLength" (did you mean max_length?)`, or the allowed keys when none is close. */
export function unknownKeyMessage(unknown: string, known: readonly string[], what = 'key'): string {
  const suggestion = suggestKey(unknown, known);
  return suggestion === undefined
    ? `unknown ${what} "${unknown}" (allowed: ${known.join(', ') || 'none'})`
    : `unknown ${what} "${unknown}" (did you mean ${suggestion}?)`;
}

/** The keys of a zod object schema (also under `.refine`), or `[]` for another schema. */
export function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: unknown; def?: { shape?: unknown } } | undefined)?.shape ?? (schema as { def?: { shape?: unknown } } | undefined)?.def?.shape;
  return shape !== null && typeof shape === 'object' ? Object.keys(shape) : [];
}
