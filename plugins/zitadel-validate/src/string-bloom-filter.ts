// A fixed-size Bloom filter over strings: answers "certainly never added" or "maybe added". The
// userName registry puts it in front of its on-disk store so that a new name (almost every claim)
// is settled in memory, and only a probable duplicate costs a SQLite lookup.
//
// Hand-written rather than taken from a library because it hashes the JS string's UTF-16 code
// units in place: no encoding to bytes, no allocation per call (a few tens of ns per name).
//
// Its memory never grows; only the false-positive rate rises with the number of names, and a false
// positive merely costs one lookup. With the default 2^26 bits (8 MiB) and 7 probes: ~1e-7 at 1M
// names, ~1e-4 at 3M, ~5% at 10M.

/** 2^26 bits = 8 MiB. */
const DEFAULT_BITS_LOG2 = 26;
const DEFAULT_PROBES = 7;

/** A Bloom filter of 2^bitsLog2 bits over strings, with `probes` bits set per string. */
export class StringBloomFilter {
  private readonly words: Int32Array;
  private readonly mask: number;

  constructor(
    bitsLog2 = DEFAULT_BITS_LOG2,
    private readonly probes = DEFAULT_PROBES,
  ) {
    if (!Number.isInteger(bitsLog2) || bitsLog2 < 5 || bitsLog2 > 31) throw new RangeError(`bitsLog2 must be 5..31 (got ${bitsLog2})`);
    this.words = new Int32Array(2 ** (bitsLog2 - 5));
    this.mask = 2 ** bitsLog2 - 1;
  }

  /** Memory held by the bit array, in bytes. */
  get byteLength(): number {
    return this.words.byteLength;
  }

  /** Records `value`. */
  add(value: string): void {
    hashPair(value);
    let bit = first;
    for (let i = 0; i < this.probes; i++) {
      const index = (bit & this.mask) >>> 0;
      this.words[index >>> 5] |= 1 << (index & 31);
      bit = (bit + second) | 0;
    }
  }

  /** False when `value` was certainly never added; true when it may have been. */
  mightContain(value: string): boolean {
    hashPair(value);
    let bit = first;
    for (let i = 0; i < this.probes; i++) {
      const index = (bit & this.mask) >>> 0;
      if ((this.words[index >>> 5] & (1 << (index & 31))) === 0) return false;
      bit = (bit + second) | 0;
    }
    return true;
  }
}

// The two hashes of the last `hashPair` call; module-level so hashing allocates nothing.
let first = 0;
let second = 0;

/**
 * Two independent 32-bit hashes of the string's code units (FNV-1a and a multiply-rotate hash,
 * each finished with a murmur3 mix), combined by double hashing: probe i = first + i * second.
 */
function hashPair(value: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b = (b << 13) | (b >>> 19);
  }
  first = fmix32(a);
  // An odd step visits distinct bits for every probe of a power-of-two table.
  second = fmix32(b) | 1;
}

/** murmur3's finaliser: spreads every input bit over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
