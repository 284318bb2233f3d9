/** A deterministic source of choices for generated tests: the same seed, the same sequence. */

/** mulberry32: a small seeded PRNG. */
export class Random {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Printable ASCII, no space: what a request target may carry unescaped. */
  token(length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) text += String.fromCharCode(33 + this.int(94));
    return text;
  }
}
