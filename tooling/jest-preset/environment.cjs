// A node test environment whose realm shares the host's typed-array and buffer constructors.
// Jest runs each test file in its own VM realm, so a Float32Array made by a native addon
// (onnxruntime-node, sharp) would fail `instanceof Float32Array` inside the test realm. Sharing the
// host constructors keeps `instanceof` checks true on both sides. This is the one place that
// problem is solved.
const { TestEnvironment } = require('jest-environment-node');

const shared = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Buffer',
];

class SharedTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of shared) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = SharedTypedArrayEnvironment;
