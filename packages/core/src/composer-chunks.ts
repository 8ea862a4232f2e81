// Chunking: large inputs go through the composer chunk after chunk (bounded memory), each chunk made
// of whole groups wherever their members stand in the input, so group transforms see every member.
import { groupOf } from './runner.js';
import type { Rollout } from './types.js';

/**
 * Split input positions into chunks of about `size`, keeping every group whole (its members may be
 * anywhere in the input) and input order within a chunk. A group larger than `size` is one chunk.
 * @param size rollouts per chunk, >= 1
 * @returns chunks of input positions, each sorted ascending; together they cover every position once
 * @internal
 */
export function chunkIndices(input: readonly unknown[], size: number): number[][] {
  if (input.length <= size) return [Array.from({ length: input.length }, (_, index) => index)];
  const grouped = input.some((item) => typeof item === 'object' && item !== null && groupOf(item as Rollout) !== undefined);
  if (!grouped) {
    const chunks: number[][] = [];
    for (let start = 0; start < input.length; start += size) {
      chunks.push(Array.from({ length: Math.min(size, input.length - start) }, (_, offset) => start + offset));
    }
    return chunks;
  }
  const byGroup = new Map<string, number[]>();
  const units: number[][] = [];
  input.forEach((item, index) => {
    const key = typeof item === 'object' && item !== null ? groupOf(item as Rollout) : undefined;
    if (key === undefined) return units.push([index]);
    const members = byGroup.get(key);
    if (members) members.push(index);
    else {
      const created = [index];
      byGroup.set(key, created);
      units.push(created);
    }
  });
  const chunks: number[][] = [];
  let current: number[] = [];
  for (const unit of units) {
    if (current.length > 0 && current.length + unit.length > size) {
      chunks.push(current);
      current = [];
    }
    current.push(...unit);
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((chunk) => chunk.sort((a, b) => a - b));
}
