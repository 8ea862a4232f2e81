/**
 * Tiny deterministic ONNX models (with tokenizer.json and manifest.json) for mixreward's tests and
 * benchmarks, written from code with a small protobuf writer: no Python, nothing downloaded.
 * @packageDocumentation
 */
export * from './models.js';
export * from './tokenizer.js';
export { encodeModel, DataType, OPSET_VERSION, IR_VERSION } from './onnx.js';
export type { Graph, GraphNode, Initializer, ValueInfo, ElementType, AttributeValue } from './onnx.js';
export { GraphBuilder, seededValues } from './graph-builder.js';
export { ProtoWriter, encodeVarint } from './protobuf.js';
