let counter = 0;

/** Now, as the service writes timestamps (ISO 8601 UTC). */
export function nowIso(): string {
  return new Date().toISOString();
}

/** An opaque, monotonically changing ETag in the service's style (`0x8D...`). */
export function newETag(): string {
  counter = (counter + 1) % 0x1000;
  const ticks = BigInt(Date.now()) * 10_000n + BigInt(counter);
  return `0x${ticks.toString(16).toUpperCase().padStart(15, "0")}`;
}
