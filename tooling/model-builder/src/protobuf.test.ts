import fc from 'fast-check';
import { ProtoWriter, encodeVarint } from './protobuf.js';
import { encodeModel } from './onnx.js';
import { GraphBuilder, seededValues } from './graph-builder.js';
import { buildVocabulary, referenceEncode, referenceTokenize, CLS_ID, SEP_ID, UNK_ID, STEP_ID } from './tokenizer.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('varints follow the protobuf wire format', () => {
  expect(hex(encodeVarint(0n))).toBe('00');
  expect(hex(encodeVarint(1n))).toBe('01');
  expect(hex(encodeVarint(150n))).toBe('9601');
  expect(hex(encodeVarint(300n))).toBe('ac02');
  expect(hex(encodeVarint(-1n))).toBe('ffffffffffffffffff01');
});

test('fields are tagged with number and wire type', () => {
  // The protobuf documentation's examples: field 1 = 150 -> 08 96 01; field 2 = "testing" -> 12 07 74 65 73 74 69 6e 67.
  expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe('089601');
  expect(hex(new ProtoWriter().bytes(2, 'testing').finish())).toBe('120774657374696e67');
  expect(hex(new ProtoWriter().float(1, 1).finish())).toBe('0d0000803f');
  expect(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
  expect(hex(new ProtoWriter().bytes(3, new ProtoWriter().varint(1, 150)).finish())).toBe('1a03089601');
});

test('a model starts with ir_version and embeds the graph', () => {
  const graph = new GraphBuilder('g');
  const x = graph.input('x', 'float', ['batch', 2]);
  graph.output('y', graph.op('Relu', [x]), 'float', ['batch', 2]);
  const bytes = encodeModel(graph.build());
  expect(hex(bytes.subarray(0, 2))).toBe('0808');
  expect(Buffer.from(bytes).includes(Buffer.from('Relu'))).toBe(true);
});

test('seeded values are deterministic, on a 1/64 grid, in [-1, 1]', () => {
  const a = seededValues(3)(100);
  expect(seededValues(3)(100)).toEqual(a);
  expect(seededValues(4)(100)).not.toEqual(a);
  for (const value of a) {
    expect(Math.abs(value)).toBeLessThanOrEqual(1);
    expect(Number.isInteger(value * 64)).toBe(true);
  }
});

test('the reference tokenizer lowercases, splits punctuation and maps unknown words', () => {
  const vocabulary = buildVocabulary();
  const ids = referenceTokenize('The CAT, zebra! <step>', vocabulary);
  expect(ids).toEqual([vocabulary.get('the'), vocabulary.get('cat'), vocabulary.get(','), UNK_ID, vocabulary.get('!'), STEP_ID]);
  const pair = referenceEncode(vocabulary, 'red cat', 'blue dog sat', 7);
  expect(pair.ids).toEqual([CLS_ID, vocabulary.get('red'), vocabulary.get('cat'), SEP_ID, vocabulary.get('blue'), vocabulary.get('dog'), SEP_ID]);
  expect(pair.typeIds).toEqual([0, 0, 0, 0, 1, 1, 1]);
});

test('property: varints decode back to the value (mod 2^64), 7 bits per byte', () => {
  const decode = (bytes: Uint8Array) => {
    let value = 0n;
    bytes.forEach((byte, index) => {
      value |= BigInt(byte & 0x7f) << BigInt(7 * index);
      expect((byte & 0x80) !== 0).toBe(index < bytes.length - 1);
    });
    return value;
  };
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }), (value) => {
      const bytes = encodeVarint(value);
      expect(decode(bytes)).toBe(BigInt.asUintN(64, value));
      expect(bytes.length).toBeLessThanOrEqual(10);
    }),
  );
});
