/**
 * Optimal one-to-one assignment that maximises the total weight (Hungarian algorithm, the
 * shortest-augmenting-path form of Kuhn-Munkres with potentials; O(n^2 m) for n <= m).
 * Rectangular matrices are fine: every row of the smaller side is assigned.
 * @param weights row-major matrix, `rows * columns` long; finite numbers (NaN counts as 0)
 * @param rows number of rows, >= 0
 * @param columns number of columns, >= 0
 * @returns for each row the assigned column, or -1 when the row is left over (more rows than columns)
 */
export function maxWeightAssignment(weights: ArrayLike<number>, rows: number, columns: number): Int32Array {
  const result = new Int32Array(rows).fill(-1);
  if (rows === 0 || columns === 0) return result;
  const transpose = rows > columns;
  const n = transpose ? columns : rows;
  const m = transpose ? rows : columns;
  // The cost matrix (negated weights), n x m, laid out once so the inner loop only indexes.
  const cost = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const value = transpose ? weights[j * columns + i] : weights[i * columns + j];
      cost[i * m + j] = value === undefined || Number.isNaN(value) ? 0 : -value;
    }
  }
  // 1-based arrays as in the classic formulation; column 0 is a sentinel.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const owner = new Int32Array(m + 1); // owner[j] = row assigned to column j (1-based), 0 = free
  const way = new Int32Array(m + 1);
  const minimum = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    owner[0] = i;
    let column = 0;
    minimum.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[column] = 1;
      const row = owner[column] as number;
      const rowOffset = (row - 1) * m - 1;
      const rowPotential = u[row] as number;
      let delta = Number.POSITIVE_INFINITY;
      let next = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = (cost[rowOffset + j] as number) - rowPotential - (v[j] as number);
        if (reduced < (minimum[j] as number)) {
          minimum[j] = reduced;
          way[j] = column;
        }
        if ((minimum[j] as number) < delta) {
          delta = minimum[j] as number;
          next = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[owner[j] as number] = (u[owner[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minimum[j] = (minimum[j] as number) - delta;
        }
      }
      column = next;
    } while (owner[column] !== 0);
    do {
      const previous = way[column] as number;
      owner[column] = owner[previous] as number;
      column = previous;
    } while (column !== 0);
  }
  for (let j = 1; j <= m; j++) {
    const row = owner[j] as number;
    if (row === 0) continue;
    if (transpose) result[j - 1] = row - 1;
    else result[row - 1] = j - 1;
  }
  return result;
}
