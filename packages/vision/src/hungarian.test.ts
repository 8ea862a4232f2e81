import fc from 'fast-check';
import { matchBoxes } from './box-match.js';
import { maxWeightAssignment } from './hungarian.js';

fc.configureGlobal({ seed: 20261122, numRuns: 200 });

/** The best total weight by trying every assignment (small matrices only). */
function bruteForce(weights: number[], rows: number, columns: number): number {
  let best = 0;
  const used = new Array<boolean>(columns).fill(false);
  const visit = (row: number, total: number): void => {
    if (row === rows) {
      best = Math.max(best, total);
      return;
    }
    visit(row + 1, total); // leave this row unassigned
    for (let column = 0; column < columns; column++) {
      if (used[column]) continue;
      used[column] = true;
      visit(row + 1, total + (weights[row * columns + column] as number));
      used[column] = false;
    }
  };
  visit(0, 0);
  return best;
}

describe('maxWeightAssignment', () => {
  test('a 3x3 case where greedy is wrong', () => {
    // greedy takes (0,0)=0.9 and is left with (1,1)=0.1 and (2,2)=0.1: 1.1; optimal is 0.8+0.8+0.1 = 1.7
    const weights = [0.9, 0.8, 0, 0.8, 0.1, 0, 0, 0, 0.1];
    expect(Array.from(maxWeightAssignment(weights, 3, 3))).toEqual([1, 0, 2]);
  });

  test('rectangular matrices assign every row of the smaller side', () => {
    expect(Array.from(maxWeightAssignment([0.1, 0.9, 0.3], 1, 3))).toEqual([1]);
    expect(Array.from(maxWeightAssignment([0.1, 0.9, 0.3], 3, 1))).toEqual([-1, 0, -1]);
    expect(Array.from(maxWeightAssignment([], 0, 4))).toEqual([]);
  });

  test('finds the optimum of random matrices up to 5x6 (checked by brute force)', () => {
    const matrix = fc.integer({ min: 1, max: 5 }).chain((rows) =>
      fc.integer({ min: 1, max: 6 }).chain((columns) =>
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: rows * columns, maxLength: rows * columns }).map((weights) => ({ rows, columns, weights })),
      ),
    );
    fc.assert(
      fc.property(matrix, ({ rows, columns, weights }) => {
        const assignment = maxWeightAssignment(weights, rows, columns);
        const columnsUsed = new Set<number>();
        let total = 0;
        assignment.forEach((column, row) => {
          if (column < 0) return;
          columnsUsed.add(column);
          total += weights[row * columns + column] as number;
        });
        const assigned = Array.from(assignment).filter((column) => column >= 0).length;
        return columnsUsed.size === assigned && assigned === Math.min(rows, columns) && Math.abs(total - bruteForce(weights, rows, columns)) < 1e-9;
      }),
    );
  });
});

describe('matchBoxes', () => {
  const truth = [{ box: [0, 0, 10, 10] as const }, { box: [20, 0, 30, 10] as const }];

  test('mean IoU divides by max(#predicted, #reference): missing and extra boxes both cost', () => {
    const exact = matchBoxes([{ box: [0, 0, 10, 10] }, { box: [20, 0, 30, 10] }], truth);
    expect(exact).toMatchObject({ meanIou: 1, precision: 1, recall: 1, f1: 1, truePositives: 2 });
    const missing = matchBoxes([{ box: [0, 0, 10, 10] }], truth);
    expect(missing).toMatchObject({ meanIou: 0.5, precision: 1, recall: 0.5 });
    expect(missing.f1).toBeCloseTo(2 / 3, 15);
    const extra = matchBoxes([{ box: [0, 0, 10, 10] }, { box: [20, 0, 30, 10] }, { box: [50, 50, 60, 60] }], truth);
    expect(extra.meanIou).toBeCloseTo(2 / 3, 15);
    expect(extra.precision).toBeCloseTo(2 / 3, 15);
    expect(extra.recall).toBe(1);
  });

  test('a half-overlapping box counts in mean IoU but not at threshold 0.75', () => {
    // [0,0,10,5] against [0,0,10,10]: IoU 50 / 100 = 0.5
    const result = matchBoxes([{ box: [0, 0, 10, 5] }], [truth[0] as { box: readonly [number, number, number, number] }], { threshold: 0.75 });
    expect(result).toMatchObject({ meanIou: 0.5, truePositives: 0, precision: 0, recall: 0, f1: 0 });
    expect(matchBoxes([{ box: [0, 0, 10, 5] }], [truth[0] as { box: readonly [number, number, number, number] }]).truePositives).toBe(1);
  });

  test('label-aware matching refuses pairs of different labels', () => {
    const predictions = [{ box: [0, 0, 10, 10] as const, label: 'Dog ' }];
    const references = [{ box: [0, 0, 10, 10] as const, label: 'cat' }, { box: [1, 1, 10, 10] as const, label: 'dog' }];
    expect(matchBoxes(predictions, references).pairs).toEqual([{ prediction: 0, reference: 0, iou: 1 }]);
    expect(matchBoxes(predictions, references, { labelAware: true }).pairs).toEqual([{ prediction: 0, reference: 1, iou: 0.81 }]);
    // references without labels: nothing to agree on, so labels are ignored
    expect(matchBoxes(predictions, [{ box: [0, 0, 10, 10] }], { labelAware: true }).meanIou).toBe(1);
    expect(matchBoxes([{ box: [0, 0, 10, 10] }], references, { labelAware: true }).meanIou).toBe(0);
  });

  test('rejected boxes never match; empty against empty is a perfect 1', () => {
    expect(matchBoxes([{ box: [0, 0, 10, 10], problem: 'zero area' }], truth).meanIou).toBe(0);
    expect(matchBoxes([], [])).toMatchObject({ meanIou: 1, precision: 1, recall: 1 });
    expect(matchBoxes([{ box: [0, 0, 1, 1] }], [])).toMatchObject({ meanIou: 0, precision: 0, recall: 0 });
    expect(matchBoxes([], [{ box: [0, 0, 1, 1] }])).toMatchObject({ meanIou: 0, precision: 0, recall: 0 });
  });
});
