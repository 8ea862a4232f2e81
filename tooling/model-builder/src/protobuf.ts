/**
 * A minimal protocol-buffers writer: just the wire types ONNX's ModelProto needs (varint,
 * 64-bit-free fixed32 floats, length-delimited bytes/strings/messages, packed repeated fields).
 */

/** Bytes of one encoded message, built field by field in field-number order of the calls. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.push(encodeVarint(BigInt(field * 8 + wireType)));
  }

  /** A varint field (int32, int64, enum, bool); negative values use 10-byte two's complement. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.push(encodeVarint(BigInt(value)));
    return this;
  }

  /** A float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  /** A length-delimited field: bytes, a UTF-8 string, or a nested message. */
  bytes(field: number, value: Uint8Array | string | ProtoWriter): this {
    const payload = typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof ProtoWriter ? value.finish() : value;
    this.tag(field, 2);
    this.push(encodeVarint(BigInt(payload.length)));
    this.push(payload);
    return this;
  }

  /** A packed repeated varint field (e.g. `repeated int64 dims`). Nothing is written for an empty list. */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const value of values) inner.push(encodeVarint(BigInt(value)));
    return this.bytes(field, inner.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/**
 * Encode an integer as a protobuf varint.
 * @param value an integer in [-2^63, 2^64); negatives are written as 64-bit two's complement (10 bytes)
 */
export function encodeVarint(value: bigint): Uint8Array {
  let rest = value < 0n ? (1n << 64n) + value : value;
  const bytes: number[] = [];
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0n);
  return Uint8Array.from(bytes);
}
