// Group statistics for `transform` nodes with `group: rank | zscore`.

/**
 * Rank of a value among values, in [0, 1]: ties get their average rank; 0.5 when there is one value.
 * @internal
 */
export function rankOf(value: number, values: readonly number[]): number {
  if (values.length <= 1) return 0.5;
  let below = 0;
  let equal = 0;
  for (const other of values) {
    if (other < value) below++;
    else if (other === value) equal++;
  }
  return (below + (equal - 1) / 2) / (values.length - 1);
}

/**
 * (value - mean) / sample standard deviation (n - 1, as TRL's and verl's GRPO); 0 when the std is 0
 * or there is one value.
 * @internal
 */
export function zscoreOf(value: number, values: readonly number[]): number {
  const count = values.length;
  if (count <= 1) return 0;
  const mean = values.reduce((sum, other) => sum + other, 0) / count;
  const variance = values.reduce((sum, other) => sum + (other - mean) ** 2, 0) / (count - 1);
  const std = Math.sqrt(variance);
  return std === 0 ? 0 : (value - mean) / std;
}
