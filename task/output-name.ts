/**
 * Python's `posixpath.splitext`: the extension starts at the last dot of the last path
 * component, unless every character before that dot in the component is a dot
 * (`.profile` and `..x` have no extension; `a.` has `.`).
 */
export function pythonSplitext(path: string): [root: string, extension: string] {
  const sepIndex = path.lastIndexOf("/");
  const dotIndex = path.lastIndexOf(".");
  if (dotIndex > sepIndex) {
    for (let i = sepIndex + 1; i < dotIndex; i++) {
      if (path[i] !== ".") return [path.slice(0, dotIndex), path.slice(dotIndex)];
    }
  }
  return [path, ""];
}

/** `splitext(filepath)[0] + "_OUTPUT" + splitext(filepath)[1]`, as in the original task. */
export function outputFileName(filepath: string): string {
  const [root, extension] = pythonSplitext(filepath);
  return `${root}_OUTPUT${extension}`;
}
