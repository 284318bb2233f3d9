/**
 * The distinct words of a text and their counts, kept compactly: each word's UTF-8 bytes
 * once in a byte arena, an open-addressing hash table of (hash, id) pairs to find them, and
 * per id (ids are given in order of first occurrence) the word's arena address, length and
 * count in typed arrays. No JavaScript string or object per word: memory is about 24 bytes per
 * distinct word plus its bytes, and the garbage collector has almost nothing to trace.
 */

/** Arena pages are 1 MiB; a word longer than a page gets a page of its own. */
const ARENA_PAGE_BITS = 20;
const ARENA_PAGE_SIZE = 1 << ARENA_PAGE_BITS;
const ARENA_OFFSET_MASK = ARENA_PAGE_SIZE - 1;
/** An address (page × page size + offset) is a Uint32: 4,096 pages, i.e. 4 GiB of distinct words. */
const MAX_ARENA_PAGES = 2 ** (32 - ARENA_PAGE_BITS);
/** Entries ([address, length, count] per id) live in pages of 65,536, so growing never copies them. */
const ENTRY_PAGE_BITS = 16;
const ENTRY_PAGE_MASK = (1 << ENTRY_PAGE_BITS) - 1;
const ENTRY_STRIDE = 3;
const INITIAL_SLOTS = 1 << 10;
const TWO_TO_32 = 2 ** 32;
/**
 * Words are counted in batches: once a batch's slots (and the entries and bytes of the words they
 * hold) have been read, independently of one another so that the processor waits for their cache
 * misses side by side, the words are counted one by one in order, in memory that is now cached.
 * With millions of distinct words nearly every lookup misses the cache, and this hides most of it.
 */
const BATCH_SIZE = 32;

/** FNV-1a over the bytes, then murmur3's finaliser so that the low bits (the slot) are well mixed. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

export class WordTable {
  /** Pairs [hash, id + 1]; id + 1 of 0 marks an empty slot. Linear probing, at most 3/4 full. */
  private slots = new Uint32Array(INITIAL_SLOTS * 2);
  private slotMask = INITIAL_SLOTS - 1;
  private readonly entryPages: Uint32Array[] = [];
  /** The words' UTF-8 bytes, one after another. */
  private readonly arenaPages: Uint8Array[] = [];
  private arenaPageIndex = -1;
  private arenaUsed = 0;
  /** Counts are Uint32; an id that wraps past 2^32 - 1 counts its wraps here. */
  private readonly wraps = new Map<number, number>();
  private distinct = 0;
  /** The words queued since the last flush: bytes[starts[k]..ends[k]) with their hashes. */
  private readonly starts = new Int32Array(BATCH_SIZE);
  private readonly ends = new Int32Array(BATCH_SIZE);
  private readonly hashes = new Uint32Array(BATCH_SIZE);
  private queued = 0;
  private queuedFrom: Uint8Array | undefined;
  /** What the warming reads add up to: kept, so that the reads are not optimised away. */
  private warmed = 0;

  /** The number of distinct words; ids run from 0 (the first word seen) to size - 1. */
  get size(): number {
    this.flush();
    return this.distinct;
  }

  /**
   * Counts one occurrence of the word made of bytes[start..end), in a batch: call `flush()`
   * before `bytes` change (reading the counts flushes by itself).
   */
  add(bytes: Uint8Array, start: number, end: number): void {
    if (bytes !== this.queuedFrom) {
      this.flush();
      this.queuedFrom = bytes;
    }
    const k = this.queued++;
    this.starts[k] = start;
    this.ends[k] = end;
    this.hashes[k] = hashBytes(bytes, start, end);
    if (this.queued === BATCH_SIZE) this.flush();
  }

  /** Counts the queued words, in the order they were added. */
  flush(): void {
    const bytes = this.queuedFrom;
    const n = this.queued;
    if (bytes === undefined || n === 0) return;
    this.queued = 0;
    this.warm(n);
    for (let k = 0; k < n; k++) this.addHashed(bytes, this.starts[k]!, this.ends[k]!, this.hashes[k]!);
  }

  /** Reads, for each queued word, its home slot and the entry and first byte of the word it holds. */
  private warm(n: number): void {
    const slots = this.slots;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += slots[2 * (this.hashes[k]! & this.slotMask) + 1]!;
    for (let k = 0; k < n; k++) {
      const idPlusOne = slots[2 * (this.hashes[k]! & this.slotMask) + 1]!;
      if (idPlusOne === 0) continue;
      const id = idPlusOne - 1;
      const address = this.entryPages[id >>> ENTRY_PAGE_BITS]![ENTRY_STRIDE * (id & ENTRY_PAGE_MASK)]!;
      sum += this.arenaPages[address >>> ARENA_PAGE_BITS]![address & ARENA_OFFSET_MASK]!;
    }
    this.warmed = (this.warmed + sum) | 0;
  }

  private addHashed(bytes: Uint8Array, start: number, end: number, hash: number): void {
    const slots = this.slots;
    let slot = hash & this.slotMask;
    for (;;) {
      const idPlusOne = slots[2 * slot + 1]!;
      if (idPlusOne === 0) break;
      if (slots[2 * slot] === hash && this.holds(idPlusOne - 1, bytes, start, end)) {
        this.increment(idPlusOne - 1);
        return;
      }
      slot = (slot + 1) & this.slotMask;
    }
    const id = this.distinct++;
    if ((id & ENTRY_PAGE_MASK) === 0) this.entryPages.push(new Uint32Array(ENTRY_STRIDE << ENTRY_PAGE_BITS));
    const entries = this.entryPages[id >>> ENTRY_PAGE_BITS]!;
    const entry = ENTRY_STRIDE * (id & ENTRY_PAGE_MASK);
    entries[entry] = this.store(bytes, start, end);
    entries[entry + 1] = end - start;
    entries[entry + 2] = 1;
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = id + 1;
    if (this.distinct * 4 > (this.slotMask + 1) * 3) this.growSlots();
  }

  count(id: number): number {
    this.flush();
    const low = this.entryPages[id >>> ENTRY_PAGE_BITS]![ENTRY_STRIDE * (id & ENTRY_PAGE_MASK) + 2]!;
    return this.wraps.size === 0 ? low : low + (this.wraps.get(id) ?? 0) * TWO_TO_32;
  }

  word(id: number): string {
    const entries = this.entryPages[id >>> ENTRY_PAGE_BITS]!;
    const entry = ENTRY_STRIDE * (id & ENTRY_PAGE_MASK);
    const address = entries[entry]!;
    const offset = address & ARENA_OFFSET_MASK;
    return decoder.decode(this.arenaPages[address >>> ARENA_PAGE_BITS]!.subarray(offset, offset + entries[entry + 1]!));
  }

  private increment(id: number): void {
    const entries = this.entryPages[id >>> ENTRY_PAGE_BITS]!;
    const index = ENTRY_STRIDE * (id & ENTRY_PAGE_MASK) + 2;
    const count = (entries[index]! + 1) >>> 0;
    entries[index] = count;
    if (count === 0) this.wraps.set(id, (this.wraps.get(id) ?? 0) + 1);
  }

  /** Whether word `id` is bytes[start..end). */
  private holds(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const entries = this.entryPages[id >>> ENTRY_PAGE_BITS]!;
    const entry = ENTRY_STRIDE * (id & ENTRY_PAGE_MASK);
    if (entries[entry + 1] !== end - start) return false;
    const address = entries[entry]!;
    const page = this.arenaPages[address >>> ARENA_PAGE_BITS]!;
    for (let i = start, at = address & ARENA_OFFSET_MASK; i < end; i++, at++) if (page[at] !== bytes[i]) return false;
    return true;
  }

  /** Copies the word's bytes into the arena; returns their address. */
  private store(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    let pageIndex: number;
    let offset: number;
    if (length > ARENA_PAGE_SIZE) {
      pageIndex = this.addArenaPage(length);
      offset = 0;
    } else {
      if (this.arenaPageIndex < 0 || this.arenaUsed + length > ARENA_PAGE_SIZE) {
        this.arenaPageIndex = this.addArenaPage(ARENA_PAGE_SIZE);
        this.arenaUsed = 0;
      }
      pageIndex = this.arenaPageIndex;
      offset = this.arenaUsed;
      this.arenaUsed += length;
    }
    const page = this.arenaPages[pageIndex]!;
    // A loop, not set(subarray): no view object per word (words are short; long ones are rare).
    for (let i = start, at = offset; i < end; i++, at++) page[at] = bytes[i]!;
    return pageIndex * ARENA_PAGE_SIZE + offset;
  }

  private addArenaPage(size: number): number {
    if (this.arenaPages.length === MAX_ARENA_PAGES) throw new RangeError("more than 4 GiB of distinct words");
    this.arenaPages.push(new Uint8Array(size));
    return this.arenaPages.length - 1;
  }

  private growSlots(): void {
    const old = this.slots;
    const capacity = (this.slotMask + 1) * 2;
    const slots = new Uint32Array(capacity * 2);
    const mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let slot = old[i]! & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[i]!;
      slots[2 * slot + 1] = old[i + 1]!;
    }
    this.slots = slots;
    this.slotMask = mask;
  }
}
