/**
 * Wrap packed RGB pixels in a minimal uncompressed baseline TIFF (little-endian, one strip), so a
 * decoded frame can go to an image API that takes encoded bytes without a lossy or slow encoder.
 * @param width width in pixels (>= 1)
 * @param height height in pixels (>= 1)
 * @param rgb `width * height * 3` bytes
 * @internal
 */
export function rgbToTiff(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const entries = 10;
  const ifdOffset = 8;
  const ifdSize = 2 + entries * 12 + 4;
  const bitsOffset = ifdOffset + ifdSize;
  const dataOffset = bitsOffset + 6;
  const bytes = new Uint8Array(dataOffset + rgb.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0x4949, true); // "II": little-endian
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, entries, true);
  let at = ifdOffset + 2;
  const entry = (tag: number, type: number, count: number, value: number): void => {
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, count, true);
    if (type === 3 && count === 1) view.setUint16(at + 8, value, true);
    else view.setUint32(at + 8, value, true);
    at += 12;
  };
  const SHORT = 3;
  const LONG = 4;
  entry(256, LONG, 1, width); // ImageWidth
  entry(257, LONG, 1, height); // ImageLength
  entry(258, SHORT, 3, bitsOffset); // BitsPerSample 8, 8, 8
  entry(259, SHORT, 1, 1); // Compression: none
  entry(262, SHORT, 1, 2); // Photometric: RGB
  entry(273, LONG, 1, dataOffset); // StripOffsets
  entry(277, SHORT, 1, 3); // SamplesPerPixel
  entry(278, LONG, 1, height); // RowsPerStrip
  entry(279, LONG, 1, rgb.length); // StripByteCounts
  entry(284, SHORT, 1, 1); // PlanarConfiguration: chunky
  view.setUint32(at, 0, true); // no next IFD
  view.setUint16(bitsOffset, 8, true);
  view.setUint16(bitsOffset + 2, 8, true);
  view.setUint16(bitsOffset + 4, 8, true);
  bytes.set(rgb, dataOffset);
  return bytes;
}
