/**
 * Between the core models and `@azure/batch` 10.2.0's. Both use the REST API's property names
 * (`nodeAgentSKUId`, `taskSlotsPerNode`, ...) and durations such as `maxWallClockTime` stay
 * ISO 8601 strings both ways (the mappers' `TimeSpan`), with one exception: a container
 * registry's and a user identity's `username` is the SDK's `userName`. The SDK's serializer silently drops properties
 * it has no mapper for, so that rename matters. Results differ in three more ways, undone here:
 * timestamps are `Date`s, properties the SDK has no mapper for (`odata.metadata`) are copied in
 * verbatim, and the flattened response mixes the response headers (`requestId`,
 * `clientRequestId`, `dataServiceId`, header `eTag`/`lastModified`) and a non-enumerable
 * `_response` into the body.
 */

import { checkSdkRequest } from "./sdk-request-check.js";

/** Fields of a flattened SDK response that come from headers or paging, not from the entity. */
const RESPONSE_ONLY = new Set(["requestId", "clientRequestId", "dataServiceId", "odatanextLink", "body", "_response"]);

/** Properties whose values are container registries (`ContainerRegistry`) or user identities (`UserIdentity`), alone or in an array. */
const REGISTRY_PROPERTIES = new Set(["registry", "containerRegistries", "userIdentity"]);

/** A deep copy with `from` renamed to `to` in every container registry and user identity. */
function renameRegistryUser(value: unknown, from: string, to: string, inRegistry = false): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRegistryUser(item, from, to, inRegistry));
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[inRegistry && key === from ? to : key] = renameRegistryUser(item, from, to, REGISTRY_PROPERTIES.has(key));
  }
  return result;
}

/** `Date` → ISO 8601, recursively; drops `undefined` and OData annotations (`odata.metadata`). */
function plainValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value !== "object" || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || key.startsWith("odata.")) continue;
    const converted = plainValue(item);
    if (converted !== undefined) result[key] = converted;
  }
  return result;
}

/** An SDK result as a core model. */
function plain(value: unknown): unknown {
  return renameRegistryUser(plainValue(value), "userName", "username");
}

interface SdkResponse {
  _response?: { parsedBody?: unknown };
}

/**
 * The entity of an SDK response as the core models spell it: the deserialized body alone
 * (`_response.parsedBody`, without the header fields the SDK mixes in), timestamps as ISO strings.
 */
export function fromSdk<T>(response: unknown): T {
  const body = (response as SdkResponse | undefined)?._response?.parsedBody;
  if (body !== undefined && typeof body === "object") return plain(body) as T;
  const converted = plain(response);
  if (typeof converted === "object" && converted !== null && !Array.isArray(converted)) {
    for (const key of RESPONSE_ONLY) delete (converted as Record<string, unknown>)[key];
  }
  return converted as T;
}

/** The items of one page of a list, as core models (the page's paging and header fields dropped). */
export function itemsFromSdk<T>(page: readonly unknown[]): T[] {
  return page.map((item) => plain(item) as T);
}

/**
 * A core request model as the SDK's parameter `model` (`PoolAddParameter`, ...): the same shape
 * (REST names, string durations) but for the registry's `userName`. A property the SDK has no
 * mapper for is refused with `UnsupportedProperty` instead of being dropped by its serializer.
 */
export function toSdk<T>(model: string, value: object): T {
  const converted = renameRegistryUser(value, "username", "userName") as object;
  checkSdkRequest(model, converted);
  return converted as T;
}
