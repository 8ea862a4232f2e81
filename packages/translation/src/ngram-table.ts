/**
 * Reference n-gram counts for sentence-level BLEU and chrF: every n-gram (orders 1..maxOrder) of
 * one or more id sequences in an open-addressing hash table, built once per reference (and cached
 * by content), then matched against many hypotheses. The table is a trie: an n-gram is stored as
 * (slot of its (n-1)-gram prefix, last id), so a lookup while walking a hypothesis from one start
 * position compares two integers per order, ids of any size work (no key arithmetic that could
 * pass 2^53), and nothing is allocated per lookup.
 * @internal
 */

/** Largest n-gram order a table stores. */
export const MAX_TABLE_ORDER = 0xffff;

// Scratch shared by every table: per slot [stamp, used], the match counter of the current call,
// valid when its stamp equals the current epoch (so nothing is cleared between calls). Scoring is
// synchronous, so one scratch array serves every table.
let scratch = new Int32Array(2048);
let epoch = 0;

function nextEpoch(capacity: number): number {
  if (scratch.length < capacity * 2) {
    scratch = new Int32Array(capacity * 2);
    epoch = 0;
  }
  epoch++;
  if (epoch === 0x7fffffff) {
    scratch.fill(0);
    epoch = 1;
  }
  return epoch;
}

/** The first slot to probe for (prefix, id). */
function slotOf(prefix: number, id: number, mask: number): number {
  let hash = Math.imul(prefix, 0x9e3779b1) ^ Math.imul(id, 0x85ebca77);
  hash ^= hash >>> 15;
  return hash & mask;
}

/**
 * The slot of (prefix, id) in a table's slots, claimed for it when absent (its count then 0).
 * Small enough for V8 to inline on the fill loops.
 */
function insertSlot(slots: Int32Array, prefix: number, id: number, mask: number): number {
  let slot = slotOf(prefix, id, mask);
  for (;;) {
    const stored = slots[slot * 4] as number;
    if (stored === 0) {
      slots[slot * 4] = prefix;
      slots[slot * 4 + 1] = id;
      return slot;
    }
    if (stored === prefix && slots[slot * 4 + 1] === id) return slot;
    slot = (slot + 1) & mask;
  }
}

/** Slots of a table for `ngrams` distinct n-grams at most: a power of two, at most half full (short probe runs). */
function capacityFor(ngrams: number): number {
  let capacity = 16;
  while (capacity < ngrams * 2) capacity *= 2;
  return capacity;
}

/** Count of n-grams of orders 1..maxOrder in a sequence of `length` ids. */
function ngramCount(length: number, maxOrder: number): number {
  let count = 0;
  for (let n = 1; n <= maxOrder && n <= length; n++) count += length - n + 1;
  return count;
}

/**
 * The n-grams (orders 1..maxOrder) of one id sequence or of several, with their counts; with
 * several sequences the count of an n-gram is its largest count in any one of them (sacreBLEU's
 * clipping against multiple references).
 */
export class NgramTable {
  private mask = 0;
  /**
   * Per slot, 4 ints: 2 + the slot of the n-gram's prefix (1 for a unigram; 0 for an empty slot),
   * the n-gram's last id, its count, unused (one cache line holds four slots).
   */
  private slots = new Int32Array(0);
  /** Distinct n-grams stored. */
  size = 0;
  /** Slots in use by the current contents' sizing. */
  capacity = 0;

  /**
   * Fill the table with the n-grams of `sequences` (the arrays are reused when large enough).
   * @param sequences id sequences (any int32 values); n-grams never span two sequences
   * @param maxOrder largest n-gram order, 1..{@link MAX_TABLE_ORDER}
   * @returns this table
   */
  fill(sequences: readonly Int32Array[], maxOrder: number): this {
    if (sequences.length === 1) return this.fillOne(sequences[0] as Int32Array, maxOrder);
    let ngrams = 0;
    for (const sequence of sequences) ngrams += ngramCount(sequence.length, maxOrder);
    const slots = this.reset(ngrams);
    const mask = this.mask;
    const capacity = this.capacity;
    let size = 0;
    for (const sequence of sequences) {
      // counts within this sequence live in the scratch counters; the table keeps the largest
      const current = nextEpoch(capacity);
      const counters = scratch;
      const length = sequence.length;
      for (let start = 0; start < length; start++) {
        let prefix = 1;
        const last = Math.min(length, start + maxOrder);
        for (let stop = start; stop < last; stop++) {
          const slot = insertSlot(slots, prefix, sequence[stop] as number, mask);
          if (slots[slot * 4 + 2] === 0) size++;
          const seen = counters[slot * 2] === current ? (counters[slot * 2 + 1] as number) + 1 : 1;
          counters[slot * 2] = current;
          counters[slot * 2 + 1] = seen;
          if (seen > (slots[slot * 4 + 2] as number)) slots[slot * 4 + 2] = seen;
          prefix = slot + 2;
        }
      }
    }
    this.size = size;
    return this;
  }

  /**
   * Fill the table with the n-grams of one sequence (its counts are the table's counts).
   * @param sequence ids (any int32 values)
   * @param maxOrder largest n-gram order, 1..{@link MAX_TABLE_ORDER}
   * @returns this table
   */
  fillOne(sequence: Int32Array, maxOrder: number): this {
    const length = sequence.length;
    const slots = this.reset(ngramCount(length, maxOrder));
    const mask = this.mask;
    let size = 0;
    for (let start = 0; start < length; start++) {
      let prefix = 1;
      const last = Math.min(length, start + maxOrder);
      for (let stop = start; stop < last; stop++) {
        const slot = insertSlot(slots, prefix, sequence[stop] as number, mask);
        if (slots[slot * 4 + 2] === 0) size++;
        slots[slot * 4 + 2] = (slots[slot * 4 + 2] as number) + 1;
        prefix = slot + 2;
      }
    }
    this.size = size;
    return this;
  }

  /** Size the table for `ngrams` n-grams and clear it; returns the slots. */
  private reset(ngrams: number): Int32Array {
    const capacity = capacityFor(ngrams);
    this.capacity = capacity;
    this.mask = capacity - 1;
    // a table that once held a huge reference gives its memory back
    if (this.slots.length < capacity * 4 || this.slots.length > Math.max(capacity * 16, MAX_KEPT_CAPACITY * 4)) this.slots = new Int32Array(capacity * 4);
    else this.slots.fill(0, 0, capacity * 4);
    return this.slots;
  }

  /**
   * Clipped matches of a hypothesis per order: for each order n, the sum over the hypothesis's
   * distinct n-grams of min(count in the hypothesis, count here), added into `matches[n - 1]`.
   * @param hypothesis the hypothesis ids (same id space as the table)
   * @param maxOrder largest order to match (<= the table's)
   * @param matches per-order totals, added to
   */
  matchInto(hypothesis: Int32Array, maxOrder: number, matches: number[]): void {
    if (this.size === 0) return;
    const current = nextEpoch(this.capacity);
    const counters = scratch;
    const { slots, mask } = this;
    const length = hypothesis.length;
    for (let start = 0; start < length; start++) {
      let prefix = 1;
      const last = Math.min(length, start + maxOrder);
      for (let stop = start; stop < last; stop++) {
        const id = hypothesis[stop] as number;
        let slot = slotOf(prefix, id, mask);
        let stored = slots[slot * 4] as number;
        while (stored !== 0 && (stored !== prefix || slots[slot * 4 + 1] !== id)) {
          slot = (slot + 1) & mask;
          stored = slots[slot * 4] as number;
        }
        // absent: no longer n-gram from this start is present either (its prefix would be)
        if (stored === 0) break;
        const taken = counters[slot * 2] === current ? (counters[slot * 2 + 1] as number) : 0;
        if (taken < (slots[slot * 4 + 2] as number)) {
          counters[slot * 2] = current;
          counters[slot * 2 + 1] = taken + 1;
          const order = stop - start;
          matches[order] = (matches[order] as number) + 1;
        }
        prefix = slot + 2;
      }
    }
  }
}

/** Tables larger than this many slots are built for one call and not kept. */
const MAX_KEPT_CAPACITY = 1 << 16;

/**
 * The n-gram tables of the most recent references, by content: the rollouts of one prompt are
 * scored against the same references one after another, so their table is built once; a miss
 * refills the oldest table in place, so the memory in use stays small and warm.
 * @internal
 */
export class RecentTables {
  private readonly tables = new Map<string, NgramTable>();

  /** @param maxEntries tables kept (>= 1) */
  constructor(private readonly maxEntries: number) {}

  /** The table of `key`, or the table of `sequences()` (orders 1..maxOrder), kept under `key`. */
  get(key: string, sequences: () => readonly Int32Array[], maxOrder: number): NgramTable {
    const hit = this.tables.get(key);
    if (hit !== undefined) return hit;
    let table: NgramTable | undefined;
    if (this.tables.size >= this.maxEntries) {
      const oldest = this.tables.keys().next().value as string;
      table = this.tables.get(oldest);
      this.tables.delete(oldest);
    }
    table = (table ?? new NgramTable()).fill(sequences(), maxOrder);
    if (table.capacity <= MAX_KEPT_CAPACITY) this.tables.set(key, table);
    return table;
  }
}

/**
 * The n-gram tables of the most recent reference sets, keyed by the identity of their id arrays
 * (which a content cache hands out, so the same reference text gives the same array while it is
 * cached): a lookup compares a few pointers, builds no key string and allocates nothing. A miss
 * refills the oldest table in place.
 * @internal
 */
export class RecentIdTables {
  private readonly tables: NgramTable[] = [];
  /** Per table, the one sequence it was filled from (null when filled from several or not kept). */
  private readonly ones: Array<Int32Array | null> = [];
  /** Per table, the sequences it was filled from when there were several (null otherwise). */
  private readonly manys: Array<readonly Int32Array[] | null> = [];
  /** The table of the last hit or fill, looked at first. */
  private last = 0;
  /** The table refilled on the next miss (round robin: the oldest fill). */
  private next = 0;

  /** @param maxEntries tables kept (>= 1) */
  constructor(private readonly maxEntries: number) {}

  /** The table of one sequence's n-grams (orders 1..maxOrder), kept by the sequence's identity. */
  ofOne(sequence: Int32Array, maxOrder: number): NgramTable {
    const { ones } = this;
    if (ones[this.last] === sequence) return this.tables[this.last] as NgramTable;
    for (let index = 0; index < ones.length; index++) {
      if (ones[index] === sequence) {
        this.last = index;
        return this.tables[index] as NgramTable;
      }
    }
    if (capacityFor(ngramCount(sequence.length, maxOrder)) > MAX_KEPT_CAPACITY) return new NgramTable().fillOne(sequence, maxOrder);
    const index = this.claim();
    ones[index] = sequence;
    return (this.tables[index] as NgramTable).fillOne(sequence, maxOrder);
  }

  /**
   * The table of several sequences' merged n-gram counts (the largest count in any one), kept by
   * the identity of each sequence, in order.
   */
  ofMany(sequences: readonly Int32Array[], maxOrder: number): NgramTable {
    const { manys } = this;
    const count = sequences.length;
    search: for (let offset = 0; offset < manys.length; offset++) {
      const index = (this.last + offset) % manys.length;
      const kept = manys[index];
      if (kept === null || kept === undefined || kept.length !== count) continue;
      for (let item = 0; item < count; item++) if (kept[item] !== sequences[item]) continue search;
      this.last = index;
      return this.tables[index] as NgramTable;
    }
    let ngrams = 0;
    for (const sequence of sequences) ngrams += ngramCount(sequence.length, maxOrder);
    if (capacityFor(ngrams) > MAX_KEPT_CAPACITY) return new NgramTable().fill(sequences, maxOrder);
    const index = this.claim();
    manys[index] = sequences;
    return (this.tables[index] as NgramTable).fill(sequences, maxOrder);
  }

  /** The index of the table to refill (a new one until `maxEntries` exist), its keys cleared. */
  private claim(): number {
    let index: number;
    if (this.tables.length < this.maxEntries) {
      index = this.tables.length;
      this.tables.push(new NgramTable());
    } else {
      index = this.next;
      this.next = (index + 1) % this.maxEntries;
    }
    this.ones[index] = null;
    this.manys[index] = null;
    this.last = index;
    return index;
  }
}

/**
 * A bounded first-in-first-out cache by string content, weighed in table slots: the n-gram
 * tables and token ids of references (and hypotheses) that many calls share, as sacreBLEU's
 * tokenizers keep an LRU cache of 2^16 lines. The keys' insertion order is kept in a ring beside
 * the map, so evicting the oldest entry costs the same however many entries came and went (a
 * map's own iteration would walk past every entry deleted since the map was last compacted).
 * @internal
 */
export class ContentCache<Value> {
  private readonly entries = new Map<string, Value>();
  /** Keys oldest first, as a ring of a power-of-two length; `head` is the oldest. */
  private keys: Array<string | undefined> = new Array<string | undefined>(16).fill(undefined);
  private weights = new Float64Array(16);
  private head = 0;
  private weight = 0;

  /**
   * @param maxEntries most entries kept (>= 1)
   * @param maxWeight most total weight kept (an entry heavier than this is computed, not kept)
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
  ) {}

  /** The cached value of `key`, or `make(key)` stored with its weight. */
  get(key: string, make: (key: string) => Value, weigh: (value: Value) => number): Value {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = make(key);
    this.put(key, value, weigh(value));
    return value;
  }

  /** The cached value of `key`, if any. */
  peek(key: string): Value | undefined {
    return this.entries.get(key);
  }

  /**
   * Store `value` under `key` (which must not be cached), evicting the oldest entries as needed;
   * a value heavier than the cache's whole weight is not kept.
   * @param weight the entry's weight (>= 0)
   */
  put(key: string, value: Value, weight: number): void {
    if (weight > this.maxWeight) return;
    const { entries } = this;
    while (entries.size > 0 && (entries.size >= this.maxEntries || this.weight + weight > this.maxWeight)) {
      const oldest = this.head;
      entries.delete(this.keys[oldest] as string);
      this.keys[oldest] = undefined;
      this.weight -= this.weights[oldest] as number;
      this.head = (oldest + 1) & (this.keys.length - 1);
    }
    if (entries.size === this.keys.length) this.grow();
    const slot = (this.head + entries.size) & (this.keys.length - 1);
    this.keys[slot] = key;
    this.weights[slot] = weight;
    entries.set(key, value);
    this.weight += weight;
  }

  /** Double the ring, oldest key first at 0. */
  private grow(): void {
    const size = this.entries.size;
    const keys = new Array<string | undefined>(this.keys.length * 2).fill(undefined);
    const weights = new Float64Array(this.keys.length * 2);
    for (let index = 0; index < size; index++) {
      const from = (this.head + index) & (this.keys.length - 1);
      keys[index] = this.keys[from];
      weights[index] = this.weights[from] as number;
    }
    this.keys = keys;
    this.weights = weights;
    this.head = 0;
  }
}

/**
 * Token strings to integer ids (1, 2, ...), shared by every sentence of one metric configuration,
 * so that n-grams of words compare as integers.
 * @internal
 */
export class TokenIds {
  private readonly ids = new Map<string, number>();

  /** Number of distinct tokens seen. */
  get size(): number {
    return this.ids.size;
  }

  /** The ids of `tokens`, new tokens numbered as they come. */
  of(tokens: readonly string[]): Int32Array {
    const result = new Int32Array(tokens.length);
    const { ids } = this;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as string;
      let id = ids.get(token);
      if (id === undefined) {
        id = ids.size + 1;
        ids.set(token, id);
      }
      result[index] = id;
    }
    return result;
  }
}
