/**
 * Token interning for BLEU: token strings to integer ids (1, 2, ...) in an open-addressing hash
 * table of their characters, so that a token can be looked up as a range of a line without
 * cutting it out as a string first (the 13a fast path), or as a string (every other tokenizer);
 * both give the same id for the same characters.
 * @internal
 */

/** The hash of `length` UTF-16 code units of `text` from `start` (FNV-1a, then mixed). */
function hashRange(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return hash ^ (hash >>> 12);
}

/** Ints per shared buffer that short id arrays are cut from. */
const CHUNK = 1 << 14;
let chunk = new ArrayBuffer(CHUNK * 4);
let chunkUsed = 0;

/**
 * A new id array of `length` (zeros): a view on a shared 64 KiB buffer for short ones (one
 * allocation of backing memory for hundreds of lines, which V8 makes much cheaper than a buffer
 * per line), its own buffer for long ones. A buffer lives while any of its views does.
 */
export function idArray(length: number): Int32Array {
  if (length * 16 > CHUNK) return new Int32Array(length);
  if (chunkUsed + length > CHUNK) {
    chunk = new ArrayBuffer(CHUNK * 4);
    chunkUsed = 0;
  }
  const ids = new Int32Array(chunk, chunkUsed * 4, length);
  chunkUsed += length;
  return ids;
}

/** Token strings to ids, numbered as they come. */
export class TokenTable {
  /** Per id (index 0 unused), the token. */
  private strings: string[] = [''];
  /** Per id, the token's hash. */
  private hashes = new Int32Array(64);
  /** Open addressing: an id per slot, 0 for empty; at most half full. */
  private slots = new Int32Array(128);

  /** Number of distinct tokens seen. */
  get size(): number {
    return this.strings.length - 1;
  }

  /** The id of the characters `text[start..end)`, numbered if new. */
  idOfRange(text: string, start: number, end: number): number {
    const hash = hashRange(text, start, end);
    const length = end - start;
    const { slots, strings, hashes } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const id = slots[slot] as number;
      if (id === 0) break;
      if (hashes[id] === hash) {
        const token = strings[id] as string;
        if (token.length === length) {
          let index = 0;
          while (index < length && token.charCodeAt(index) === text.charCodeAt(start + index)) index++;
          if (index === length) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.add(start === 0 && end === text.length ? text : text.slice(start, end), hash, slot);
  }

  /** The id of `token`, numbered if new. */
  idOf(token: string): number {
    const hash = hashRange(token, 0, token.length);
    const { slots, strings, hashes } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const id = slots[slot] as number;
      if (id === 0) break;
      if (hashes[id] === hash && strings[id] === token) return id;
      slot = (slot + 1) & mask;
    }
    return this.add(token, hash, slot);
  }

  /** The ids of `tokens`. */
  of(tokens: readonly string[]): Int32Array {
    const result = idArray(tokens.length);
    for (let index = 0; index < tokens.length; index++) result[index] = this.idOf(tokens[index] as string);
    return result;
  }

  /** Number a new token whose probe ended at the empty `slot`. */
  private add(token: string, hash: number, slot: number): number {
    const id = this.strings.length;
    this.strings.push(token);
    if (id >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[id] = hash;
    this.slots[slot] = id;
    if (id * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** Double the slots and place every id again. */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const { hashes } = this;
    for (let id = 1; id < this.strings.length; id++) {
      let slot = (hashes[id] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}
