import { pyNormalizeSpaces } from './python-text.js';

/** Options of the Tercom tokenizer that TER applies (sacreBLEU's `TercomTokenizer`). */
export interface TercomTokenizerOptions {
  /** Tercom normalisation: join lines, unescape XML entities, split punctuation. Default false. */
  normalized?: boolean;
  /** Remove `.,?:;!"()` (and CJK/full-width punctuation with `asian_support`). Default false. */
  no_punct?: boolean;
  /** CJK handling; only has an effect together with `normalized` and/or `no_punct`. Default false. */
  asian_support?: boolean;
  /** Keep case. Default false: TER lowercases. */
  case_sensitive?: boolean;
}

const TERCOM_PUNCTUATION = /([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/g;
const ASIAN_PUNCT = /([\u3001\u3002\u3008-\u3011\u3014-\u301f\uff61-\uff65\u30fb])/g;
const FULL_WIDTH_PUNCT = /([\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09])/g;

function normalizeGeneralAndWestern(input: string): string {
  let sent = input.replace(/\n-/g, '').replace(/\n/g, ' ');
  sent = sent.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  sent = ` ${sent} `;
  sent = sent.replace(TERCOM_PUNCTUATION, ' $1 ');
  sent = sent.replace(/'s /g, " 's ");
  // Python's `$` also matches before a final newline.
  sent = sent.replace(/'s(?=\n?$)/g, " 's");
  sent = sent.replace(/([^0-9])([.,])/gu, '$1 $2 ');
  sent = sent.replace(/([.,])([^0-9])/gu, ' $1 $2');
  sent = sent.replace(/([0-9])(-)/g, '$1 $2 ');
  return sent;
}

function normalizeAsian(input: string): string {
  let sent = input.replace(/([\u4e00-\u9fff\u3400-\u4dbf])/g, ' $1 ');
  sent = sent.replace(/([\u31c0-\u31ef\u2e80-\u2eff])/g, ' $1 ');
  sent = sent.replace(/([\u3300-\u33ff\uf900-\ufaff\ufe30-\ufe4f])/g, ' $1 ');
  sent = sent.replace(/([\u3200-\u3f22])/g, ' $1 ');
  // sacreBLEU's kana rules anchor with `^` inside the groups, so they can only match a line that
  // starts with kana (never after normalisation, which pads the line); kept for fidelity.
  sent = sent.replace(/(^|^[\u3040-\u309f])([\u3040-\u309f]+)(?=\n?$|^[\u3040-\u309f])/g, '$1 $2 ');
  sent = sent.replace(/(^|^[\u30a0-\u30ff])([\u30a0-\u30ff]+)(?=\n?$|^[\u30a0-\u30ff])/g, '$1 $2 ');
  sent = sent.replace(/(^|^[\u31f0-\u31ff])([\u31f0-\u31ff]+)(?=\n?$|^[\u31f0-\u31ff])/g, '$1 $2 ');
  sent = sent.replace(ASIAN_PUNCT, ' $1 ');
  sent = sent.replace(FULL_WIDTH_PUNCT, ' $1 ');
  return sent;
}

/**
 * sacreBLEU's Tercom tokenizer for TER: lowercase unless `case_sensitive`, optional normalisation
 * and punctuation removal, then single spaces between tokens.
 */
export function tokenizeTercom(line: string, options: TercomTokenizerOptions = {}): string {
  if (!line) return '';
  let sent = options.case_sensitive ? line : line.toLowerCase();
  if (options.normalized) {
    sent = normalizeGeneralAndWestern(sent);
    if (options.asian_support) sent = normalizeAsian(sent);
  }
  if (options.no_punct) {
    sent = sent.replace(/[.,?:;!"()]/g, '');
    if (options.asian_support) sent = sent.replace(ASIAN_PUNCT, '').replace(FULL_WIDTH_PUNCT, '');
  }
  return pyNormalizeSpaces(sent);
}
