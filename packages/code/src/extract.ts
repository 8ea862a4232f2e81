import { type LanguageSpec, type LanguageTable, findLanguage } from './languages.js';

/** One fenced code block of a completion. */
export interface CodeBlock {
  /** The fence's info word, lower case (`python`), or '' for a bare fence. */
  tag: string;
  /** The code between the fences. */
  code: string;
  /** False when the completion ended before the closing fence (a truncated block). */
  closed: boolean;
}

const openFence = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n`]*$/;

/** Every fenced block (``` or ~~~, CommonMark-style) of a text, in order; an unclosed last block is kept with `closed: false`. */
export function findCodeBlocks(text: string): CodeBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const match = openFence.exec(lines[index] as string);
    if (!match) {
      index++;
      continue;
    }
    const fence = match[1] as string;
    const tag = (match[2] ?? '').toLowerCase();
    const body: string[] = [];
    let closed = false;
    index++;
    while (index < lines.length) {
      const line = lines[index] as string;
      const trimmed = line.trim();
      if (trimmed.length >= fence.length && trimmed === (fence[0] as string).repeat(trimmed.length)) {
        closed = true;
        index++;
        break;
      }
      body.push(line);
      index++;
    }
    blocks.push({ tag, code: body.join('\n'), closed });
  }
  return blocks;
}

/** How the code is taken from a completion. */
export type ExtractMode = 'last' | 'first' | 'whole';

/** The code of a completion and the language its fence named. */
export interface ExtractedCode {
  /** The program text. */
  code: string;
  /** The language named by the block's fence, when the table knows it. */
  language?: LanguageSpec;
  /** The fence tag as written ('' for none). */
  tag: string;
}

/**
 * Take the code out of a completion: the last (or first) fenced block in the requested language;
 * a bare fence counts when no block names the language; with no language requested, the last
 * (first) block of any language. `whole` takes the completion as the code.
 * @returns the code, or null when the completion holds no usable block
 */
export function extractCode(
  completion: string,
  options: { mode?: ExtractMode; language?: LanguageSpec; table: LanguageTable },
): ExtractedCode | null {
  const mode = options.mode ?? 'last';
  if (mode === 'whole') {
    const language = options.language;
    return { code: completion, tag: '', ...(language ? { language } : {}) };
  }
  const blocks = findCodeBlocks(completion).filter((block) => block.code.trim() !== '');
  let candidates: CodeBlock[];
  if (options.language) {
    const fences = new Set([options.language.name, ...options.language.fences]);
    candidates = blocks.filter((block) => fences.has(block.tag));
    if (candidates.length === 0) candidates = blocks.filter((block) => block.tag === '');
  } else {
    candidates = blocks;
  }
  const chosen = mode === 'first' ? candidates[0] : candidates[candidates.length - 1];
  if (!chosen) return null;
  const language = options.language ?? (chosen.tag ? findLanguage(options.table, chosen.tag) : undefined);
  return { code: chosen.code, tag: chosen.tag, ...(language ? { language } : {}) };
}
