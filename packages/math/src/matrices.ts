/**
 * Matrix answers: sums, negations and products carried out cell by cell, and vectors.
 * @module
 */
import { isScalar, some, transform, type MathNode } from './ast.js';

type Matrix = Extract<MathNode, { kind: 'matrix' }>;

/** Carry out matrix sums, negations and products (`A + B`, `2A`, `AB`) so that they compare cell by cell. */
export function reduceMatrices(node: MathNode): MathNode {
  if (!some(node, (child) => child.kind === 'matrix')) return node;
  return transform(node, (child) => {
    if (child.kind === 'neg' && child.arg.kind === 'matrix') return mapCells(child.arg, (cell) => ({ kind: 'neg', arg: cell }));
    if (child.kind === 'add' && child.terms.every((term) => term.kind === 'matrix')) {
      const [first, ...rest] = child.terms as Matrix[];
      if (!first || rest.some((term) => !sameShape(term, first))) return child;
      return mapCells(first, (cell, row, column) => ({ kind: 'add', terms: [cell, ...rest.map((term) => term.rows[row]?.[column] as MathNode)] }));
    }
    if (child.kind === 'mul' && child.factors.some((factor) => factor.kind === 'matrix')) {
      const scalars = child.factors.filter((factor) => factor.kind !== 'matrix' && isScalar(factor));
      const matrices = child.factors.filter((factor): factor is Matrix => factor.kind === 'matrix');
      if (scalars.length + matrices.length !== child.factors.length) return child;
      let product = matrices[0] as Matrix;
      for (const next of matrices.slice(1)) {
        const inner = (product.rows[0] as MathNode[]).length;
        if (inner !== next.rows.length) return child;
        product = {
          kind: 'matrix',
          rows: product.rows.map((row) =>
            (next.rows[0] as MathNode[]).map((_, column) => ({ kind: 'add', terms: row.map((cell, k) => ({ kind: 'mul', factors: [cell, next.rows[k]?.[column] as MathNode] }) as MathNode) }) as MathNode),
          ),
        };
      }
      return scalars.length === 0 ? product : mapCells(product, (cell) => ({ kind: 'mul', factors: [...scalars, cell] }));
    }
    return child;
  });
}

function sameShape(a: Matrix, b: Matrix): boolean {
  return a.rows.length === b.rows.length && (a.rows[0] as MathNode[]).length === (b.rows[0] as MathNode[]).length;
}

function mapCells(matrix: Matrix, map: (cell: MathNode, row: number, column: number) => MathNode): Matrix {
  return { kind: 'matrix', rows: matrix.rows.map((row, rowIndex) => row.map((cell, column) => map(cell, rowIndex, column))) };
}

/** A one-row or one-column matrix, comparable with a tuple. */
export function isVector(node: Extract<MathNode, { kind: 'matrix' }>): boolean {
  return node.rows.length === 1 || node.rows.every((row) => row.length === 1);
}
