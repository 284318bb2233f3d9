import { createHash, randomBytes } from "node:crypto";

/**
 * glibc's SHA-512 crypt (`$6$salt$hash`, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512",
 * 5000 rounds), the form `/etc/shadow` holds and `openssl passwd -6` prints. Node users'
 * passwords are hashed with it on the host, so a clear password never reaches the node's
 * process list, a log or the journal.
 */

const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ROUNDS = 5000;
/** The order in which the final digest's bytes are encoded, three at a time (then byte 63 alone). */
const ORDER = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
] as const;

const sha512 = (...parts: Buffer[]): Buffer => {
  const hash = createHash("sha512");
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** `length` bytes of `block` repeated. */
function repeated(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += block.length) block.copy(out, offset, 0, Math.min(block.length, length - offset));
  return out;
}

function encode24(b2: number, b1: number, b0: number, chars: number): string {
  let word = (b2 << 16) | (b1 << 8) | b0;
  let out = "";
  for (let i = 0; i < chars; i++) {
    out += ALPHABET[word & 0x3f];
    word >>= 6;
  }
  return out;
}

/** A random salt of 16 characters of crypt's alphabet. */
export function randomSalt(): string {
  return [...randomBytes(16)].map((byte) => ALPHABET[byte & 0x3f]).join("");
}

export function sha512Crypt(password: string, salt: string = randomSalt()): string {
  const p = Buffer.from(password, "utf8");
  const s = Buffer.from(salt.slice(0, 16), "utf8");
  const b = sha512(p, s, p);
  const a = createHash("sha512").update(p).update(s).update(repeated(b, p.length));
  for (let bits = p.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : p);
  let c = a.digest();
  const pSequence = repeated(sha512(...Array<Buffer>(p.length).fill(p)), p.length);
  const sSequence = repeated(sha512(...Array<Buffer>(16 + (c[0] as number)).fill(s)), s.length);
  for (let round = 0; round < ROUNDS; round++) {
    const odd = round % 2 === 1;
    const hash = createHash("sha512").update(odd ? pSequence : c);
    if (round % 3 !== 0) hash.update(sSequence);
    if (round % 7 !== 0) hash.update(pSequence);
    c = hash.update(odd ? c : pSequence).digest();
  }
  const at = (index: number) => c[index] as number;
  const encoded = ORDER.map(([x, y, z]) => encode24(at(x), at(y), at(z), 4)).join("") + encode24(0, 0, at(63), 2);
  return `$6$${s.toString("utf8")}$${encoded}`;
}
