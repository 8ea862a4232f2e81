import { RewardError, errorMessage } from '@mixreward/core';
import { loadSharp } from '../sharp.js';

/** Decoded RGB pixels. */
export interface RgbImage {
  /** Row-major RGB bytes, 3 per pixel. */
  data: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Images with a longer side are shrunk to it before anything else (bounds memory; the detector sees at most 960 anyway), pixels. */
export const MAX_DECODE_SIDE = 4096;

/** Decode an image file or bytes to RGB (EXIF orientation applied, flattened on white, at most {@link MAX_DECODE_SIDE} a side). */
export async function decodeImage(image: string | Uint8Array): Promise<RgbImage & { name: string }> {
  const sharp = await loadSharp('vision.ocr (decoding images)');
  const name = typeof image === 'string' ? image : 'the image bytes';
  try {
    const { data, info } = await sharp(image)
      .rotate() // EXIF orientation, as cv2.imread applies it
      .resize({ width: MAX_DECODE_SIDE, height: MAX_DECODE_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, name };
  } catch (error) {
    throw new RewardError('INVALID_INPUT', `vision.ocr could not decode the image ${name}: ${errorMessage(error)}`, {
      path: typeof image === 'string' ? image : 'image',
      cause: error,
    });
  }
}

