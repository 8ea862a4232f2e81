import type { ElementType, Graph, GraphNode, Initializer, ValueInfo, AttributeValue } from './onnx.js';

/** Collects nodes and constants with generated names; a tiny DSL over {@link Graph}. */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  /** Declare a graph input; returns its name. */
  input(name: string, type: ElementType, shape: (number | string)[]): string {
    this.inputs.push({ name, type, shape });
    return name;
  }

  /** Declare a graph output produced by `source` under the name `name` (an Identity node). */
  output(name: string, source: string, type: ElementType, shape: (number | string)[]): void {
    this.op('Identity', [source], {}, name);
    this.outputs.push({ name, type, shape });
  }

  /** Add a constant; returns its name. */
  constant(type: ElementType, dims: number[], values: readonly number[], name = `const_${this.counter++}`): string {
    this.initializers.push({ name, type, dims, values });
    return name;
  }

  /** Add a node with one output; returns the output name. */
  op(op: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, output = `${op.toLowerCase()}_out_${this.counter++}`): string {
    this.nodes.push({ op, inputs, outputs: [output], attributes });
    return output;
  }

  /** The finished graph. */
  build(): Graph {
    return { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }
}

/** A seeded pseudo-random generator (mulberry32) of values on a 1/64 grid in [-1, 1], exact in float32. */
export function seededValues(seed: number): (count: number) => number[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (count) => Array.from({ length: count }, () => Math.round((next() * 2 - 1) * 64) / 64);
}
