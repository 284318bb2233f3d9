import { BatchErrors } from "../../core/batch-errors.js";

/** How deeply a request body may nest objects and arrays; the deepest Batch body nests about 8 levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses JSON text nested deeper than `limit`, before anything recursive walks the parsed value
 * (renaming, parsing, cloning): a deep body is a 400, never a stack overflow. Scans the text
 * once, counting brackets outside strings.
 */
export function checkJsonDepth(text: string, limit = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      if (++depth > limit) throw BatchErrors.invalidRequestBody(`The request body nests objects and arrays more than ${limit} levels deep.`);
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    }
  }
}
