/**
 * The registry host an image reference names, by Docker's rule: the part before the first `/`
 * when it looks like a host (has a `.` or a `:`, or is `localhost`). `myacr.azurecr.io/malachite-node:1`
 * → `myacr.azurecr.io`; `malachite-node:1` and `library/ubuntu` → undefined (Docker Hub).
 */
export function registryOfImage(imageName: string): string | undefined {
  const slash = imageName.indexOf("/");
  if (slash <= 0) return undefined;
  const first = imageName.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : undefined;
}

/** True for an image reference Docker can parse: no whitespace, no scheme, a name before any tag or digest. */
export function isImageReference(imageName: string): boolean {
  if (/\s/.test(imageName) || imageName.includes("://")) return false;
  return /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(imageName) && !imageName.endsWith("/") && !imageName.endsWith(":");
}
