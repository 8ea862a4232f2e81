/**
 * Counts of every n-gram (orders 1 to `maxOrder`) of a sequence of token ids, keyed by the ids read
 * as digits in base `base` (ids >= 1, so keys of different orders never collide). An id of 0 (a
 * token the other side never has) ends every n-gram that would contain it. Shared by BLEU (word
 * n-grams) and chrF (character n-grams).
 * @param ids token ids, each in [0, base)
 * @param maxOrder largest n-gram order, >= 1
 * @param base more than the largest id; `base ** maxOrder` must stay below 2^53
 * @returns n-gram key to count (>= 1)
 */
export function ngramKeyCounts(ids: Int32Array, maxOrder: number, base: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let start = 0; start < ids.length; start++) {
    let key = 0;
    const last = Math.min(ids.length, start + maxOrder);
    for (let end = start; end < last; end++) {
      const id = ids[end] as number;
      if (id === 0) break;
      key = key * base + id;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
