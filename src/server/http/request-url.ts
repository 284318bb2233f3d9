import { BatchError } from "../../core/batch-error.js";

/** "The url in the request could not be parsed" ("Batch status and error codes": 400). */
function unparsable(target: string): BatchError {
  return new BatchError(400, "RequestUrlFailedToParse", "The url in the request could not be parsed.", [
    { key: "Url", value: target.length > 128 ? `${target.slice(0, 128)}...` : target },
  ]);
}

/**
 * The request target as an absolute URL on the server's own origin. An origin-form target
 * (`/pools?…`) is appended to the origin as it is, so `//other/x` stays a path instead of naming a
 * host; an absolute-form target (`http://host/pools?…`, as sent to a proxy) gives its path and
 * query. Anything else (`*`, a target that does not parse) is a 400.
 */
export function requestUrl(target: string, origin: string): URL {
  let pathAndQuery = target;
  if (!target.startsWith("/")) {
    const absolute = URL.canParse(target) ? new URL(target) : undefined;
    if (!absolute || (absolute.protocol !== "http:" && absolute.protocol !== "https:")) throw unparsable(target);
    pathAndQuery = `${absolute.pathname}${absolute.search}`;
  }
  const url = `${origin}${pathAndQuery}`;
  if (!URL.canParse(url)) throw unparsable(target);
  return new URL(url);
}
