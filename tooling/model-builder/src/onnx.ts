/**
 * Just enough of ONNX's ModelProto (onnx/onnx.proto) to write small inference graphs from code:
 * initializers as raw little-endian tensors, nodes with int/float/ints attributes, typed graph
 * inputs and outputs with symbolic dimensions.
 */
import { ProtoWriter } from './protobuf.js';

/** ONNX tensor element types used here (TensorProto.DataType). */
export const DataType = { float: 1, int32: 6, int64: 7, float16: 10 } as const;

/** An element type name. */
export type ElementType = keyof typeof DataType;

/** A constant tensor (an initializer). */
export interface Initializer {
  /** Tensor name, referenced by node inputs. */
  name: string;
  /** Element type. */
  type: ElementType;
  /** Shape; `[]` for a scalar. */
  dims: number[];
  /** Values in row-major order; their count must equal the product of `dims`. */
  values: readonly number[];
}

/** An attribute value: a number is an int unless listed in `floats` of the node. */
export type AttributeValue = number | number[] | { float: number };

/** One graph node. */
export interface GraphNode {
  /** Operator (`Gather`, `MatMul`, …), default ONNX domain. */
  op: string;
  /** Input tensor names. */
  inputs: string[];
  /** Output tensor names. */
  outputs: string[];
  /** Attributes: an integer, a list of integers, or `{ float }`. */
  attributes?: Record<string, AttributeValue>;
}

/** A graph input or output: name, element type and shape (a string is a symbolic dimension). */
export interface ValueInfo {
  /** Tensor name. */
  name: string;
  /** Element type. */
  type: ElementType;
  /** Dimensions: numbers are fixed, strings are symbolic (`batch`, `sequence`). */
  shape: (number | string)[];
}

/** A whole graph. */
export interface Graph {
  /** Graph name. */
  name: string;
  /** Nodes in topological order. */
  nodes: GraphNode[];
  /** Constants. */
  initializers: Initializer[];
  /** Graph inputs (without initializers). */
  inputs: ValueInfo[];
  /** Graph outputs. */
  outputs: ValueInfo[];
}

/** The opset the builder writes (default domain). */
export const OPSET_VERSION = 17;
/** The IR version the builder writes. */
export const IR_VERSION = 8;

/** Encode a graph as the bytes of a `model.onnx` file. */
export function encodeModel(graph: Graph, producer = '@mixreward/model-builder'): Uint8Array {
  const model = new ProtoWriter();
  model.varint(1, IR_VERSION);
  model.bytes(2, producer);
  model.bytes(3, '0.0.0');
  model.bytes(7, encodeGraph(graph));
  model.bytes(8, new ProtoWriter().bytes(1, '').varint(2, OPSET_VERSION));
  return model.finish();
}

function encodeGraph(graph: Graph): ProtoWriter {
  const writer = new ProtoWriter();
  graph.nodes.forEach((node, index) => writer.bytes(1, encodeNode(node, index)));
  writer.bytes(2, graph.name);
  for (const initializer of graph.initializers) writer.bytes(5, encodeTensor(initializer));
  for (const input of graph.inputs) writer.bytes(11, encodeValueInfo(input));
  for (const output of graph.outputs) writer.bytes(12, encodeValueInfo(output));
  return writer;
}

function encodeNode(node: GraphNode, index: number): ProtoWriter {
  const writer = new ProtoWriter();
  for (const input of node.inputs) writer.bytes(1, input);
  for (const output of node.outputs) writer.bytes(2, output);
  writer.bytes(3, `${node.op.toLowerCase()}_${index}`);
  writer.bytes(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    const attribute = new ProtoWriter().bytes(1, name);
    if (typeof value === 'number') attribute.varint(3, value).varint(20, 2);
    else if (Array.isArray(value)) attribute.packedVarints(8, value).varint(20, 7);
    else attribute.float(2, value.float).varint(20, 1);
    writer.bytes(5, attribute);
  }
  return writer;
}

function encodeTensor(tensor: Initializer): ProtoWriter {
  const count = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (count !== tensor.values.length) {
    throw new Error(`initializer ${tensor.name}: ${tensor.values.length} values for shape [${tensor.dims.join(', ')}]`);
  }
  const writer = new ProtoWriter();
  writer.packedVarints(1, tensor.dims);
  writer.varint(2, DataType[tensor.type]);
  writer.bytes(8, tensor.name);
  writer.bytes(9, rawData(tensor));
  return writer;
}

function rawData(tensor: Initializer): Uint8Array {
  if (tensor.type === 'float') return new Uint8Array(Float32Array.from(tensor.values).buffer);
  if (tensor.type === 'int32') return new Uint8Array(Int32Array.from(tensor.values).buffer);
  if (tensor.type === 'float16') throw new Error(`initializer ${tensor.name}: float16 initializers are not supported; Cast a float one`);
  return new Uint8Array(BigInt64Array.from(tensor.values, (value) => BigInt(value)).buffer);
}

function encodeValueInfo(info: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of info.shape) {
    shape.bytes(1, typeof dim === 'number' ? new ProtoWriter().varint(1, dim) : new ProtoWriter().bytes(2, dim));
  }
  const tensorType = new ProtoWriter().varint(1, DataType[info.type]).bytes(2, shape);
  return new ProtoWriter().bytes(1, info.name).bytes(2, new ProtoWriter().bytes(1, tensorType));
}
