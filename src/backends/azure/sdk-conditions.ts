import type { AccessConditions } from "../../core/access-conditions.js";

/** The conditional headers of an `@azure/batch` operation's options (`poolGetOptions`, `jobDeleteMethodOptions`, ...). */
export interface SdkConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

/** An HTTP or ISO 8601 date as the SDK takes it; a malformed one is left out (RFC 9110 §13.1.3 ignores it). */
function date(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** The core conditions as the SDK's per-operation options; undefined when there are none. */
export function toSdkConditions(conditions: AccessConditions | undefined): SdkConditions | undefined {
  if (!conditions) return undefined;
  const options: SdkConditions = {};
  if (conditions.ifMatch !== undefined) options.ifMatch = conditions.ifMatch;
  if (conditions.ifNoneMatch !== undefined) options.ifNoneMatch = conditions.ifNoneMatch;
  const ifModifiedSince = date(conditions.ifModifiedSince);
  if (ifModifiedSince) options.ifModifiedSince = ifModifiedSince;
  const ifUnmodifiedSince = date(conditions.ifUnmodifiedSince);
  if (ifUnmodifiedSince) options.ifUnmodifiedSince = ifUnmodifiedSince;
  return Object.keys(options).length > 0 ? options : undefined;
}
